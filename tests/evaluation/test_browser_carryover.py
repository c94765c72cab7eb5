"""Carrying evidence over in the browser: on the 2026 Indeks Pemdi assessment's indicator 1, the asesor ticks the
2024 SPBE assessment's Dokumen Arsitektur proposed for it, puts it on an evidence item, carries it, and sees it among
the indicator's evidence, marked "sudah ada" in the panel; no level or value is carried. No console error and no CSP
violation."""

import pytest
from playwright.sync_api import expect

from sia.evaluation.models import Evidence, EvidenceItem, IndicatorScore

from ..browser.conftest import login, new_page  # noqa: F401
from ..browser.watch import violations, watched
from .test_carryover_views import pemdi_2026, spbe_2024  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_asesor_carries_the_2024_architecture_document_over(world, spbe_2024, pemdi_2026, new_page):  # noqa: F811
    _source, evidence = spbe_2024
    document = evidence[11]
    item = EvidenceItem.objects.filter(indicator__framework=pemdi_2026.framework, indicator__number=1).order_by(
        "level", "number").first()
    page = new_page()
    seen = watched(page)
    login(page, world.users["assessor"].username)
    page.goto(f"/evaluasi/penilaian/{pemdi_2026.pk}/indikator/1/")
    panel = page.get_by_test_id("carryover-panel")
    expect(panel).to_contain_text("Bukti dari penilaian Indeks SPBE 2024")
    panel.locator(f"#carry-evidence-{document.pk}").check()
    panel.locator(f"select[name='item-{document.pk}']").select_option(item.code)
    panel.get_by_role("button", name="Bawa bukti terpilih").click()
    expect(page.locator(".flash").first).to_contain_text("Dibawa dari penilaian 2024")
    expect(page.get_by_test_id(f"carry-{document.pk}")).to_contain_text("sudah ada")
    carried = Evidence.objects.get(assessment=pemdi_2026)
    assert carried.item == item and carried.blob_id == document.blob_id  # the same stored file, on the item
    assert not IndicatorScore.objects.filter(assessment=pemdi_2026).exists()  # never a level or a value
    assert seen == [] and violations(page) == []
