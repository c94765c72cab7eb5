"""The shortcuts of reading the rows (issue 18) answer as the code they replace: a new row's instance made from the
attributes ``Model.__init__`` gives, a unit cell found through its (name, OPD) index, the kept plan's check for
binary values, the creation notes' labels translated once."""

import io
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db.models.signals import post_init

from sia.architecture import changes
from sia.architecture.models import BusinessProcess
from sia.architecture.registry import domain_models
from sia.exchange import plan_store
from sia.exchange.cells import CellError, normalize_key
from sia.exchange.importer import new_instance
from sia.exchange.lookups import Lookups


def _state(obj):
    return (obj._state.adding, obj._state.db, dict(obj._state.fields_cache))


def test_a_new_row_is_the_instance_init_makes_for_every_kind():
    checked = 0
    for model in domain_models():
        made, expected = new_instance(model, 7, "PB-X-001"), model(institution_id=7, code="PB-X-001")
        assert type(made) is model
        # ``status_since`` defaults to the time of the call: each made a moment apart, in that order
        assert made.status_since <= expected.status_since <= made.status_since + timedelta(seconds=5), model
        assert {k: v for k, v in made.__dict__.items() if k not in ("_state", "status_since")} == {
            k: v for k, v in expected.__dict__.items() if k not in ("_state", "status_since")}, model
        assert _state(made) == _state(expected) == (True, None, {})
        assert made._state is not new_instance(model, 7, "").__dict__["_state"]
        checked += 1
    assert checked >= 10


def test_callable_defaults_are_called_for_each_new_row(monkeypatch):
    """The period's default is this year's (``current_period``): each row asks for it, as ``__init__`` does."""
    field = BusinessProcess._meta.get_field("period")
    assert field.has_default() and callable(field.default)
    new_instance(BusinessProcess, 1, "")  # the attributes are taken once
    calls = iter(["2025-2029", "2030-2034"])
    monkeypatch.setitem(field.__dict__, "_get_default", lambda: next(calls))  # what ``get_default`` calls
    assert [new_instance(BusinessProcess, 1, "").period for _ in range(2)] == ["2025-2029", "2030-2034"]


def test_a_row_is_made_by_init_while_an_init_signal_listens():
    heard = []

    def listener(sender, instance, **kwargs):
        heard.append(instance)

    post_init.connect(listener, sender=BusinessProcess)
    try:
        made = new_instance(BusinessProcess, 3, "PB-A")
    finally:
        post_init.disconnect(listener, sender=BusinessProcess)
    assert heard == [made] and made.code == "PB-A" and made.institution_id == 3


def _lookups(units):
    lookups = Lookups.__new__(Lookups)
    dinkes, kominfo = SimpleNamespace(pk=1, abbreviation="DINKES"), SimpleNamespace(pk=2, abbreviation="DISKOMINFO")
    lookups.departments = {normalize_key("DINKES"): dinkes, normalize_key("DISKOMINFO"): kominfo}
    lookups.units, lookups.units_of = {}, {}
    for unit in units:
        lookups.units.setdefault(normalize_key(unit.name), []).append(unit)
        lookups.units_of.setdefault((normalize_key(unit.name), unit.department_id), []).append(unit)
    return lookups, dinkes, kominfo


def test_a_unit_cell_finds_the_unit_of_the_named_or_the_rows_opd():
    units = [SimpleNamespace(pk=10, name="Bidang Umum", department_id=1),
             SimpleNamespace(pk=11, name="Bidang Umum", department_id=2),
             SimpleNamespace(pk=12, name="Bidang Data", department_id=2)]
    lookups, dinkes, kominfo = _lookups(units)
    assert lookups.unit("DINKES: Bidang Umum", []).pk == 10
    assert lookups.unit("diskominfo : bidang umum", []).pk == 11
    assert lookups.unit("Bidang Umum", [None, kominfo]).pk == 11  # the row's OPDs decide, first that has one
    assert lookups.unit("Bidang Umum", [dinkes, kominfo]).pk == 10
    assert lookups.unit("Bidang Data", [dinkes]).pk == 12  # the only one of its name
    with pytest.raises(CellError, match="dipakai beberapa OPD"):
        lookups.unit("Bidang Umum", [])
    with pytest.raises(CellError, match="tidak dikenal"):
        lookups.unit("DINKES: Bidang Data", [])


def test_the_plan_keeps_an_instance_holding_binary_data_by_djangos_own_reduction():
    plain, binary = BusinessProcess(code="PB-1", name="x"), BusinessProcess(code="PB-2", name="y")
    binary.__dict__["blob"] = memoryview(b"abc")
    pickler = plan_store._Pickler(io.BytesIO(), {})
    assert pickler.reducer_override(plain) is not NotImplemented
    assert pickler.reducer_override(binary) is NotImplemented


@pytest.mark.django_db
def test_creation_notes_name_each_link_field_and_its_targets(ex):
    service = ex.service
    notes = changes.creation_link_notes([service])
    linked = sorted(p.code for p in service.processes.all())
    assert linked and notes[(type(service), service.pk)] == (
        f"Dibuat dengan tautan — proses bisnis: {', '.join(linked)}")


def test_the_value_list_fields_clean_checks_are_every_kinds_value_list_keys():
    """``clean()`` checks the value-list fields found once per kind (``_value_list_fields``): the same fields, in the
    same order, as the scan of the concrete fields it replaces, for every kind."""
    from sia.architecture.models.base import ValueListItem, _value_list_fields

    found = 0
    for model in domain_models():
        expected = [f for f in model._meta.concrete_fields if f.many_to_one and f.related_model is ValueListItem]
        assert list(_value_list_fields(model)) == expected, model
        found += len(expected)
    assert found >= 5
