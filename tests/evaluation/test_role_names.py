"""Role names follow the instrument where an assessment is in context, and are neutral elsewhere."""

import datetime
import io
import re

import docx
import pytest
from django.test import Client
from django.utils import timezone, translation

from sia.core.roles import Role
from sia.evaluation import exports
from sia.evaluation.choices import TeamRole
from sia.evaluation.models import AssessmentTeamMember
from sia.evaluation.terms import index_in_force, menu_label, role_name, team_role_name

from .conftest import make_assessment
from .pemdi_fixtures import pemdi_assessment

pytestmark = pytest.mark.django_db


def page(user, url) -> str:
    client = Client()
    client.force_login(user)
    return client.get(url).content.decode()


def who(text) -> str:
    """The roles the page's header names for the user (the title of the user menu)."""
    return re.search(r'class="who" title="([^"]*)"', text).group(1)


def test_the_admin_role_label_is_neutral():
    assert Role.ADMIN.label == "Admin instansi (Tim Koordinasi)"
    assert "SPBE" not in " ".join(str(role.label) for role in Role)


def test_roles_take_the_instruments_names(world, framework):
    pemdi = pemdi_assessment(world, filled=False).framework
    assert (role_name(Role.ADMIN, framework), role_name(Role.ADMIN, pemdi)) == ("Koordinator SPBE", "Koordinator Pemdi")
    assert role_name(Role.ASSESSOR, framework) == "Anggota Tim Evaluator"
    assert role_name(Role.ASSESSOR, pemdi) == "Anggota Tim Asesor Internal"
    assert role_name(Role.VERIFIER, pemdi) == "Verifikator"
    assert team_role_name(TeamRole.LEAD, pemdi) == "Penanggung jawab (Koordinator Pemdi)"
    assert team_role_name(TeamRole.ASSESSOR, framework) == "Anggota Tim Evaluator"
    assert team_role_name(TeamRole.DATA_ENTRY, pemdi) == "Operator entri data"
    with translation.override("en"):
        assert role_name(Role.ADMIN, pemdi) == "Digital Government Coordinator"


def test_assessment_pages_name_the_users_role_by_the_instrument(world, framework):
    spbe = make_assessment(world, framework)
    pemdi = pemdi_assessment(world, filled=False)
    admin = world.users["admin"]
    assert who(page(admin, pemdi.get_absolute_url())) == "Koordinator Pemdi"
    assert who(page(admin, f"/evaluasi/penilaian/{pemdi.pk}/indikator/1/")) == "Koordinator Pemdi"
    assert who(page(admin, spbe.get_absolute_url())) == "Koordinator SPBE"
    assert who(page(world.users["assessor"], pemdi.get_absolute_url())) == "Anggota Tim Asesor Internal"
    assert who(page(admin, "/")) == "Admin instansi (Tim Koordinasi)"  # no instrument in context: neutral


def test_the_team_list_form_and_berita_acara_use_the_instruments_names(world):
    pemdi = pemdi_assessment(world, filled=False)  # the assessor is on its team
    AssessmentTeamMember.objects.create(assessment=pemdi, user=world.users["admin"], role=TeamRole.LEAD)
    text = page(world.users["admin"], pemdi.get_absolute_url())
    team = text.split('id="tim"')[1].split("</ul>")[0]
    assert "Penanggung jawab (Koordinator Pemdi)" in team and "Anggota Tim Asesor Internal" in team
    assert "SPBE" not in team
    choices = re.search(r'<select name="role"[^>]*>(.*?)</select>', text, re.S).group(1)
    assert "Penanggung jawab (Koordinator Pemdi)" in choices and "Anggota Tim Asesor Internal" in choices
    document = docx.Document(io.BytesIO(exports.berita_acara_docx(pemdi, day=datetime.date(2026, 9, 1))))
    roles = [row.cells[2].text for row in document.tables[1].rows[1:]]
    assert "Penanggung jawab (Koordinator Pemdi)" in roles and "Anggota Tim Asesor Internal" in roles
    body = "\n".join(p.text for p in document.paragraphs) + "".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert "SPBE" not in body


@pytest.mark.parametrize("year, name", [(2020, ""), (2021, "Indeks SPBE"), (2025, "Indeks SPBE"),
                                        (2026, "Indeks Pemdi"), (2031, "Indeks Pemdi")])
def test_the_index_in_force_comes_from_the_manifest(year, name):
    assert index_in_force(year) == name


def test_the_menu_label_is_the_index_in_force_this_year_or_neutral(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 7, 1))
    assert menu_label() == "Indeks Pemdi"
    with translation.override("en"):
        assert menu_label() == "Pemdi Index"  # the manifest's short English name: the top bar stays one line
        assert index_in_force(2026) == "Digital Government Index"
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2019, 7, 1))
    assert menu_label() == "Evaluasi"
