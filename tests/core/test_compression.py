"""Pages and API answers travel gzipped (with Django's BREACH padding); binary downloads are left as they are."""

import gzip

import pytest
from django.http import FileResponse, HttpResponse, JsonResponse
from django.test import RequestFactory

from sia.core.middleware import TextCompressionMiddleware

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate"}


def test_pages_are_gzipped_and_padded_to_a_random_length(client):
    lengths = set()
    for _ in range(6):
        response = client.get("/akun/login/", **GZIP)  # a page with a CSRF token
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
        html = gzip.decompress(response.content).decode()
        assert "<html" in html and "csrfmiddlewaretoken" in html
        assert len(response.content) < len(html) / 2
        lengths.add(len(response.content))
    assert len(lengths) > 1, "the compressed length does not vary (BREACH padding)"


def test_api_answers_are_gzipped(client, world):
    client.force_login(world.users["admin"])
    response = client.get("/api/organizations/departments/", **GZIP)
    assert response.status_code == 200 and response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content).startswith(b"{")


def test_without_accept_encoding_nothing_changes(client):
    response = client.get("/akun/login/")
    assert not response.has_header("Content-Encoding")


def run(response):
    request = RequestFactory().get("/", **GZIP)
    return TextCompressionMiddleware(lambda _request: response)(request)


def test_binary_downloads_keep_their_length():
    pdf = FileResponse(iter([b"%PDF-1.4" + b"x" * 5000]), content_type="application/pdf")
    pdf["Content-Length"] = "5008"
    answer = run(pdf)
    assert not answer.has_header("Content-Encoding") and answer["Content-Length"] == "5008"
    xlsx = HttpResponse(b"PK" + b"y" * 5000, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert not run(xlsx).has_header("Content-Encoding")


def test_text_answers_are_compressed():
    assert run(JsonResponse({"rows": ["sama"] * 200}))["Content-Encoding"] == "gzip"
    assert run(HttpResponse("a,b\n" * 500, content_type="text/csv"))["Content-Encoding"] == "gzip"
