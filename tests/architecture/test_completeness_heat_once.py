"""The home page's completeness heat map is drawn once per kept completeness table (``CompletenessTable.once``), and
drawn again, with the new figures, after a change makes the table stale."""

import re

import pytest
from django.test import Client

from sia.architecture import dashboard
from sia.architecture.models import BusinessProcess
from tests.architecture.conftest import node

pytestmark = pytest.mark.django_db


def heat_cells(response) -> list[str]:
    """The heat map's cell titles as the page draws them ("DISKOMINFO · Proses Bisnis: 1 · 17%")."""
    return re.findall(r'<rect class="heat-[^"]*"[^>]*><title>([^<]*)</title>', response.content.decode())


def test_the_heat_map_is_drawn_once_per_table_and_again_after_a_change(world, monkeypatch):
    BusinessProcess.objects.create(department=world.kominfo, name="Pelayanan izin", reference=node("RAB.09.03.04"))
    drawn = []
    draw = dashboard.heat_chart
    monkeypatch.setattr(dashboard, "heat_chart", lambda table: drawn.append(table) or draw(table))
    client = Client()
    client.force_login(world.users["admin"])
    first = client.get("/")
    second = client.get("/")
    assert len(drawn) == 1 and first.status_code == second.status_code == 200
    assert heat_cells(first) == heat_cells(second) != []
    obj = BusinessProcess.objects.get(name="Pelayanan izin")
    obj.kpi, obj.description = "Waktu layanan", "Layanan perizinan terpadu"
    obj.save()
    third = client.get("/")
    assert len(drawn) == 2 and drawn[1] is not drawn[0]
    assert heat_cells(third) != heat_cells(first)  # the cell of the edited kind shows its new percent
