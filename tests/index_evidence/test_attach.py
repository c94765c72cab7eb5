"""The panel on an indicator's page and the one-click attach of a dated export as its evidence."""

import io

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from sia.evaluation import services
from sia.evaluation.demo import LEVELS_2024
from sia.evaluation.models import AssessmentTeamMember, Evidence, Indicator
from sia.index_evidence.exports import dated_title
from sia.publishing.choices import DocumentStatus
from sia.publishing.models import GeneratedDocument

from .conftest import build_records

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_url(assessment, number):
    return reverse("evaluation:assessment_indicator", args=[assessment.pk, number])


def attach_url(assessment, number, key):
    return reverse("index_evidence:attach", args=[assessment.pk, number, key])


def workbook_text(evidence) -> str:
    with evidence.blob.file.open("rb") as handle:
        workbook = load_workbook(io.BytesIO(handle.read()), read_only=True)
    return " ".join(str(cell) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)
                    for cell in row if cell is not None)


def test_the_page_shows_the_facts_and_the_attach_buttons(world, records, assessment):
    response = client_for(world.users["assessor"]).get(page_url(assessment, 15))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Menurut catatan SIA" in html and "Aplikasi tercatat" in html
    assert 'href="/arsitektur/aplikasi/?institution=82"' in html
    assert f'action="{attach_url(assessment, 15, "aplikasi")}"' in html
    # a reader who may not add evidence sees the facts, not the buttons
    html = client_for(world.users["leader"]).get(page_url(assessment, 15)).content.decode()
    assert "Aplikasi tercatat" in html and attach_url(assessment, 15, "aplikasi") not in html
    # an indicator SIA's records say nothing about has no panel
    html = client_for(world.users["assessor"]).get(page_url(assessment, 1)).content.decode()
    assert 'data-testid="index-facts"' not in html


def test_one_click_attaches_the_application_inventory_dated(world, records, assessment):
    assessor = world.users["assessor"]
    client = client_for(assessor)
    response = client.post(attach_url(assessment, 15, "aplikasi"))
    assert response.status_code == 302 and response["Location"] == page_url(assessment, 15) + "#bukti"
    evidence = Evidence.objects.get(assessment=assessment)
    assert evidence.indicator.number == 15 and evidence.added_by == assessor
    assert evidence.title == dated_title("aplikasi") and str(timezone.localdate().year) in evidence.title
    assert evidence.file_name.startswith("Indikator15a-Inventaris_aplikasi_per_")
    assert evidence.file_name.endswith(".xlsx") and evidence.blob.mime.endswith("spreadsheetml.sheet")
    text = workbook_text(evidence)
    # the asesor reads the whole instansi, but the file goes to the whole team and the Ministry: validated only
    assert "e-Surat" in text and "SIK Dinkes" in text and "Aplikasi Draf Dinkes" not in text
    history = Evidence.history.filter(id=evidence.pk)
    assert history.count() == 1 and history.get().history_user == assessor  # the audit trail, like any evidence
    page = client.get(page_url(assessment, 15)).content.decode()
    assert evidence.file_name in page and "dilampirkan sebagai" in page


def test_the_export_holds_only_validated_objects_whoever_attaches_it(world, records, assessment):
    """An OPD operator on the team reads the evidence the asesor attached: it holds no OPD's draft, in its rows or in
    the links they name; and an operator's own export holds not even their own drafts."""
    operator = world.users["operator"]
    AssessmentTeamMember.objects.create(assessment=assessment, user=operator, role="operator")
    assert client_for(world.users["assessor"]).post(attach_url(assessment, 15, "aplikasi")).status_code == 302
    evidence = Evidence.objects.get(assessment=assessment)
    download = client_for(operator).get(f"/evaluasi/bukti/{evidence.pk}/unduh/")
    assert download.status_code == 200
    text = workbook_text(evidence)
    assert "SIK Dinkes" in text and "e-Surat" in text
    assert "Aplikasi Draf Dinkes" not in text and "Konsep Kominfo" not in text
    Evidence.objects.all().delete()
    assert client_for(operator).post(attach_url(assessment, 15, "aplikasi")).status_code == 302
    text = workbook_text(Evidence.objects.get(assessment=assessment, added_by=operator))
    assert "SIK Dinkes" in text and "Konsep Kominfo" not in text and "Aplikasi Draf Dinkes" not in text


def test_the_roadmap_and_the_architecture_document(world, records, assessment):
    assessor = world.users["assessor"]
    client = client_for(assessor)
    assert client.post(attach_url(assessment, 12, "peta-rencana")).status_code == 302
    roadmap = Evidence.objects.get(assessment=assessment, indicator__number=12)
    assert roadmap.file_name.startswith("Indikator12a-Peta_Rencana_SPBE_per_")
    assert "Peta Rencana" in workbook_text(roadmap)
    # no document written yet: the page says where to write one, and the action says so too
    html = client.get(page_url(assessment, 11)).content.decode()
    assert "belum ada" in html and 'href="/dokumen/"' in html
    assert attach_url(assessment, 11, "dokumen-arsitektur") not in html
    assert client.post(attach_url(assessment, 11, "dokumen-arsitektur")).status_code == 404
    content = io.BytesIO()
    Document().save(content)
    document = GeneratedDocument(institution=world.inst, requested_by=assessor, period="2025-2029",
                                 status=DocumentStatus.DONE, finished_at=timezone.now())
    document.file.save("dokumen.docx", ContentFile(content.getvalue()), save=False)
    document.size = len(content.getvalue())
    document.save()
    html = client.get(page_url(assessment, 11)).content.decode()
    assert attach_url(assessment, 11, "dokumen-arsitektur") in html
    # a later DRAF document (every object with its status) is never the one attached
    GeneratedDocument.objects.create(institution=world.inst, requested_by=assessor, period="2025-2029",
                                     status=DocumentStatus.DONE, finished_at=timezone.now(), content="semua",
                                     file="documents/draf.docx")
    assert client.post(attach_url(assessment, 11, "dokumen-arsitektur")).status_code == 302
    attached = Evidence.objects.get(assessment=assessment, indicator__number=11)
    with attached.blob.file.open("rb") as handle:
        assert handle.read() == content.getvalue()  # the document's own file
    assert attached.file_name.endswith(".docx")


@pytest.mark.parametrize("user_key,status", [
    ("leader", 403), ("admin", 403), ("verifier", 403),  # they read the assessment, they do not add evidence
    ("operator", 404), ("other_admin", 404), ("nobody", 404),  # they do not see it
])
def test_who_may_not_attach(world, records, assessment, user_key, status):
    response = client_for(world.users[user_key]).post(attach_url(assessment, 15, "aplikasi"))
    assert response.status_code == status
    assert not Evidence.objects.exists()


def test_anonymous_goes_to_the_login_page(world, assessment):
    response = Client().post(attach_url(assessment, 15, "aplikasi"))
    assert response.status_code == 302 and "/akun/login/" in response["Location"]


def test_an_export_the_indicator_does_not_offer_is_not_found(world, records, assessment):
    client = client_for(world.users["assessor"])
    assert client.post(attach_url(assessment, 1, "aplikasi")).status_code == 404  # indicator 1 has no facts
    assert client.post(attach_url(assessment, 15, "peta-rencana")).status_code == 404  # not among 15's facts
    assert client.post(attach_url(assessment, 15, "tidak-ada")).status_code == 404
    assert client.get(attach_url(assessment, 15, "aplikasi")).status_code == 405
    assert not Evidence.objects.exists()


def test_a_locked_stage_refuses_with_a_message(world, records, assessment):
    indicators = {i.number: i for i in assessment.framework.indicators.all()}
    for number, level in zip(range(1, 48), LEVELS_2024):
        services.set_level(assessment, indicators[number], level, user=world.users["assessor"])
    services.lock_stage(assessment, user=world.users["admin"])
    client = client_for(world.users["assessor"])
    response = client.post(attach_url(assessment, 15, "aplikasi"), follow=True)
    assert "sudah dikunci" in response.content.decode()
    assert not Evidence.objects.exists()
    html = client.get(page_url(assessment, 15)).content.decode()
    assert "Aplikasi tercatat" in html and attach_url(assessment, 15, "aplikasi") not in html
    assert "ekspor tidak dapat dilampirkan lagi" in html


def _queries(client, url, django_assert_max_num_queries, budget):
    with django_assert_max_num_queries(budget) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("number", [11, 12, 15, 16, 18, 30, 37])
def test_the_page_queries_do_not_grow_with_the_rows(world, assessment, number, django_assert_max_num_queries):
    client = client_for(world.users["assessor"])
    build_records(world)
    Indicator.objects.get(framework=assessment.framework, number=number)
    small = _queries(client, page_url(assessment, number), django_assert_max_num_queries, 200)
    build_records(world, copies=4)
    large = _queries(client, page_url(assessment, number), django_assert_max_num_queries, small)
    assert large == small


def test_an_indeks_pemdi_indicator_page_and_its_attach(world, records, pemdi):
    from .conftest import make_assessment

    assessment = make_assessment(world, pemdi, year=2026)
    client = client_for(world.users["assessor"])
    html = client.get(page_url(assessment, 13)).content.decode()
    assert "Aplikasi tercatat" in html and "Kandidat duplikat aplikasi antar-OPD" in html
    assert client.post(attach_url(assessment, 13, "aplikasi")).status_code == 302
    evidence = Evidence.objects.get(assessment=assessment)
    assert evidence.indicator.number == 13 and evidence.file_name.startswith("Indikator13a-Inventaris_aplikasi")
    html = client.get(page_url(assessment, 1)).content.decode()
    assert "Layanan dengan arsitektur lengkap (proses bisnis dan aplikasi)" in html
    assert attach_url(assessment, 1, "peta-rencana") in html
