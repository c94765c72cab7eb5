"""The Aplikasi workbook: several values and OPDs in one cell, and the "Integrasi Aplikasi" sheet."""

import pytest

from sia.architecture.choices import IntegrationChannel, IntegrationDirection, ReviewStatus
from sia.architecture.models import Application, ApplicationIntegration, ValueListItem
from sia.architecture.values import value
from sia.exchange.committer import write_plan

from .helpers import edit, export, plan, problems, read, row_of, workbook

pytestmark = pytest.mark.django_db

AP = ["ID", "Perangkat daerah *", "Nama *", "Basis aplikasi", "Bahasa pemrograman", "OPD pengguna lain"]
INT = ["Aplikasi sumber *", "Aplikasi tujuan *", "Arah", "Jalur", "Data yang dipertukarkan *", "Keterangan"]


def commit(content, user, inst):
    result = plan(content, user, inst)
    assert not result.errors, problems(result)
    write_plan(result, user=user)
    return result


def names(manager, attribute="name"):
    return sorted(getattr(obj, attribute) for obj in manager.all())


@pytest.fixture
def sikda(app, world):
    """A DINKES application that the fixture's application sends data to."""
    target = Application.objects.create(department=world.dinkes, name="SIKDA Generik")
    ApplicationIntegration.objects.create(
        institution=world.inst, source=app, target=target, direction=IntegrationDirection.ONE_WAY,
        channel=IntegrationChannel.SPLP, data_exchanged="Data statistik kesehatan",
    )
    return target


def header(sheet_rows, wanted):
    return sheet_rows[0].index(wanted)


def test_export_writes_several_values_and_opds_and_the_integrations(app, sikda, world):
    content = export(world.users["admin"], world.inst, [Application])
    sheets = read(content)
    assert list(sheets)[:3] == ["Petunjuk", "Aplikasi", "Integrasi Aplikasi"]
    rows = sheets["Aplikasi"]
    row = rows[row_of(content, "Aplikasi", app.code) - 1]
    assert row[header(rows, "Basis aplikasi")] == "Mobile; Web"
    assert row[header(rows, "Bahasa pemrograman")] == "Python"
    assert row[header(rows, "OPD pengguna lain")] == "DINKES"
    assert sheets["Integrasi Aplikasi"] == [INT, [
        app.code, sikda.code, "Satu arah (sumber ke tujuan)", "Melalui SPLP", "Data statistik kesehatan", None]]


def test_the_export_uploaded_unchanged_changes_nothing(app, sikda, world):
    user = world.users["admin"]
    result = plan(export(user, world.inst, [Application]), user, world.inst)
    assert not result.errors, problems(result)
    assert result.counts() == {"create": 0, "update": 0, "unchanged": 3}


def test_values_and_opds_read_back_case_insensitively(app, world):
    user = world.users["admin"]
    content = export(user, world.inst, [Application])
    row = row_of(content, "Aplikasi", app.code)
    edited = edit(content, [
        ("Aplikasi", row, "Basis aplikasi", "web;  DESKTOP"),
        ("Aplikasi", row, "Bahasa pemrograman", "php; python; PHP"),
        ("Aplikasi", row, "OPD pengguna lain", "dinkes"),
    ])
    result = commit(edited, user, world.inst)
    assert result.counts()["update"] == 1
    assert sorted(result.changes()[0]["fields"]) == ["Bahasa pemrograman", "Basis aplikasi"]
    assert names(app.platforms) == ["Desktop", "Web"] and names(app.languages) == ["PHP", "Python"]
    assert names(app.user_departments, "abbreviation") == ["DINKES"]
    content = export(user, world.inst, [Application])
    edited = edit(content, [("Aplikasi", row, "OPD pengguna lain", None), ("Aplikasi", row, "Basis aplikasi", None)])
    commit(edited, user, world.inst)
    assert not app.user_departments.exists() and not app.platforms.exists()


def test_a_value_no_longer_offered_stays_while_the_cell_names_it(app, world):
    user = world.users["admin"]
    ValueListItem.objects.filter(pk=value(world.inst, "basis-aplikasi", "Mobile").pk).update(is_active=False)
    content = export(user, world.inst, [Application])
    row = row_of(content, "Aplikasi", app.code)
    assert plan(content, user, world.inst).counts()["unchanged"] == 1
    result = plan(edit(content, [("Aplikasi", row, "Basis aplikasi", "Web; Desktop; Mobile")]), user, world.inst)
    assert not result.errors, problems(result)
    other = Application.objects.create(department=world.kominfo, name="Aplikasi Lain")
    new_row = edit(content, [("Aplikasi", row, "ID", other.code), ("Aplikasi", row, "Basis aplikasi", "Mobile")])
    assert any("“Mobile” tidak ada dalam daftar basis aplikasi" in p[3] for p in problems(plan(new_row, user, world.inst)))


def test_unknown_values_and_opds_are_named_each(app, world):
    content = workbook({"Aplikasi": [AP, ["", "DISKOMINFO", "Aplikasi Baru", "Web; Android; Kiosk", "Python",
                                          "DINKES; DKL"]]})
    result = plan(content, world.users["admin"], world.inst)
    found = problems(result)
    assert ("Aplikasi", 2, "Basis aplikasi",
            "“Android” tidak ada dalam daftar basis aplikasi (Desktop, Lainnya, Mobile, Web). "
            "“Kiosk” tidak ada dalam daftar basis aplikasi (Desktop, Lainnya, Mobile, Web).") in found
    assert ("Aplikasi", 2, "OPD pengguna lain", "OPD “DKL” tidak dikenal di Pemerintah Provinsi Contoh.") in found


def test_a_new_application_and_its_integrations_in_one_file(app, world):
    user = world.users["admin"]
    content = workbook({
        "Aplikasi": [AP, ["AP-DISKOMINFO-050", "DISKOMINFO", "Portal Satu Data", "Web", "PHP; JavaScript/TypeScript",
                          "DINKES"]],
        "Integrasi Aplikasi": [
            INT,
            [app.code, "ap-diskominfo-050", "Dua arah", "Langsung", "Data statistik sektoral", "Harian"],
        ],
    })
    result = commit(content, user, world.inst)
    assert result.counts() == {"create": 2, "update": 0, "unchanged": 0}
    portal = Application.objects.get(code="AP-DISKOMINFO-050")
    assert names(portal.languages) == ["JavaScript/TypeScript", "PHP"]
    link = ApplicationIntegration.objects.get(source=app, target=portal)
    assert (link.direction, link.channel, link.data_exchanged, link.description, link.institution_id) == (
        IntegrationDirection.TWO_WAY, IntegrationChannel.DIRECT, "Data statistik sektoral", "Harian", world.inst.pk)
    assert link.history.count() == 1


def test_an_integration_row_updates_the_pair_it_names(app, sikda, world):
    user = world.users["admin"]
    content = export(user, world.inst, [Application])
    edited = edit(content, [("Integrasi Aplikasi", 2, "Jalur", "Langsung (tanpa SPLP)"),
                            ("Integrasi Aplikasi", 2, "Keterangan", "Setiap malam")])
    result = commit(edited, user, world.inst)
    assert result.counts() == {"create": 0, "update": 1, "unchanged": 2}
    assert result.changes()[0]["code"] == f"{app.code} → {sikda.code}"
    link = ApplicationIntegration.objects.get()
    assert (link.channel, link.description) == (IntegrationChannel.DIRECT, "Setiap malam")


def test_the_same_pair_twice_in_a_file_is_refused(app, sikda, world):
    content = workbook({"Integrasi Aplikasi": [INT, [app.code, sikda.code, "", "", "Data A", ""],
                                               [app.code.lower(), sikda.code, "", "", "Data B", ""]]})
    found = problems(plan(content, world.users["admin"], world.inst))
    assert found == [("Integrasi Aplikasi", 3, "Aplikasi tujuan *",
                      f"{app.code} → {sikda.code} ganda: pasangan ini sudah ada di baris 2.")]


def test_an_operator_records_integrations_of_their_own_opd_only(app, sikda, world):
    """SIKDA is validated: the operator of DISKOMINFO sees it and may link to it, not record its integrations."""
    Application.objects.filter(pk=sikda.pk).update(status=ReviewStatus.VALIDATED)
    content = workbook({"Integrasi Aplikasi": [
        INT, [app.code, sikda.code, "", "", "Data statistik kesehatan", "Diubah operator"],
        [sikda.code, app.code, "", "", "Data layanan kesehatan", ""],
    ]})
    found = problems(plan(content, world.users["operator"], world.inst))
    assert [p[:3] for p in found] == [("Integrasi Aplikasi", 3, "Aplikasi sumber *")]
    assert f"dari {sikda.code} (OPD DINKES, status divalidasi)" in found[0][3]
    result = commit(workbook({"Integrasi Aplikasi": [INT, [app.code, sikda.code, "", "", "Data statistik kesehatan",
                                                                 "Diubah operator"]]}),
                    world.users["operator"], world.inst)
    assert result.counts()["update"] == 1
    assert ApplicationIntegration.objects.get().description == "Diubah operator"
