"""Layout on a 1366 px laptop screen: long names wrap instead of widening the page, and the top menu stays on one line."""

import pytest
from playwright.sync_api import expect

from sia.architecture.models import BusinessProcess, Service
from sia.core.roles import Role

from .. import factories as f
from ..browser.conftest import browser, login, new_page, page  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

WIDTH = 1366
LONG_NAME = "Pengelolaan" + "DataStatistikSektoralTerpaduProvinsi" * 8 + "X" * 1  # one word, 300 characters


def wide_page(new_page):
    page = new_page()
    page.set_viewport_size({"width": WIDTH, "height": 800})
    return page


def page_width(page) -> int:
    return page.evaluate("() => document.scrollingElement.scrollWidth")


def test_a_300_character_name_wraps_on_list_and_detail_pages(new_page, world):
    assert len(LONG_NAME) == 300
    process = BusinessProcess.objects.create(department=world.kominfo, name=LONG_NAME)
    service = Service.objects.create(department=world.kominfo, name=LONG_NAME[::-1])
    service.processes.set([process])
    service.name = LONG_NAME[::-1].lower()  # the history shows the long name before and after
    service.save()

    page = wide_page(new_page)
    login(page, "op.kominfo")
    for path in ("/arsitektur/layanan/", service.get_absolute_url(), "/arsitektur/proses-bisnis/",
                 process.get_absolute_url(), service.get_absolute_url() + "ubah/",
                 service.get_absolute_url() + "riwayat/"):
        page.goto(path)
        expect(page.locator("#main").get_by_text(LONG_NAME[:40]).or_(
            page.locator("#main").get_by_text(LONG_NAME[::-1][:40])).first).to_be_visible()
        assert page_width(page) <= WIDTH, f"{path} is {page_width(page)} px wide"


def topbar_rows(page) -> list[int]:
    """The distinct rows (top edges, rounded) on which the top bar's items sit."""
    return page.evaluate(
        """() => {
            const items = document.querySelectorAll(
                '.topbar > *, .mainnav > *, .session > *');
            const tops = new Set();
            for (const item of items) {
                const box = item.getBoundingClientRect();
                if (box.width && box.height) tops.add(Math.round((box.top + box.bottom) / 2 / 8));
            }
            return [...tops];
        }"""
    )


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("username", ["koord", "super", "op.kominfo", "verif", "pimpinan1"])
def test_the_top_menu_fits_one_line_at_1366_px(new_page, live_server, world, username, language):
    """The koordinator sees the most groups, the superuser the most entries; names as long as the demo's."""
    account = world.users["superuser"] if username == "super" else type(world.users["admin"]).objects.get(username=username)
    account.first_name, account.last_name = "Koordinator SPBE", "(Tim Koordinasi Provinsi Maluku Utara)"
    account.save()
    page = wide_page(new_page)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    login(page, username)
    page.goto("/")
    nav = page.locator("nav.mainnav")
    expect(nav).to_be_visible()
    link_height = page.locator("nav.mainnav > a").first.bounding_box()["height"]
    nav_height = nav.bounding_box()["height"]
    assert nav_height < 2 * link_height, f"the menu of {username} takes {nav_height} px ({link_height} px a line)"
    rows = topbar_rows(page)
    assert len(rows) == 1, f"the top bar of {username} spreads over {len(rows)} rows"
    assert page_width(page) <= WIDTH
    # every group still opens (a <details> dropdown) and lists its entries, the account's links included
    for group in page.locator("header.topbar details").all():
        group.locator("summary").click()
        expect(group.locator("a, button").first).to_be_visible()
        group.locator("summary").click()
    account_menu = page.locator("details.account")
    account_menu.locator("summary").click()
    if username == "super":
        expect(account_menu.locator("a[href='/admin/']")).to_be_visible()
    account_menu.locator("button[type=submit]").click()
    page.wait_for_url("**/akun/login/**")

