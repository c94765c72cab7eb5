"""Money on the kegiatan page, its history and its form: rupiah as the overview writes them, right-aligned; the
form's number inputs hold a plain whole number."""

from decimal import Decimal

from django.urls import reverse

from sia.roadmap.models import ActivityYear

from .test_forms import client_for


def test_the_kegiatan_page_shows_rupiah_right_aligned(roadmap, world):
    ActivityYear.objects.filter(activity=roadmap.a, year=2026).update(budget=Decimal("1250000000"),
                                                                       rka=Decimal("1000000"))
    html = client_for(world.users["admin"]).get(reverse("roadmap:activity", args=[roadmap.a.pk])).content.decode()
    assert '<td class="num">Rp 1.250.000.000</td>' in html and '<td class="num">Rp 1.000.000</td>' in html
    assert "1250000000" not in html and 'class="list compact rm-money"' in html


def test_the_history_shows_rupiah(roadmap, world):
    row = roadmap.a.years.get(year=2026)
    row.budget = Decimal("1250000000")
    row.save()
    html = client_for(world.users["admin"]).get(
        reverse("roadmap:activity_history", args=[roadmap.a.pk])).content.decode()
    assert "Rp 1.250.000.000" in html and "Rp 200" in html and "1250000000" not in html


def test_the_form_shows_a_whole_pagu_without_decimals(roadmap, world):
    ActivityYear.objects.filter(activity=roadmap.a, year=2026).update(budget=Decimal("1250000000"))
    html = client_for(world.users["operator"]).get(
        reverse("roadmap:activity_edit", args=[roadmap.a.pk])).content.decode()
    assert 'value="1250000000"' in html and "1250000000.00" not in html

