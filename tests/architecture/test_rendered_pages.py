"""The list, detail and process-tree pages render the same HTML as before they were made cheaper (issue 18: cells
precomputed per page, choice labels and URLs once per request, rows written by the table helper): the ``<main>`` of
each page on fixed data, compared with what the earlier templates rendered (``golden/*.html``, written once with
``SIA_WRITE_GOLDEN=1`` before the change). Only what varies between runs is normalised: database IDs in URLs and
form values, the CSRF token, and the review conversation's timestamps."""

import os
import re
from pathlib import Path

import pytest

from sia.architecture.choices import ApplicationLifecycle, ReviewStatus
from sia.architecture.models import Application, BusinessProcess, DataItem, Service, ValueListItem
from sia.architecture.values import seed_value_lists
from sia.reference.loader import ensure_default_catalogs
from sia.reference.models import ReferenceNode

from .. import factories as f

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).parent / "golden"
PERIOD = "2025-2029"
LONG = "Sistem" + "informasi" * 5  # 50 characters without a space: the cell gets class="wrap"


def node(code):
    return ReferenceNode.objects.current().national().get(code=code)


@pytest.fixture
def pages(world):
    """Objects of two OPDs in every review status, a process tree three levels deep, a validated object of DINKES
    whose parent is a DINKES draft (hidden from DISKOMINFO's operator), a choice column, a value-list column and
    a long unbroken name."""
    ensure_default_catalogs()
    seed_value_lists(world.inst)
    kominfo, dinkes = world.kominfo, world.dinkes
    fn = f.function(kominfo, 1, "Perumusan kebijakan teknis di bidang informatika")

    def process(department, name, status=ReviewStatus.DRAFT, parent=None, reference="RAB.09.03.04", **kw):
        obj = BusinessProcess.objects.create(department=department, name=name, status=status, parent=parent,
                                             reference=node(reference) if reference else None, period=PERIOD, **kw)
        return obj

    root = process(kominfo, "Pengelolaan Data Statistik", ReviewStatus.VALIDATED,
                   description="Uraian proses.\nBaris kedua.")
    root.functions.set([fn])
    child = process(kominfo, "Pengumpulan Data Sektoral", ReviewStatus.SUBMITTED, root)
    process(kominfo, "Validasi Data Sektoral", ReviewStatus.RETURNED, child, reference=None)
    process(kominfo, "Publikasi Data", ReviewStatus.DRAFT, root)
    process(kominfo, LONG, ReviewStatus.VERIFIED)
    hidden_parent = process(dinkes, "Perencanaan Kesehatan (draf)", ReviewStatus.DRAFT)
    process(dinkes, "Pelayanan Kesehatan Dasar", ReviewStatus.VALIDATED, hidden_parent)
    process(dinkes, "Survei Kesehatan Uji", ReviewStatus.DRAFT)
    service = Service.objects.create(department=kominfo, name="Layanan Data Statistik", period=PERIOD,
                                     status=ReviewStatus.VALIDATED, category="publik")
    service.processes.set([root])
    nature = ValueListItem.objects.filter(institution=world.inst, kind="sifat-data").order_by("order", "pk").first()
    data = DataItem.objects.create(department=kominfo, name="Data Statistik Sektoral uji", period=PERIOD,
                                   reference=node("RAD.09.03.04"), nature=nature, status=ReviewStatus.DRAFT)
    data.processes.set([root])
    Application.objects.create(department=kominfo, name="Aplikasi Satu Data uji", period=PERIOD,
                               lifecycle=ApplicationLifecycle.PRODUCTION, status=ReviewStatus.VALIDATED)
    Application.objects.create(department=dinkes, name="Aplikasi Puskesmas uji", period=PERIOD,
                               lifecycle=ApplicationLifecycle.PLANNED, status=ReviewStatus.DRAFT)
    return {"root": root, "child": child, "data": data, "service": service}


def main_of(html: str) -> str:
    """The page's ``<main>`` (the menu and the header are not what changed), with run-dependent parts normalised."""
    start, end = html.index('<main id="main">'), html.index("</main>")
    return normalised(html[start:end])


def normalised(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken" value="T"', html)
    html = re.sub(r'(href|value|action|data-export)="([^"]*)"',
                  lambda m: f'{m.group(1)}="{re.sub(r"[0-9]+", "N", m.group(2))}"', html)
    html = re.sub(r"<time[^>]*>[^<]*</time>", "<time/>", html)
    return html


def cases(objects):
    root, child, data = objects["root"], objects["child"], objects["data"]
    return [
        ("admin", "list_process", "/arsitektur/proses-bisnis/", {}),
        ("admin", "list_process_filtered", "/arsitektur/proses-bisnis/?status=diajukan&status=dikembalikan&q=data", {}),
        ("admin", "list_process_table", "/arsitektur/proses-bisnis/?q=data",
         {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "object-table"}),
        ("admin", "list_data", "/arsitektur/data/", {}),
        ("admin", "list_application", "/arsitektur/aplikasi/", {}),
        ("admin", "list_service", "/arsitektur/layanan/", {}),
        ("operator", "list_process_operator", "/arsitektur/proses-bisnis/", {}),
        ("operator", "list_process_operator_draft", "/arsitektur/proses-bisnis/?status=draf&q=data", {}),
        ("operator", "list_application_operator", "/arsitektur/aplikasi/", {}),
        ("admin", "detail_process", root.get_absolute_url(), {}),
        ("operator", "detail_process_operator", child.get_absolute_url(), {}),
        ("operator", "detail_data_operator", data.get_absolute_url(), {}),
        ("admin", "tree_admin", f"/arsitektur/proses-bisnis/pohon/?department={root.department_id}", {}),
        ("operator", "tree_operator", "/arsitektur/proses-bisnis/pohon/", {}),
    ]


def test_pages_render_as_before(client, world, pages):
    write = os.environ.get("SIA_WRITE_GOLDEN") == "1"
    differing = []
    for who, name, url, headers in cases(pages):
        client.force_login(world.users[who])
        response = client.get(url, **headers)
        assert response.status_code == 200, (name, response.status_code)
        html = response.content.decode()
        got = main_of(html) if "<main" in html else normalised(html)
        path = GOLDEN / f"{name}.html"
        if write:
            GOLDEN.mkdir(exist_ok=True)
            path.write_text(got, encoding="utf-8")
            continue
        if got != path.read_text(encoding="utf-8"):
            differing.append(name)
            (Path(os.environ.get("TMPDIR", "/tmp")) / f"sia-rendered-{name}.html").write_text(got, encoding="utf-8")
    assert not write, "golden files written; run again without SIA_WRITE_GOLDEN"
    assert differing == [], f"pages that render differently (new output in $TMPDIR/sia-rendered-<name>.html): {differing}"


def test_golden_pages_show_what_they_are_about():
    """The reference HTML holds what the comparison is meant to guard (so a golden file of an error page or of an
    empty list cannot pass unnoticed)."""
    table = (GOLDEN / "list_process_operator.html").read_text(encoding="utf-8")
    assert 'class="wrap"' in table and "(tersembunyi)" in table and 'name="selected"' in table
    assert "Pelayanan Kesehatan Dasar" in table and "Survei Kesehatan Uji" not in table
    assert "Diverifikasi" in (GOLDEN / "list_process.html").read_text(encoding="utf-8")
    assert "Produksi" in (GOLDEN / "list_application.html").read_text(encoding="utf-8") or "produksi" in (
        GOLDEN / "list_application.html").read_text(encoding="utf-8").lower()
    tree = (GOLDEN / "tree_operator.html").read_text(encoding="utf-8")
    assert tree.count("<ul>") == 2 and "Validasi Data Sektoral" in tree
    detail = (GOLDEN / "detail_process.html").read_text(encoding="utf-8")
    assert "Baris kedua" in detail and "Layanan Data Statistik" in detail
