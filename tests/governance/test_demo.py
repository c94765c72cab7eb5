"""The demo register of the demo province: the Pergub on SPBE governance, the SK of the Tim Koordinasi SPBE (and the
2021 one it replaced) and the SK of the Tim Asesor Internal 2026 with their members and PDF files, deterministic;
the 2026 Indeks Pemdi Berita Acara lists the assessor team and the coordination team, indicator 4 offers the coordination team's SK."""

import io

import docx
import pytest
from django.test import Client

from sia.core.demo import loaders
from sia.evaluation import exports
from sia.evaluation.models import Assessment
from sia.governance.choices import DocumentStatus, DocumentType
from sia.governance.demo import load_governance
from sia.governance.models import PolicyDocument, TeamMember

pytestmark = pytest.mark.django_db


def run_demo():
    wanted = {"Organisasi", "Evaluasi Pemdi 2026"}
    for _order, label, load in loaders():
        if label in wanted:
            load()
    return load_governance()


def test_the_demo_register(evidence_media):
    assert run_demo() == "4 dokumen kebijakan, 17 anggota tim"
    documents = {d.number: d for d in PolicyDocument.objects.select_related("blob")}
    pergub = documents["12 Tahun 2023"]
    assert pergub.type == DocumentType.REGULATION and pergub.is_in_force() and pergub.blob.mime == "application/pdf"
    assert pergub.indicators.filter(framework__code="permenpanrb-59-2020").count() == 10
    old = documents["188.44/KPTS/MU/97/2021"]
    assert old.status == DocumentStatus.REPLACED and old.replaced_by == documents["100.3.3.1/KPTS/MU/142/2025"]
    assert TeamMember.objects.filter(document=documents["100.3.3.1/KPTS/MU/318/2026"]).count() == 6
    assert all(len(m.nip) == 18 for m in TeamMember.objects.all())
    assert run_demo().endswith("sudah ada")

    assessment = Assessment.objects.get(institution__code="82", year=2026)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(exports.berita_acara_docx(assessment))).paragraphs)
    assert "sesuai Keputusan Nomor 100.3.3.1/KPTS/MU/318/2026" in text
    # and, under it, the coordination team of the SK in force (not the 2021 one it replaced)
    assert "Mengetahui, Tim Koordinasi Pemerintah Digital Pemerintah Provinsi Maluku Utara (data contoh) sesuai " \
           "Keputusan Nomor 100.3.3.1/KPTS/MU/142/2025" in text
    assert "188.44/KPTS/MU/97/2021" not in text


def test_the_demo_files_are_deterministic(evidence_media):
    run_demo()
    first = {d.number: d.blob.sha256 for d in PolicyDocument.objects.select_related("blob")}
    PolicyDocument.objects.update(replaced_by=None)
    TeamMember.objects.all().delete()
    for document in PolicyDocument.objects.all():
        document.delete()
    load_governance()
    assert {d.number: d.blob.sha256 for d in PolicyDocument.objects.select_related("blob")} == first


def test_the_koordinator_of_the_demo_sees_the_register(evidence_media):
    run_demo()
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username="koordinator"))
    html = client.get("/tata-kelola/dokumen/").content.decode()
    assert "Penyelenggaraan Sistem Pemerintahan Berbasis Elektronik" in html and "188.44/KPTS/MU/97/2021" in html
