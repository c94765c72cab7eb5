"""The timeline of a roadmap (``sia.roadmap.timeline``), built without HTTP: rows per area, bars within the
period, late detection, one OPD, the period chooser, and a constant number of queries."""

from datetime import date

from sia.roadmap.choices import ActivityStatus, Area
from sia.roadmap.models import StrategicTarget
from sia.roadmap.timeline import default_period, timeline

from .conftest import make_activity, make_year

IN_2026 = date(2026, 6, 1)


def _rows(tl):
    return {row.activity.code: row for row in tl.rows}


def test_rows_are_grouped_by_the_seven_areas_with_bars_over_their_years(roadmap, world):
    tl = timeline(world.inst, today=IN_2026)
    assert tl.period == "2025-2029" and tl.years == [2025, 2026, 2027, 2028, 2029]
    assert [group.area for group in tl.groups] == [area.value for area in Area]  # all seven, empty ones too
    groups = {group.area: [row.activity.code for row in group.rows] for group in tl.groups}
    assert groups[Area.APPLICATIONS] == ["KG-X", "KG-A", "KG-D"]  # by start, end, code
    assert groups[Area.SECURITY] == ["KG-S"] and groups[Area.GOVERNANCE] == []
    rows = _rows(tl)
    assert (rows["KG-A"].before, rows["KG-A"].span, rows["KG-A"].after) == (0, 3, 2)
    assert (rows["KG-D"].before, rows["KG-D"].span, rows["KG-D"].after) == (1, 1, 3)
    for row in tl.rows:  # every row fills the five columns exactly
        assert row.before + row.span + row.after == 5
    assert rows["KG-X"].css == "rm-bar rm-batal" and rows["KG-A"].years_text == "2025–2027"


def test_late_is_a_past_year_not_done_or_an_end_year_passed(roadmap, world):
    rows = _rows(timeline(world.inst, today=IN_2026))
    assert rows["KG-S"].late  # 2025 not marked done
    assert not rows["KG-A"].late  # 2025 done, 2026 under way
    assert not rows["KG-D"].late  # runs in 2026 only
    assert not rows["KG-X"].late  # cancelled: never late
    assert "rm-late" in rows["KG-S"].css
    rows = _rows(timeline(world.inst, today=date(2027, 1, 2)))
    assert rows["KG-A"].late  # 2026 not done
    assert rows["KG-D"].late  # ended in 2026 and not selesai (its 2026 not done either)
    roadmap.s.progress = ActivityStatus.DONE
    roadmap.s.save()
    assert not _rows(timeline(world.inst, today=date(2027, 1, 2)))["KG-S"].late  # done is never late


def test_an_end_year_passed_is_late_even_with_every_year_done(roadmap, world):
    activity = make_activity(roadmap.security, world.kominfo, "KG-E", start=2025, end=2025)
    make_year(activity, 2025, 10, done=True)
    assert _rows(timeline(world.inst, today=IN_2026))["KG-E"].late  # work done, status never set to selesai
    assert not _rows(timeline(world.inst, today=date(2025, 12, 31)))["KG-E"].late


def test_one_opd_shows_only_the_kegiatan_it_leads(roadmap, world):
    tl = timeline(world.inst, department=world.dinkes, today=IN_2026)
    assert [row.activity.code for row in tl.rows] == ["KG-D"]
    assert len(tl.groups) == 7
    assert [row.activity.code for row in timeline(world.inst, department=world.kominfo.pk, today=IN_2026).rows] == [
        "KG-X", "KG-A", "KG-S"]


def test_another_instansi_has_its_own_timeline(roadmap, world):
    tl = timeline(world.other, today=IN_2026)
    assert tl.period == "2025-2029" and tl.rows == []


def test_the_period_defaults_to_the_one_holding_this_year_and_can_be_chosen(roadmap, world):
    later = StrategicTarget.objects.create(institution=world.inst, period="2030-2034", code="SS-09", name="Lanjutan")
    assert timeline(world.inst, today=IN_2026).periods == ["2025-2029", "2030-2034"]
    assert timeline(world.inst, today=IN_2026).period == "2025-2029"
    assert timeline(world.inst, today=date(2031, 1, 1)).period == "2030-2034"
    chosen = timeline(world.inst, period="2030-2034", today=IN_2026)
    assert chosen.years == list(range(2030, 2035)) and chosen.rows == []
    assert timeline(world.inst, period="1999-2003", today=IN_2026).period == "2025-2029"  # unknown: the default
    assert default_period(["2025-2029", "2030-2034"], 2040) == "2030-2034" and default_period([], 2026) is None
    assert later.pk


def test_an_instansi_without_sasaran_has_an_empty_timeline(world):
    tl = timeline(world.inst, today=IN_2026)
    assert tl.period is None and tl.years == [] and tl.rows == [] and len(tl.groups) == 7


def test_the_timeline_follows_what_the_reader_sees(roadmap, world):
    assert timeline(world.inst, user=world.users["other_admin"], today=IN_2026).rows == []
    assert len(timeline(world.inst, user=world.users["operator_dinkes"], today=IN_2026).rows) == 4


def test_the_timeline_takes_a_constant_number_of_queries(roadmap, world, count_queries):
    before, _ = count_queries(lambda: timeline(world.inst, today=IN_2026).rows)
    for n in range(4):
        activity = make_activity(roadmap.apps, world.dinkes, f"KG-N{n}", start=2026, end=2028)
        make_year(activity, 2026, 5)
    after, tl = count_queries(lambda: timeline(world.inst, today=IN_2026).rows)
    assert after == before <= 2 and len(tl) == 8
