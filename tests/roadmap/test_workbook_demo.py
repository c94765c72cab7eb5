"""The demo Peta Rencana (``sia demo``: about forty kegiatan of many OPDs, years, gaps, review statuses) through the
workbook: its export uploaded unchanged by the koordinator changes nothing, and an OPD operator may upload it too."""

import io

import openpyxl
import pytest

from sia.core.models import User
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


def test_an_operator_uploads_the_koordinators_export_with_two_of_their_cells_edited(demo):  # noqa: F811
    """The koordinator's export holds gaps of other OPDs' kegiatan the operator may not see: rows the operator did
    not change are left alone (their hidden gaps are kept), only the two edited cells change."""
    koordinator = User.objects.get(username="koordinator")
    operator = User.objects.get(username="operator.diskominfosan")
    content = build_workbook(demo, koordinator)
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book["Kegiatan"]
    headers = [cell.value for cell in sheet[1]]
    mine = [row for row in range(2, sheet.max_row + 1)
            if sheet.cell(row, headers.index("OPD*") + 1).value == "DISKOMINFOSAN"][:2]
    assert len(mine) == 2
    for row in mine:
        sheet.cell(row, headers.index("Keluaran") + 1, value=f"Keluaran baru {row}")
    output = io.BytesIO()
    book.save(output)
    before = fingerprint()
    plan = commit_workbook(output.getvalue(), user=operator, institution=demo)
    assert plan.is_clean, [str(p) for p in plan.errors][:5]
    assert [(c["sheet"], c["row"], c["action"], c["fields"]) for c in plan.changes()] == [
        ("Kegiatan", row, "update", ["Keluaran"]) for row in mine]
    after = fingerprint()
    assert {k: v for k, v in after.items() if k != "Activity"} == {k: v for k, v in before.items() if k != "Activity"}
    assert sorted(Activity.objects.filter(output__startswith="Keluaran baru").values_list("department__abbreviation",
                                                                                           flat=True)) == [
        "DISKOMINFOSAN", "DISKOMINFOSAN"]
