"""A hand-built roadmap in the ``world``'s first instansi (period 2025-2029), with known sums."""

from decimal import Decimal

import pytest

from sia.architecture.choices import ArchitectureState
from sia.architecture.models import Application, Server
from sia.roadmap.choices import ActivityStatus, Area, BudgetSource
from sia.roadmap.models import Activity, ActivityGap, ActivityYear, Initiative, Program, StrategicTarget

from tests import factories as f


def make_activity(program, department, code, start=2025, end=2027, **kw):
    activity = Activity(program=program, department=department, code=code, name=f"Kegiatan {code}",
                        start_year=start, end_year=end, **kw)
    activity.full_clean()
    activity.save()
    return activity


def make_year(activity, year, budget, rka=None, done=False, **kw):
    row = ActivityYear(activity=activity, year=year, budget=Decimal(budget),
                       rka=None if rka is None else Decimal(rka), done=done, **kw)
    row.full_clean()
    row.save()
    return row


def link_gap(activity, obj):
    from django.contrib.contenttypes.models import ContentType

    link = ActivityGap(activity=activity, content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)
    link.full_clean()
    link.save()
    return link


@pytest.fixture
def roadmap(world):
    """Two programs (Aplikasi, Keamanan) with three kegiatan of DISKOMINFO and DINKES, and one cancelled:

    2025: KG-A (aplikasi) pagu 100, RKA 120, done; KG-S (keamanan) pagu 50, RKA 20
    2026: KG-A pagu 200, no RKA; KG-S pagu 50, RKA 50, done; KG-D (aplikasi, DINKES) pagu 30, RKA 10
    cancelled KG-X (aplikasi) 2025 pagu 1000: counted nowhere.
    Gaps: a to-be new application (closed by KG-A), a to-be upgrade application (not closed), a retiring server
    (closed by KG-S), an as-is application (no gap). KG-D closes no gap.
    """

    class Roadmap:
        pass

    r = Roadmap()
    r.target = StrategicTarget.objects.create(institution=world.inst, period="2025-2029", code="SS-01",
                                              name="Pelayanan publik yang cepat")
    r.initiative = Initiative.objects.create(target=r.target, code="IN-01", name="Layanan digital terpadu")
    r.apps = Program.objects.create(initiative=r.initiative, area=Area.APPLICATIONS, code="PR-01",
                                    name="Aplikasi umum berbagi pakai")
    r.security = Program.objects.create(initiative=r.initiative, area=Area.SECURITY, code="PR-02",
                                        name="Keamanan informasi")
    r.a = make_activity(r.apps, world.kominfo, "KG-A", progress=ActivityStatus.RUNNING)
    r.s = make_activity(r.security, world.kominfo, "KG-S", end=2026)
    r.d = make_activity(r.apps, world.dinkes, "KG-D", start=2026, end=2026)
    r.x = make_activity(r.apps, world.kominfo, "KG-X", end=2025, progress=ActivityStatus.CANCELLED)
    make_year(r.a, 2025, 100, 120, done=True)
    make_year(r.a, 2026, 200, source=BudgetSource.APBN_DAK)
    make_year(r.s, 2025, 50, 20)
    make_year(r.s, 2026, 50, 50, done=True)
    make_year(r.d, 2026, 30, 10)
    make_year(r.x, 2025, 1000, 1000)
    r.new_app = Application.objects.create(department=world.kominfo, name="Aplikasi baru bersama",
                                           state=ArchitectureState.TO_BE_NEW)
    r.old_app = Application.objects.create(department=world.kominfo, name="Aplikasi lama")
    r.upgrade = Application.objects.create(department=world.dinkes, name="Aplikasi dikembangkan",
                                           state=ArchitectureState.TO_BE_UPGRADE, upgrades=r.old_app)
    r.retiring = Server.objects.create(department=world.kominfo, name="Server tua", retiring=True)
    link_gap(r.a, r.new_app)
    link_gap(r.s, r.retiring)
    r.far_target = StrategicTarget.objects.create(institution=world.other, period="2025-2029", code="SS-01",
                                                  name="Sasaran kota")
    r.far_unit = f.work_unit(world.far, name="Bidang Kota")
    r.far_app = Application.objects.create(department=world.far, name="Aplikasi kota",
                                           state=ArchitectureState.TO_BE_NEW)
    return r
