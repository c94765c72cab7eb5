"""``/api/workshops/``: the contract of both endpoints, the code shown only to those who record attendance, bad
input answered in Indonesian with nothing written, and the ``check-in`` action."""

from datetime import time
from unittest import mock

import pytest

from sia.workshops.models import Attendance, Workshop

from tests.api_contract import ApiContract

from .conftest import at, make_workshop

pytestmark = pytest.mark.django_db
BASE = "/api/workshops/"


def _body(w, **values):
    return {"institution": w.inst.pk, "kind": "workshop", "title": "Workshop Arsitektur Data",
            "starts_at": "2026-12-10T09:00:00+09:00", "ends_at": "2026-12-10T12:00:00+09:00", "mode": "hibrida",
            "place": "Aula Bappeda", "meeting_link": "https://zoom.us/j/99", "domains": ["data"],
            "departments": ["DISKOMINFO", w.dinkes.pk], "mentors": ["verif"], **values}


class TestWorkshopApi(ApiContract):
    url, model = f"{BASE}workshops/", Workshop
    read_only = ("leader", "verifier", "operator")
    create_denied = ("leader", "verifier", "operator", "other_admin")

    def make_object(self, w):
        return Workshop.objects.filter(title="Bimtek Proses Bisnis").first() or make_workshop(w)

    def create_data(self, w):
        return _body(w)

    def update_data(self, w):
        return {"title": "Workshop Arsitektur Data (ulang)"}


class TestAttendanceApi(ApiContract):
    url, model = f"{BASE}attendances/", Attendance
    read_only = ("leader", "operator")
    create_denied = ("leader", "operator", "other_admin")
    writer = "verifier"

    def workshop(self, w):
        return Workshop.objects.filter(title="Bimtek Proses Bisnis").first() or make_workshop(w)

    def make_object(self, w):
        return Attendance.objects.get_or_create(workshop=self.workshop(w), participant=w.users["operator"],
                                                defaults={"department": w.kominfo})[0]

    def create_data(self, w):
        return {"workshop": self.workshop(w).pk, "participant": "op.dinkes", "status": "izin", "note": "Cuti"}

    def update_data(self, w):
        return {"status": "tidak-hadir"}


def test_the_code_is_shown_to_those_who_record_attendance(world, api, workshop):
    url = f"{BASE}workshops/{workshop.pk}/"
    assert api(world.users["admin"]).get(url).json()["checkin_code"] == "ABC234"
    assert api(world.users["verifier"]).get(url).json()["checkin_code"] == "ABC234"
    assert api(world.users["operator"]).get(url).json()["checkin_code"] is None


@pytest.mark.parametrize("values, field, words", [
    ({"ends_at": "2026-12-10T08:00:00+09:00"}, "ends_at", "Waktu selesai harus sesudah waktu mulai."),
    ({"meeting_link": ""}, "meeting_link", "memerlukan tautan rapat daring"),
    ({"domains": ["kuliner"]}, "domains", "Domain arsitektur tidak dikenal: kuliner."),
    ({"mentors": ["op.kominfo"]}, "mentors", "Pendamping harus verifikator aktif"),
])
def test_bad_input_is_refused_in_indonesian(world, api, values, field, words):
    response = api(world.users["admin"]).post(f"{BASE}workshops/", _body(world, **values), format="json")
    assert response.status_code == 400 and words in str(response.json()[field]), response.json()
    assert not Workshop.objects.exists()


def test_an_opd_of_another_instansi_is_refused_even_for_a_superuser(world, api):
    response = api(world.users["superuser"]).post(f"{BASE}workshops/", _body(world, departments=[world.far.pk]),
                                                  format="json")
    assert response.status_code == 400
    assert "bukan bagian dari Pemerintah Provinsi Contoh: Dinas Kota Lain" in str(response.json()["departments"])
    assert not Workshop.objects.exists()


def test_the_organiser_is_the_creator(world, api):
    response = api(world.users["admin"]).post(f"{BASE}workshops/", _body(world), format="json")
    assert response.status_code == 201
    assert response.json()["organiser"]["display"] == "koord"


def test_check_in_action(world, api, workshop):
    url = f"{BASE}workshops/{workshop.pk}/check-in/"
    client = api(world.users["operator"])
    with mock.patch("sia.workshops.checkin.timezone.now", return_value=at(time(9, 15))):
        wrong = client.post(url, {"code": "ZZZ999"}, format="json")
        assert wrong.status_code == 400 and "Kode kehadiran salah" in wrong.json()["code"][0]
        done = client.post(url, {"code": "abc234"}, format="json")
        assert done.status_code == 201 and done.json()["self_recorded"] is True
        again = client.post(url, {"code": "ABC234"}, format="json")
    assert again.status_code == 400 and "dua kali" in again.json()["code"][0]
    with mock.patch("sia.workshops.checkin.timezone.now", return_value=at(time(14))):
        late = api(world.users["operator_dinkes"]).post(url, {"code": "ABC234"}, format="json")
    assert late.status_code == 400 and "kedaluwarsa" in late.json()["code"][0]
    assert Attendance.objects.count() == 1
    assert api(world.users["assessor"]).post(url, {"code": "ABC234"}, format="json").status_code == 403
    assert api(world.users["other_admin"]).post(url, {"code": "ABC234"}, format="json").status_code == 404
