"""An Excel import does not blindly overwrite an edit made on the web after the workbook was exported
(issue 9, item 5, for the import path): an export carries each object's version in a hidden sheet, and
a changed row of an object changed since is refused, naming both versions."""

import pytest

from sia.architecture.models import BusinessProcess

from .helpers import edit, export, plan, problems, read, row_of
from .test_import import commit

pytestmark = pytest.mark.django_db

NEW_NAME = "Pengelolaan Data Statistik Sektoral"


def _web_edit(process):
    """A colleague changes the target on the web (the version goes up, as every edit does)."""
    BusinessProcess.objects.filter(pk=process.pk).update(kpi_target="99%", lock_version=process.lock_version + 1)


def test_an_old_workbook_does_not_revert_a_later_web_edit(ex, world):
    user = world.users["admin"]
    content = export(user, world.inst)
    _web_edit(ex.process)
    row = row_of(content, "Proses Bisnis", ex.process.code)
    result = plan(edit(content, [("Proses Bisnis", row, "Nama *", NEW_NAME)]), user, world.inst)
    assert [(p[0], p[1], p[2]) for p in problems(result)] == [("Proses Bisnis", row, "ID")]
    assert "versi 1, kini 2" in problems(result)[0][3]
    ex.process.refresh_from_db()
    assert (ex.process.kpi_target, ex.process.name) == ("99%", "Pengelolaan Data Statistik")


def test_the_old_file_as_it_was_is_refused_too_and_a_fresh_export_imports(ex, world):
    user = world.users["admin"]
    old = export(user, world.inst)
    _web_edit(ex.process)
    # Its old target differs from the new one: uploading it as it was would undo the web edit.
    assert [p[2] for p in problems(plan(old, user, world.inst))] == ["ID"]
    assert plan(export(user, world.inst), user, world.inst).problems == []
    fresh = export(user, world.inst)
    assert "Versi" in read(fresh)
    commit(edit(fresh, [("Proses Bisnis", row_of(fresh, "Proses Bisnis", ex.process.code), "Nama *", NEW_NAME)]),
           user, world.inst)
    ex.process.refresh_from_db()
    assert (ex.process.kpi_target, ex.process.name) == ("99%", NEW_NAME)
