"""HTML pages and forms: integers past 64 bits and odd digits (², ١) in a query, a path or a form body
answer 4xx or a form error, never a 500 (issue 9, item 3, beyond the API)."""

import pytest

from sia.architecture.choices import ReviewStatus as S
from sia.core.integers import out_of_range_message

pytestmark = pytest.mark.django_db

BIG = "99999999999999999999999"
ODD = ("²", "١٢")


def _get(client, url):
    response = client.get(url)
    assert response.status_code < 500, url
    return response


@pytest.mark.parametrize("value", [BIG, *ODD])
def test_query_parameters_of_pages(arch, world, client, value):
    client.force_login(world.users["admin"])
    for url in (
        f"/arsitektur/proses-bisnis/pohon/?department={value}",
        f"/referensi/cari/?q=data&versi={value}",
        f"/referensi/cari/?q=data&version={value}",
        f"/referensi/simpul/tambah/?parent={value}",
        f"/arsitektur/data/tambah/?department={value}",
        f"/arsitektur/layanan/tambah/?department={value}&processes={value}",
        f"/arsitektur/proses-bisnis/tambah/?department={value}&reference={value}&functions={value}",
        f"/arsitektur/data/tambah/?_refresh=1&department={value}&processes={value}",
    ):
        _get(client, url)


@pytest.mark.parametrize("value", [BIG, *ODD])
def test_bulk_submit_with_odd_ids_changes_nothing(arch, world, client, value):
    client.force_login(world.users["operator"])
    response = client.post("/arsitektur/data/ajukan/", {"selected": [value, str(arch.data.pk) + value]})
    assert response.status_code == 302
    arch.data.refresh_from_db()
    assert arch.data.status == S.DRAFT


@pytest.mark.parametrize("model_url", ["/arsitektur/data/", "/arsitektur/layanan/", "/arsitektur/proses-bisnis/"])
def test_form_bodies_past_64_bits_are_a_field_error(arch, world, client, model_url):
    client.force_login(world.users["operator"])
    for url in (model_url + "tambah/", f"{model_url}{_pk(arch, model_url)}/ubah/"):
        response = client.post(url, {"department": str(world.kominfo.pk), "name": "Nama", "processes": [BIG],
                                     "functions": [BIG], "reference": BIG, "parent": BIG})
        assert response.status_code == 400, url
        assert out_of_range_message() in response.content.decode()
        response = client.post(url, {"department": BIG, "name": "Nama"})
        assert response.status_code == 400, url
        for odd in ODD:
            response = client.post(url, {"department": odd, "name": "Nama", "processes": [odd], "reference": odd})
            assert response.status_code == 400, url


def _pk(arch, model_url):
    return {"/arsitektur/data/": arch.data, "/arsitektur/layanan/": arch.service,
            "/arsitektur/proses-bisnis/": arch.process}[model_url].pk


@pytest.mark.parametrize("parent", ["", "999999", "abc", BIG, "²"])
def test_reference_node_form_without_a_usable_parent_is_a_form_error(arch, world, client, parent):
    client.force_login(world.users["admin"])
    response = client.post("/referensi/simpul/tambah/", {"parent": parent, "institution": str(world.inst.pk),
                                                         "code": "", "name": "Simpul"})
    assert response.status_code == 400
