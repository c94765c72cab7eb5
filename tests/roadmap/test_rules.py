"""Bad input to the roadmap: a message naming the field, and nothing written."""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from sia.roadmap.models import Activity, ActivityGap, ActivityYear, StrategicTarget

from .conftest import make_activity


def refused(obj, field, fragment):
    model = type(obj)
    before = model.objects.count()
    with pytest.raises(ValidationError) as error:
        obj.full_clean()
    messages = error.value.message_dict
    assert field in messages, messages
    assert fragment in " ".join(messages[field]), messages[field]
    assert model.objects.count() == before


def test_a_period_spans_five_years(world):
    refused(StrategicTarget(institution=world.inst, period="2025-2027", code="SS-9", name="x"), "period", "lima tahun")
    refused(StrategicTarget(institution=world.inst, period="2025", code="SS-9", name="x"), "period", "TTTT-TTTT")


def test_a_kegiatan_year_outside_the_period_is_refused(roadmap, world):
    activity = Activity(program=roadmap.apps, department=world.kominfo, name="Di luar", start_year=2024, end_year=2026)
    refused(activity, "start_year", "di luar periode 2025-2029")
    activity.start_year, activity.end_year = 2025, 2030
    refused(activity, "end_year", "di luar periode 2025-2029")


def test_a_kegiatan_ends_no_earlier_than_it_starts(roadmap, world):
    activity = Activity(program=roadmap.apps, department=world.kominfo, name="Mundur", start_year=2027, end_year=2026)
    refused(activity, "end_year", "tidak boleh sebelum tahun mulai")


def test_the_opd_in_charge_is_of_the_program_instansi(roadmap, world):
    activity = Activity(program=roadmap.apps, department=world.far, name="Lintas", start_year=2025, end_year=2025)
    refused(activity, "department", "instansi lain")


def test_units_of_another_instansi_are_refused(roadmap):
    from sia.roadmap.rules import unit_problems

    problems = unit_problems(roadmap.a, [roadmap.far_unit])
    assert "Bidang Kota" in problems["units"] and "instansi lain" in problems["units"]


def test_a_code_is_made_when_blank(roadmap, world):
    first = make_activity(roadmap.apps, world.kominfo, "")
    second = make_activity(roadmap.apps, world.kominfo, "")
    assert (first.code, second.code) == ("KG-DISKOMINFO-001", "KG-DISKOMINFO-002")
    assert first.institution == world.inst


def test_codes_are_unique_in_the_instansi(roadmap, world):
    refused(Activity(program=roadmap.apps, department=world.dinkes, code="kg-a", name="Kembar", start_year=2025,
                     end_year=2025), "code", "sudah dipakai")


@pytest.mark.parametrize("field,label", [("budget", "Pagu"), ("rka", "RKA"), ("realisation", "Realisasi")])
def test_negative_money_is_refused(roadmap, field, label):
    row = ActivityYear(activity=roadmap.a, year=2027, budget=Decimal("10"))
    setattr(row, field, Decimal("-1"))
    refused(row, field, f"{label} tidak boleh negatif")


def test_a_year_row_outside_the_kegiatan_years_is_refused(roadmap):
    refused(ActivityYear(activity=roadmap.a, year=2028, budget=Decimal("10")), "year", "di luar tahun pelaksanaan")


def test_a_year_is_recorded_once(roadmap):
    refused(ActivityYear(activity=roadmap.a, year=2025, budget=Decimal("10")), "year", "sudah ada")


def _link(activity, obj):
    return ActivityGap(activity=activity, content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)


def test_a_gap_of_another_instansi_is_refused(roadmap):
    refused(_link(roadmap.a, roadmap.far_app), "object_id", "instansi lain")


def test_an_object_that_is_no_gap_is_refused(roadmap):
    refused(_link(roadmap.a, roadmap.old_app), "object_id", "bukan gap")


def test_upgrades_and_retiring_objects_are_gaps(roadmap):
    _link(roadmap.d, roadmap.upgrade).full_clean()
    _link(roadmap.d, roadmap.retiring).full_clean()


def test_a_gap_is_linked_once(roadmap):
    refused(_link(roadmap.a, roadmap.new_app), "object_id", "sudah ditautkan")


def test_a_link_to_an_object_that_does_not_exist_is_refused(roadmap):
    link = _link(roadmap.a, roadmap.new_app)
    link.object_id = 987654321
    refused(link, "object_id", "tidak ditemukan")


def test_every_change_is_in_the_history(roadmap):
    roadmap.a.name = "Nama baru"
    roadmap.a.save()
    assert roadmap.a.history.count() == 2
    assert roadmap.a.years.first().history.exists()


def test_years_of_a_kegiatan_cannot_leave_its_budget_rows_out(roadmap):
    roadmap.a.end_year = 2025  # KG-A has a 2026 row
    refused(roadmap.a, "end_year", "2026 di luar tahun pelaksanaan")
    roadmap.a.refresh_from_db()
    roadmap.a.start_year = 2026  # and a 2025 row
    refused(roadmap.a, "start_year", "2025 di luar tahun pelaksanaan")


def test_a_period_cannot_move_away_from_its_kegiatan(roadmap):
    roadmap.target.period = "2026-2030"
    refused(roadmap.target, "period", "KG-A")


def test_a_deleted_gap_object_leaves_no_link(roadmap):
    link = roadmap.a.gaps.get()
    roadmap.new_app.delete()
    assert not ActivityGap.objects.filter(pk=link.pk).exists()
    assert ActivityGap.history.filter(id=link.pk, history_type="-").exists()
    assert roadmap.s.gaps.count() == 1
