"""``/api/governance/``: the contract of both endpoints, a document created with its file (multipart), refused
files and rules with the message on their field and nothing written, downloads as the document is read."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sia.evaluation.models import EvidenceFile
from sia.governance.choices import DocumentStatus, DocumentType, TeamRole
from sia.governance.models import PolicyDocument, TeamMember
from tests.api_contract import ApiContract

from .conftest import PEMDI, SPBE, make_document, pdf_upload

pytestmark = pytest.mark.django_db
BASE = "/api/governance/"


class TestPolicyDocumentApi(ApiContract):
    url, model = f"{BASE}policy-documents/", PolicyDocument
    read_only = ("leader", "verifier", "assessor", "operator")  # the operator reads it: it is in force
    create_denied = ("leader", "operator", "assessor", "other_admin")

    def make_object(self, w):
        return make_document(w.inst, number="100/KPTS/142/2025")

    def create_data(self, w):
        return {"institution": w.inst.pk, "type": "sop", "number": "SOP/7/2026", "date": "2026-01-05",
                "title": "SOP pengelolaan nama domain"}

    def update_data(self, w):
        return {"title": "SOP pengelolaan nama domain dan subdomain"}


class TestTeamMemberApi(ApiContract):
    url, model = f"{BASE}team-members/", TeamMember
    read_only = ("leader", "verifier", "assessor", "operator")
    create_denied = ("leader", "operator", "other_admin")

    def decree(self, w):
        return PolicyDocument.objects.filter(institution=w.inst, number="100/KPTS/142/2025").first() or \
            make_document(w.inst, number="100/KPTS/142/2025")

    def make_object(self, w):
        return TeamMember.objects.create(document=self.decree(w), name="Fadli Djailolo", position="Kepala Dinas",
                                         role=TeamRole.SECRETARY, order=2)

    def create_data(self, w):
        return {"document": self.decree(w).pk, "name": "Rahmawati Kasuba", "nip": "198405172009022003",
                "position": "Kepala Bidang Aplikasi Informatika", "role": "anggota", "order": 3}

    def update_data(self, w):
        return {"position": "Kepala Bidang Persandian"}


def post(client, **fields):
    body = {"institution": "82", "type": DocumentType.COORDINATION_TEAM, "number": "100/KPTS/9/2026",
            "date": "2026-02-02", "title": "Pembentukan Tim Koordinasi SPBE", "status": DocumentStatus.IN_FORCE,
            **fields}
    return client.post(f"{BASE}policy-documents/", {k: v for k, v in body.items() if v is not None},
                       format="multipart")


def test_a_decree_with_its_file_and_default_indicators(world, frameworks, api):
    client = api(world.users["admin"])
    response = post(client, file=pdf_upload("SK Tim Koordinasi", "sk-tim-koordinasi.pdf"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["in_force"] and body["mime"] == "application/pdf" and body["original_name"] == "sk-tim-koordinasi.pdf"
    document = PolicyDocument.objects.get(pk=body["id"])
    assert sorted(document.indicators.filter(framework__code=SPBE).values_list("number", flat=True)) == [10, 19]
    assert len(body["indicators"]) == 4
    download = api(world.users["operator"]).get(body["download_url"])
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert api(world.users["other_admin"]).get(body["download_url"]).status_code == 404
    # indicators chosen by ID replace the defaults
    pemdi_4 = frameworks[PEMDI].indicators.get(number=4)
    response = client.patch(f"{BASE}policy-documents/{document.pk}/", {"indicators": [pemdi_4.pk]}, format="json")
    assert response.status_code == 200, response.content
    assert list(document.indicators.values_list("pk", flat=True)) == [pemdi_4.pk]


@pytest.mark.parametrize("fields, where, words", [
    ({"file": lambda: SimpleUploadedFile("sk.pdf", b"MZ\x90\x00program")}, "file", "program"),
    ({"file": lambda: SimpleUploadedFile("sk.pdf", b"bukan pdf")}, "file", ""),
    ({"file": None}, "status", "perlu berkasnya"),
    ({"valid_from": "2026-03-01", "valid_until": "2026-02-01"}, "valid_until", "tidak boleh sebelum"),
    ({"status": DocumentStatus.REPLACED}, "replaced_by", "dokumen penggantinya"),
])
def test_bad_input_names_its_field_and_writes_nothing(world, frameworks, api, fields, where, words):
    fields = {k: (v() if callable(v) else v) for k, v in fields.items()}
    fields.setdefault("file", pdf_upload())
    response = post(api(world.users["admin"]), **fields)
    assert response.status_code == 400, response.content
    assert words in " ".join(response.json()[where])
    assert not PolicyDocument.objects.exists() and not EvidenceFile.objects.exists()


def test_replaced_by_another_instansi_or_itself_is_refused(world, frameworks, api):
    own = make_document(world.inst, number="1/2021")
    elsewhere = make_document(world.other, number="2/2025")
    client = api(world.users["admin"])
    response = client.patch(f"{BASE}policy-documents/{own.pk}/",
                            {"status": "diganti", "replaced_by": elsewhere.pk}, format="json")
    assert response.status_code == 400  # another instansi's document: not one the koordinator sees
    response = client.patch(f"{BASE}policy-documents/{own.pk}/", {"status": "diganti", "replaced_by": own.pk},
                            format="json")
    assert response.status_code == 400 and "dirinya sendiri" in response.json()["replaced_by"][0]
    superuser = api(world.users["superuser"])  # sees both instansi: the rule, not the scope, refuses
    response = superuser.patch(f"{BASE}policy-documents/{own.pk}/", {"status": "diganti", "replaced_by": elsewhere.pk},
                               format="json")
    assert response.status_code == 400 and "instansi lain" in response.json()["replaced_by"][0]
    own.refresh_from_db()
    assert own.status == DocumentStatus.IN_FORCE and own.replaced_by is None


def test_the_operator_lists_documents_in_force_only(world, frameworks, api):
    make_document(world.inst, number="1/2025")
    make_document(world.inst, number="2/2025", status=DocumentStatus.DRAFT, upload=False)
    make_document(world.inst, number="3/2025", valid_until=datetime.date(2025, 12, 31), valid_from=datetime.date(2025, 1, 1))
    numbers = [row["number"] for row in api(world.users["operator"]).get(f"{BASE}policy-documents/").json()["results"]]
    assert numbers == ["1/2025"]
    numbers = {row["number"] for row in api(world.users["assessor"]).get(f"{BASE}policy-documents/").json()["results"]}
    assert numbers == {"1/2025", "2/2025", "3/2025"}
    response = api(world.users["assessor"]).get(f"{BASE}policy-documents/?in_force=false")
    assert {row["number"] for row in response.json()["results"]} == {"2/2025", "3/2025"}


def test_members_only_on_team_decrees(world, frameworks, api):
    sop = make_document(world.inst, type=DocumentType.SOP, number="SOP-1")
    response = api(world.users["admin"]).post(f"{BASE}team-members/", {
        "document": sop.pk, "name": "Fadli", "position": "Kepala Dinas", "role": "ketua"}, format="json")
    assert response.status_code == 400 and "tidak membentuk tim" in response.json()["document"][0]
    assert not TeamMember.objects.exists()
