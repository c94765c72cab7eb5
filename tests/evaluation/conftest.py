import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sia.evaluation import services
from sia.evaluation.demo import LEVELS_2024
from sia.evaluation.framework_loader import load_framework_file
from sia.evaluation.frameworks import DATA_DIR, install_default_frameworks
from sia.evaluation.models import Assessment, AssessmentTeamMember
from sia.evaluation.pdf import minimal_pdf
from tests.browser.conftest import browser, new_page, page  # noqa: F401
from tests.held import held

FRAMEWORK_FILE = DATA_DIR / "permenpanrb-59-2020.yaml"
DEMO_LEVELS = dict(zip(range(1, 48), LEVELS_2024))  # Σ(level × weight) = 249.00: index 2.49


@pytest.fixture(scope="session")
def spec():
    """The instrument as read from its file (no database)."""
    return load_framework_file(FRAMEWORK_FILE, code="permenpanrb-59-2020", name="PermenPANRB 59/2020")


@pytest.fixture(autouse=True)
def evidence_media(settings, tmp_path):
    """Evidence files of a test land in its own temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def framework(db):
    """The stored PermenPANRB 59/2020 version (installed by post_migrate; idempotent here)."""
    return install_default_frameworks()[0]


def client_for(user) -> Client:
    """A test client signed in as ``user``."""
    client = Client()
    client.force_login(user)
    return client


def text_of(response) -> str:
    """The page's HTML with every run of white space one space."""
    return re.sub(r"\s+", " ", response.content.decode())


def pdf_upload(name="dokumen.pdf", text="Dokumen uji"):
    return SimpleUploadedFile(name, minimal_pdf([text]), content_type="application/pdf")


def make_assessment(world, framework, *, levels=None, year=2024, team=(("assessor", "asesor"),), **kw):
    """An assessment of the world's instansi with the given self-assessment levels set by the assessor."""
    assessment = Assessment.objects.create(institution=world.inst, year=year, framework=framework, **kw)
    for role_key, team_role in team:
        AssessmentTeamMember.objects.create(assessment=assessment, user=world.users[role_key], role=team_role)
    if levels:
        indicators = {i.number: i for i in framework.indicators.all()}
        for number, level in levels.items():
            services.set_level(assessment, indicators[number], level, user=world.users["assessor"])
    return assessment


@pytest.fixture
@held(after="world")
def assessment(world):
    """The 2024 self-assessment of the world's instansi at 2.49 (Cukup), open: of the stored PermenPANRB 59/2020
    version (the ``framework``). Held for a module's tests (tests/held.py): its 47 levels are set once per run of
    consecutive tests that ask for it, not once per test; each test starts from its rows and gets a copy."""
    return make_assessment(world, install_default_frameworks()[0], levels=DEMO_LEVELS)
