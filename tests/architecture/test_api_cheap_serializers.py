"""The API's Python made cheaper (issue 18) without changing what it decides: field definitions built once per
serializer class still give each request its own fields, scoped to its user; one object's request without a
query string skips the filters only where they would not narrow anything."""

import pytest
from django.urls import get_resolver
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from sia.architecture.api.serializers import serializer_for
from sia.architecture.models import BusinessProcess, DataItem, ValueListItem
from sia.core.api.views import SiaModelViewSet

pytestmark = pytest.mark.django_db


def _request(user):
    request = Request(APIRequestFactory().get("/"))
    request.user = user
    return request


def test_each_serializer_has_its_own_fields_scoped_to_its_user(world, arch):
    cls = serializer_for(DataItem)
    other_value = ValueListItem.objects.filter(institution=world.other, kind="sifat-data").first()
    own_value = ValueListItem.objects.filter(institution=world.inst, kind="sifat-data").first()
    mine = cls(context={"request": _request(world.users["operator"])})
    theirs = cls(context={"request": _request(world.users["other_admin"])})
    assert mine.fields["nature"] is not theirs.fields["nature"]
    assert mine.fields["processes"].child_relation is not theirs.fields["processes"].child_relation
    assert mine.fields["processes"].child_relation.parent is mine.fields["processes"]
    assert mine.fields["processes"].child_relation.root is mine  # its context is this request's
    assert set(mine.fields["nature"].queryset) >= {own_value} and other_value not in mine.fields["nature"].queryset
    assert other_value in theirs.fields["nature"].queryset and own_value not in theirs.fields["nature"].queryset
    assert arch.process in mine.fields["processes"].child_relation.queryset
    assert arch.process not in theirs.fields["processes"].child_relation.queryset
    # the class's templates stay unscoped and unbound
    template = cls._sia_field_templates["processes"]
    assert template.parent is None and not template.child_relation._pending_scopes
    assert template.child_relation.queryset.model is BusinessProcess


def test_a_written_link_is_still_checked_against_the_writers_scope(world, arch, api):
    other_value = ValueListItem.objects.filter(institution=world.other, kind="sifat-data").first()
    response = api(world.users["operator"]).patch(
        f"/api/architecture/data-items/{arch.data.pk}/", {"nature": other_value.pk, "lock_version": arch.data.lock_version},
        format="json")
    assert response.status_code == 400 and "nature" in response.json()


def _filtered_viewsets():
    for pattern in get_resolver().url_patterns:
        yield from _walk(pattern)


def _walk(pattern):
    if hasattr(pattern, "url_patterns"):
        for inner in pattern.url_patterns:
            yield from _walk(inner)
        return
    cls = getattr(getattr(pattern, "callback", None), "cls", None)
    if cls is not None and issubclass(cls, SiaModelViewSet):
        yield cls


def test_no_filter_set_narrows_without_a_query_string(world):
    """The reason one object's request may skip the filters: an empty query string filters nothing."""
    seen = set()
    request = _request(world.users["admin"])
    for cls in _filtered_viewsets():
        view = cls()
        view.request, view.action, view.kwargs, view.format_kwarg = request, "list", {}, None
        for backend in view.filter_backends:
            filterset_class = getattr(backend(), "get_filterset_class", lambda *a: None)(view, cls.queryset)
            if filterset_class is None or filterset_class in seen:
                continue
            seen.add(filterset_class)
            queryset = cls.queryset.all()
            filterset = filterset_class(data=request.query_params, queryset=queryset, request=request)
            assert filterset.is_valid(), filterset_class
            assert str(filterset.qs.query) == str(queryset.query), filterset_class
    assert len(seen) > 20


def test_one_object_without_a_query_string_skips_the_filters(world, arch, api, monkeypatch):
    from django_filters import FilterSet

    built = []
    original = FilterSet.__init__
    monkeypatch.setattr(FilterSet, "__init__", lambda self, *a, **k: (built.append(self), original(self, *a, **k))[1])
    url = f"/api/architecture/business-processes/{arch.process.pk}/"
    assert api(world.users["operator"]).get(url).status_code == 200
    assert not built
    # A list with a filter parameter still filters (one with only limit/offset has nothing to narrow: see
    # test_api_unfiltered_list.py).
    assert api(world.users["operator"]).get("/api/architecture/business-processes/?status=draf").status_code == 200
    assert built


def test_one_object_with_a_query_string_is_filtered_as_before(world, arch, api):
    url = f"/api/architecture/business-processes/{arch.process.pk}/"
    client = api(world.users["operator"])
    assert client.get(url + "?status=bukan-status").status_code == 400
    assert client.get(url + "?status=diajukan").status_code == 404  # the object is a draft
    assert client.get(url + "?status=draf").status_code == 200


def test_an_object_outside_the_scope_is_still_not_found(world, arch, api):
    url = f"/api/architecture/business-processes/{arch.process.pk}/"
    assert api(world.users["other_admin"]).get(url).status_code == 404
    assert api(world.users["other_admin"]).post(url + "submit/", {}, format="json").status_code == 404


def test_a_list_reads_its_links_from_plain_lists_not_a_manager_per_row(world, kinds, api, monkeypatch):
    """A page of applications keeps each many-to-many link's objects in a list (``held``): no related manager
    per row and link (they were 600 a page, and their garbage set off slow full collections); the links shown
    and hidden stay the same (a DINKES operator sees no DISKOMINFO draft process)."""
    from django.db.models.fields import related_descriptors

    from sia.architecture.choices import ReviewStatus
    from sia.architecture.models import Application

    made = []
    real = related_descriptors.ManyToManyDescriptor.__get__
    monkeypatch.setattr(related_descriptors.ManyToManyDescriptor, "__get__",
                        lambda self, instance, cls=None: made.append(instance) or real(self, instance, cls))
    draft = kinds.build(BusinessProcess, name="Proses draf Kominfo")
    shown = kinds.build(BusinessProcess, name="Proses terbit Kominfo", status=ReviewStatus.VALIDATED)
    for i in range(6):
        kinds.build(Application, name=f"Aplikasi {i}", processes=[draft, shown], status=ReviewStatus.VALIDATED)
    made.clear()
    rows = api(world.users["operator_dinkes"]).get("/api/architecture/applications/").json()["results"]
    # Only the prefetch's own look at the first row (to find its prefetcher), whatever the number of rows.
    assert len(rows) == 6 and len({id(row) for row in made if row is not None}) <= 1, made
    assert all([link["id"] for link in row["processes"]] == [shown.pk] for row in rows)
    rows = api(world.users["operator"]).get("/api/architecture/applications/").json()["results"]
    assert all(sorted(link["id"] for link in row["processes"]) == sorted([draft.pk, shown.pk]) for row in rows)
