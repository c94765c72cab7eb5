"""The main pages in a real browser under the strict Content-Security-Policy: not one violation reported."""

import pytest
from django.urls import reverse

from sia.architecture.models import BusinessProcess
from sia.evaluation.models import Assessment

from .. import factories as f
from ..browser.conftest import browser, login, new_page  # noqa: F401
from .. import demo as demo_data

pytestmark = pytest.mark.django_db(transaction=True)

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline") + " " + event.sourceFile);
});
"""


def watched(page):
    """Console messages about the CSP and violations reported by the page itself."""
    seen = []
    page.on("console", lambda message: seen.append(message.text) if "Content Security Policy" in message.text else None)
    page.on("pageerror", lambda error: seen.append(f"page error: {error}"))
    page.add_init_script(RECORD_VIOLATIONS)
    return seen


def visit(page, seen, url):
    response = page.goto(url)
    assert response.status == 200, url
    assert "Content-Security-Policy" in {name.title(): value for name, value in response.headers.items()} or \
        "content-security-policy" in response.headers, url
    page.wait_for_load_state("networkidle")
    seen.extend(f"{url}: {v}" for v in page.evaluate("window.__cspViolations || []"))
    assert seen == [], f"{url}: {seen}"


def test_main_pages_and_the_api_docs_report_no_csp_violation(new_page):
    demo_data.build()
    process = BusinessProcess.objects.filter(institution__code="82").first()
    assessment = Assessment.objects.filter(institution__code="82").order_by("-year").first()
    page = new_page()
    seen = watched(page)
    visit(page, seen, "/akun/login/")
    login(page, "koordinator", "sia-demo-2024")
    for url in ("/", reverse("architecture:businessprocess_list"), reverse("architecture:businessprocess_add"),
                process.get_absolute_url(), reverse("architecture:process_tree"), reverse("reference:catalog_list"),
                reverse("reference:catalog", args=["RAB"]), reverse("evaluation:assessment", args=[assessment.pk]),
                reverse("evaluation:assessment_indicator", args=[assessment.pk, 1]), "/akun/token-api/"):
        visit(page, seen, url)
    # htmx at work: the list filter swaps the table in place
    visit(page, seen, reverse("architecture:businessprocess_list"))
    with page.expect_response(lambda r: "q=" in r.url):
        page.locator("input[name=q]").press_sequentially("data")
    page.wait_for_load_state("networkidle")
    # a bar drawn by sia.js (no style attribute): the assessment's progress
    visit(page, seen, reverse("evaluation:assessment", args=[assessment.pk]))
    assert page.locator(".progress [data-width]").evaluate("bar => bar.style.width").endswith("%")
    visit(page, seen, reverse("api-docs"))
    page.locator(".swagger-ui .info").wait_for()
    assert seen == []


def test_the_admin_works_under_the_policy(new_page):
    f.user("super", is_superuser=True, is_staff=True)
    page = new_page()
    seen = watched(page)
    login(page, "super")
    for url in ("/admin/", "/admin/core/user/", "/admin/organizations/institution/add/"):
        visit(page, seen, url)
    # the changelist's JavaScript ran: the select-all checkbox ticks every row
    visit(page, seen, "/admin/core/user/")
    page.locator("#action-toggle").check()
    assert page.locator("input.action-select:checked").count() == page.locator("input.action-select").count() >= 1
    assert seen == []
