"""An instansi snapshot carries its roadmap, and a restore re-attaches the gap links to the restored objects."""

from decimal import Decimal

import pytest

from sia.architecture.models import Application, Server
from sia.architecture.values import seed_value_lists
from sia.exchange.snapshot import uncovered_models
from sia.exchange.snapshot_export import export_institution
from sia.exchange.snapshot_restore import restore_institution
from sia.roadmap import figures
from sia.roadmap.models import Activity, ActivityGap

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_roadmap_survives_a_snapshot_round_trip(roadmap, world):
    seed_value_lists(world.inst)
    roadmap.a.units.set([f.work_unit(world.kominfo, name="Aptika")])
    assert uncovered_models() == []

    restored = restore_institution(export_institution(world.inst), code="9994", confirm_users=True).institution

    activity = Activity.objects.get(institution=restored, code="KG-A")
    assert activity.program.initiative.target.institution == restored
    assert [u.name for u in activity.units.all()] == ["Aptika"]
    assert activity.units.get().department.institution == restored
    links = ActivityGap.objects.filter(activity__institution=restored)
    targets = {type(link.target): link.target for link in links}
    assert targets[Application].name == "Aplikasi baru bersama" and targets[Application].institution == restored
    assert targets[Server].institution == restored
    assert figures.alignment_by_year(restored) == figures.alignment_by_year(world.inst)
    assert figures.budget_by_year_and_area(restored)[2026]["aplikasi"] == Decimal("230")
