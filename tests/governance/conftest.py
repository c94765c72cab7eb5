"""Documents of the world's instansi: files as small valid PDFs, the two instruments installed."""

import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sia.evaluation.frameworks import install_default_frameworks
from sia.evaluation.models import Assessment, AssessmentTeamMember, FrameworkVersion
from sia.evaluation.pdf import minimal_pdf
from sia.governance.choices import DocumentStatus, DocumentType
from sia.governance.files import save_document
from sia.governance.models import PolicyDocument, TeamMember

SPBE, PEMDI = "permenpanrb-59-2020", "permenpanrb-8-2026"


@pytest.fixture(autouse=True)
def evidence_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def frameworks(db):
    install_default_frameworks()
    return {f.code: f for f in FrameworkVersion.objects.all()}


def pdf_upload(text="SK", name="sk.pdf"):
    return SimpleUploadedFile(name, minimal_pdf([text], title=text), content_type="application/pdf")


def make_document(institution, *, type=DocumentType.COORDINATION_TEAM, number="100/KPTS/1/2025",
                  status=DocumentStatus.IN_FORCE, upload=True, indicators=None, **fields):
    document = PolicyDocument(institution=institution, type=type, number=number,
                              date=fields.pop("date", datetime.date(2025, 2, 10)),
                              title=fields.pop("title", "Pembentukan Tim Koordinasi SPBE"), status=status, **fields)
    return save_document(document, upload=pdf_upload(f"{type} {number}", f"{number.replace('/', '-')}.pdf")
                         if upload else None, indicators=indicators)


def add_members(document, *rows):
    for order, (name, position, role) in enumerate(rows, start=1):
        member = TeamMember(document=document, name=name, position=position, role=role, order=order)
        member.full_clean()
        member.save()


def make_assessment(world, framework, year=2026):
    assessment = Assessment.objects.create(institution=world.inst, year=year, framework=framework)
    AssessmentTeamMember.objects.create(assessment=assessment, user=world.users["assessor"], role="asesor")
    return assessment
