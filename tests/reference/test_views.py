import pytest
from django.db import connection
from django.core.files.storage import default_storage
from django.test.utils import CaptureQueriesContext

from sia.reference.models import CatalogVersion, ReferenceNode

from .helpers import RAB_SAMPLE, csv_upload, node, own_node

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    return client


def queries(client, url, **headers):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries), response


def test_catalog_index_labels_partial_catalogs(client, world):
    response = signed_in(client, world.users["operator"]).get("/referensi/")
    html = response.content.decode()
    for code in ("RAB", "RAL", "RAD", "RAA", "RAI", "RAK"):
        assert f'data-catalog="{code}"' in html
    assert html.count('data-testid="badge-partial"') == 2
    assert html.count('data-testid="badge-none"') == 1
    assert "Impor versi" not in html


def test_anonymous_users_are_sent_to_login(client):
    for url in ("/referensi/", "/referensi/RAB/", "/referensi/cari/?q=arsip", "/referensi/pilih/?q=arsip"):
        response = client.get(url)
        assert response.status_code == 302 and "/akun/login/" in response["Location"], url


def test_tree_query_count_does_not_depend_on_catalog_size(client, world, query_budget):
    client = signed_in(client, world.users["operator"])
    big, response = queries(client, "/referensi/RAB/")
    small, _ = queries(client, "/referensi/RAI/")
    empty, _ = queries(client, "/referensi/RAK/")
    assert big == small == empty <= query_budget["reference.tree"], (big, small, empty)
    html = response.content.decode()
    assert html.count('role="treeitem"') == 9
    assert 'hx-get="/referensi/simpul/' in html and 'hx-trigger="toggle once"' in html


def test_children_partial_query_count_is_constant(client, world, query_budget):
    client = signed_in(client, world.users["operator"])
    many, response = queries(client, f"/referensi/simpul/{node('RAB.09').pk}/anak/", HTTP_HX_REQUEST="true")
    few, _ = queries(client, f"/referensi/simpul/{node('RAI.03').pk}/anak/", HTTP_HX_REQUEST="true")
    assert many == few <= query_budget["reference.children"], (many, few)
    html = response.content.decode()
    assert html.count('role="treeitem"') == node("RAB.09").children.count()
    assert "<html" not in html


def test_tree_shows_own_instansi_nodes_only(client, world):
    own_node(node("RAB.09.06.06"), world.inst, "RAB.09.06.06.01", "Arsip Dinamis Provinsi")
    own_node(node("RAB.09.06.06"), world.other, "RAB.09.06.06.02", "Arsip Kota Lain")
    url = f"/referensi/simpul/{node('RAB.09.06').pk}/anak/"
    mine = signed_in(client, world.users["operator"]).get(url).content.decode()
    assert "RAB.09.06.06" in mine and "(1)" in mine
    children = signed_in(client, world.users["operator"]).get(f"/referensi/simpul/{node('RAB.09.06.06').pk}/anak/").content.decode()
    assert "Arsip Dinamis Provinsi" in children and "Arsip Kota Lain" not in children


def test_search_partial_shows_paths(client, world, query_budget):
    client = signed_in(client, world.users["leader"])
    count, response = queries(client, "/referensi/cari/?catalog=RAB&q=KEARSIPAN", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'data-code="RAB.09.06.06"' in html and "Pemerintahan Umum › Aparatur Negara ›" in html
    assert "RAD.09.06.06" not in html
    assert count <= query_budget["reference.search"]
    wide, _ = queries(client, "/referensi/cari/?q=pengelolaan", HTTP_HX_REQUEST="true")
    assert wide == count


def test_search_without_javascript_on_the_tree_page(client, world):
    html = signed_in(client, world.users["operator"]).get("/referensi/RAB/?q=kearsipan").content.decode()
    assert 'data-code="RAB.09.06.06"' in html


def test_node_page_shows_path_children_and_crosswalk(client, world, query_budget):
    client = signed_in(client, world.users["operator"])
    count, response = queries(client, f"/referensi/simpul/{node('RAB.09.06.06').pk}/")
    html = response.content.decode()
    assert 'data-testid="node-path"' in html
    for step in ("RAB.09 Pemerintahan Umum", "RAB.09.06 Aparatur Negara", "RAB.09.06.06 Penyelenggaraan Kearsipan"):
        assert step in html
    assert "RAL.02.04.06 Penyelenggaraan Kearsipan" in html and "RAD.09.06.06 Penyelenggaraan Kearsipan" in html
    assert "Tambah simpul instansi" not in html  # operators do not add nodes
    assert count <= query_budget["reference.node"]


def test_admin_adds_a_level_four_node(client, world):
    parent = node("RAB.09.06.06")
    client = signed_in(client, world.users["admin"])
    page = client.get(f"/referensi/simpul/{parent.pk}/").content.decode()
    assert f"/referensi/simpul/tambah/?parent={parent.pk}" in page
    form = client.get(f"/referensi/simpul/tambah/?parent={parent.pk}").content.decode()
    assert 'value="RAB.09.06.06.01"' in form
    response = client.post("/referensi/simpul/tambah/", {
        "parent": parent.pk, "parent_text": str(parent), "institution": world.inst.pk, "code": "RAB.09.06.06.01",
        "name": "Pengelolaan Arsip Dinamis", "description": "",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    created = ReferenceNode.objects.get(code="RAB.09.06.06.01")
    assert (created.institution, created.parent, created.version) == (world.inst, parent, parent.version)


def test_admin_adds_nodes_under_the_deepest_node_of_a_shallow_catalog(client, world):
    client = signed_in(client, world.users["admin"])
    leaf, group = node("RAA.01.01"), node("RAA.01")
    assert f"/referensi/simpul/tambah/?parent={leaf.pk}" in client.get(f"/referensi/simpul/{leaf.pk}/").content.decode()
    assert "/referensi/simpul/tambah/" not in client.get(f"/referensi/simpul/{group.pk}/").content.decode()
    assert 'value="RAA.01.01.01"' in client.get(f"/referensi/simpul/tambah/?parent={leaf.pk}").content.decode()
    response = client.post("/referensi/simpul/tambah/", {
        "parent_text": "RAA.01.01", "institution": world.inst.pk, "code": "RAA.01.01.01", "name": "Aplikasi Perizinan",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ReferenceNode.objects.get(code="RAA.01.01.01").parent == leaf


def test_admin_adds_a_top_node_to_a_catalog_without_national_codes(client, world):
    client = signed_in(client, world.users["admin"])
    tree = client.get("/referensi/RAK/").content.decode()
    assert "/referensi/simpul/tambah/?catalog=RAK" in tree
    assert "/referensi/simpul/tambah/" not in client.get("/referensi/RAB/").content.decode()
    assert 'value="RAK.01"' in client.get("/referensi/simpul/tambah/?catalog=RAK").content.decode()
    response = client.post("/referensi/simpul/tambah/", {
        "institution": world.inst.pk, "code": "RAK.01", "name": "Standar Keamanan Kota",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    created = ReferenceNode.objects.get(code="RAK.01")
    assert (created.institution, created.parent, created.version.catalog.code) == (world.inst, None, "RAK")
    assert 'value="RAK.02"' in client.get("/referensi/simpul/tambah/?catalog=RAK").content.decode()
    refused = client.post("/referensi/simpul/tambah/", {"institution": world.inst.pk, "code": "RAB.10", "name": "x"})
    assert refused.status_code == 400 and "simpul nasional terdalam" in refused.content.decode()


def test_admin_form_resolves_a_typed_parent_code(client, world):
    response = signed_in(client, world.users["admin"]).post("/referensi/simpul/tambah/", {
        "parent_text": "rab.09.06.06", "institution": world.inst.pk, "code": "RAB.09.06.06.02", "name": "Arsip Statis",
    })
    assert response.status_code == 302
    assert ReferenceNode.objects.get(code="RAB.09.06.06.02").parent == node("RAB.09.06.06")


def test_duplicate_own_code_is_refused_by_the_form(client, world):
    own_node(node("RAB.09.06.06"), world.inst, "RAB.09.06.06.01")
    response = signed_in(client, world.users["admin"]).post("/referensi/simpul/tambah/", {
        "parent_text": "RAB.09.06.06", "institution": world.inst.pk, "code": "RAB.09.06.06.01", "name": "Lagi",
    })
    assert response.status_code == 400
    assert "sudah memiliki simpul dengan kode" in response.content.decode()


@pytest.mark.parametrize("role", ["operator", "leader", "verifier"])
def test_other_roles_cannot_add_nodes(client, world, role):
    client = signed_in(client, world.users[role])
    assert client.get(f"/referensi/simpul/tambah/?parent={node('RAB.09.06.06').pk}").status_code == 403
    response = client.post("/referensi/simpul/tambah/", {
        "parent_text": "RAB.09.06.06", "institution": world.inst.pk, "code": "RAB.09.06.06.01", "name": "x",
    })
    assert response.status_code == 403
    assert not ReferenceNode.objects.filter(institution__isnull=False).exists()


def test_admin_cannot_add_for_another_instansi(client, world):
    response = signed_in(client, world.users["admin"]).post("/referensi/simpul/tambah/", {
        "parent_text": "RAB.09.06.06", "institution": world.other.pk, "code": "RAB.09.06.06.01", "name": "x",
    })
    assert response.status_code == 400
    assert not ReferenceNode.objects.filter(institution__isnull=False).exists()


def test_instansi_nodes_are_hidden_from_other_instansi(client, world):
    own = own_node(node("RAB.09.06.06"), world.inst, "RAB.09.06.06.01")
    assert signed_in(client, world.users["other_admin"]).get(own.get_absolute_url()).status_code == 404
    assert signed_in(client, world.users["leader"]).get(own.get_absolute_url()).status_code == 200


def test_national_nodes_cannot_be_edited_or_deleted(client, world):
    target = node("RAB.09.06.06")
    client = signed_in(client, world.users["admin"])
    assert client.get(f"/referensi/simpul/{target.pk}/ubah/").status_code in (403, 404)
    assert client.post(f"/referensi/simpul/{target.pk}/hapus/").status_code in (403, 404)


def test_admin_edits_and_deletes_own_node(client, world):
    own = own_node(node("RAB.09.06.06"), world.inst, "RAB.09.06.06.01")
    client = signed_in(client, world.users["admin"])
    response = client.post(f"/referensi/simpul/{own.pk}/ubah/", {
        "parent_text": "RAB.09.06.06", "code": "RAB.09.06.06.01", "name": "Arsip Dinamis (ubah)",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    own.refresh_from_db()
    assert own.name == "Arsip Dinamis (ubah)" and own.history.count() == 2
    history = client.get(f"/referensi/simpul/{own.pk}/riwayat/").content.decode()
    assert "Arsip Dinamis (ubah)" in history
    assert client.post(f"/referensi/simpul/{own.pk}/hapus/").status_code == 302
    assert not ReferenceNode.objects.filter(pk=own.pk).exists()


def test_version_pages(client, world):
    client = signed_in(client, world.users["operator"])
    listing = client.get("/referensi/versi/").content.decode()
    assert listing.count("Perpres 132/2022") >= 6
    version = CatalogVersion.objects.get(catalog__code="RAA")
    page = client.get(version.get_absolute_url()).content.decode()
    assert 'data-testid="badge-partial"' in page and "tingkat 1: 2; tingkat 2: 4" in page
    assert "Jadikan versi berlaku" not in page


def test_older_versions_stay_browsable(client, world, catalogs):
    from sia.reference.importer import parse_catalog_file, publish_version

    old = CatalogVersion.objects.get(catalog__code="RAB", is_current=True)
    publish_version(parse_catalog_file(csv_upload(RAB_SAMPLE), catalogs["RAB"]), name="Uji 2025")
    client = signed_in(client, world.users["operator"])
    current = client.get("/referensi/RAB/").content.decode()
    assert current.count('role="treeitem"') == 1
    older = client.get(f"/referensi/RAB/?versi={old.pk}").content.decode()
    assert older.count('role="treeitem"') == 9 and "bukan versi berlaku" in older


class TestImportPage:
    url = "/referensi/impor/"

    def post(self, client, upload, **extra):
        data = {"catalog": "RAB", "name": "Uji 2025", "completeness": "complete", "file": upload}
        data.update(extra)
        return client.post(self.url, data)

    def test_only_superusers(self, client, world):
        for role in ("admin", "operator"):
            client = signed_in(client, world.users[role])
            assert client.get(self.url).status_code == 403
            assert self.post(client, csv_upload(RAB_SAMPLE)).status_code == 403
        assert CatalogVersion.objects.count() == 6

    def test_problems_are_listed_and_nothing_is_written(self, client, world):
        client = signed_in(client, world.users["superuser"])
        response = self.post(client, csv_upload("code,name\nRAB.09,Pemerintahan Umum\nRAB.1,Salah\nRAL.01,Lain\n"))
        assert response.status_code == 400
        html = response.content.decode()
        assert 'data-testid="import-problems"' in html and "<td>3</td><td>code</td>" in html and "<td>4</td><td>code</td>" in html
        assert 'value="publish"' not in html
        assert CatalogVersion.objects.count() == 6

    def test_preview_then_publish(self, client, world, tmp_path, settings):
        settings.MEDIA_ROOT = tmp_path
        client = signed_in(client, world.users["superuser"])
        preview = self.post(client, csv_upload(RAB_SAMPLE))
        assert preview.status_code == 200
        html = preview.content.decode()
        assert 'value="publish"' in html and "Berkas bersih" in html
        assert CatalogVersion.objects.count() == 6
        token = preview.context["form"].initial["token"]
        assert default_storage.exists(f"tmp/reference-import/{token}")
        published = client.post(self.url, {
            "catalog": "RAB", "name": "Uji 2025", "completeness": "complete", "token": token, "filename": "rab.csv",
            "action": "publish",
        })
        assert published.status_code == 302
        version = CatalogVersion.objects.get(name="Uji 2025")
        assert version.is_current and version.nodes.count() == 4
        assert not default_storage.exists(f"tmp/reference-import/{token}")

    def test_identical_file_changes_nothing(self, client, world, tmp_path, settings):
        from sia.reference.loader import DATA_DIR
        from django.core.files.uploadedfile import SimpleUploadedFile

        settings.MEDIA_ROOT = tmp_path
        client = signed_in(client, world.users["superuser"])
        upload = SimpleUploadedFile("rab.csv", (DATA_DIR / "rab_perpres132_levels1-3.csv").read_bytes())
        response = self.post(client, upload, action="publish")
        assert response.status_code == 302
        assert CatalogVersion.objects.count() == 6
        follow = client.get(response["Location"]).content.decode()
        assert "tidak ada yang diubah" in follow

    def test_forged_token_is_refused(self, client, world, tmp_path, settings):
        settings.MEDIA_ROOT = tmp_path
        client = signed_in(client, world.users["superuser"])
        for token in ("../../etc/passwd", "0" * 64):
            response = client.post(self.url, {"catalog": "RAB", "name": "x", "completeness": "complete", "token": token,
                                              "filename": "rab.csv", "action": "publish"})
            assert response.status_code == 400
        assert CatalogVersion.objects.count() == 6


def test_dashboard_panel(client, world):
    html = signed_in(client, world.users["operator"]).get("/").content.decode()
    assert 'id="panel-reference"' in html


@pytest.mark.parametrize("key, url", [
    ("reference.referencenode_list", "/referensi/simpul/?national=false"),
    ("reference.catalogversion_list", "/referensi/versi/"),
])
def test_list_query_count_does_not_grow(client, world, catalogs, query_budget, key, url):
    from sia.reference.importer import parse_catalog_file, publish_version

    client = signed_in(client, world.users["superuser"])
    own_node(node("RAB.09.06.06"), world.inst, "RAB.09.06.06.01")
    few, _ = queries(client, url)
    for n in range(2, 12):
        own_node(node("RAB.09.06.06"), world.inst if n % 2 else world.other, f"RAB.09.06.06.{n:02d}")
    for n in range(3):  # drafts: the version in force, and so the instansi nodes listed, stay the same
        sample = RAB_SAMPLE.replace("Élektronik", f"Élektronik {n}")
        publish_version(parse_catalog_file(csv_upload(sample), catalogs["RAB"]), name=f"Uji {n}", publish=False)
    many, response = queries(client, url)
    assert few == many == query_budget[key], (key, few, many)
    html = response.content.decode()
    assert html.count("RAB.09.06.06.") == 11 if "simpul" in url else html.count("Uji ") == 3


def test_publishing_says_which_instansi_nodes_stay_in_the_old_version(client, world, catalogs):
    from sia.reference.importer import parse_catalog_file, publish_version

    own_node(node("RAB.09.06.06"), world.inst, "RAB.09.06.06.01", "Arsip Dinamis")
    own_node(node("RAB.09.06.05"), world.inst, "RAB.09.06.05.01", "Pelayanan Arsip")
    draft, _ = publish_version(parse_catalog_file(csv_upload(RAB_SAMPLE), catalogs["RAB"]), name="Draf", publish=False)
    client = signed_in(client, world.users["superuser"])
    response = client.post(f"/referensi/versi/{draft.pk}/terbitkan/", follow=True)
    html = response.content.decode()
    assert "1 simpul instansi dibawa" in html
    assert "RAB.09.06.05.01 Pelayanan Arsip" in html and "tetap dapat dibaca di versi lama" in html
    assert draft.nodes.filter(code="RAB.09.06.06.01", institution=world.inst).exists()


def test_import_page_reports_carried_instansi_nodes(client, world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    own_node(node("RAB.09.06.06"), world.inst, "RAB.09.06.06.01", "Arsip Dinamis")
    client = signed_in(client, world.users["superuser"])
    response = client.post("/referensi/impor/", {
        "catalog": "RAB", "name": "Uji 2025", "completeness": "complete", "file": csv_upload(RAB_SAMPLE), "action": "publish",
    }, follow=True)
    html = response.content.decode()
    assert "1 simpul instansi dibawa" in html and "tidak dapat dibawa" not in html
    assert CatalogVersion.objects.get(name="Uji 2025").nodes.filter(institution=world.inst).count() == 1


def test_uraian_of_an_own_node_has_the_free_text_limit_in_form_and_model(client, world):
    """Issue 10: uraian has a sane length limit with a counter (the form's maxlength feeds sia/forms.js)."""
    from django.core.exceptions import ValidationError

    from sia.core.fields import FREE_TEXT_MAX

    client = signed_in(client, world.users["admin"])
    parent = node("RAB.09.06.06")
    assert f'maxlength="{FREE_TEXT_MAX}"' in client.get(f"/referensi/simpul/tambah/?parent={parent.pk}").content.decode()
    data = {"parent": parent.pk, "parent_text": str(parent), "institution": world.inst.pk, "code": "RAB.09.06.06.01",
            "name": "Pengelolaan Arsip Dinamis", "description": "u" * (FREE_TEXT_MAX + 1)}
    refused = client.post("/referensi/simpul/tambah/", data)
    assert refused.status_code == 400 and str(FREE_TEXT_MAX) in refused.content.decode()
    assert not ReferenceNode.objects.filter(code="RAB.09.06.06.01").exists()
    own = own_node(parent, world.inst, "RAB.09.06.06.02", "Arsip Statis")
    own.description = "u" * (FREE_TEXT_MAX + 1)
    with pytest.raises(ValidationError) as error:
        own.full_clean()
    assert list(error.value.message_dict) == ["description"]


def test_node_list_filters_by_version_name_not_its_id(client, world):
    """Issue 10: list filters take codes: the version select carries "RAB Perpres 132/2022", an ID still works."""
    from sia.reference.loader import DEFAULT_VERSION

    client = signed_in(client, world.users["admin"])
    rab = CatalogVersion.objects.get(catalog__code="RAB", name=DEFAULT_VERSION)
    body = client.get("/referensi/simpul/", {"version": f"rab {DEFAULT_VERSION.lower()}", "level": 1}).content.decode()
    assert f'<option value="RAB {DEFAULT_VERSION}" selected>' in body
    assert f'<option value="{rab.pk}"' not in body
    assert "RAB.09" in body and "RAL.01" not in body
    by_id = client.get("/referensi/simpul/", {"version": rab.pk, "level": 1}).content.decode()
    assert "RAB.09" in by_id and "RAL.01" not in by_id and f'<option value="RAB {DEFAULT_VERSION}" selected>' in by_id
    assert client.get("/api/reference/nodes/", {"version": f"RAL {DEFAULT_VERSION}", "level": 1}).json()["count"] == \
        ReferenceNode.objects.filter(version__catalog__code="RAL", version__name=DEFAULT_VERSION, level=1).count()
    assert client.get("/api/reference/nodes/", {"version": "RAB Tidak Ada"}).status_code == 400
