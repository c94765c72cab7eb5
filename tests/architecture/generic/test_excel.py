"""Every kind's workbook round trip: the export uploaded unchanged changes nothing; an edited cell lands,
and only it; so do the edited attributes of a link kept in its own sheet (``LinkSpec.through``)."""

import pytest
from django.db import models
from django.urls import reverse

from sia.exchange.columns import sheet_for
from sia.exchange.committer import write_plan
from sia.exchange.importer import plan_workbook
from sia.exchange.relations import relation_sheets

from tests.exchange.helpers import edit, problems, row_of
from tests.kinds import EVERY_FIELD, link_rows_of, values_of

from .domains import over_kinds, over_through_links

pytestmark = pytest.mark.django_db


def download(client, user, model) -> bytes:
    client.force_login(user)
    response = client.get(reverse("exchange:export"), {"domain": model.spec.slug})
    assert response.status_code == 200, response.content[:500]
    return response.content


def history_rows(model) -> int:
    return model.history.count()


def text_field(model):
    """The first free-text field the domain declares (not a choice, not a URL)."""
    for name in model.spec.form_fields:
        field = model._meta.get_field(name)
        if isinstance(field, (models.CharField, models.TextField)) and not field.choices and not isinstance(
                field, (models.URLField, models.EmailField)):
            return field
    return None


@over_kinds
def test_the_export_uploaded_unchanged_changes_nothing(client, world, kinds, model):
    objects = [kinds.build(model, full=True), kinds.build(model, full=True, variant=EVERY_FIELD)]
    before = [(values_of(obj), link_rows_of(obj)) for obj in objects]
    user = world.users["admin"]
    content = download(client, user, model)
    plan = plan_workbook(content, user=user, institution=world.inst)
    assert plan.problems == [], problems(plan)
    counts = plan.counts()
    assert (counts["create"], counts["update"]) == (0, 0), counts
    assert counts["unchanged"] >= model.objects.filter(institution=world.inst).count()
    history = history_rows(model)
    write_plan(plan, user=user)
    assert history_rows(model) == history
    for obj, values in zip(objects, before):
        obj.refresh_from_db()
        assert (values_of(obj), link_rows_of(obj)) == values and obj.lock_version == 1


@over_kinds
def test_an_edited_cell_lands(client, world, kinds, model):
    obj, untouched = kinds.build(model, full=True), kinds.build(model, full=True, variant=1)
    before, untouched_before = values_of(obj), values_of(untouched)
    rows_before = link_rows_of(obj)
    user = world.users["admin"]
    content = download(client, user, model)
    sheet = sheet_for(model)
    row = row_of(content, sheet.title, obj.code)
    changes = [(sheet.title, row, sheet.column("name").header, "Nama diubah di Excel")]
    field = text_field(model)
    if field is not None:
        changes.append((sheet.title, row, sheet.column(field.name).header, "Isian diubah di Excel"))
    plan = plan_workbook(edit(content, changes), user=user, institution=world.inst)
    assert plan.problems == [], problems(plan)
    assert plan.counts()["update"] == 1
    write_plan(plan, user=user)
    obj.refresh_from_db(), untouched.refresh_from_db()
    expected = {**before, "name": "Nama diubah di Excel"}
    if field is not None:
        expected[field.name] = "Isian diubah di Excel"
    assert values_of(obj) == expected and link_rows_of(obj) == rows_before
    assert obj.lock_version == 2
    assert values_of(untouched) == untouched_before


@over_through_links
def test_an_edited_link_attribute_lands(client, world, kinds, model, part):
    """A link with attributes has a sheet of its own in the holder's workbook: its attributes are edited there."""
    obj = kinds.build(model, full=True)
    (row_obj,) = getattr(obj, part.field).all()
    sheet = next(s for s in relation_sheets([model]) if s.model is part.through_model())
    user = world.users["admin"]
    content = download(client, user, model)
    row = row_of(content, sheet.title, obj.code)
    changes, expected = [], {}
    for name in part.attributes:
        field = row_obj._meta.get_field(name)
        if field.choices:
            other = next(value for value, _label in field.flatchoices if value not in ("", getattr(row_obj, name)))
            label = dict(field.flatchoices)[other]
            changes.append((sheet.title, row, sheet.column(name).header, str(label)))
        else:
            other = "Diubah di Excel"
            changes.append((sheet.title, row, sheet.column(name).header, other))
        expected[name] = other
    plan = plan_workbook(edit(content, changes), user=user, institution=world.inst)
    assert plan.problems == [], problems(plan)
    assert plan.counts()["update"] == 1
    write_plan(plan, user=user)
    row_obj.refresh_from_db()
    assert {name: getattr(row_obj, name) for name in part.attributes} == expected
    assert getattr(obj, part.field).count() == 1
