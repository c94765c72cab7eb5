"""The reminder journey: the verifikator returns a process with a comment; its operator sees the unread badge in the
header, opens the notification centre, follows the returned process to its page and reads the comment there; the
badge is gone. Also on the slow link (the verifikator types the comment, the operator's pages load slowly). No
console error, no CSP violation."""

import pytest
from playwright.sync_api import expect

from sia.architecture.models import BusinessProcess
from sia.architecture.values import seed_value_lists
from sia.core.roles import Role
from sia.notifications.models import Notification
from sia.reference.loader import ensure_default_catalogs
from sia.reference.models import ReferenceNode

from .. import factories as f
from ..browser.conftest import login
from ..browser.watch import throttle, violations, watched

pytestmark = pytest.mark.django_db(transaction=True)

COMMENT = "Uraian belum menjelaskan keluaran proses; lengkapi target IKU dan unit pelaksana."


@pytest.mark.parametrize("slow", [False, True], ids=["fast", "slow-link"])
def test_an_operator_reads_the_comment_of_a_returned_process(new_page, live_server, slow):
    from sia.architecture import workflow

    ensure_default_catalogs()
    inst = f.institution(name="Pemerintah Provinsi Maluku Utara (data contoh)", code="82")
    seed_value_lists(inst)
    kominfo = f.department(inst, name="Dinas Komunikasi, Informatika dan Persandian", abbreviation="DISKOMINFOSAN")
    fn = f.function(kominfo, 1, "Perumusan kebijakan teknis di bidang statistik")
    operator = f.member(inst, Role.OPERATOR, kominfo, username="operator.diskominfosan", first_name="Rahmat",
                        last_name="Hasan")
    f.member(inst, Role.VERIFIER, username="verifikator", first_name="Nurul", last_name="Fitri")
    process = BusinessProcess.objects.create(department=kominfo, name="Pengelolaan Data Statistik Sektoral",
                                             reference=ReferenceNode.objects.current().national().get(code="RAB.09.03.04"))
    process.functions.set([fn])
    workflow.record_creation(process, operator)
    workflow.apply(process, workflow.A.SUBMIT, operator)

    reviewer = new_page()
    seen = watched(reviewer)
    login(reviewer, "verifikator")
    if slow:
        throttle(reviewer)
    reviewer.goto(process.get_absolute_url())
    reviewer.fill("#review textarea[name=comment]", COMMENT)
    reviewer.click("#review button[value=kembalikan]")
    expect(reviewer.locator("#review .event-kembalikan blockquote")).to_contain_text("lengkapi target IKU")
    assert Notification.objects.filter(recipient=operator).count() == 1

    page = new_page()
    seen += watched(page)
    login(page, "operator.diskominfosan")
    if slow:
        throttle(page)
    page.goto("/")
    badge = page.get_by_test_id("notification-badge")
    expect(badge.locator(".unread-count")).to_have_text("1")
    badge.click()
    page.wait_for_url("**/notifikasi/")
    item = page.get_by_test_id("notification").first
    expect(item).to_contain_text("Dikembalikan dengan catatan")
    expect(item).to_contain_text(COMMENT)
    item.locator(".message a").click()
    page.wait_for_url(f"**{process.get_absolute_url()}")
    expect(page.locator("#review .event-kembalikan blockquote")).to_have_text(COMMENT)
    expect(page.locator("#review .event-kembalikan")).to_contain_text("Nurul Fitri")
    expect(page.get_by_test_id("notification-badge").locator(".unread-count")).to_have_count(0)

    page.goto("/notifikasi/?belum=1")
    expect(page.locator("#notification-list")).to_contain_text("Tidak ada notifikasi yang belum dibaca.")
    assert violations(reviewer) == [] and violations(page) == []
    assert seen == []
