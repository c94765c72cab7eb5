"""The workshop journey of issue 17 in a real browser: the koordinator creates a bimtek for three OPDs with the
verifikator as mentor and reads the attendance code off its page; the Bappeda operator finds it on the home page,
types a wrong code (told so, nothing written), then the right one, and creates two business processes during the
session; the kegiatan's page shows the operator's attendance and the two processes in Bappeda's block. The next
morning's ``sia notify_daily`` reminds the operator of a Bappeda target three days before its deadline: the badge
counts it, the notification centre shows it and its link leads to Bappeda's progress page, and the daily digest
e-mail (locmem outbox) carries it. Once on a fast link and once with the typing on the slow island link; no console
error or CSP violation."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from sia.architecture.models import BusinessProcess
from sia.architecture.values import seed_value_lists
from sia.core.roles import Role
from sia.notifications.models import Notification
from sia.progress.models import Target
from sia.reference.loader import ensure_default_catalogs
from sia.workshops.models import Attendance, Workshop

from .. import factories as f
from ..browser.conftest import browser, login, new_page  # noqa: F401 (fixtures)
from ..browser.watch import FAST_LINK, throttle, violations, watched

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Bimtek Penyusunan Proses Bisnis OPD"
PROCESSES = ("Penyusunan Rencana Kerja Perangkat Daerah", "Pengendalian dan Evaluasi Pembangunan Daerah")
TARGET = "Setiap fungsi Bappeda memiliki proses bisnis"


def province():
    ensure_default_catalogs()
    inst = f.institution(name="Pemerintah Provinsi Maluku Utara (data contoh)", code="82")
    seed_value_lists(inst)
    departments = {}
    for name, abbreviation in (("Dinas Komunikasi, Informatika dan Persandian", "DISKOMINFOSAN"),
                               ("Badan Perencanaan Pembangunan Daerah", "BAPPEDA"), ("Dinas Kesehatan", "DINKES")):
        departments[abbreviation] = dept = f.department(inst, name=name, abbreviation=abbreviation)
        f.function(dept, 1, "Perumusan kebijakan teknis perencanaan")
        f.member(inst, Role.OPERATOR, dept, username=f"operator.{abbreviation.lower()}")
    f.member(inst, Role.VERIFIER, username="verifikator", first_name="Rahmat Hidayat")
    f.member(inst, Role.ADMIN, username="koordinator")
    f.department(inst, name="Dinas Pariwisata", abbreviation="DISPAR")  # not invited
    return departments


def tick(page, field, text):
    page.locator(f"#field-{field} .checklist-option", has_text=text).first.click()


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.parametrize("slow", [False, True], ids=["fast", "slow-link"])
def test_koordinator_holds_a_bimtek_and_sees_what_bappeda_produced(new_page, mailoutbox, slow):
    departments = province()
    now = timezone.now()

    # --- the koordinator creates the kegiatan ---------------------------------------------------------------------
    admin = new_page()
    seen = watched(admin)
    login(admin, "koordinator")
    admin.goto("/pendampingan/kegiatan/tambah/")
    cdp = throttle(admin) if slow else None
    admin.select_option("#id_kind", "bimtek")
    admin.fill("#id_title", TITLE)
    admin.fill("#id_starts_at", local(now - timedelta(minutes=15)))
    admin.fill("#id_ends_at", local(now + timedelta(hours=3)))
    admin.select_option("#id_mode", "tatap-muka")
    admin.fill("#id_place", "Aula Bappeda, Sofifi")
    tick(admin, "domains", "Proses Bisnis")
    for name in ("Dinas Komunikasi", "Badan Perencanaan", "Dinas Kesehatan"):
        tick(admin, "departments", name)
    tick(admin, "mentors", "Rahmat Hidayat")
    admin.click("form.edit button[type=submit].primary")
    expect(admin.locator("h1")).to_contain_text(TITLE)
    if cdp:
        cdp.send("Network.emulateNetworkConditions", FAST_LINK)
    workshop = Workshop.objects.get()
    assert set(workshop.departments.values_list("abbreviation", flat=True)) == {"DISKOMINFOSAN", "BAPPEDA", "DINKES"}
    assert workshop.domains == ["proses-bisnis"] and workshop.mode == "tatap-muka"
    code = admin.locator("[data-testid=ws-code-value]").text_content().strip()
    assert code == workshop.checkin_code

    # --- the Bappeda operator records attendance with the code ----------------------------------------------------
    operator = new_page()
    seen += watched(operator)
    login(operator, "operator.bappeda")
    operator.goto("/")
    operator.locator("[data-testid=dashboard-workshops] a", has_text=TITLE).click()
    operator.locator("[data-testid=ws-checkin]").click()
    cdp = throttle(operator) if slow else None
    wrong = "ZZZ222" if code != "ZZZ222" else "YYY333"
    operator.fill("#id_code", wrong)
    operator.click("form.edit button[type=submit].primary")
    expect(operator.locator("[role=alert]")).to_contain_text("Kode kehadiran salah")
    assert not Attendance.objects.exists()
    operator.fill("#id_code", code.lower())
    operator.click("form.edit button[type=submit].primary")
    expect(operator.locator("h1")).to_contain_text(TITLE)
    expect(operator.locator("body")).to_contain_text("Kehadiran Anda pada")

    # --- and creates two business processes during the session ----------------------------------------------------
    for name in PROCESSES:
        operator.goto("/arsitektur/proses-bisnis/tambah/")
        operator.fill("#id_name", name)
        operator.click("form.edit button[type=submit].primary")
        expect(operator.locator("h1")).to_contain_text(name)
    if cdp:
        cdp.send("Network.emulateNetworkConditions", FAST_LINK)
    assert BusinessProcess.objects.filter(department=departments["BAPPEDA"]).count() == 2
    row = Attendance.objects.get()
    assert (row.participant.username, row.department, row.self_recorded) == (
        "operator.bappeda", departments["BAPPEDA"], True)

    # --- the kegiatan's page shows them next to the attendance ----------------------------------------------------
    admin.reload()
    block = admin.locator(f"[data-testid=ws-opd-{departments['BAPPEDA'].pk}]")
    expect(block.locator("[data-testid=ws-attendance]")).to_contain_text("operator.bappeda")
    expect(block.locator("[data-testid=ws-attendance]")).to_contain_text("Hadir")
    for name in PROCESSES:
        expect(block.locator("[data-testid=ws-produced]")).to_contain_text(name)
    kominfo = admin.locator(f"[data-testid=ws-opd-{departments['DISKOMINFOSAN'].pk}]")
    expect(kominfo).to_contain_text("Belum ada kehadiran yang tercatat.")
    expect(kominfo).to_contain_text("Belum ada objek arsitektur")
    # the operator reads the same page: their OPD's block with the two processes, no code
    operator.goto(workshop.get_absolute_url())
    expect(operator.locator("h1")).to_contain_text(TITLE)
    expect(operator.locator("[data-testid=ws-code]")).to_have_count(0)
    expect(operator.locator(f"[data-testid=ws-opd-{departments['BAPPEDA'].pk}] [data-testid=ws-produced] li")
           ).to_have_count(2)

    # --- the next morning's command reminds the operator of a deadline --------------------------------------------
    user = get_user_model().objects.get(username="operator.bappeda")
    user.email = "operator.bappeda@malut.example.org"
    user.save(update_fields=["email"])
    tomorrow = timezone.localdate() + timedelta(days=1)
    target = Target(institution=workshop.institution, department=departments["BAPPEDA"], name=TARGET,
                    rule="fungsi-proses", start_date=tomorrow - timedelta(days=20), deadline=tomorrow + timedelta(days=3))
    target.full_clean()  # the two processes cover none of Bappeda's fungsi yet: late
    target.save()
    out = io.StringIO()
    call_command("notify_daily", date=tomorrow.isoformat(), stdout=out)
    assert "- progress-deadlines: 1 notifikasi" in out.getvalue()
    reminder = Notification.objects.get(kind="deadline-approaching")
    assert reminder.recipient == user and reminder.object_id == target.pk
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True).count()  # with the invitation
    operator.goto("/")
    badge = operator.get_by_test_id("notification-badge")
    expect(badge.locator(".unread-count")).to_have_text(str(unread))
    badge.click()
    operator.wait_for_url("**/notifikasi/")
    item = operator.get_by_test_id("notification").filter(has_text=TARGET)
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Tenggat mendekat")
    expect(item).to_contain_text("tinggal 3 hari lagi")
    item.locator(".message a").click()
    operator.wait_for_url(f"**/{reminder.url.strip('/')}/")
    digest = [m for m in mailoutbox if m.to == ["operator.bappeda@malut.example.org"]]
    assert len(digest) == 1 and TARGET in digest[0].body and "tinggal 3 hari lagi" in digest[0].body
    assert violations(admin) == [] and violations(operator) == []
    assert seen == []
