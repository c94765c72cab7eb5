"""A list page's filter form holds the filters the page shows and those the request names, not every filter of its
filter set (``SiaFilterSet(form_fields=...)``): the same page, the same rows, for every declared kind and every
list page with a filter set."""

import re

import django_filters
import pytest
from django.http import QueryDict
from django.urls import get_resolver, reverse

from sia.architecture.filtersets import filterset_for
from sia.architecture.models import BusinessProcess
from sia.architecture.registry import domain_models
from sia.core.filtersets import SiaFilterSet
from sia.core.views.generic import ObjectListView

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]*"')  # masked anew on every render


def _list_views():
    found = []

    def walk(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns)
                continue
            view = getattr(pattern.callback, "view_class", None)
            if view is not None and issubclass(view, ObjectListView) and view.filterset_class is not None:
                found.append(view)

    walk(get_resolver().url_patterns)
    return found


def _filtersets():
    return [filterset_for(model) for model in domain_models()] + [view.filterset_class for view in _list_views()]


def test_every_list_pages_filter_set_takes_the_shown_fields():
    assert len(_list_views()) >= 10
    for filterset in _filtersets():
        assert issubclass(filterset, SiaFilterSet), filterset


def test_a_filter_absent_from_the_request_filters_nothing(rf, world):
    """What makes leaving it out of the form safe: for every filter of every list page's filter set, a bound
    form without its parameter gives the unfiltered query."""
    request = rf.get("/")
    request.user = world.users["admin"]
    for filterset_class in _filtersets():
        queryset = filterset_class._meta.model._default_manager.all()
        filterset = filterset_class(QueryDict("not-a-filter=1"), queryset=queryset, request=request)
        assert set(filterset.form.fields) == set(filterset.filters)  # every filter, none of them named
        assert filterset.form.is_valid(), filterset.form.errors
        assert str(filterset.qs.query) == str(queryset.query), filterset_class


def test_the_form_holds_the_shown_filters_and_those_named(rf, world):
    request = rf.get("/")
    request.user = world.users["admin"]
    filterset_class = filterset_for(BusinessProcess)
    data = QueryDict("status=draf&department_id=5&period_min=1")
    filterset = filterset_class(data, queryset=BusinessProcess.objects.all(), request=request,
                                form_fields=("q", "status"))
    # "department" and "period": a key made of their name (a multi-part widget's) may be theirs, so they stay
    named = ("q", "status", "department_id", "department", "period")
    assert list(filterset.form.fields) == [n for n in filterset.filters if n in named]
    everything = filterset_class(data, queryset=BusinessProcess.objects.all(), request=request)
    assert len(everything.form.fields) > len(filterset.form.fields)
    assert str(filterset.qs.query) == str(everything.qs.query)


def _pages(client, monkeypatch, url, params, language):
    def get():
        body = client.get(url, params, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        return CSRF.sub(r'\1"', body)

    new = get()
    with monkeypatch.context() as patch:  # the form with every filter, as before
        patch.setattr(SiaFilterSet, "get_form_class", django_filters.FilterSet.get_form_class)
        old = get()
    return new, old


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_kinds_list_page_is_the_same(client, monkeypatch, arch, world, language):
    params_list = [
        {},
        {"status": "draf", "q": '<b>"Statistik" & co</b>'},
        {"department_id": str(world.kominfo.pk), "state": "as-is"},  # a filter the page does not show
        {"department_id": "bukan-angka", "department": "DISKOMINFO"},  # an invalid hidden one
        {"page": "2"},
    ]
    for who in ("admin", "operator"):
        client.force_login(world.users[who])
        for model in domain_models():
            url = reverse(f"architecture:{model._meta.model_name}_list")
            for params in params_list:
                new, old = _pages(client, monkeypatch, url, params, language)
                assert new == old, (who, model.__name__, params)
                if model is BusinessProcess and not params:
                    assert arch.process.code in new and 'name="department"' in new  # rows and the shown filters


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_other_list_page_is_the_same(client, monkeypatch, world, language):
    client.force_login(world.users["admin"])
    compared = 0
    for view in _list_views():
        if view.model is None:
            continue
        name = f"{view.model._meta.app_label}:{view.model._meta.model_name}_list"
        try:
            url = reverse(name)
        except Exception:  # a list under another name or with arguments: the kinds above cover the code path
            continue
        for params in ({}, {"q": "<x>"}, {"is_active": "true", "zzz": "1"}):
            new, old = _pages(client, monkeypatch, url, params, language)
            assert new == old, (view.__name__, params)
        compared += 1
    assert compared >= 15  # organizations, reference, integrations, evaluation, roadmap, governance, ...
