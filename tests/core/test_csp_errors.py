"""The strict Content-Security-Policy is on every kind of answer, not only on pages: error pages (403,
404, 500), the admin, the API (JSON and its docs) and stored files (their own, stricter sandbox)."""

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import include, path

from .test_csp import STRICT, directives

pytestmark = pytest.mark.django_db


def _boom(request):
    raise RuntimeError("galat uji")


def _fine(request):
    return HttpResponse("ok")


urlpatterns = [path("boom/", _boom), path("fine/", _fine), path("", include("sia.urls"))]
handler404 = "sia.core.views.errors.page_not_found"


def assert_strict(response, what):
    header = directives(response.get("Content-Security-Policy", ""))
    for name, value in STRICT.items():
        assert header.get(name) == value, (what, response.status_code, name, header)


def test_error_pages_admin_and_api_carry_the_policy(world, settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    assert_strict(client.get("/akun/login/"), "login")
    assert_strict(client.get("/admin/login/"), "admin login")
    assert_strict(client.get("/tidak-ada/"), "404 page")
    assert_strict(client.get("/api/tidak-ada/"), "API 404")
    client.force_login(world.users["operator"])
    forbidden = client.get("/organisasi/anggota/tambah/")
    assert forbidden.status_code == 403
    assert_strict(forbidden, "403 page")
    for url in ("/api/", "/api/schema/", "/api/docs/", "/api/architecture/data-items/"):
        assert_strict(client.get(url), url)
    client.force_login(world.users["superuser"])
    assert_strict(client.get("/admin/"), "admin")


def test_the_500_page_carries_the_policy(world, settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    assert client.get("/fine/").status_code == 200
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "Terjadi galat di server" in response.content.decode()
    assert_strict(response, "500 page")
