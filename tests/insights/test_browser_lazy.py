"""Parts loaded after the page say so when they cannot be had: a diagram whose drawing fails (503) or whose request
is lost on a dropped link leaves a message in its place, not "sedang dimuat…" for ever (sia.js, data-lazy-error)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from ..browser.conftest import browser, login, new_page  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("failure", ["server", "link"])
def test_a_diagram_that_cannot_be_had_says_so_and_the_lists_stay(new_page, world, landscape, failure):
    page = new_page()
    login(page, "koord")
    diagram = reverse("insights:impact_diagram", args=["server", landscape.sv1.pk, "html"])
    if failure == "server":
        page.route(f"**{diagram}*", lambda route: route.fulfill(status=503, body="Graphviz gagal"))
    else:
        page.route(f"**{diagram}*", lambda route: route.abort("internetdisconnected"))
    page.goto(reverse("insights:impact", args=["server", landscape.sv1.pk]))
    slot = page.get_by_test_id("diagram-slot")
    expect(slot).to_contain_text("Diagram tidak dapat dimuat saat ini")
    expect(slot).not_to_contain_text("sedang dimuat")
    expect(page.get_by_text("SIMKES").first).to_be_visible()  # the lists above say the same, in words


def test_an_operator_s_home_shows_their_opd_s_gap_numbers_and_the_opd_page_links_to_its_landscape(
        new_page, world, landscape):
    from sia.architecture.choices import ReviewStatus
    from sia.architecture.models import Service

    from .conftest import make

    make(Service, landscape.dinkes, "Layanan Draf Dinkes", status=ReviewStatus.DRAFT)  # no application: a gap
    page = new_page()
    login(page, "op.dinkes")
    page.goto("/")
    numbers = page.get_by_test_id("dashboard-gaps")
    expect(numbers).to_contain_text("Celah di OPD Anda: DINKES")  # loaded after the page, with htmx
    numbers.get_by_test_id("gap-layanan-tanpa-aplikasi").click()
    expect(page).to_have_url(f"{reverse('insights:gaps')}?opd={landscape.dinkes.pk}&jenis=layanan-tanpa-aplikasi")
    expect(page.get_by_text("Layanan Draf Dinkes")).to_be_visible()
    page.goto(landscape.dinkes.get_absolute_url())
    page.get_by_test_id("panel-landscape").click()
    expect(page).to_have_url(reverse("insights:landscape", args=[landscape.dinkes.pk]))
