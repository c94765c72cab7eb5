"""Each role's home page journey in Chromium: the operator fixes a returned item from home; the
verifikator goes through three items with "next" without going back; the koordinator validates
from home; the pimpinan reads the charts and their number tables."""

import re

import pytest
from playwright.sync_api import expect

from sia.architecture import workflow
from sia.architecture.choices import ReviewStatus as S
from sia.architecture.models import BusinessProcess
from sia.reference.loader import ensure_default_catalogs
from sia.reference.models import ReferenceNode

from ..browser.conftest import browser, login, new_page, page  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)
A = workflow.A


def make_process(department, name, **kw):
    reference = ReferenceNode.objects.current().national().get(code="RAB.09.03.04")
    return BusinessProcess.objects.create(department=department, name=name, reference=reference, **kw)


@pytest.fixture
def catalogs(db):
    ensure_default_catalogs()


def test_operator_fixes_a_returned_item_from_home(page, world, catalogs):
    process = make_process(world.kominfo, "Pengelolaan Data Statistik")
    workflow.apply(process, A.SUBMIT, world.users["operator"])
    workflow.apply(process, A.RETURN, world.users["verifier"], "Uraian belum menjelaskan keluaran proses.")

    login(page, "op.kominfo")
    page.goto("/")
    item = page.locator("#panel-tasks [data-testid=returned-item]", has_text=process.code)
    expect(item.locator("[data-testid=return-comment]")).to_contain_text("Uraian belum menjelaskan keluaran proses.")
    expect(page.locator("#chart-kelengkapan-opd svg")).to_be_visible()

    item.get_by_role("link", name="Perbaiki").click()
    page.fill("#id_description", "Menghimpun data statistik sektoral; keluaran: buku data tahunan.")
    page.click("form.edit button[type=submit].primary")
    expect(page.locator("h1")).to_contain_text("Pengelolaan Data Statistik")
    page.click("button[name=action][value=ajukan]")
    expect(page.locator(".badge.status-diajukan").first).to_be_visible()
    process.refresh_from_db()
    assert process.status == S.SUBMITTED and process.description.startswith("Menghimpun")

    page.goto("/")
    expect(page.locator("#panel-tasks [data-testid=returned-item]")).to_have_count(0)


def test_verifier_goes_through_three_items_with_next(page, world, catalogs):
    from datetime import timedelta

    from django.contrib.contenttypes.models import ContentType
    from django.db.models import F

    from sia.architecture.models import ReviewEvent

    items = []
    for days, (department, operator, name) in zip((9, 5, 2), (
        (world.dinkes, "operator_dinkes", "Pelayanan Kesehatan Rujukan"),
        (world.kominfo, "operator", "Pengelolaan Data Statistik"),
        (world.kominfo, "operator", "Pengelolaan Informasi Publik"),
    )):
        obj = make_process(department, name)
        workflow.apply(obj, A.SUBMIT, world.users[operator])
        ReviewEvent.objects.filter(content_type=ContentType.objects.get_for_model(BusinessProcess),
                                   object_id=obj.pk).update(created=F("created") - timedelta(days=days))
        workflow.restamp(BusinessProcess, [obj.pk])
        items.append(obj)
    first, second, third = items

    login(page, "verif")
    page.goto("/")
    rows = page.locator("[data-testid=queue-verifikasi] tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text(first.code)
    expect(rows.first.locator("td.num")).to_have_text("9")
    page.click("[data-testid=start-verifikasi]")

    expect(page.locator("h1")).to_contain_text(first.name)
    expect(page.locator("input[name=next][value=queue]")).to_be_checked()
    page.click("button[name=action][value=verifikasi]")

    page.wait_for_url(re.compile(rf"/proses-bisnis/{second.pk}/"))
    expect(page.locator(".flash.success")).to_contain_text(first.code)
    page.fill("#id_comment", "Target IKU belum terukur.")
    page.click("button[name=action][value=kembalikan]")

    page.wait_for_url(re.compile(rf"/proses-bisnis/{third.pk}/"))
    page.click("button[name=action][value=verifikasi]")

    page.wait_for_url(re.compile(r"/$"))
    expect(page.locator(".flash.info")).to_contain_text("Antrean selesai")
    expect(page.locator("#panel-queue-verifikasi .empty")).to_be_visible()
    statuses = dict(BusinessProcess.objects.values_list("pk", "status"))
    assert statuses == {first.pk: S.VERIFIED, second.pk: S.RETURNED, third.pk: S.VERIFIED}


def test_koordinator_validates_from_home(page, world, catalogs):
    process = make_process(world.kominfo, "Pengelolaan Data Statistik")
    workflow.apply(process, A.SUBMIT, world.users["operator"])
    workflow.apply(process, A.VERIFY, world.users["verifier"])

    login(page, "koord")
    page.goto("/")
    row = page.locator("#panel-queue-validasi tr", has_text=process.code)
    row.get_by_role("button", name="Validasi").click()
    page.wait_for_url(re.compile(r"/#panel-queue-validasi$"))
    expect(page.locator(".flash.success")).to_contain_text(process.code)
    expect(page.locator("#panel-queue-validasi tr", has_text=process.code)).to_have_count(0)
    process.refresh_from_db()
    assert process.status == S.VALIDATED


def test_pimpinan_reads_charts_and_their_tables(page, world, catalogs):
    from tests.evaluation.conftest import DEMO_LEVELS, make_assessment

    from sia.evaluation.frameworks import install_default_frameworks

    framework = install_default_frameworks()[0]
    make_assessment(world, framework, levels={n: max(1, v - 1) for n, v in DEMO_LEVELS.items()}, year=2023)
    make_assessment(world, framework, levels=DEMO_LEVELS)
    process = make_process(world.kominfo, "Pengelolaan Data Statistik")
    workflow.apply(process, A.SUBMIT, world.users["operator"])

    login(page, "pimpinan1")
    page.goto("/")
    for chart in ("kelengkapan", "progres-review"):
        expect(page.locator(f"svg[data-chart={chart}]")).to_be_visible()
    index_chart = page.locator("#panel-evaluation svg.viz")
    expect(index_chart).to_be_visible()
    expect(index_chart.locator("text", has_text="Memuaskan")).to_have_count(1)
    expect(page.locator("[data-testid=predicate-bands]")).to_contain_text("Cukup")
    expect(page.locator("[data-testid=dashboard-index]")).to_have_text("2,49")

    progress = page.locator("#panel-review-progress")
    table = progress.locator("table[data-chart-table=progres-review]")
    expect(table).to_be_hidden()
    progress.locator("summary").click()
    expect(table).to_be_visible()
    expect(table.locator("tbody tr").first).to_contain_text("Proses Bisnis")

    evaluation = page.locator("#panel-evaluation")
    evaluation.locator("summary").click()
    expect(evaluation.locator("table tbody tr", has_text="2024")).to_contain_text("Cukup")
    expect(page.locator("button[name=action]")).to_have_count(0)
