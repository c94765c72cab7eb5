"""The shortcuts of the Excel import's hot paths answer as the plain code did: a choice cell read through a map built
once per column, the OPD of a reserved ID found by its abbreviation, the kept plan's instances stored by their
attributes, the labels of the creation notes read as values."""

import pickle
from types import SimpleNamespace

import pytest

from sia.architecture import changes
from sia.architecture.models import BusinessProcess, Service
from sia.exchange import columns as c
from sia.exchange import plan_store
from sia.exchange.cells import CellError, normalize_key
from sia.exchange.kinds.plain import ChoiceColumn
from sia.exchange.lookups import Lookups

pytestmark = pytest.mark.django_db


def first_match(column, value):
    """The loop the choice cell ran per cell before its map."""
    key = normalize_key(value)
    for stored, label in column.field.flatchoices:
        if key in (normalize_key(stored), normalize_key(label)):
            return stored
    raise CellError("")


def test_a_choice_cell_reads_as_the_first_matching_choice():
    checked = 0
    for sheet in c.sheets():
        for column in sheet.columns:
            if type(column) is not ChoiceColumn:
                continue
            for stored, label in column.field.flatchoices:
                for cell in (stored, label, f"  {str(label).upper()} ", str(stored).lower()):
                    assert column.parse(cell, None, None) == first_match(column, cell)
                    checked += 1
            with pytest.raises(CellError):
                column.parse("bukan pilihan apa pun", None, None)
    assert checked > 50


def test_a_reserved_id_belongs_to_the_opd_of_the_longest_abbreviation():
    """``BAPPEDA-LITBANG`` and ``BAPPEDA`` both start ``PB-BAPPEDA-LITBANG-001``: the longer one owns it, as before."""
    departments = [SimpleNamespace(pk=1, abbreviation="Bappeda"), SimpleNamespace(pk=2, abbreviation="BAPPEDA-Litbang"),
                   SimpleNamespace(pk=3, abbreviation="DINKES")]
    lookups = Lookups.__new__(Lookups)
    lookups.department_list = departments
    asked = []
    lookups.may_add = lambda model, department: asked.append(department.pk) or department.pk == 3
    cases = {"PB-BAPPEDA-LITBANG-001": (True, 2), "pb-bappeda-001": (True, 1), "PB-DINKES-9": (False, 3),
             "PB-BAPPEDAX-1": (False, None), "PB-BEBAS": (False, None), "L-BAPPEDA-1": (False, None)}
    for code, (reserved, owner) in cases.items():
        asked.clear()
        assert lookups.reserved(BusinessProcess, code) is reserved, code
        assert asked == ([owner] if owner else []), code


def test_a_kept_instance_comes_back_with_its_values_state_and_cached_relations(ex, world):
    process = BusinessProcess.objects.select_related("department").get(pk=ex.process.pk)
    new = Service(institution_id=world.inst.pk, code="L-BARU", name="Layanan baru", department=process.department)
    body = pickle.dumps([process, new])
    assert b"model_unpickle" in body  # Django's own reduction, without the store's pickler
    stream = plan_store.io.BytesIO()
    plan_store._Pickler(stream, {}).dump([process, new])
    assert b"model_unpickle" not in stream.getvalue()
    old, fresh = pickle.loads(stream.getvalue())
    for original, loaded in ((process, old), (new, fresh)):
        assert type(loaded) is type(original)
        assert {f.attname: getattr(loaded, f.attname) for f in original._meta.concrete_fields} == {
            f.attname: getattr(original, f.attname) for f in original._meta.concrete_fields}
        assert (loaded._state.adding, loaded._state.db) == (original._state.adding, original._state.db)
    assert old.department is fresh.department and old.department.pk == process.department_id  # one copy, no query
    assert fresh._state.adding and not old._state.adding


def test_creation_labels_are_the_ids_or_the_text_of_targets_without_one(ex):
    field = Service._meta.get_field("processes")
    BusinessProcess.objects.filter(pk=ex.dinkes_process.pk).update(code="")
    pks = {ex.process.pk, ex.dinkes_process.pk}
    expected = {o.pk: getattr(o, "code", None) or str(o) for o in BusinessProcess.objects.filter(pk__in=pks)}
    assert changes._labels(field, pks) == expected
    assert expected[ex.process.pk] == ex.process.code and expected[ex.dinkes_process.pk] == str(
        BusinessProcess.objects.get(pk=ex.dinkes_process.pk))


def test_a_text_cell_is_cleaned_as_before():
    from sia.exchange.cells import clean_text

    class Named(str):
        pass

    for text in ("  Dinas\r\nKominfo \u00a0", "a\rb", "\u00a0x\u00a0", "biasa", "", "  "):
        expected = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").strip()
        assert clean_text(text) == expected == clean_text(Named(text))
