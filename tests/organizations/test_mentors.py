"""Mentor assignments (issue 17): a verifikator of the instansi mentors its OPDs; the rules (same instansi, the
verifikator role, an active OPD, one mentor per OPD) refuse with a message and write nothing; moving an OPD is one
audited change; who sees and manages assignments; the API contract."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from sia.core import permissions
from sia.core.roles import Role
from sia.organizations import mentors
from sia.organizations.models import MentorAssignment

from .. import factories as f
from ..api_contract import ApiContract

pytestmark = pytest.mark.django_db
URL = "/api/organizations/mentor-assignments/"


def second_verifier(w):
    if not hasattr(w, "verifier2"):
        w.verifier2 = f.member(w.inst, Role.VERIFIER, username="verif2", first_name="Rahmawati")
    return w.verifier2


def test_a_verifikator_mentors_an_opd_of_their_instansi(world):
    assignment = mentors.assign(world.kominfo, world.users["verifier"], by=world.users["admin"])
    assert assignment.pk and assignment.department == world.kominfo
    assert mentors.mentored_department_ids(world.users["verifier"]) == {world.kominfo.pk}
    assert assignment.history.get().history_user == world.users["admin"]


def test_another_instansis_opd_is_refused_and_nothing_written(world):
    with pytest.raises(ValidationError) as error:
        mentors.assign(world.far, world.users["verifier"])
    message = error.value.message_dict["mentor"][0]
    assert message == (f"verif bukan verifikator aktif di {world.other.name}: mentor OPD DKL harus verifikator "
                       "instansi yang sama.")
    assert not MentorAssignment.objects.exists()


@pytest.mark.parametrize("role", ["operator", "assessor", "admin", "leader", "nobody"])
def test_a_user_without_the_verifikator_role_there_is_refused(world, role):
    with pytest.raises(ValidationError) as error:
        mentors.assign(world.kominfo, world.users[role])
    assert "bukan verifikator aktif di Pemerintah Provinsi Contoh" in error.value.message_dict["mentor"][0]
    assert not MentorAssignment.objects.exists()


def test_an_inactive_membership_or_opd_is_refused(world):
    verifier = world.users["verifier"]
    verifier.memberships.update(is_active=False)
    with pytest.raises(ValidationError):
        mentors.assign(world.kominfo, verifier)
    verifier.memberships.update(is_active=True)
    world.dinkes.is_active = False
    world.dinkes.save()
    with pytest.raises(ValidationError) as error:
        mentors.assign(world.dinkes, verifier)
    assert error.value.message_dict["department"] == ["OPD DINKES tidak aktif dan tidak dapat diberi mentor."]
    assert not MentorAssignment.objects.exists()


def test_one_mentor_per_opd_and_moving_is_one_audited_change(world):
    first, second = world.users["verifier"], second_verifier(world)
    mentors.assign(world.kominfo, first, by=world.users["admin"])
    duplicate = MentorAssignment(department=world.kominfo, mentor=second)
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "OPD ini sudah memiliki mentor" in str(error.value)
    moved = mentors.assign(world.kominfo, second, by=world.users["admin"])
    assert MentorAssignment.objects.count() == 1 and moved.mentor == second
    history = list(moved.history.order_by("history_date").values_list("mentor_id", "history_type", "history_user_id"))
    assert history == [(first.pk, "+", world.users["admin"].pk), (second.pk, "~", world.users["admin"].pk)]
    assert mentors.mentored_department_ids(first) == set()


def test_who_sees_and_manages_assignments(world):
    mine = mentors.assign(world.kominfo, world.users["verifier"])
    theirs = mentors.assign(world.dinkes, second_verifier(world))
    far_verifier = f.member(world.other, Role.VERIFIER, username="verif.lain")
    far = mentors.assign(world.far, far_verifier)
    u = world.users

    def seen(user):
        return set(permissions.visible(user, MentorAssignment).values_list("pk", flat=True))

    assert seen(u["admin"]) == {mine.pk, theirs.pk}
    assert seen(u["verifier"]) == {mine.pk}  # their own, not a colleague's
    assert seen(u["other_admin"]) == {far.pk}
    for role in ("operator", "assessor", "leader", "nobody"):
        assert seen(u[role]) == set(), role
    assert seen(u["superuser"]) == {mine.pk, theirs.pk, far.pk}
    assert permissions.can(u["verifier"], permissions.VIEW, mine)
    assert not permissions.can(u["verifier"], permissions.VIEW, theirs)
    assert not permissions.can(u["verifier"], permissions.CHANGE, mine)
    assert permissions.can(u["admin"], permissions.CHANGE, theirs)
    assert not permissions.can(u["other_admin"], permissions.VIEW, mine)


def test_the_verifikator_reads_their_assignments_on_the_list_page(world):
    mentors.assign(world.kominfo, world.users["verifier"])
    mentors.assign(world.dinkes, second_verifier(world))
    client = Client()
    client.force_login(world.users["verifier"])
    body = client.get("/organisasi/mentor/").content.decode()
    assert ">Dinas Komunikasi dan Informatika</a>" in body and ">Dinas Kesehatan</a>" not in body
    client.force_login(world.users["operator"])
    assert ">Dinas Komunikasi dan Informatika</a>" not in client.get("/organisasi/mentor/").content.decode()


def test_the_form_offers_verifikator_of_the_instansi_and_refuses_others(world):
    client = Client()
    client.force_login(world.users["admin"])
    page = client.get("/organisasi/mentor/tambah/").content.decode()
    offered = re.findall(r'<option value="(\d+)"', re.search(r'<select name="mentor".*?</select>', page, re.S).group(0))
    assert offered == [str(world.users["verifier"].pk)]
    response = client.post("/organisasi/mentor/tambah/", {"department": world.kominfo.pk,
                                                          "mentor": world.users["operator"].pk})
    assert response.status_code == 400 and not MentorAssignment.objects.exists()
    response = client.post("/organisasi/mentor/tambah/", {"department": world.kominfo.pk,
                                                          "mentor": world.users["verifier"].pk})
    assert response.status_code == 302 and MentorAssignment.objects.get().mentor == world.users["verifier"]


def test_the_api_refuses_another_instansis_opd_with_the_message(world, api):
    response = api(world.users["superuser"]).post(URL, {"department": world.far.pk, "mentor": "verif"}, format="json")
    assert response.status_code == 400
    assert "bukan verifikator aktif di Pemerintah Kota Lain" in str(response.json())
    response = api(world.users["admin"]).post(URL, {"department": world.kominfo.pk, "mentor": "op.kominfo"},
                                              format="json")
    assert response.status_code == 400 and "bukan verifikator aktif" in str(response.json())
    assert not MentorAssignment.objects.exists()


def test_the_mentor_reads_their_own_through_the_api(world, api):
    mine = mentors.assign(world.kominfo, world.users["verifier"])
    mentors.assign(world.dinkes, second_verifier(world))
    client = api(world.users["verifier"])
    assert [row["id"] for row in client.get(URL).json()["results"]] == [mine.pk]
    assert client.patch(f"{URL}{mine.pk}/", {"mentor": "verif2"}, format="json").status_code == 403
    free = f.department(world.inst)
    assert client.post(URL, {"department": free.pk, "mentor": "verif"}, format="json").status_code == 403


class TestMentorAssignmentApi(ApiContract):
    url = URL
    model = MentorAssignment
    read_only = ("verifier",)  # the mentor of the object
    hidden_from = ("other_admin", "operator", "leader")
    create_denied = ("verifier", "leader", "operator", "other_admin")

    def make_object(self, w):
        return MentorAssignment.objects.get_or_create(department=w.kominfo, mentor=w.users["verifier"])[0]

    def create_data(self, w):
        return {"department": w.dinkes.pk, "mentor": w.users["verifier"].username}

    def update_data(self, w):
        return {"mentor": second_verifier(w).pk}


def test_demo_mentors(db):
    from django.contrib.auth import get_user_model

    from sia.organizations.demo import MENTORS, load_mentors, load_organizations

    load_organizations()
    summary = load_mentors()
    assert load_mentors() == summary  # idempotent
    assert summary == "31 OPD dibina 3 mentor, 3 OPD belum bermentor"
    for username, abbreviations in MENTORS.items():
        user = get_user_model().objects.get(username=username)
        assert user.check_password("sia-demo-2024")
        assert sorted(MentorAssignment.objects.filter(mentor=user).values_list("department__abbreviation", flat=True)) \
            == sorted(abbreviations)
