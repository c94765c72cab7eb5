"""The demo Peta Rencana (``sia demo``: about forty kegiatan of many OPDs, years, gaps, review statuses) through the
workbook: its export uploaded unchanged by the koordinator changes nothing, and an OPD operator may upload it too."""

import pytest

from sia.core.roles import Role
from sia.organizations.models import Membership
from sia.roadmap.models import Activity
from sia.roadmap.workbook import build_workbook
from sia.roadmap.workbook_commit import commit_workbook
from sia.roadmap.workbook_import import plan_workbook

from .test_demo import demo  # noqa: F401
from .test_workbook import fingerprint

pytestmark = pytest.mark.django_db


def test_the_demo_roadmap_round_trips_unchanged(demo):  # noqa: F811
    koordinator = Membership.objects.filter(institution=demo, role=Role.ADMIN, user__username="koordinator").get().user
    content = build_workbook(demo, koordinator)
    before = fingerprint()
    plan = commit_workbook(content, user=koordinator, institution=demo)
    assert plan.is_clean, [str(p) for p in plan.errors][:5]
    assert plan.counts()["create"] == plan.counts()["update"] == 0
    assert plan.counts()["unchanged"] >= Activity.objects.filter(institution=demo).count()
    assert fingerprint() == before
    operator = Membership.objects.filter(institution=demo, role=Role.OPERATOR).first().user
    plan = plan_workbook(build_workbook(demo, operator), user=operator, institution=demo)
    assert plan.is_clean, [str(p) for p in plan.errors][:5]
