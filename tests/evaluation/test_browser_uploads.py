"""Evidence uploads in the browser (issue 10): a file over the limit is refused before anything is
sent; the answer of an upload shows where the user is looking."""

import pytest
from playwright.sync_api import expect

from sia.evaluation.pdf import minimal_pdf

from ..browser.conftest import login
from .test_browser import province_at_249

pytestmark = pytest.mark.django_db(transaction=True)


def test_too_large_evidence_is_refused_in_the_browser_and_a_good_one_is_confirmed_in_view(new_page, settings, tmp_path):
    assessment = province_at_249()
    page = new_page()
    page.set_viewport_size({"width": 1280, "height": 720})
    login(page, "asesor")
    page.goto(f"/evaluasi/penilaian/{assessment.pk}/indikator/11/")
    form = page.locator("#evidence-form")
    file_input = form.locator("input[name=file]")
    expect(file_input).to_have_attribute("data-max-bytes", str(settings.SIA_EVIDENCE_MAX_BYTES))

    sent = []
    page.on("request", lambda request: sent.append(request.url))
    large = tmp_path / "laporan-besar.pdf"
    with large.open("wb") as out:
        out.write(b"%PDF-1.4\n")
        out.truncate(21 * 1024 * 1024)
    file_input.set_input_files(large, timeout=60000)  # a path: the browser reads it, nothing is sent
    problem = form.locator("[data-file-problem]")
    expect(problem).to_be_visible()
    expect(problem).to_contain_text("terlalu besar (21.0 MB)")
    expect(problem).to_contain_text("20.0 MB")
    assert file_input.evaluate("input => input.files.length") == 0  # the refused file cannot be sent
    assert sent == []

    file_input.set_input_files(files=[{"name": "program.exe", "mimeType": "application/octet-stream", "buffer": b"MZ"}])
    expect(problem).to_contain_text("program.exe")
    assert sent == []

    form.locator("input[name=title]").fill("Dokumen Arsitektur SPBE 2024")
    file_input.set_input_files(files=[{
        "name": "arsitektur-spbe.pdf", "mimeType": "application/pdf", "buffer": minimal_pdf(["Arsitektur SPBE 2024"]),
    }])
    expect(problem).to_be_hidden()
    form.get_by_role("button", name="Lampirkan").click()
    answer = page.locator("[data-focus-answer]")
    expect(answer).to_contain_text("Indikator11a-Dokumen_Arsitektur_SPBE_2024.pdf")
    expect(answer).to_contain_text("dilampirkan")
    expect(answer).to_be_in_viewport()
    expect(answer).to_be_focused()
    expect(page.locator(".flash.success")).to_have_count(1)
