"""The koordinator's export in an OPD operator's hands: gaps the operator may not see, named in rows they did not
change, are kept and are no error; only what the operator changed is checked and written."""

from __future__ import annotations

import pytest

from sia.architecture.choices import ArchitectureState
from sia.architecture.models import Application
from sia.roadmap.models import ActivityGap
from sia.roadmap.workbook import build_workbook
from sia.roadmap.workbook_commit import commit_workbook
from sia.roadmap.workbook_import import plan_workbook

from .conftest import link_gap
from .test_workbook import edit, errors, fingerprint, read, row_of

pytestmark = pytest.mark.django_db


def test_an_operator_uploads_the_koordinators_export_with_hidden_gaps(world, roadmap):
    hidden = Application.objects.create(department=world.dinkes, name="Draf Dinkes", state=ArchitectureState.TO_BE_NEW)
    other = Application.objects.create(department=world.dinkes, name="Draf lain", state=ArchitectureState.TO_BE_NEW)
    link_gap(roadmap.d, hidden)  # a kegiatan of DINKES the operator of DISKOMINFO may not change
    link_gap(roadmap.a, hidden)  # their own kegiatan
    content = build_workbook(world.inst, world.users["admin"])
    row_a, row_d = row_of(content, "Kegiatan", "KG-A"), row_of(content, "Kegiatan", "KG-D")
    assert hidden.code in read(content)["Kegiatan"][row_d - 1][11]
    operator = world.users["operator"]  # DISKOMINFO
    before = fingerprint()
    plan = plan_workbook(content, user=operator, institution=world.inst)
    assert plan.is_clean, errors(plan)
    assert plan.counts()["update"] == 0 and fingerprint() == before

    plan = commit_workbook(edit(content, "Kegiatan", {(row_a, "Nama*"): "Diubah operator"}), user=operator,
                           institution=world.inst)
    assert plan.is_clean, errors(plan)
    assert [(c["code"], c["fields"]) for c in plan.changes()] == [("KG-A", ["Nama"])]
    assert set(ActivityGap.objects.filter(activity=roadmap.a).values_list("object_id", flat=True)) == {
        roadmap.new_app.pk, hidden.pk}
    assert ActivityGap.objects.filter(activity=roadmap.d, object_id=hidden.pk).exists()

    content = build_workbook(world.inst, world.users["admin"])
    cell = read(content)["Kegiatan"][row_a - 1][11]
    named = edit(content, "Kegiatan", {(row_a, "Gap ditutup"): f"{cell}; aplikasi:{other.code}"})
    plan = plan_workbook(named, user=operator, institution=world.inst)
    assert errors(plan) == [("Kegiatan", row_a, "Gap ditutup", f"Aplikasi {other.code} tidak ada di arsitektur "
                             "instansi ini (atau tidak dapat Anda lihat).")]
