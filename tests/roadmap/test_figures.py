from decimal import Decimal

from sia.roadmap import figures
from sia.roadmap.choices import Area


def test_budget_per_year_and_area_sums_the_pagu_of_planned_kegiatan(roadmap, world):
    budget = figures.budget_by_year_and_area(world.inst)
    assert sorted(budget) == [2025, 2026]
    assert budget[2025][Area.APPLICATIONS] == Decimal("100")  # the cancelled 1000 is not counted
    assert budget[2025][Area.SECURITY] == Decimal("50")
    assert budget[2026][Area.APPLICATIONS] == Decimal("230")
    assert budget[2026][Area.SECURITY] == Decimal("50")
    assert budget[2026][Area.GOVERNANCE] == Decimal("0")
    assert figures.budget_by_year_and_area(world.other) == {}


def test_alignment_counts_each_rka_up_to_its_pagu(roadmap, world):
    alignment = figures.alignment_by_year(world.inst)
    # 2025: pagu 100 + 50; RKA 120 + 20; aligned min(120, 100) + min(20, 50) = 120 of 150
    assert alignment[2025] == {"budget": Decimal("150"), "rka": Decimal("140"), "aligned": Decimal("120"),
                               "share": Decimal("0.8000")}
    # 2026: pagu 200 + 50 + 30; RKA none + 50 + 10; aligned 0 + 50 + 10 = 60 of 280
    assert alignment[2026]["aligned"] == Decimal("60")
    assert alignment[2026]["rka"] == Decimal("60")
    assert alignment[2026]["share"] == Decimal("0.2143")


def test_alignment_share_is_none_without_pagu(roadmap, world):
    from sia.roadmap.models import ActivityYear

    ActivityYear.objects.filter(activity__institution=world.inst).update(budget=0)
    assert figures.alignment_by_year(world.inst)[2025]["share"] is None


def test_progress_counts_planned_and_done_years(roadmap, world):
    assert figures.progress_by_year(world.inst) == {2025: {"planned": 2, "done": 1}, 2026: {"planned": 3, "done": 1}}


def test_warnings_name_unclosed_gaps_and_kegiatan_without_gap(roadmap, world):
    unlinked = figures.unlinked_gaps(world.inst)
    assert roadmap.upgrade in unlinked
    assert roadmap.new_app not in unlinked and roadmap.retiring not in unlinked  # closed
    assert roadmap.old_app not in unlinked  # as-is, not retiring: no gap
    assert roadmap.far_app not in unlinked  # another instansi
    assert [a.code for a in figures.activities_without_gap(world.inst)] == ["KG-D"]  # KG-X is cancelled


def test_unclosed_gaps_follow_what_the_reader_sees(roadmap, world):
    # The upgrade is a draft of DINKES: the DISKOMINFO operator does not see it, the koordinator does.
    assert roadmap.upgrade not in figures.unlinked_gaps(world.inst, world.users["operator"])
    assert roadmap.upgrade in figures.unlinked_gaps(world.inst, world.users["admin"])


def test_figures_take_a_constant_number_of_queries(roadmap, world, count_queries):
    from .conftest import make_activity, make_year

    before, _ = count_queries(lambda: figures.summary(world.inst))
    for n in range(5):
        activity = make_activity(roadmap.apps, world.dinkes, f"KG-N{n}", start=2027, end=2028)
        make_year(activity, 2027, 10 + n)
        make_year(activity, 2028, 10 + n)
    after, _ = count_queries(lambda: figures.summary(world.inst))
    assert after == before
