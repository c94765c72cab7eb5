"""The pages: index, upload → preview → commit, upload history, and CSV export of list pages."""

import csv
import re
import io

import pytest
from django.urls import reverse

from sia.architecture.models import BusinessProcess
from sia.exchange.models import ImportRecord
from sia.organizations.models import Department

from .. import factories as f
from .helpers import upload, workbook

pytestmark = pytest.mark.django_db

PB = ["ID", "Perangkat daerah *", "Nama *", "Referensi"]


def csv_rows(response):
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_index_offers_templates_per_domain_and_for_all(ex, world, client):
    client.force_login(world.users["operator"])
    body = client.get(reverse("exchange:index")).content.decode()
    assert "Unduh templat semua domain" in body
    for slug in ("proses-bisnis", "layanan", "data"):
        assert f"domain={slug}" in body
    assert reverse("exchange:upload") in body


def test_domain_lists_link_to_the_round_trip(ex, world, client):
    client.force_login(world.users["operator"])
    body = client.get(reverse("architecture:service_list") + "?status=draf").content.decode()
    for label in ("Unduh templat", "Ekspor", "Ekspor CSV", "Unggah"):
        assert f">{label}</a>" in body
    assert f'{reverse("exchange:export")}?domain=layanan&amp;status=draf' in body
    assert "?status=draf&amp;format=csv" in body


def test_upload_preview_fix_and_commit(ex, world, client):
    client.force_login(world.users["operator"])
    bad = workbook({"Proses Bisnis": [PB, ["", "DISKOMINFO", "Proses Satu", "RAB.09.03.04"],
                                      ["", "DISKOMINFO", "Proses Dua", "RAB.99.99.99"]]})
    response = client.post(reverse("exchange:upload"), {"file": upload(bad, "isian.xlsx")})
    record = ImportRecord.objects.get()
    assert response.status_code == 302 and response["Location"] == record.get_absolute_url()
    page = client.get(record.get_absolute_url()).content.decode()
    assert "1 masalah ditemukan" in page and "RAB.99.99.99" in page and 'id="commit"' not in page
    assert client.post(reverse("exchange:importrecord_commit", args=[record.pk])).status_code == 302
    assert not BusinessProcess.objects.filter(name="Proses Satu").exists()

    good = workbook({"Proses Bisnis": [PB, ["", "DISKOMINFO", "Proses Satu", "RAB.09.03.04"],
                                       ["", "DISKOMINFO", "Proses Dua", "RAB.09.03.03"]]})
    client.post(reverse("exchange:upload"), {"file": upload(good, "isian.xlsx")})
    record = ImportRecord.objects.first()
    page = client.get(record.get_absolute_url()).content.decode()
    assert 'id="commit"' in page and "Berkas bersih" in page
    response = client.post(reverse("exchange:importrecord_commit", args=[record.pk]), follow=True)
    body = response.content.decode()
    assert "Tersimpan: 2 baris baru, 0 diubah, 0 tetap." in body
    # one success message, and no SHA-256 or UUID on the page (file name, size and dates instead)
    assert body.count('class="flash success') == 1
    record.refresh_from_db()
    assert record.sha256 not in body and "SHA-256" not in body and str(record.request_id) not in body
    assert "isian.xlsx" in body and "Ukuran" in body
    listing = client.get(reverse("architecture:businessprocess_list")).content.decode()
    assert "Proses Satu" in listing and "Proses Dua" in listing


def test_upload_form_errors(ex, world, client):
    client.force_login(world.users["operator"])
    assert client.post(reverse("exchange:upload"), {}).status_code == 400
    response = client.post(reverse("exchange:upload"), {"file": upload(b"bukan excel sama sekali", "a.xlsx")})
    page = client.get(response["Location"]).content.decode()
    assert "Berkas ditolak" in page and "tidak sesuai jenis" in page


def test_several_instansi_choose_first(ex, world, client):
    client.force_login(world.users["superuser"])
    response = client.get(reverse("exchange:template") + "?domain=layanan")
    assert response.status_code == 302 and "domain=layanan" in response["Location"]
    body = client.get(response["Location"]).content.decode()
    assert "Pemerintah Kota Lain" in body and "Pemerintah Provinsi Contoh" in body
    assert client.get(reverse("exchange:template") + f"?institution={world.inst.code}").status_code == 200


def test_history_page_query_count_does_not_grow(ex, world, client, count_queries, query_budget):
    client.force_login(world.users["admin"])
    url = reverse("exchange:importrecord_list")
    ImportRecord.objects.create(institution=world.inst, user=world.users["admin"], file_name="pertama.xlsx")
    client.get(url)
    few, _response = count_queries(lambda: client.get(url))
    for i in range(12):
        ImportRecord.objects.create(institution=world.inst, user=world.users["operator"], file_name=f"isian-{i}.xlsx")
    many, response = count_queries(lambda: client.get(url))
    assert response.status_code == 200 and "isian-11.xlsx" in response.content.decode()
    assert few == many == query_budget["exchange.importrecord_list"], (few, many)


def test_csv_export_of_a_domain_list_with_its_filters(ex, world, client, count_queries, query_budget):
    client.force_login(world.users["admin"])
    url = reverse("architecture:businessprocess_list") + "?department=DINKES&format=csv"
    few, response = count_queries(lambda: csv_rows(client.get(url)))
    assert response[0] == ["ID", "Nama", "OPD", "Referensi", "Proses induk", "Kondisi", "Status review"]
    assert response[1][:3] == [ex.dinkes_process.code, "Pelayanan Kesehatan Dasar", "DINKES"]
    assert len(response) == 2
    for i in range(60):  # more than a page of the list
        BusinessProcess.objects.create(department=world.dinkes, name=f"=Proses {i}", parent=ex.dinkes_process)
    many, response = count_queries(lambda: csv_rows(client.get(url)))
    assert len(response) == 62 and response[2][1].startswith("'=Proses")
    assert few == many == query_budget["exchange.businessprocess_csv"], (few, many)


def test_csv_export_works_for_any_list_page(world, client):
    client.force_login(world.users["admin"])
    f.department(world.inst, name="Badan Pendapatan Daerah", abbreviation="BAPENDA")
    rows = csv_rows(client.get(reverse("organizations:department_list") + "?q=pendapatan&format=csv"))
    assert len(rows) == 2 and "Badan Pendapatan Daerah" in rows[1]
    assert Department.objects.count() > 2  # the filter applied


def test_upload_forms_carry_the_server_limits_for_the_browser_check(ex, world, client, settings):
    settings.SIA_IMPORT_MAX_BYTES = 3 * 1024 * 1024
    client.force_login(world.users["operator"])
    body = client.get(reverse("exchange:upload")).content.decode()
    assert 'data-max-bytes="3145728"' in body and 'accept=".xlsx"' in body and "batasnya 3.0 MB" in body


def test_catalog_import_form_carries_the_same_limits(world, client, settings):
    settings.SIA_IMPORT_MAX_BYTES = 2 * 1024 * 1024
    client.force_login(world.users["superuser"])
    body = client.get(reverse("reference:import")).content.decode()
    tag = re.search(r'<input type="file"[^>]*>', body).group(0)
    assert 'data-max-bytes="2097152"' in tag and 'accept=".csv,.txt,.xlsx"' in tag
