"""The targets journey of issue 17 in a real browser, on the demo province (``sia demo``): the koordinator opens the
progress page through the menu (the instansi's burn-up over 60 days, the targets with their late OPDs), creates a
target typed on a slow link (every application of every OPD verified, begun six weeks ago, due in two), sees on its page the OPDs
late against it and the burn-up with its target line, and finds it with its late OPDs on the progress page. No page
reports a console error or a CSP violation."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from sia.progress.choices import TargetState
from sia.progress.models import Target
from sia.progress.rules import evaluate

from ..browser.conftest import browser, login, new_page  # noqa: F401 (fixtures)
from ..browser.watch import FAST_LINK, throttle, violations, watched
from .. import demo as demo_data

pytestmark = pytest.mark.django_db(transaction=True)

NAME = "Seluruh aplikasi OPD diverifikasi sebelum rapat koordinasi"


def test_koordinator_creates_a_target_and_sees_late_opds_and_the_burnup(new_page):
    demo_data.build()
    start, deadline = timezone.localdate() - timedelta(days=45), timezone.localdate() + timedelta(days=14)
    page = new_page()
    page.set_viewport_size({"width": 1366, "height": 900})
    seen = watched(page)
    login(page, "koordinator", "sia-demo-2024")

    menu = page.locator("details.menu", has=page.locator("summary", has_text="Program"))
    menu.locator("summary").click()
    menu.get_by_role("link", name="Kemajuan").click()
    page.wait_for_url(f"**{reverse('progress:overview')}")
    burnup = page.locator("svg[data-chart='kemajuan-instansi']")
    expect(burnup.locator("polyline.burn-count")).to_have_count(1)
    points = burnup.locator("polyline.burn-count").get_attribute("points").split()
    assert len(points) == 60  # sixty days of history
    expect(page.locator("[data-testid=progress-targets] [data-late-opd]").first).to_be_visible()
    assert violations(page) == []

    page.get_by_test_id("add-target").click()
    page.wait_for_url(f"**{reverse('progress:target_add')}")
    cdp = throttle(page)
    page.locator("input[name=name]").press_sequentially(NAME, delay=15)
    page.select_option("select[name=rule]", "pengajuan")
    page.select_option("select[name=domain]", "aplikasi")
    page.select_option("select[name=level]", "diverifikasi")
    page.fill("input[name=start_date]", start.isoformat())  # the programme began six weeks ago
    page.fill("input[name=deadline]", deadline.isoformat())
    expect(page.locator("input[name=name]")).to_have_value(NAME)
    cdp.send("Network.emulateNetworkConditions", FAST_LINK)
    page.click("form.edit button[type=submit].primary")

    target = Target.objects.get(name=NAME)
    page.wait_for_url(f"**{target.get_absolute_url()}")
    assert (target.rule, target.domain, target.level, target.start_date, target.deadline, target.department) == (
        "pengajuan", "aplikasi", "diverifikasi", start, deadline, None)
    result = evaluate(target)
    late = [row.department.abbreviation for row in result.late_rows]
    assert late and result.state == TargetState.LATE
    expect(page.get_by_test_id("target-state")).to_have_text(str(TargetState.LATE.label))
    for abbreviation in late[:3]:
        expect(page.locator(f"[data-testid=target-breakdown] tr[data-opd='{abbreviation}']")).to_have_attribute(
            "data-state", TargetState.LATE.value)
    chart = page.locator(f"svg[data-chart='target-{target.pk}']")
    expect(chart.locator("polyline.viz-target")).to_have_count(1)
    expect(chart.locator("polyline.burn-validated")).to_have_count(1)
    assert violations(page) == []

    page.goto(reverse("progress:overview"))
    row = page.locator(f"[data-testid=progress-targets] tr[data-target='{target.pk}']")
    expect(row).to_have_attribute("data-state", TargetState.LATE.value)
    expect(row.locator(f"[data-late-opd='{late[0]}']")).to_be_visible()
    assert violations(page) == []
    assert seen == []
