"""Attaching an export from the panel onto one evidence item of an 8/2026 indicator (optional ``item``)."""

import pytest

from sia.evaluation.models import Evidence

from .conftest import make_assessment
from .test_attach import attach_url, client_for, page_url

pytestmark = pytest.mark.django_db


def test_the_panel_offers_the_items_and_the_export_lands_on_the_chosen_one(world, records, pemdi):
    assessment = make_assessment(world, pemdi, year=2026)
    client = client_for(world.users["assessor"])
    html = client.get(page_url(assessment, 13)).content.decode()
    assert 'name="item"' in html and '<option value="I13-L2-01">I13-L2-01</option>' in html
    response = client.post(attach_url(assessment, 13, "aplikasi"), {"item": "I13-L2-01"}, follow=True)
    assert "Pada butir I13-L2-01." in response.content.decode()
    assert Evidence.objects.get(assessment=assessment).item.code == "I13-L2-01"


@pytest.mark.parametrize("code, message", [
    ("I14-L2-01", "I14-L2-01"),  # an item of another indicator: named, refused
    ("I99-L9-99", "Butir I99-L9-99 tidak ada"),
])
def test_an_item_of_another_indicator_or_unknown_is_refused_and_nothing_stored(world, records, pemdi, code, message):
    assessment = make_assessment(world, pemdi, year=2026)
    response = client_for(world.users["assessor"]).post(attach_url(assessment, 13, "aplikasi"), {"item": code},
                                                        follow=True)
    assert message in response.content.decode()
    assert not Evidence.objects.filter(assessment=assessment).exists()


def test_without_an_item_the_export_is_attached_to_the_indicator_only(world, records, pemdi):
    assessment = make_assessment(world, pemdi, year=2026)
    client_for(world.users["assessor"]).post(attach_url(assessment, 13, "aplikasi"), {"item": ""})
    assert Evidence.objects.get(assessment=assessment).item is None
