"""The menu and roles of the ``sia`` context processor are computed once per request (a detail page's panels
render with the request and run the context processors again), never carried to another request or user."""

import pytest
from django.test import RequestFactory

from sia.core import context_processors

pytestmark = pytest.mark.django_db


def test_the_menu_is_computed_once_per_request_and_per_user(world, monkeypatch):
    calls = []
    real = context_processors.menu_for
    monkeypatch.setattr(context_processors, "menu_for", lambda user, path: calls.append(user) or real(user, path))
    request = RequestFactory().get("/arsitektur/proses-bisnis/")
    request.user = world.users["admin"]
    first = context_processors.sia(request)
    assert context_processors.sia(request) is first and len(calls) == 1
    request.user = world.users["operator"]  # e.g. a login inside the request
    second = context_processors.sia(request)
    assert len(calls) == 2 and second["user_roles"] != first["user_roles"]
    other = RequestFactory().get("/arsitektur/proses-bisnis/")
    other.user = world.users["admin"]
    assert context_processors.sia(other) == first and len(calls) == 3


def test_the_detail_page_runs_the_menu_once(world, client, kinds, monkeypatch):
    from sia.architecture.models import Application

    app = kinds.build(Application, name="Aplikasi dengan panel")
    calls = []
    real = context_processors.menu_for
    monkeypatch.setattr(context_processors, "menu_for", lambda user, path: calls.append(path) or real(user, path))
    client.force_login(world.users["admin"])
    assert client.get(app.get_absolute_url()).status_code == 200
    assert calls == [app.get_absolute_url()]
