"""The rules of a kegiatan and its attendance (model ``full_clean()``), the code check-in, and what the programme's
other parts read (invitation recipients, marks on a chart)."""

from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sia.workshops.checkin import check_in
from sia.workshops.choices import AttendanceStatus, WorkshopMode
from sia.workshops.models import Attendance, Workshop
from sia.workshops.services import invitation_recipients, workshop_marks

from tests import factories as f
from sia.core.roles import Role

from .conftest import at, make_workshop


def messages(excinfo):
    return excinfo.value.message_dict


def test_end_before_start_is_refused(world):
    with pytest.raises(ValidationError) as excinfo:
        make_workshop(world, starts_at=at(time(12)), ends_at=at(time(9)))
    assert messages(excinfo)["ends_at"] == ["Waktu selesai harus sesudah waktu mulai."]
    assert not Workshop.objects.exists()


@pytest.mark.parametrize("mode", [WorkshopMode.ONLINE, WorkshopMode.HYBRID])
def test_online_mode_needs_a_meeting_link(world, mode):
    with pytest.raises(ValidationError) as excinfo:
        make_workshop(world, mode=mode, meeting_link="")
    assert "memerlukan tautan rapat daring" in messages(excinfo)["meeting_link"][0]
    assert not Workshop.objects.exists()


def test_in_person_needs_a_place_and_online_does_not(world):
    with pytest.raises(ValidationError) as excinfo:
        make_workshop(world, place="")
    assert "memerlukan tempat" in messages(excinfo)["place"][0]
    online = make_workshop(world, mode=WorkshopMode.ONLINE, place="", meeting_link="https://zoom.us/j/1")
    assert online.pk


def test_unknown_domain_is_refused(world):
    with pytest.raises(ValidationError) as excinfo:
        make_workshop(world, domains=["proses-bisnis", "kuliner"])
    assert messages(excinfo)["domains"] == ["Domain arsitektur tidak dikenal: kuliner."]


def test_an_opd_of_another_instansi_is_refused(world):
    with pytest.raises(ValidationError) as excinfo:
        make_workshop(world, departments=[world.kominfo, world.far])
    assert messages(excinfo)["departments"] == [
        "OPD berikut bukan bagian dari Pemerintah Provinsi Contoh: Dinas Kota Lain."]
    assert not Workshop.objects.exists()


def test_a_mentor_must_be_a_verifikator_of_the_instansi(world):
    stranger = f.member(world.other, Role.VERIFIER, username="verif.lain")
    with pytest.raises(ValidationError) as excinfo:
        make_workshop(world, mentors=[world.users["verifier"], stranger, world.users["operator"]])
    assert messages(excinfo)["mentors"] == [
        "Pendamping harus verifikator aktif di Pemerintah Provinsi Contoh; bukan: verif.lain, op.kominfo."]


def test_attendance_takes_the_participants_opd_and_refuses_outsiders(world, workshop):
    row = Attendance(workshop=workshop, participant=world.users["operator"])
    row.full_clean()
    assert row.department == world.kominfo
    mentor = Attendance(workshop=workshop, participant=world.users["verifier"])
    mentor.full_clean()
    assert mentor.department_id is None
    for outsider in ("assessor", "other_admin"):
        with pytest.raises(ValidationError) as excinfo:
            Attendance(workshop=workshop, participant=world.users[outsider]).full_clean()
        assert "bukan peserta" in messages(excinfo)["participant"][0]


def test_online_problems_need_a_note_and_an_online_session(world, workshop):
    with pytest.raises(ValidationError) as excinfo:
        Attendance(workshop=workshop, participant=world.users["operator"],
                   status=AttendanceStatus.ONLINE_PROBLEMS, note="putus").full_clean()
    assert "tatap muka" in messages(excinfo)["status"][0]
    online = make_workshop(world, mode=WorkshopMode.ONLINE, place="", meeting_link="https://meet.google.com/x")
    with pytest.raises(ValidationError) as excinfo:
        Attendance(workshop=online, participant=world.users["operator"],
                   status=AttendanceStatus.ONLINE_PROBLEMS).full_clean()
    assert "kendala" in messages(excinfo)["note"][0]


# --- the code ------------------------------------------------------------------------------------------------

def test_check_in_with_the_code_records_attendance_once(world, workshop):
    operator = world.users["operator"]
    row = check_in(workshop, operator, " abc 234 ", now=at(time(9, 10)))
    assert (row.status, row.self_recorded, row.department) == (AttendanceStatus.PRESENT, True, world.kominfo)
    with pytest.raises(ValidationError) as excinfo:
        check_in(workshop, operator, "ABC234", now=at(time(9, 20)))
    assert "sudah mencatat kehadiran" in excinfo.value.message_dict["code"][0]
    assert Attendance.objects.filter(workshop=workshop).count() == 1


@pytest.mark.parametrize("code, moment, words", [
    ("ABC235", time(9, 10), "Kode kehadiran salah"),
    ("", time(9, 10), "Masukkan kode kehadiran"),
    ("ABC234", time(12, 31), "sudah kedaluwarsa"),
    ("ABC234", time(8, 29), "belum berlaku"),
])
def test_a_wrong_expired_or_early_code_writes_nothing(world, workshop, code, moment, words):
    with pytest.raises(ValidationError) as excinfo:
        check_in(workshop, world.users["operator"], code, now=at(moment))
    assert words in excinfo.value.message_dict["code"][0]
    assert not Attendance.objects.exists()


def test_the_window_includes_its_margins(world, workshop):
    check_in(workshop, world.users["operator"], "ABC234", now=at(time(8, 30)))
    check_in(workshop, world.users["operator_dinkes"], "ABC234", now=at(time(12, 30)))
    assert Attendance.objects.filter(workshop=workshop, self_recorded=True).count() == 2


def test_an_uninvited_user_cannot_check_in(world):
    workshop = make_workshop(world, departments=[world.dinkes])
    with pytest.raises(ValidationError) as excinfo:
        check_in(workshop, world.users["operator"], "ABC234", now=at(time(10)))
    assert "bukan peserta" in excinfo.value.message_dict["participant"][0]
    assert not Attendance.objects.exists()


def test_check_in_over_the_organisers_record_keeps_one_row(world, workshop):
    Attendance.objects.create(workshop=workshop, participant=world.users["operator"],
                              department=world.kominfo, status=AttendanceStatus.ABSENT)
    check_in(workshop, world.users["operator"], "ABC234", now=at(time(10)))
    row = Attendance.objects.get(workshop=workshop)
    assert (row.status, row.self_recorded) == (AttendanceStatus.PRESENT, True)


# --- what the programme reads --------------------------------------------------------------------------------

def test_invitation_recipients_are_the_invited_operators_and_mentors(world):
    f.member(world.inst, Role.OPERATOR, world.kominfo, username="op.kominfo.2")
    workshop = make_workshop(world, departments=[world.kominfo])
    names = [user.username for user in invitation_recipients(workshop)]
    assert names == ["op.kominfo", "op.kominfo.2", "verif"]


def test_workshop_marks_per_instansi_and_opd(world):
    first = make_workshop(world, title="Bimtek A", departments=[world.kominfo], starts_at=at(time(9), -10),
                          ends_at=at(time(12), -10))
    second = make_workshop(world, title="Rakor B", departments=[world.dinkes], starts_at=at(time(9), -3),
                           ends_at=at(time(12), -3))
    make_workshop(world, title="Lama", starts_at=at(time(9), -90), ends_at=at(time(12), -90))
    today = timezone.localdate()
    marks = workshop_marks(world.inst, today - timedelta(days=30), today)
    assert [m["title"] for m in marks] == ["Bimtek A", "Rakor B"]
    assert marks[0]["url"] == first.get_absolute_url() and marks[0]["kind_label"]
    assert [m["id"] for m in workshop_marks(world.inst.pk, today - timedelta(days=30), today,
                                            department=world.dinkes)] == [second.pk]
    assert workshop_marks(world.other, today - timedelta(days=30), today) == []


def test_the_burnup_charts_mark_the_kegiatan(world):
    """Wired in the app's ready(): progress's burn-up marks are the kegiatan, on an OPD's chart those inviting it."""
    from sia.progress.burnup import chart_marks

    make_workshop(world, title="Bimtek A", departments=[world.kominfo], starts_at=at(time(9), -10),
                  ends_at=at(time(12), -10))
    make_workshop(world, title="Rakor B", departments=[world.dinkes], starts_at=at(time(9), -3),
                  ends_at=at(time(12), -3))
    today = timezone.localdate()
    assert [label for _, label in chart_marks(world.inst, None, today - timedelta(days=30), today)] == [
        "Bimtek A", "Rakor B"]
    assert [label for _, label in chart_marks(world.inst, world.dinkes, today - timedelta(days=30), today)] == [
        "Rakor B"]
