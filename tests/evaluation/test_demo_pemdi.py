"""``sia demo``'s 2026 Indeks Pemdi part: values, external indicators, evidence items with reviews, carried-over
2024 evidence and a saved planner preset that reaches 2.50."""

from decimal import Decimal

from sia.core.roles import Role
from sia.evaluation import carryover, services
from sia.evaluation.demo_pemdi import INDEX_2026, ITEM_FILES, PLANNER_TARGET, load_pemdi
from sia.evaluation.frameworks import spec_for
from sia.evaluation.models import Assessment, Evidence, EvidenceItemReview, ItemStatus
from sia.evaluation.planner import plan_for
from sia.evaluation.planner_page import saved_preset
from sia.evaluation.uploads import attach_file

from .. import factories as f
from .conftest import make_assessment, pdf_upload
from .pemdi_fixtures import pemdi_framework


def _spbe_2024(world, framework):
    """A 2024 SPBE self-assessment with one file on the first SPBE indicator mapped to Pemdi 1, 13 and 16."""
    assessment = make_assessment(world, framework, levels={n: 2 for n in range(1, 48)})
    mapping = carryover.load_mapping()
    indicators = {i.number: i for i in framework.indicators.all()}
    for target in (1, 13, 16):
        source = mapping.sources_of(target)[0].source
        attach_file(assessment, indicators[source], pdf_upload(f"spbe-{source}.pdf", f"SPBE {source}"),
                    user=world.users["assessor"], title=f"Bukti SPBE {source} 2024")
    return assessment


def test_demo_pemdi(world, framework):
    for username, role in (("koordinator", Role.ADMIN), ("asesor", Role.ASSESSOR)):
        f.member(world.inst, role, username=username)
    spbe = _spbe_2024(world, framework)
    summary = load_pemdi()
    pemdi = Assessment.objects.get(institution=world.inst, year=2026)
    assert pemdi.framework == pemdi_framework()
    assert pemdi.team.filter(user__username="asesor").exists()
    result = services.current_summary(pemdi).result
    assert result.complete and result.index == INDEX_2026 and result.predicate == "Cukup"
    assert "2026 Indeks Pemdi 2.24 Cukup" in summary or "2026 Indeks Pemdi 2,24 Cukup" in summary
    scores = {s.indicator.number: s for s in pemdi.scores.select_related("indicator")}
    fractional = [n for n, s in scores.items() if s.value != s.value.to_integral_value()]
    assert len(fractional) >= 10
    assert (scores[5].source_value, scores[5].source_year, scores[5].value) == (Decimal("68.75"), 2025, Decimal("3.75"))
    assert scores[18].source_missing and scores[18].value == Decimal("1.00")
    assert scores[6].source_value == Decimal("3.20") and scores[6].value == Decimal("2.40")

    on_items = Evidence.objects.filter(assessment=pemdi, item__isnull=False)
    assert {e.item.code for e in on_items} >= {code for code, *_r in ITEM_FILES}
    reviews = {r.item.code: r for r in EvidenceItemReview.objects.filter(assessment=pemdi).select_related("item")}
    assert sum(r.status == ItemStatus.ACCEPTED for r in reviews.values()) == 4
    assert reviews["I13-L2-02"].status == ItemStatus.REVISE and "Renja" in reviews["I13-L2-02"].note

    carried = Evidence.objects.filter(assessment=pemdi, blob__in=Evidence.objects.filter(assessment=spbe).values("blob"))
    assert sorted(e.indicator.number for e in carried) == [1, 13, 16]
    assert all(e.item is not None for e in carried)

    # The saved preset, as the planner page reads it, reaches 2.50 (+ its margin) with one-level steps.
    spec = spec_for(pemdi.framework)
    preset, problem = saved_preset(pemdi, [i.number for i in spec.indicators])
    assert not problem and preset.block_external and preset.margin == Decimal("0.05")
    values = services.stage_levels(pemdi, pemdi.current_stage)
    plan = plan_for(values, spec, PLANNER_TARGET, preset=preset)
    assert plan.reachable and plan.steps and plan.final_index >= Decimal("2.55")
    assert not {s.indicator for s in plan.steps} & {5, 6, 7, 18}

    assert load_pemdi() and Assessment.objects.filter(institution=world.inst, year=2026).count() == 1  # idempotent


def test_assessments_and_the_footer_name_their_instrument(world, framework, client):
    spbe = make_assessment(world, framework)
    pemdi = make_assessment(world, pemdi_framework(), year=2026)
    assert str(spbe) == "Penilaian Indeks SPBE 2024 — Pemerintah Provinsi Contoh"
    assert str(pemdi) == "Penilaian Indeks Pemdi 2026 — Pemerintah Provinsi Contoh"
    client.force_login(world.users["assessor"])
    html = client.get(pemdi.get_absolute_url()).content.decode()
    assert "Penilaian Indeks Pemdi 2026 — Pemerintah Provinsi Contoh" in html
    assert "Indeks SPBE (PermenPANRB 59/2020) dan Indeks Pemdi (PermenPANRB 8/2026)" in html
