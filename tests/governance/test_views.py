"""The register's pages: list with filters, a decree with its team, the form with the file and the members (bad
input: a clear message, nothing written), the file downloaded as the document is read, the menu, query budgets."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from sia.evaluation.models import EvidenceFile
from sia.governance.choices import DocumentStatus, DocumentType, TeamRole
from sia.governance.models import PolicyDocument, TeamMember

from .conftest import add_members, make_document, pdf_upload

pytestmark = pytest.mark.django_db
LIST = reverse("governance:policydocument_list")
ADD = reverse("governance:policydocument_add")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_data(**fields):
    data = {"institution": "", "type": DocumentType.ASSESSOR_TEAM, "number": "100.3.3.1/KPTS/318/2026",
            "date": "2026-04-06", "title": "Pembentukan Tim Asesor Internal", "valid_from": "2026-04-06",
            "valid_until": "2026-12-31", "status": DocumentStatus.IN_FORCE,
            "members-TOTAL_FORMS": "3", "members-INITIAL_FORMS": "0", "members-MIN_NUM_FORMS": "0",
            "members-MAX_NUM_FORMS": "60",
            "members-0-order": "1", "members-0-name": "Fadli Djailolo, S.Kom., M.T.",
            "members-0-nip": "197810092003121003", "members-0-position": "Kepala Diskominfosan",
            "members-0-role": TeamRole.CHAIR,
            "members-1-order": "2", "members-1-name": "Rahmawati Kasuba", "members-1-nip": "",
            "members-1-position": "Kepala Bidang Aplikasi Informatika", "members-1-role": TeamRole.SECRETARY}
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def test_the_koordinator_registers_a_decree_with_its_file_and_members(world, frameworks):
    client = client_for(world.users["admin"])
    assert client.get(ADD).status_code == 200
    data = form_data(institution=str(world.inst.pk), file=pdf_upload("SK Tim Asesor", "sk-asesor-2026.pdf"))
    response = client.post(ADD, data)
    assert response.status_code == 302, [m for m in __import__("re").findall(r"class=\"error[^>]*>([^<]*)<|<li>([^<]*)</li>", response.content.decode()) if any(m)][-8:]
    document = PolicyDocument.objects.get()
    assert response.url == document.get_absolute_url() and document.original_name == "sk-asesor-2026.pdf"
    assert list(document.members.values_list("name", "role")) == [("Fadli Djailolo, S.Kom., M.T.", "ketua"),
                                                                  ("Rahmawati Kasuba", "sekretaris")]
    html = client.get(document.get_absolute_url()).content.decode()
    assert "Susunan tim" in html and "197810092003121003" in html and "Kepala Bidang Aplikasi Informatika" in html
    download = client.get(reverse("governance:policydocument_file", args=[document.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert "sk-asesor-2026.pdf" in download["Content-Disposition"]


@pytest.mark.parametrize("fields, words", [
    ({"file": SimpleUploadedFile("sk.pdf", b"MZ\x90\x00program")}, "program yang dapat dijalankan"),
    ({"file": SimpleUploadedFile("sk.exe", pdf_upload().read())}, "Ekstensi .exe tidak cocok"),
    ({"valid_until": "2026-01-01"}, "tidak boleh sebelum tanggal berlaku mulai"),
    ({"status": DocumentStatus.REPLACED}, "dokumen penggantinya"),
    ({"type": DocumentType.SOP}, "tidak membentuk tim"),
    ({"members-0-nip": "12345"}, "18 angka"),
])
def test_bad_input_is_refused_with_a_message_and_nothing_written(world, frameworks, fields, words):
    data = form_data(institution=str(world.inst.pk), file=pdf_upload())
    data.update(fields)
    response = client_for(world.users["admin"]).post(ADD, data)
    assert response.status_code == 400
    assert words in response.content.decode()
    assert not PolicyDocument.objects.exists() and not TeamMember.objects.exists()
    assert not EvidenceFile.objects.exists()


def test_the_list_filters_by_type_and_status(world, frameworks):
    make_document(world.inst, number="100/KPTS/142/2025")
    make_document(world.inst, type=DocumentType.REGULATION, number="12 Tahun 2023", title="Penyelenggaraan SPBE")
    make_document(world.inst, type=DocumentType.SOP, number="SOP/DRAF", status=DocumentStatus.DRAFT, upload=False)
    client = client_for(world.users["assessor"])
    html = client.get(LIST + "?type=peraturan").content.decode()
    assert "12 Tahun 2023" in html and "100/KPTS/142/2025" not in html
    html = client.get(LIST + "?status=draf").content.decode()
    assert "SOP/DRAF" in html and "12 Tahun 2023" not in html
    html = client_for(world.users["operator"]).get(LIST).content.decode()  # operators: documents in force
    assert "12 Tahun 2023" in html and "SOP/DRAF" not in html
    assert ADD not in html
    assert ADD in client_for(world.users["admin"]).get(LIST).content.decode()


def test_a_replaced_decree_links_its_replacement(world, frameworks):
    new = make_document(world.inst, number="2/2025")
    old = make_document(world.inst, number="1/2021", status=DocumentStatus.REPLACED, replaced_by=new,
                        valid_until=datetime.date(2025, 2, 9), valid_from=datetime.date(2021, 3, 1))
    html = client_for(world.users["assessor"]).get(old.get_absolute_url()).content.decode()
    assert new.get_absolute_url() in html and "Diganti dengan" in html
    html = client_for(world.users["assessor"]).get(new.get_absolute_url()).content.decode()
    assert "Menggantikan" in html and old.get_absolute_url() in html
    assert "Indeks SPBE 10." in html  # the indicators it evidences


def test_the_file_of_a_draft_is_hidden_from_operators(world, frameworks):
    draft = make_document(world.inst, number="3/2026", status=DocumentStatus.DRAFT)
    url = reverse("governance:policydocument_file", args=[draft.pk])
    assert client_for(world.users["operator"]).get(url).status_code == 404
    assert client_for(world.users["other_admin"]).get(url).status_code == 404
    assert client_for(world.users["leader"]).get(url).status_code == 200


def test_the_menu_offers_the_register(world, frameworks):
    assert LIST in client_for(world.users["operator"]).get("/").content.decode()


def test_pages_keep_their_query_budget(world, frameworks, count_queries, query_budget):
    client = client_for(world.users["admin"])
    first = make_document(world.inst, number="0/2025")
    add_members(first, ("Ketua", "Sekda", TeamRole.CHAIR))
    pages = {"list": lambda: LIST, "detail": lambda: first.get_absolute_url(),
             "edit": lambda: reverse("governance:policydocument_edit", args=[first.pk]),
             "api.policy_documents": lambda: "/api/governance/policy-documents/",
             "api.team_members": lambda: "/api/governance/team-members/"}
    before = {}
    for name, url in pages.items():
        assert client.get(url()).status_code == 200
        before[name], _ = count_queries(lambda: client.get(url()))
    for n in range(1, 4):
        document = make_document(world.inst, number=f"{n}/2025", status=DocumentStatus.REPLACED, replaced_by=first)
        add_members(first, (f"Anggota {n}", "Kepala Dinas", TeamRole.MEMBER))
        add_members(document, (f"Ketua {n}", "Sekda", TeamRole.CHAIR))
    for name, url in pages.items():
        after, response = count_queries(lambda: client.get(url()))
        assert response.status_code == 200
        assert after == before[name] <= query_budget[f"governance.{name}"], (name, before[name], after)
