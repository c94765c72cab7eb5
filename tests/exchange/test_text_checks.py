"""The import leaves out of ``full_clean``'s field pass only text fields ``Field.clean`` would pass unchanged
(``sia.exchange.text_checks``): the same problems, with sheet, row and column, as the full field pass."""

import pytest
from django.db import models

from sia.architecture.choices import ArchitectureState
from sia.exchange import columns as c
from sia.exchange import importer
from sia.exchange.importer import new_instance, plan_workbook
from sia.exchange.text_checks import proven_valid, text_checks

from .helpers import edit, export, read

pytestmark = pytest.mark.django_db


def candidates(check):
    _name, _attname, _blank, _editable, keys, limit = check
    values = ["", "a", " ", "bukan pilihan", ArchitectureState.AS_IS, None, 3]
    values += sorted(keys or ())
    if limit is not None:
        values += ["x" * limit, "x" * (limit + 1), "é" * (limit + 1)]
    return values


def test_a_field_proven_valid_is_one_field_clean_accepts_unchanged():
    """For every plain text field of every kind the import reads: a value ``proven_valid`` vouches for is skipped by
    ``clean_fields`` (blank) or cleaned by ``Field.clean`` without an error and kept as it is; every value it does not
    vouch for that ``Field.clean`` refuses is caught, so the test fails if the check is too lax."""
    vouched = refused = 0
    for spec in c.sheets():
        model = spec.model
        checks = text_checks(model)
        assert checks, model
        for check in checks:
            name, attname = check[0], check[1]
            field = model._meta.get_field(name)
            others = {other[0] for other in checks if other[0] != name}
            for value in candidates(check):
                obj = new_instance(model, 1, "X")
                setattr(obj, attname, value)
                if proven_valid(obj, others) == [name]:
                    vouched += 1
                    if field.blank and value in field.empty_values:
                        continue  # Model.clean_fields skips it
                    assert field.clean(value, obj) is value, (model, name, value)
                else:
                    try:
                        field.clean(value, obj)
                    except Exception:  # noqa: BLE001 - any refusal counts
                        refused += 1
    assert vouched > 100 and refused > 30


def test_a_field_of_another_validator_or_class_is_left_to_field_clean():
    class Odd(models.Model):
        slug = models.SlugField(max_length=5)  # a validator of its own
        text = models.CharField(max_length=5)
        dated = models.DateField(null=True)

        class Meta:
            app_label = "exchange"

    assert [check[0] for check in text_checks(Odd)] == ["text"]


def bad_cells(ex, world):
    """An export of every kind with, in its first rows, over-long text in each text column, an empty required
    name, an unknown choice and an ID too long: errors of ``clean_fields``, of the cells and of ``clean()``."""
    content = export(world.users["admin"], world.inst)
    sheets = read(content)
    changes = []
    for spec in c.sheets():
        rows = sheets.get(spec.title)
        if not rows or len(rows) < 2:
            continue
        headers = rows[0]
        by_header = {column.header: column for column in spec.columns}
        for row in range(2, min(len(rows), 4) + 1):
            for header in headers:
                column = by_header.get(header)
                field = getattr(column, "field", None)
                if type(field) in (models.CharField, models.TextField) and field.name not in ("code", "status"):
                    changes.append((spec.title, row, header, "y" * ((field.max_length or 2000) + 1)))
        if "ID" in headers:
            changes.append((spec.title, 2, "ID", "Z" * 70))
    assert len(changes) > 20
    return edit(content, changes)


def test_every_bad_cell_gets_the_same_problem_as_the_full_field_pass(ex, world, monkeypatch):
    content = bad_cells(ex, world)
    user, inst = world.users["admin"], world.inst
    fast = plan_workbook(content, user=user, institution=inst)
    monkeypatch.setattr(importer, "proven_valid", lambda obj, exclude: [])
    full = plan_workbook(content, user=user, institution=inst)
    listed = [(p.sheet, p.row, p.column, p.message, p.level) for p in fast.problems]
    assert listed == [(p.sheet, p.row, p.column, p.message, p.level) for p in full.problems]
    assert len(fast.errors) > 10
    assert any("karakter" in p.message for p in fast.errors), listed[:5]

