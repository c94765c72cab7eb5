"""Every kind's API answers written by the plan (``sia.core.api.representation``) are byte for byte those of DRF's
field-by-field writing: list and one object's page, for a koordinator, the owning operator and another OPD's
operator (who sees the object, validated, but not the drafts it links to: hidden links), in both languages, on
objects with every field filled (dates, decimals, choices, links, value lists), with none filled (nulls), and with
text that JSON escapes."""

import pytest
from rest_framework import fields as drf_fields

from sia.architecture.api.serializers import ArchitectureObjectSerializer, serializer_for
from sia.architecture.api.incoming import detail_serializer_for
from sia.architecture.models import ValueListItem
from sia.core.api import representation
from sia.core.api.serializers import SiaModelSerializer

from tests.kinds import EVERY_FIELD

from .domains import over_kinds

pytestmark = pytest.mark.django_db

TRICKY = 'Uraian “kutip” <b>tebal</b> & \'satu\'\n\tbaris\u2028dua\\ "akhir" é ✓'


def resource(model) -> str:
    return f"/api/architecture/{model.spec.api_name}/"


def _answers(api, readers, urls) -> dict:
    out = {}
    for who, user in readers.items():
        client = api(user)
        for language in ("id", "en"):
            for url in urls:
                response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
                assert response.status_code in (200, 404), (who, url, response.status_code)  # another OPD's draft
                out[(who, language, url)] = response.content
                out[(who, language, url, "status")] = response.status_code
    return out


@over_kinds
def test_planned_answers_are_drf_answers(api, world, kinds, model, monkeypatch):
    full = kinds.build(model, full=True, variant=EVERY_FIELD)
    other = kinds.build(model, full=True, variant=1)
    bare = kinds.build(model)
    model.objects.filter(pk=full.pk).update(status="divalidasi", description=TRICKY, name=TRICKY[:100])
    model.objects.filter(pk=other.pk).update(status="divalidasi")
    readers = {"admin": world.users["admin"], "operator": world.users["operator"],
               "operator_dinkes": world.users["operator_dinkes"],
               "superuser": world.users["superuser"]}
    urls = [resource(model), *(f"{resource(model)}{obj.pk}/" for obj in (full, other, bare)),
            f"{resource(model)}?limit=2&offset=1"]
    planned = _answers(api, readers, urls)
    monkeypatch.setattr(ArchitectureObjectSerializer, "fast_representation", False)
    drf = _answers(api, readers, urls)
    assert planned.keys() == drf.keys()
    for key in planned:
        assert planned[key] == drf[key], key
    # what the comparison covered: escaped text, and links hidden from the other OPD's operator (the to-be object
    # upgrades an as-is draft of DISKOMINFO), absent for the owning operator
    assert all(b"\\u2028" in drf[(who, "id", f"{resource(model)}{full.pk}/")] for who in readers)
    assert b'"url":null' in drf[("operator_dinkes", "en", f"{resource(model)}{full.pk}/")]
    assert b'"url":null' not in drf[("operator", "en", f"{resource(model)}{full.pk}/")]


NOT_PLANNED = (drf_fields.DecimalField, drf_fields.ReadOnlyField)


@over_kinds
def test_the_plan_writes_every_plain_field_itself(model):
    """Only fields the plan cannot write exactly go through DRF (decimals, computed values, incoming links): a plan that
    fell back everywhere would pass the comparison above and save nothing."""
    for cls in (serializer_for(model), detail_serializer_for(model, serializer_for(model))):
        serializer = cls(context={})
        assert serializer.planned()
        plan = representation.plan_for(serializer)
        generic = {name for name, step in plan.steps if step.__qualname__.startswith("_generic")}
        allowed = {name for name, field in serializer.fields.items()
                   if isinstance(field, NOT_PLANNED) or name == "incoming_links"}
        assert generic <= allowed, generic - allowed
        assert [name for name, _step in plan.steps] == [name for name, field in serializer.fields.items()
                                                        if not field.write_only]


def test_a_serializer_writing_rows_its_own_way_is_not_planned():
    class Own(SiaModelSerializer):
        fast_representation = True

        class Meta:
            model = ValueListItem
            fields = ["id", "name"]

        def to_representation(self, instance):
            return {"own": True}

    assert not Own(context={}).planned()
