"""The koordinator registers the SK of the Tim Koordinasi SPBE with its PDF and members; the asesor finds it offered
on indicator 4 of the 2026 Indeks Pemdi self-assessment and attaches it in one click (on the fast and on the slow
island link), without a console error or a CSP violation."""

import pytest
from playwright.sync_api import expect

from sia.evaluation.models import Evidence, FrameworkVersion
from sia.evaluation.pdf import minimal_pdf
from sia.governance.models import PolicyDocument

from ..browser.conftest import browser, login, new_page, page  # noqa: F401
from ..browser.watch import FAST_LINK, throttle, violations, watched
from .conftest import PEMDI, make_assessment

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("slow", [False, True], ids=["fast", "slow-link"])
def test_koordinator_registers_an_sk_and_the_asesor_attaches_it(world, frameworks, new_page, slow):
    assessment = make_assessment(world, FrameworkVersion.objects.get(code=PEMDI), year=2026)
    page = new_page()
    seen = watched(page)
    login(page, "koord")
    cdp = throttle(page) if slow else None
    page.goto("/tata-kelola/dokumen/tambah/")
    page.get_by_label("Jenis", exact=True).select_option(label="Keputusan Kepala Daerah: Tim Koordinasi")
    page.get_by_label("Nomor", exact=True).fill("100.3.3.1/KPTS/MU/142/2026")
    page.get_by_label("Tanggal ditetapkan").fill("2026-02-10")
    page.get_by_label("Judul", exact=True).fill("Pembentukan Tim Koordinasi SPBE Provinsi")
    page.get_by_label("Berlaku mulai").fill("2026-02-10")
    page.get_by_label("Status", exact=True).select_option(label="Berlaku")
    page.get_by_label("Berkas dokumen").set_input_files({
        "name": "sk-tim-koordinasi-2026.pdf", "mimeType": "application/pdf",
        "buffer": minimal_pdf(["KEPUTUSAN GUBERNUR", "TIM KOORDINASI SPBE"])})
    for row, (name, position, role) in enumerate([
            ("Dr. Muhammad Nasir Taher", "Sekretaris Daerah", "Ketua"),
            ("Fadli Djailolo, S.Kom., M.T.", "Kepala Diskominfosan", "Sekretaris")]):
        page.locator(f"[name='members-{row}-name']").fill(name)
        page.locator(f"[name='members-{row}-position']").fill(position)
        page.locator(f"[name='members-{row}-role']").select_option(label=role)
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_test_id("team-members")).to_contain_text("Dr. Muhammad Nasir Taher")
    expect(page.get_by_test_id("team-members")).to_contain_text("Kepala Diskominfosan")
    expect(page.get_by_test_id("document-file")).to_have_text("sk-tim-koordinasi-2026.pdf")
    expect(page.get_by_test_id("document-indicators")).to_contain_text("Indeks Pemdi")
    if cdp is not None:
        cdp.send("Network.emulateNetworkConditions", FAST_LINK)
    document = PolicyDocument.objects.get()
    assert document.members.count() == 2 and document.is_in_force()
    assert not violations(page), violations(page)

    asesor = new_page()
    seen += watched(asesor)
    login(asesor, "asesor1")
    asesor.goto(f"/evaluasi/penilaian/{assessment.pk}/indikator/4/")
    panel = asesor.get_by_test_id("index-facts")
    expect(panel.get_by_role("link", name=str(document))).to_be_visible()
    asesor.get_by_role("button", name="Lampirkan dokumen kebijakan yang berlaku hari ini sebagai bukti").click()
    expect(asesor.locator(".flash.answer")).to_contain_text("Dilampirkan sebagai bukti dukung")
    evidence = Evidence.objects.get(assessment=assessment)
    assert evidence.blob_id == document.blob_id and evidence.indicator.number == 4
    expect(asesor.get_by_test_id("evidence-list")).to_contain_text(evidence.file_name)
    assert not violations(asesor), violations(asesor)
    assert not seen, seen
