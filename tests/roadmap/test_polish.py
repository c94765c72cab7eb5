"""Polish of the roadmap pages (review of issue 14): the years text, the history's gap rows, the timeline's area
filter and the warning on a kegiatan marked selesai with years not done."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from sia.roadmap.timeline import years_text


@pytest.fixture(autouse=True)
def in_2026(monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **kw: date(2026, 6, 1))


def html_of(user, url):
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_one_year_kegiatan_reads_one_year_on_its_page_and_the_timeline(roadmap, world):
    assert years_text(roadmap.d) == "2026" and years_text(roadmap.a) == "2025–2027"
    page = html_of(world.users["admin"], reverse("roadmap:activity", args=[roadmap.d.pk]))
    assert "2026–2026" not in page and "<dd>2026</dd>" in page
    assert "<dd>2025–2027</dd>" in html_of(world.users["admin"], reverse("roadmap:activity", args=[roadmap.a.pk]))
    timeline = html_of(world.users["admin"], reverse("roadmap:timeline"))
    assert "2026–2026" not in timeline and "KG-D · 2026 ·" in timeline
    target = html_of(world.users["admin"], roadmap.target.get_absolute_url())
    assert "2026–2026" not in target and "<td>2026</td>" in target
