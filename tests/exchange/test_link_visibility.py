"""Drafts do not leak through links in exports: CSV of a list page, the Excel export, the instansi
archive. The rule is the one of every other representation (``permissions.LinkReader``)."""

import csv
import io
import json
import zipfile

import pytest
from django.urls import reverse

from sia.architecture.choices import ReviewStatus as S
from sia.architecture.models import BusinessProcess, DataItem
from sia.core import permissions
from sia.exchange.archive import ExportError, export_archive
from sia.exchange.snapshot_export import export_institution

from .helpers import export, read

pytestmark = pytest.mark.django_db

SECRET = "Rencana Rahasia Kominfo"


@pytest.fixture
def leak(ex, world):
    """DISKOMINFO's validated data item links to DISKOMINFO's draft processes; its validated process
    ``child`` has a draft parent."""
    draft = BusinessProcess.objects.create(department=world.kominfo, name=SECRET)
    ex.data.processes.add(draft)
    child = BusinessProcess.objects.create(department=world.kominfo, name="Proses Anak Tervalidasi", parent=draft)
    DataItem.objects.filter(pk=ex.data.pk).update(status=S.VALIDATED)
    BusinessProcess.objects.filter(pk=child.pk).update(status=S.VALIDATED)
    ex.draft, ex.child = draft, child
    return ex


def secrets(ex):
    return [SECRET, ex.draft.code, ex.process.code]


def csv_text(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_csv_export_of_a_list_does_not_name_a_hidden_parent(leak, world, client):
    client.force_login(world.users["operator_dinkes"])
    text = csv_text(client.get(reverse("architecture:businessprocess_list") + "?format=csv"))
    rows = list(csv.reader(io.StringIO(text)))
    child = [row for row in rows if row[0] == leak.child.code]
    assert child and child[0][rows[0].index("Proses induk")] == str(permissions.HIDDEN)
    for secret in secrets(leak):
        assert secret not in text, secret
    client.force_login(world.users["admin"])
    assert SECRET in csv_text(client.get(reverse("architecture:businessprocess_list") + "?format=csv"))


def test_excel_export_leaves_out_links_to_hidden_drafts(leak, world):
    sheets = read(export(world.users["operator_dinkes"], world.inst))
    text = json.dumps(sheets, default=str)
    for secret in secrets(leak):
        assert secret not in text, secret
    data = sheets["Data dan Informasi"]
    header = data[0]
    row = [r for r in data if r[0] == leak.data.code][0]
    assert row[header.index("Proses bisnis penghasil")] is None
    processes = sheets["Proses Bisnis"]
    child = [r for r in processes if r[0] == leak.child.code][0]
    assert child[processes[0].index("Proses induk")] is None


def test_excel_export_names_them_for_the_owner(leak, world):
    sheets = read(export(world.users["operator"], world.inst))
    data = sheets["Data dan Informasi"]
    row = [r for r in data if r[0] == leak.data.code][0]
    assert row[data[0].index("Proses bisnis penghasil")] == f"{leak.process.code}; {leak.draft.code}"


def test_archive_holds_everything_its_admin_may_see(leak, world):
    members = zipfile.ZipFile(io.BytesIO(export_archive(world.inst, user=world.users["admin"])))
    document = json.loads(members.read("snapshot.json"))
    processes = document["sections"]["architecture.businessprocess"]
    names = [row["name"] for row in processes]
    assert SECRET in names
    data = [row for row in document["sections"]["architecture.dataitem"] if row["code"] == leak.data.code][0]
    assert names.index(SECRET) in data["processes"]
    child = [row for row in processes if row["code"] == leak.child.code][0]
    assert child["parent"] == names.index(SECRET)


@pytest.mark.parametrize("role", ["operator_dinkes", "operator"])
def test_archive_by_someone_who_cannot_see_everything_is_refused(leak, world, role):
    with pytest.raises(ExportError):
        export_institution(world.inst, user=world.users[role])
