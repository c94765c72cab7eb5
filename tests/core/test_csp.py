"""A strict Content-Security-Policy: self only, no inline script or style. Every page sends it, and no
template, no HTML built in Python and no rendered main page carries inline script, style or handlers."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

import sia
from sia.architecture.models import BusinessProcess
from sia.evaluation.models import Assessment

from .. import demo as demo_data

pytestmark = pytest.mark.django_db

SRC = Path(sia.__file__).parent
STRICT = {
    "default-src": "'self'", "script-src": "'self'", "style-src": "'self'", "img-src": "'self' data:",
    "object-src": "'none'", "base-uri": "'self'", "form-action": "'self'", "frame-ancestors": "'none'",
}

# What a CSP without 'unsafe-inline' blocks, as it appears in HTML source.
INLINE = [
    ("style attribute", re.compile(r"<[a-zA-Z][^>]*\sstyle\s*=", re.S)),
    ("<style> element", re.compile(r"<style[\s>]", re.I)),
    ("inline <script>", re.compile(r"<script(?![^>]*\ssrc=)[^>]*>\s*[^<\s]", re.I)),
    ("on* handler attribute", re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", re.S)),
    ("javascript: URL", re.compile(r"(href|src|action)\s*=\s*[\"']?\s*javascript:", re.I)),
]


def inline_code(html: str) -> list[str]:
    return [f"{label}: {match.group(0)[:120]!r}" for label, pattern in INLINE for match in pattern.finditer(html)]


def directives(header: str) -> dict:
    parts = (part.strip().split(None, 1) for part in header.split(";") if part.strip())
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


def test_the_scanner_finds_what_the_policy_blocks():
    for snippet in ('<p style="color:red">', "<style>p{}</style>", "<script>alert(1)</script>",
                    '<button onclick="x()">', '<a href="javascript:x()">', "<body\n onload='x'>"):
        assert inline_code(snippet), snippet
    for snippet in ('<script src="/static/x.js" defer></script>', '<p data-style="x">', "<span data-on='x'>",
                    '<button data-confirm="Yakin?">'):
        assert not inline_code(snippet), snippet


def test_every_template_is_free_of_inline_script_and_style():
    problems = []
    for template in sorted(SRC.rglob("templates/**/*.html")):
        for problem in inline_code(template.read_text()):
            problems.append(f"{template.relative_to(SRC)}: {problem}")
    assert problems == []


def test_html_built_in_python_is_free_of_inline_script_and_style():
    problems = []
    for module in sorted(SRC.rglob("*.py")):
        if "migrations" in module.parts:
            continue
        for problem in inline_code(module.read_text()):
            problems.append(f"{module.relative_to(SRC)}: {problem}")
    assert problems == []


@pytest.fixture
def pages(world):
    """The main pages with data in them (the demo province: architecture, reference, an assessment)."""
    demo_data.build()
    from django.contrib.auth import get_user_model

    koordinator = get_user_model().objects.get(username="koordinator")
    process = BusinessProcess.objects.filter(institution__code="82").first()
    assessment = Assessment.objects.filter(institution__code="82").order_by("-year").first()
    return koordinator, [
        "/", reverse("architecture:businessprocess_list"), reverse("architecture:businessprocess_add"),
        process.get_absolute_url(), reverse("architecture:businessprocess_edit", args=[process.pk]),
        reverse("architecture:process_tree"), reverse("reference:catalog_list"),
        reverse("reference:catalog", args=["RAB"]), reverse("evaluation:assessment", args=[assessment.pk]),
        reverse("evaluation:assessment_indicator", args=[assessment.pk, 1]), "/akun/token-api/",
        "/akun/password_change/", reverse("api-docs"),
    ]


def test_pages_send_the_strict_policy(client, world):
    for url, user in (("/akun/login/", None), ("/", world.users["admin"]), ("/api/docs/", world.users["admin"])):
        if user:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, url
        header = directives(response["Content-Security-Policy"])
        for name, value in STRICT.items():
            assert header.get(name) == value, (url, name, header)
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        assert "unsafe-eval" not in response["Content-Security-Policy"]


def test_rendered_main_pages_have_no_inline_script_or_style(client, pages):
    koordinator, urls = pages
    anonymous = client.get("/akun/login/")
    assert inline_code(anonymous.content.decode()) == []
    client.force_login(koordinator)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert inline_code(response.content.decode()) == [], url
    script = client.get(reverse("api-docs") + "?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


def test_the_admin_renders_under_the_same_policy(client, world):
    client.force_login(world.users["superuser"])
    for url in ("/admin/", "/admin/core/user/", "/admin/organizations/institution/add/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        assert inline_code(response.content.decode()) == [], url


def test_htmx_keeps_its_indicator_styles_and_eval_to_itself(client, world):
    client.force_login(world.users["admin"])
    body = client.get("/").content.decode()
    config = re.search(r"<meta name=\"htmx-config\" content='([^']+)'", body).group(1)
    assert '"includeIndicatorStyles":false' in config and '"allowEval":false' in config
    css = (SRC / "static" / "sia" / "sia.css").read_text()
    assert ".htmx-indicator" in css
