"""Every column kind round-trips a value: the cell it exports parses back to the value it holds.

The test follows ``sia.exchange.kinds.KINDS``: a new kind is tested by being declared. Its column
comes from a declared domain's sheet or, while no domain uses the kind yet, from a stand-in field;
the cell it starts from is the value a fixture object already holds, else the first entry of the
kind's own dropdown, else a sample typed by a user, else (a kind the fixture holds no object of, a link
it leaves empty) the value of an object built from the declaration (``tests.kinds``).
"""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import models

from sia.architecture.registry import domain_models
from sia.core.permissions import LinkReader
from sia.exchange.cells import is_blank
from sia.exchange.columns import column_class, sheet_for
from sia.exchange.kinds import KINDS, SheetColumn
from sia.exchange.lookups import Lookups
from sia.exchange.reader import SheetRows
from tests.kinds import EVERY_FIELD

# Plain fields for kinds no declared domain uses yet (dates and amounts; years came with the Aplikasi domain).
STAND_INS = (models.IntegerField(verbose_name="Tahun"), models.DecimalField(verbose_name="Nilai", max_digits=9,
             decimal_places=2), models.DateField(verbose_name="Tanggal"))
# What a user types where a kind offers no dropdown and the fixture holds no value.
SAMPLES = {"text": "Contoh isian", "int": "2.024", "decimal": "12,5", "date": "17 Agustus 2025", "functions": "2; 1"}
EXPECTED = {"int": 2024, "decimal": Decimal("12.5"), "date": dt.date(2025, 8, 17)}


class Row(SimpleNamespace):
    """The importer's row as a column sees it: an existing object being updated."""

    def link_pks(self, name):
        targets, preserved = self.links[name]
        return {t.pk for t in targets} | preserved


def _columns(kind):
    """Columns of this kind: those of the declared domains, or one on a stand-in field."""
    found = [(model, column) for model in domain_models() for column in sheet_for(model).columns
             if type(column) is kind]
    if found:
        return found
    for index, field in enumerate(STAND_INS):
        field.set_attributes_from_name(f"stand_in_{index}")
        if column_class(None, field) is kind:
            return [(None, kind(name=field.name, label=str(field.verbose_name), required=False, field=field))]
    return []


def _object(model, column, ex, app):
    """The fixture's object of the column's domain; a bare holder for a stand-in field."""
    found = [obj for obj in (ex.process, ex.service, ex.data, app) if type(obj) is model]
    return found[0] if found else SimpleNamespace(**{column.field.attname: None})


def _value(column, obj):
    if column.many:
        return set(getattr(obj, column.name).values_list("pk", flat=True))
    return getattr(obj, column.field.attname)


def _parsed(column, cell, row, lookups):
    if column.many:
        return {target.pk for target in column.targets(row, cell, lookups)}
    value = column.parse(cell, row, lookups)
    return value.pk if isinstance(value, models.Model) else value


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.__name__)
def test_every_column_kind_round_trips_a_value(kind, ex, app, world, kinds):
    user = world.users["admin"]
    columns = _columns(kind)
    assert columns, f"{kind.__name__}: no domain declares a field of this kind; add a stand-in field to this test"
    reader = LinkReader(user)
    built = {}

    def built_object(model):
        """An object built from the declaration with every field filled (``tests.kinds``)."""
        if model not in built:
            built[model] = kinds.build(model, full=True, variant=EVERY_FIELD)
        return built[model]

    for model, column in columns:
        assert isinstance(column, SheetColumn)
        obj = _object(model, column, ex, app)
        if model is not None and isinstance(obj, SimpleNamespace):  # a kind the fixture holds no object of
            obj = built_object(model)
        held = column.export(obj, column.prefetch([obj], reader)) if model else None
        options = column.options(user, world.inst)
        cell = held if not is_blank(held) else (options[0] if options else SAMPLES.get(kind.kind))
        if is_blank(cell) and model is not None:  # a link the fixture leaves empty
            obj = built_object(model)
            cell = column.export(obj, column.prefetch([obj], reader))
        assert not is_blank(cell), f"{kind.__name__}: give the test a sample cell for {column.name}"
        lookups = Lookups(user, world.inst)
        spec = sheet_for(model) if model else SimpleNamespace(model=None)
        lookups.load([SheetRows(spec=spec, title="t", header_row=1, columns=[(0, column, column.header)],
                                rows=[(2, (cell,))])])
        row = Row(instance=obj, model=model, creating=False, links={})
        if column.imported:
            column.read(row, cell, lookups)
            if column.many:
                getattr(obj, column.name).set(row.links[column.name][0])
        value = _value(column, obj)
        assert value not in (None, "", set()), f"{kind.__name__}.{column.name}: {cell!r} gave no value"
        if kind.kind in EXPECTED and cell == SAMPLES.get(kind.kind):
            assert value == EXPECTED[kind.kind]
        exported = column.export(obj, column.prefetch([obj], reader) if model else None)
        assert not is_blank(exported)
        assert _parsed(column, exported, row, lookups) == (value.pk if isinstance(value, models.Model) else value), (
            f"{kind.__name__}.{column.name}: {exported!r} does not read back as {value!r}")
