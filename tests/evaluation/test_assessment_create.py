"""Who creates an assessment: the admin or the asesor internal of its instansi; the creator leads its team."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from sia.core import permissions
from sia.evaluation import services
from sia.evaluation.choices import TeamRole
from sia.evaluation.frameworks import install_default_frameworks
from sia.evaluation.models import Assessment, AssessmentTeamMember

ADD = "/evaluasi/penilaian/tambah/"
API = "/api/evaluation/assessments/"


@pytest.fixture
def pemdi(db):
    return next(v for v in install_default_frameworks() if v.code == "permenpanrb-8-2026")


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("user, institution, allowed", [
    ("assessor", "inst", True), ("admin", "inst", True), ("assessor", "other", False), ("verifier", "inst", False),
    ("leader", "inst", False), ("operator", "inst", False), ("other_admin", "inst", False),
    ("other_admin", "other", True), ("nobody", "inst", False),
])
def test_who_may_create_an_assessment_of_which_instansi(world, pemdi, user, institution, allowed):
    probe = Assessment(institution=getattr(world, institution), year=2026, framework=pemdi)
    assert permissions.can(world.users[user], permissions.ADD, probe) is allowed


def test_the_asesor_may_not_change_or_delete_an_assessment(world, pemdi):
    assessment = Assessment.objects.create(institution=world.inst, year=2026, framework=pemdi)
    assessor = world.users["assessor"]
    assert not permissions.can(assessor, permissions.CHANGE, assessment)
    assert not permissions.can(assessor, permissions.DELETE, assessment)


def test_the_asesor_creates_the_2026_assessment_on_the_page_and_leads_its_team(world, pemdi):
    assessor = world.users["assessor"]
    client = client_for(assessor)
    page = client.get(f"{ADD}?year=2026")
    assert page.status_code == 200
    options = [i.pk for i in page.context["form"].fields["institution"].queryset]
    assert options == [world.inst.pk]  # the asesor's own instansi only
    response = client.post(ADD, {"institution": world.inst.pk, "year": 2026, "framework": pemdi.pk})
    assert response.status_code == 302, response.content
    assessment = Assessment.objects.get(institution=world.inst, year=2026)
    assert response["Location"] == assessment.get_absolute_url()
    assert list(assessment.team.values_list("user__username", "role")) == [(assessor.username, TeamRole.LEAD)]
    assert permissions.can(assessor, "lock", assessment)  # as the team's penanggung jawab
    assert client.get(assessment.get_absolute_url()).status_code == 200


def test_the_asesor_cannot_create_in_another_instansi_and_nothing_is_written(world, pemdi):
    client = client_for(world.users["assessor"])
    response = client.post(ADD, {"institution": world.other.pk, "year": 2026, "framework": pemdi.pk})
    assert response.status_code == 400
    assert "institution" in response.context["form"].errors
    assert not Assessment.objects.exists() and not AssessmentTeamMember.objects.exists()


def test_a_verifier_may_not_open_the_form(world, pemdi):
    assert client_for(world.users["verifier"]).get(ADD).status_code == 403


def test_the_asesor_creates_through_the_api_and_leads_its_team(world, pemdi, api):
    assessor = world.users["assessor"]
    created = api(assessor).post(API, {"institution": "82", "year": 2026}, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["framework"]["display"] == "PermenPANRB 8/2026"
    assert [(m["user"], m["team_role"]) for m in body["team"]] == [(assessor.username, "penanggung_jawab")]
    elsewhere = api(assessor).post(API, {"institution": "8271", "year": 2026}, format="json")
    assert elsewhere.status_code in (400, 403)  # another instansi: not visible to the asesor
    assert Assessment.objects.count() == 1 and AssessmentTeamMember.objects.count() == 1


def test_a_refused_creation_writes_no_team_member(world, pemdi, api):
    Assessment.objects.create(institution=world.inst, year=2026, framework=pemdi)
    again = api(world.users["assessor"]).post(API, {"institution": "82", "year": 2026}, format="json")
    assert again.status_code == 400 and "sudah memiliki penilaian untuk tahun tersebut" in str(again.json())
    assert not AssessmentTeamMember.objects.exists()


def test_create_assessment_puts_a_member_creator_on_the_team_and_not_a_superuser(world, pemdi):
    admin_made = services.create_assessment(
        Assessment(institution=world.inst, year=2026, framework=pemdi), user=world.users["admin"])
    assert list(admin_made.team.values_list("user__username", "role")) == [("koord", TeamRole.LEAD)]
    super_made = services.create_assessment(
        Assessment(institution=world.other, year=2026, framework=pemdi), user=world.users["superuser"])
    assert not super_made.team.exists()  # not a member of the instansi: no team role
    with pytest.raises(ValidationError, match="sudah memiliki penilaian"):
        services.create_assessment(
            Assessment(institution=world.inst, year=2026, framework=pemdi), user=world.users["assessor"])
    assert AssessmentTeamMember.objects.count() == 1
