"""A file whose only change is a link with attributes (an integration's channel edited in Archi, a flow deleted):
the preview lists it and offers to save it, the page and the API say what it would write, and saving writes it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sia.architecture.models import ApplicationIntegration
from sia.exchange.archimate import importer, mapping
from sia.exchange.archimate.export import export_model

from .archimate_helpers import NS
from .test_archimate_import import filled, property_value, rewrite  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def flow_of(root, row):
    ends = (f"id-aplikasi-{row.source_id}", f"id-aplikasi-{row.target_id}")
    return next(node for node in root.iterfind("a:relationships/a:relationship[@xsi:type='Flow']", NS)
                if (node.get("source"), node.get("target")) == ends)


@pytest.fixture
def row(world, filled):  # noqa: F811
    return ApplicationIntegration.objects.filter(institution=world.inst).first()


def test_only_a_changed_channel_is_previewed_and_saved(world, filled, row, client):  # noqa: F811
    other = next(value for value, _label in type(row).channel.field.choices if value != row.channel)

    def change(root):
        property_value(root, flow_of(root, row), mapping.ATTRIBUTE_PROPERTY % "channel").text = other

    content = rewrite(filled, change)
    result = importer.preview(content, user=world.users["admin"], institution=world.inst)
    assert result.is_clean and result.has_changes and not result.written
    assert result.counts()["create"] + result.counts()["update"] == 0
    assert [(c.action, c.fields) for c in result.links] == [("update", [str(type(row).channel.field.verbose_name)])]
    assert ApplicationIntegration.objects.get(pk=row.pk).channel == row.channel  # the preview wrote nothing

    client.force_login(world.users["admin"])
    url = reverse("exchange:archimate") + f"?instansi={world.inst.pk}"
    page = client.post(url, {"file": SimpleUploadedFile("model.xml", content, "application/xml")})
    body = page.content.decode()
    assert 'id="archimate-commit"' in body and "Tidak ada perubahan untuk disimpan" not in body
    assert row.source.name in body and row.target.name in body
    answer = client.post(reverse("exchange:archimate_commit") + f"?instansi={world.inst.pk}", follow=True)
    assert answer.status_code == 200
    assert ApplicationIntegration.objects.get(pk=row.pk).channel == other


def test_a_deleted_flow_is_previewed_as_removed(world, filled, row):  # noqa: F811
    def delete(root):  # as Archi saves it: the relationship and its connections in the views gone
        node = flow_of(root, row)
        node.getparent().remove(node)
        for connection in root.iterfind(".//a:connection", NS):
            if connection.get("relationshipRef") == node.get("identifier"):
                connection.getparent().remove(connection)

    result = importer.preview(rewrite(filled, delete), user=world.users["admin"], institution=world.inst)
    assert result.is_clean and result.has_changes and result.removed == [str(row)]
    assert result.as_dict()["removed"] == [str(row)] and ApplicationIntegration.objects.filter(pk=row.pk).exists()


def test_an_unchanged_file_has_nothing_to_save(world, filled):  # noqa: F811
    content, _problems = export_model(world.users["admin"], world.inst)
    result = importer.preview(content, user=world.users["admin"], institution=world.inst)
    assert result.is_clean and not result.has_changes and result.links == [] and result.removed == []


def test_previewed_files_go_once_saved_or_stale(world, filled, row, client, monkeypatch):  # noqa: F811
    """The previewed file is kept only until it is saved (or refused on saving), and never longer than two days."""
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils import timezone

    from sia.core import stored_files
    from sia.exchange.archimate_views import remove_stale_archimate_previews
    from sia.exchange.uploads import STALE_PREVIEW_SECONDS

    other = next(value for value, _label in type(row).channel.field.choices if value != row.channel)

    def change(root):
        property_value(root, flow_of(root, row), mapping.ATTRIBUTE_PROPERTY % "channel").text = other

    client.force_login(world.users["admin"])
    url = reverse("exchange:archimate") + f"?instansi={world.inst.pk}"
    client.post(url, {"file": SimpleUploadedFile("model.xml", rewrite(filled, change), "application/xml")})
    kept = stored_files.names_in("imports", ".archimate.xml")
    assert len(kept) == 1
    client.post(reverse("exchange:archimate_commit"))
    assert not default_storage.exists(kept[0])

    old, fresh = ("imports/" + digit * 64 + ".archimate.xml" for digit in "01")
    for name in (old, fresh):
        default_storage.save(name, ContentFile(b"<model/>"))
    written = default_storage.get_modified_time
    past = timezone.now() - timedelta(seconds=STALE_PREVIEW_SECONDS + 60)
    monkeypatch.setattr(default_storage._wrapped, "get_modified_time",
                        lambda name: past if name == old else written(name))
    assert remove_stale_archimate_previews() == 1
    assert not default_storage.exists(old) and default_storage.exists(fresh)
