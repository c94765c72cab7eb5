"""Stored files by path: only logos, only from logos/ of the default storage, whatever the URL tries."""

import io
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from PIL import Image

pytestmark = pytest.mark.django_db

SHA = "a" * 64
SECRET_PDF = b"%PDF-1.4\n% rahasia OPD lain\n%%EOF\n"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (2, 2), "red").save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root  # a fresh default storage (on the file system: this folder)
    for name, content in {"logos/logo.png": _png(), "logos/palsu.png": b"<html><script>alert(1)</script></html>",
                          f"evidence/{SHA}.pdf": SECRET_PDF, f"imports/{SHA}.xlsx": b"PK\x03\x04 rahasia"}.items():
        assert default_storage.save(name, ContentFile(content)) == name
    return root


def on_the_file_system():
    if not isinstance(default_storage, FileSystemStorage):
        pytest.skip("symlinks exist only in a file system storage")


@pytest.fixture
def signed_in(client, world):
    client.force_login(world.users["operator_dinkes"])
    return client


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_logo_is_served_as_an_image_with_nosniff(signed_in, media):
    response = signed_in.get("/media/logos/logo.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    assert _body(response) == _png()


def test_logos_need_a_signed_in_user(client, media):
    assert client.get("/media/logos/logo.png").status_code == 302


def test_a_logo_whose_bytes_are_not_an_image_is_not_served(signed_in, media):
    assert signed_in.get("/media/logos/palsu.png").status_code == 404


@pytest.mark.parametrize("folder,name", [("evidence", f"{SHA}.pdf"), ("imports", f"{SHA}.xlsx")])
def test_protected_folders_have_no_path_route(signed_in, media, folder, name):
    assert signed_in.get(f"/media/{folder}/{name}").status_code == 404


TRAVERSALS = [
    "/media/logos/../evidence/{sha}.pdf",
    "/media/logos/%2e%2e/evidence/{sha}.pdf",
    "/media/logos/%2E%2E/imports/{sha}.xlsx",
    "/media/logos/..%2fevidence%2f{sha}.pdf",
    "/media/logos/%2e%2e%2fevidence/{sha}.pdf",
    "/media/logos/%252e%252e/evidence/{sha}.pdf",
    "/media/logos/%252e%252e%252fevidence%252f{sha}.pdf",
    "/media/logos/..%5cevidence%5c{sha}.pdf",
    "/media/logos/..\\evidence\\{sha}.pdf",
    "/media/logos/./../evidence/{sha}.pdf",
    "/media/logos/x/../../evidence/{sha}.pdf",
    "/media/logos//{root}/evidence/{sha}.pdf",
    "/media/logos/%2f{root}/evidence/{sha}.pdf",
    "/media/logos/{root}/evidence/{sha}.pdf",
    "/media/logos/logo.png%00.pdf",
]


@pytest.mark.parametrize("template", TRAVERSALS)
def test_no_path_leaves_the_logos_folder(signed_in, media, template):
    url = template.format(sha=SHA, root=str(media).lstrip("/"))
    response = signed_in.get(url)
    assert response.status_code == 404, url
    assert SECRET_PDF not in _body(response)


def test_a_symlink_planted_in_logos_is_not_followed_out(signed_in, media):
    on_the_file_system()
    os.symlink(media / "evidence" / f"{SHA}.pdf", media / "logos" / "tautan.pdf")
    os.symlink(media / "evidence", media / "logos" / "folder")
    assert signed_in.get("/media/logos/tautan.pdf").status_code == 404
    assert signed_in.get(f"/media/logos/folder/{SHA}.pdf").status_code == 404


def test_a_symlink_inside_logos_may_point_inside_logos(signed_in, media):
    on_the_file_system()
    os.symlink(media / "logos" / "logo.png", media / "logos" / "alias.png")
    assert signed_in.get("/media/logos/alias.png").status_code == 200
