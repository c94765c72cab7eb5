"""The kegiatan's pages: what each role sees, the forms (nothing written on bad input), the self check-in, the
daftar hadir downloads, the operator's home panel, and query counts that do not grow with rows."""

import io
from datetime import time
from unittest import mock

from django.test import Client
from django.urls import reverse

from sia.architecture import kept
from sia.architecture.models import BusinessProcess
from sia.core.roles import Role
from sia.workshops.choices import AttendanceStatus
from sia.workshops.models import Attendance, Workshop

from tests import factories as f

from .conftest import at, make_workshop


def client_for(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_the_page_shows_the_code_to_the_organiser_and_mentors_only(world, workshop):
    url = workshop.get_absolute_url()
    with mock.patch("sia.workshops.views.timezone.now", return_value=at(time(9, 5))):
        for role in ("admin", "verifier"):
            html = client_for(world.users[role]).get(url).content.decode()
            assert "ABC234" in html and "Daftar hadir (PDF)" in html, role
        html = client_for(world.users["operator"]).get(url).content.decode()
    assert "ABC234" not in html and "Catat kehadiran saya" in html and "Daftar hadir (PDF)" not in html


def test_operators_read_only_workshops_their_opd_is_invited_to(world):
    mine = make_workshop(world, title="Untuk Kominfo", departments=[world.kominfo])
    other = make_workshop(world, title="Untuk Dinkes", departments=[world.dinkes])
    client = client_for(world.users["operator"])
    html = client.get(reverse("workshops:workshop_list")).content.decode()
    assert "Untuk Kominfo" in html and "Untuk Dinkes" not in html
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(mine.get_absolute_url()).status_code == 200
    assert client_for(world.users["other_admin"]).get(mine.get_absolute_url()).status_code == 404
    assert client.get(reverse("workshops:workshop_sheet", args=[mine.pk, "pdf"])).status_code == 403


def _form(world, **values):
    data = {"institution": world.inst.pk, "kind": "bimtek", "title": "Bimtek Layanan", "description": "",
            "starts_at": "2026-12-10T09:00", "ends_at": "2026-12-10T12:00", "mode": "daring", "place": "",
            "meeting_link": "https://zoom.us/j/123", "domains": ["layanan"],
            "departments": [world.kominfo.pk, world.dinkes.pk], "mentors": [world.users["verifier"].pk]}
    data.update(values)
    return data


def test_the_koordinator_creates_a_workshop(world):
    client = client_for(world.users["admin"])
    response = client.post(reverse("workshops:workshop_add"), _form(world))
    assert response.status_code == 302, response.content.decode()[:2000]
    workshop = Workshop.objects.get()
    assert workshop.organiser == world.users["admin"] and workshop.domains == ["layanan"]
    assert set(workshop.departments.all()) == {world.kominfo, world.dinkes}
    assert len(workshop.checkin_code) == 6


def test_bad_input_on_the_form_writes_nothing(world):
    client = client_for(world.users["admin"])
    cases = [
        (_form(world, ends_at="2026-12-10T08:00"), "Waktu selesai harus sesudah waktu mulai."),
        (_form(world, meeting_link=""), "memerlukan tautan rapat daring"),
        (_form(world, mentors=[world.users["operator"].pk]), "Masukkan pilihan yang valid"),
        (_form(world, departments=[world.far.pk]), "Masukkan pilihan yang valid"),
    ]
    for data, words in cases:
        response = client.post(reverse("workshops:workshop_add"), data)
        assert response.status_code == 400 and words in response.content.decode(), words
    assert not Workshop.objects.exists()


def test_an_operator_and_the_verifikator_may_not_create(world):
    for role in ("operator", "verifier"):
        assert client_for(world.users[role]).get(reverse("workshops:workshop_add")).status_code == 403


LONG_SESSION = 60 * 60 * 48  # the clock is set to 09:30 today: an 8-hour session opened before 01:30 would be over


def test_self_check_in_on_the_page(world, workshop, settings):
    settings.SESSION_COOKIE_AGE = LONG_SESSION
    client = client_for(world.users["operator"])
    url = reverse("workshops:workshop_checkin", args=[workshop.pk])
    with mock.patch("sia.workshops.checkin.timezone.now", return_value=at(time(9, 30))):
        wrong = client.post(url, {"code": "XYZ999", "status": "hadir"})
        assert wrong.status_code == 400 and "Kode kehadiran salah" in wrong.content.decode()
        assert not Attendance.objects.exists()
        assert client.post(url, {"code": "abc234", "status": "hadir"}).status_code == 302
        again = client.post(url, {"code": "ABC234", "status": "hadir"})
    assert again.status_code == 400 and "kode tidak dapat dipakai dua kali" in again.content.decode()
    assert Attendance.objects.get().self_recorded
    assert client_for(world.users["assessor"]).get(url).status_code == 403


def test_the_organiser_records_attendance(world, workshop):
    client = client_for(world.users["verifier"])
    add = reverse("workshops:attendance_add") + f"?workshop={workshop.pk}"
    assert client.get(add).status_code == 200
    response = client.post(add, {"workshop": workshop.pk, "participant": world.users["operator_dinkes"].pk,
                                 "status": AttendanceStatus.EXCUSED, "note": "Sakit"})
    assert response.status_code == 302
    row = Attendance.objects.get()
    assert (row.department, row.self_recorded) == (world.dinkes, False)
    refused = client.post(add, {"workshop": workshop.pk, "participant": world.users["assessor"].pk,
                                "status": AttendanceStatus.PRESENT})
    assert refused.status_code == 400 and Attendance.objects.count() == 1
    assert client_for(world.users["operator"]).get(add).status_code == 403


def test_the_page_lists_attendance_next_to_what_each_opd_produced(world, kinds, workshop):
    Attendance.objects.create(workshop=workshop, participant=world.users["operator"], department=world.kominfo,
                              status=AttendanceStatus.PRESENT, self_recorded=True)
    process = kinds.build(BusinessProcess, name="Penerbitan Izin Penyelenggaraan Telekomunikasi")
    BusinessProcess.history.filter(id=process.pk).update(history_date=at(time(10)))
    html = client_for(world.users["admin"]).get(workshop.get_absolute_url()).content.decode()
    block = html.split(f'data-testid="ws-opd-{world.kominfo.pk}"')[1].split("</section>")[0]
    assert "op.kominfo" in block and "Penerbitan Izin Penyelenggaraan Telekomunikasi" in block
    # the DINKES operator reads the kegiatan but neither KOMINFO's attendance nor its draft process
    html = client_for(world.users["operator_dinkes"]).get(workshop.get_absolute_url()).content.decode()
    assert "op.kominfo" not in html and "Penerbitan Izin" not in html


def test_the_daftar_hadir_as_docx_and_pdf(world, workshop):
    from docx import Document

    f.member(world.inst, Role.OPERATOR, world.dinkes, username="op.dinkes.2", first_name="Siti Rahma")
    client = client_for(world.users["admin"])
    docx = client.get(reverse("workshops:workshop_sheet", args=[workshop.pk, "docx"]))
    assert docx.status_code == 200
    assert docx["Content-Disposition"].startswith('attachment; filename="daftar-hadir-bimtek-proses-bisnis-')
    table = Document(io.BytesIO(docx.content)).tables[0]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["No.", "Nama", "OPD / peran", "Tanda tangan"]
    assert ["1", "Siti Rahma", "DINKES", ""] in rows and ["", "DISKOMINFO"] == rows[-3][1:3]
    assert rows[-1][1:3] == ["verif", "Pendamping"]
    pdf = client.get(reverse("workshops:workshop_sheet", args=[workshop.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-1.4")
    assert b"Siti Rahma" in pdf.content and b"DAFTAR HADIR" in pdf.content
    assert client.get(reverse("workshops:workshop_sheet", args=[workshop.pk, "xls"])).status_code == 404


def test_the_operator_home_lists_coming_workshops_of_their_opd(world):
    make_workshop(world, title="Bimtek Minggu Depan", departments=[world.kominfo], starts_at=at(time(9), 7),
                  ends_at=at(time(12), 7))
    make_workshop(world, title="Bimtek Dinkes Saja", departments=[world.dinkes], starts_at=at(time(9), 7),
                  ends_at=at(time(12), 7))
    make_workshop(world, title="Bimtek Lalu", departments=[world.kominfo], starts_at=at(time(9), -7),
                  ends_at=at(time(12), -7))
    html = client_for(world.users["operator"]).get("/").content.decode()
    assert "Bimtek Minggu Depan" in html and "Bimtek Dinkes Saja" not in html and "Bimtek Lalu" not in html


def test_pages_keep_their_query_budget(world, kinds, count_queries, query_budget):
    workshop = make_workshop(world)
    admin = client_for(world.users["admin"])
    operator = client_for(world.users["operator"])
    pages = {
        "workshops.workshop_list": (admin, reverse("workshops:workshop_list")),
        "workshops.workshop": (admin, workshop.get_absolute_url()),
        "workshops.workshop.operator": (operator, workshop.get_absolute_url()),
        "workshops.home.operator": (operator, "/"),
    }
    before = {}
    for name, (client, url) in pages.items():
        assert client.get(url).status_code == 200
        before[name] = count_queries(lambda: (kept.clear(), client.get(url))[1])[0]  # figures computed, not kept
    for n in range(3):
        extra = f.member(world.inst, Role.OPERATOR, world.kominfo, username=f"op.kominfo.{n}")
        Attendance.objects.create(workshop=workshop, participant=extra, department=world.kominfo)
        process = kinds.build(BusinessProcess, name=f"Proses {n}")
        BusinessProcess.history.filter(id=process.pk).update(history_date=at(time(10)))
        make_workshop(world, title=f"Bimtek {n}", starts_at=at(time(9), n + 1), ends_at=at(time(12), n + 1))
    for name, (client, url) in pages.items():
        after, response = count_queries(lambda: (kept.clear(), client.get(url))[1])
        assert response.status_code == 200
        assert after == before[name] <= query_budget[name], (name, before[name], after)


def test_online_participants_report_their_problems_when_checking_in(world, settings):
    settings.SESSION_COOKIE_AGE = LONG_SESSION
    online = make_workshop(world, mode="daring", place="", meeting_link="https://zoom.us/j/5")
    client = client_for(world.users["operator"])
    url = reverse("workshops:workshop_checkin", args=[online.pk])
    assert "Hadir daring dengan kendala" in client.get(url).content.decode()
    with mock.patch("sia.workshops.checkin.timezone.now", return_value=at(time(9, 30))):
        missing = client.post(url, {"code": "ABC234", "status": "daring-kendala", "note": ""})
        assert missing.status_code == 400 and "Tuliskan kendala" in missing.content.decode()
        assert client.post(url, {"code": "ABC234", "status": "daring-kendala", "note": "Suara putus"}).status_code == 302
    row = Attendance.objects.get()
    assert (row.status, row.note) == (AttendanceStatus.ONLINE_PROBLEMS, "Suara putus")
    in_room = make_workshop(world, title="Tatap muka")
    html = client.get(reverse("workshops:workshop_checkin", args=[in_room.pk])).content.decode()
    assert "Hadir daring dengan kendala" not in html


def test_the_attendance_trail_is_in_the_history_for_readers_of_every_opd_only(world, workshop):
    row = Attendance(workshop=workshop, participant=world.users["operator_dinkes"], status=AttendanceStatus.EXCUSED,
                     note="Dinas luar ke Tidore")
    row.full_clean()
    row.save()
    url = reverse("workshops:workshop_history", args=[workshop.pk])
    assert "Dinas luar ke Tidore" in client_for(world.users["verifier"]).get(url).content.decode()
    response = client_for(world.users["operator"]).get(url)
    assert response.status_code == 200 and "Dinas luar ke Tidore" not in response.content.decode()
