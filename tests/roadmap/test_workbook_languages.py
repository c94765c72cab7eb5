"""A Peta Rencana workbook downloaded in one language of the interface reads in every other: its headers and the
choices written in its cells (area, status pelaksanaan, sumber, Ya/Tidak) are those of any language of
``settings.LANGUAGES``."""

from __future__ import annotations

import pytest
from django.utils import translation

from sia.roadmap.choices import ActivityStatus, Area, BudgetSource
from sia.roadmap.models import Activity, ActivityYear, Program
from sia.roadmap.workbook import build_workbook
from sia.roadmap.workbook_commit import commit_workbook

from .test_workbook import edit, errors, fingerprint, read, row_of

pytestmark = pytest.mark.django_db


def _varied(roadmap):
    """Choices whose labels differ between the languages: done, governance, other source."""
    Program.objects.filter(pk=roadmap.security.pk).update(area=Area.GOVERNANCE)
    Activity.objects.filter(pk=roadmap.s.pk).update(progress=ActivityStatus.DONE)
    ActivityYear.objects.filter(activity=roadmap.s, year=2026).update(source=BudgetSource.OTHER)


@pytest.mark.parametrize("written, read_in", [("en", "id"), ("id", "en")])
def test_a_workbook_downloaded_in_one_language_uploads_unchanged_in_the_other(world, roadmap, written, read_in):
    _varied(roadmap)
    admin = world.users["admin"]
    with translation.override(written):
        content = build_workbook(world.inst, admin)
    if written == "en":
        sheets = read(content)
        assert "Objective code*" in sheets["Kegiatan"][0]
        assert {"Governance", "Done", "Other", "Yes"} <= {v for s in sheets.values() for row in s for v in row}
    before = fingerprint()
    with translation.override(read_in):
        plan = commit_workbook(content, user=admin, institution=world.inst)
    assert plan.is_clean, errors(plan)
    assert plan.counts()["create"] == plan.counts()["update"] == 0
    assert fingerprint() == before


def test_an_english_workbook_edited_reads_in_indonesian(world, roadmap):
    admin = world.users["admin"]
    with translation.override("en"):
        content = build_workbook(world.inst, admin)
    content = edit(content, "Kegiatan", {(row_of(content, "Kegiatan", "KG-S"), "Implementation status"): "Done",
                                         (row_of(content, "Kegiatan", "KG-A"), "Name*"): "Renamed"})
    content = edit(content, "Anggaran", {(row_of(content, "Anggaran", "KG-D"), "Source"): "Other"})
    with translation.override("id"):
        plan = commit_workbook(content, user=admin, institution=world.inst)
    assert plan.is_clean, errors(plan)
    assert plan.counts()["update"] == 3
    roadmap.s.refresh_from_db()
    roadmap.a.refresh_from_db()
    assert (roadmap.s.progress, roadmap.a.name) == (ActivityStatus.DONE, "Renamed")
    assert ActivityYear.objects.get(activity=roadmap.d).source == BudgetSource.OTHER
