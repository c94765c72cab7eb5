"""The matrix pages: the list, one matrix as a table (linked headers, OPD filter, a window of a large matrix), the
XLSX download; signed-in users only; 404 for an unknown matrix, instansi or OPD; no name of another OPD's draft;
queries that do not grow with the objects."""

import io

import openpyxl
import pytest
from django.urls import reverse

from sia.architecture.choices import ReviewStatus
from sia.architecture.models import Application, BusinessProcess
from sia.insights import views_matrices

from .conftest import make

pytestmark = pytest.mark.django_db
SLUGS = ("aplikasi-proses-bisnis", "data-aplikasi", "layanan-aplikasi", "infrastruktur-aplikasi")


@pytest.fixture
def admin(client, world, landscape):
    client.force_login(world.users["admin"])
    return client


def test_the_list_names_the_four_matrices_with_their_counts(admin):
    response = admin.get(reverse("insights:matrices"))
    assert response.status_code == 200
    html = response.content.decode()
    for slug in SLUGS:
        assert f'data-testid="matrix-{slug}"' in html
        assert reverse("insights:matrix_xlsx", args=[slug]) in html
    rows = {spec.slug: matrix for spec, matrix in response.context["found"]}
    assert (len(rows["aplikasi-proses-bisnis"].rows), rows["aplikasi-proses-bisnis"].marked) == (4, 3)


def test_a_matrix_page_links_its_headers_to_the_objects(admin, landscape):
    o = landscape
    response = admin.get(reverse("insights:matrix", args=["infrastruktur-aplikasi"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="matrix-table"' in html
    assert reverse("architecture:server", args=[o.sv1.pk]) in html
    assert reverse("architecture:application", args=[o.app_bappeda.pk]) in html
    assert "Printer Ruang Server" in html and "aplikasi bergantung melalui infrastruktur lain" in html
    assert 'class="mark-via">○</td>' in html and 'class="mark-direct">●</td>' in html
    assert 'data-testid="matrix-window"' not in html  # small: all on one page


def test_an_opd_filter(admin, landscape):
    o = landscape
    response = admin.get(reverse("insights:matrix", args=["infrastruktur-aplikasi"]), {"opd": o.dinkes.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "SIMKES" in html and "e-Planning" not in html and "Printer Ruang Server" not in html
    assert f"?opd={o.dinkes.pk}" in html  # the download keeps the filter
    download = admin.get(reverse("insights:matrix_xlsx", args=["infrastruktur-aplikasi"]), {"opd": o.dinkes.pk})
    assert download["Content-Disposition"] == 'attachment; filename="matriks-infrastruktur-aplikasi-82-dinkes.xlsx"'


def test_the_download(admin, landscape):
    response = admin.get(reverse("insights:matrix_xlsx", args=["data-aplikasi"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="matriks-data-aplikasi-82.xlsx"'
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content))["Matriks"].iter_rows(values_only=True))
    column = rows[0].index(landscape.app_dinkes.code)
    [data_row] = [row for row in rows[3:] if row[1] == "Data Kunjungan Pasien"]
    assert data_row[column] == "W"


@pytest.mark.parametrize("url", [
    reverse("insights:matrix", args=["aplikasi-server"]),
    reverse("insights:matrix_xlsx", args=["aplikasi-server"]),
    reverse("insights:matrix", args=["aplikasi-proses-bisnis"]) + "?instansi=999999",
    reverse("insights:matrix", args=["aplikasi-proses-bisnis"]) + "?instansi=abc",
    reverse("insights:matrices") + "?opd=999999",
])
def test_unknown_matrix_instansi_or_opd_is_404(admin, url):
    assert admin.get(url).status_code == 404


def test_another_instansi_and_its_opd_are_404(client, world, landscape):
    client.force_login(world.users["other_admin"])
    base = reverse("insights:matrix", args=["aplikasi-proses-bisnis"])
    assert client.get(base, {"instansi": world.inst.pk}).status_code == 404
    assert client.get(base, {"opd": world.dinkes.pk}).status_code == 404
    html = client.get(base).content.decode()
    assert "SIMKES" not in html  # its own instansi: nothing of the other one


def test_signed_in_users_only(client):
    for name, args in (("insights:matrices", []), ("insights:matrix", SLUGS[:1]), ("insights:matrix_xlsx", SLUGS[:1])):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302 and "/akun/login/" in response["Location"]


def test_a_user_of_no_instansi_sees_an_empty_state(client, world):
    client.force_login(world.users["nobody"])
    response = client.get(reverse("insights:matrix", args=["aplikasi-proses-bisnis"]))
    assert response.status_code == 200 and 'data-testid="matrix-none"' in response.content.decode()
    assert client.get(reverse("insights:matrix_xlsx", args=["aplikasi-proses-bisnis"])).status_code == 404


def test_no_name_of_another_opds_draft(client, world, landscape):
    o = landscape
    make(Application, o.dinkes, "Aplikasi Draf Dinkes", status=ReviewStatus.DRAFT, servers=[o.sv1],
         processes=[o.p_kominfo], services=[o.s_kominfo], reads=[o.data])
    client.force_login(world.users["operator"])  # Diskominfo's operator
    for slug in SLUGS:
        page = client.get(reverse("insights:matrix", args=[slug]))
        assert page.status_code == 200 and "Aplikasi Draf Dinkes" not in page.content.decode()
        book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("insights:matrix_xlsx", args=[slug])).content))
        assert "Aplikasi Draf Dinkes" not in {v for sheet in book for row in sheet.iter_rows(values_only=True)
                                              for v in row}
    assert "Aplikasi Draf Dinkes" not in client.get(reverse("insights:matrices")).content.decode()
    client.force_login(world.users["operator_dinkes"])
    assert "Aplikasi Draf Dinkes" in client.get(reverse("insights:matrix", args=[SLUGS[0]])).content.decode()


def test_a_large_matrix_is_shown_a_window_at_a_time(admin, landscape, monkeypatch):
    monkeypatch.setattr(views_matrices, "PAGE_ROWS", 2)
    monkeypatch.setattr(views_matrices, "PAGE_COLUMNS", 4)
    url = reverse("insights:matrix", args=["aplikasi-proses-bisnis"])
    response = admin.get(url)
    html = response.content.decode()
    assert 'data-testid="matrix-window"' in html and "Unduh XLSX untuk seluruh matriks." in html
    assert len(response.context["rows"]) == 2 and len(response.context["columns"]) == 4
    assert "kolom=2" in html and "page=2" in html
    last = admin.get(url, {"page": 2, "kolom": 2})
    assert len(last.context["rows"]) == 2 and len(last.context["columns"]) == 2


def test_page_queries_do_not_grow_with_objects(admin, world, landscape, count_cold_queries, query_budget):
    o = landscape
    urls = [reverse("insights:matrices"), *(reverse("insights:matrix", args=[slug]) for slug in SLUGS),
            reverse("insights:matrix_xlsx", args=[SLUGS[0]])]
    for url in urls:
        admin.get(url)  # warm up: memberships read once
    few = [count_cold_queries(lambda url=url: admin.get(url))[0] for url in urls]
    for i in range(15):
        process = make(BusinessProcess, o.bappeda, f"Proses Tambahan {i}")
        make(Application, o.dinkes if i % 2 else o.bappeda, f"Aplikasi Tambahan {i}", servers=[o.sv1, o.sv2],
             processes=[process, o.p_kominfo], reads=[o.data], services=[o.s_dinkes])
    many = [count_cold_queries(lambda url=url: admin.get(url))[0] for url in urls]
    assert few == many
    assert max(many) <= query_budget["insights.matrix"], (many, query_budget["insights.matrix"])


def test_a_reader_of_several_instansi_chooses_one(client, world, landscape):
    client.force_login(world.users["superuser"])
    url = reverse("insights:matrix", args=["aplikasi-proses-bisnis"])
    first = client.get(url)  # the first by name: Pemerintah Kota Lain, which has no application
    assert first.context["institution"] == world.other
    assert 'name="instansi"' in first.content.decode() and "SIMKES" not in first.content.decode()
    chosen = client.get(url, {"instansi": world.inst.pk})
    html = chosen.content.decode()
    assert "SIMKES" in html and f"instansi={world.inst.pk}" in html  # the download keeps the instansi
    download = client.get(reverse("insights:matrix_xlsx", args=["aplikasi-proses-bisnis"]),
                          {"instansi": world.inst.pk})
    assert download["Content-Disposition"] == 'attachment; filename="matriks-aplikasi-proses-bisnis-82.xlsx"'
