import pytest

from sia.reference.models import CatalogVersion, ReferenceNode

from ..api_contract import ApiContract
from .helpers import RAB_SAMPLE, csv_upload, node, own_node

pytestmark = pytest.mark.django_db

NODES = "/api/reference/nodes/"


class TestInstitutionNodeApi(ApiContract):
    # Listing only instansi nodes keeps the new node on the first page among 1,000 national ones.
    url = NODES + "?national=false"
    model = ReferenceNode
    read_only = ("leader", "operator", "verifier", "assessor")
    hidden_from = ("other_admin",)
    create_denied = ("leader", "operator", "verifier", "other_admin")

    def detail(self, obj):
        return f"{NODES}{obj.pk}/"

    def make_object(self, w):
        return own_node(node("RAB.09.06.06"), w.inst, "RAB.09.06.06.01", "Arsip Dinamis")

    def create_data(self, w):
        return {"parent": "RAB.09.06.06", "institution": w.inst.code, "code": "RAB.09.06.06.02", "name": "Arsip Statis"}

    def update_data(self, w):
        return {"name": "Arsip Statis Daerah"}

    def test_created_node_derives_version_level_and_path(self, world, api):
        response = api(world.users["admin"]).post(NODES, self.create_data(world), format="json")
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["level"] == 4 and body["catalog"] == "RAB"
        assert body["version"]["id"] == node("RAB.09.06.06").version_id
        assert [step["code"] for step in body["path"]] == ["RAB.09", "RAB.09.06", "RAB.09.06.06", "RAB.09.06.06.02"]

    def test_level_three_and_orphans_are_refused(self, world, api):
        client = api(world.users["admin"])
        level3 = client.post(NODES, self.create_data(world) | {"parent": "RAB.09.06", "code": "RAB.09.06.99"}, format="json")
        assert level3.status_code == 400 and "simpul nasional terdalam" in str(level3.json())
        orphan = client.post(NODES, self.create_data(world) | {"code": "RAB.09.06.05.01"}, format="json")
        assert orphan.status_code == 400 and "induk yang dipilih" in str(orphan.json())
        assert not ReferenceNode.objects.filter(institution__isnull=False).exists()

    def test_top_of_a_catalog_without_national_codes_needs_no_parent(self, world, api):
        client = api(world.users["admin"])
        data = self.create_data(world) | {"parent": None, "name": "Standar Keamanan Kota"}
        rak = client.post(NODES, data | {"code": "RAK.01"}, format="json")
        assert rak.status_code == 201, rak.content
        assert (rak.json()["level"], rak.json()["parent"], rak.json()["catalog"]) == (1, None, "RAK")
        rab = client.post(NODES, data | {"code": "RAB.10"}, format="json")
        assert rab.status_code == 400 and "simpul nasional terdalam" in str(rab.json())
        assert list(ReferenceNode.objects.filter(institution__isnull=False).values_list("code", flat=True)) == ["RAK.01"]

    def test_national_node_without_institution_is_refused(self, world, api):
        response = api(world.users["superuser"]).post(NODES, self.create_data(world) | {"institution": None}, format="json")
        assert response.status_code == 400

    def test_node_cannot_move_to_another_instansi(self, world, api):
        obj = self.make_object(world)
        response = api(world.users["superuser"]).patch(self.detail(obj), {"institution": world.other.pk}, format="json")
        assert response.status_code == 400


def test_national_nodes_are_read_only_for_instansi_admins(world, api):
    target = node("RAB.09.06.06")
    client = api(world.users["admin"])
    assert client.get(f"{NODES}{target.pk}/").status_code == 200
    assert client.patch(f"{NODES}{target.pk}/", {"name": "x"}, format="json").status_code == 403
    assert client.delete(f"{NODES}{target.pk}/").status_code == 403


def test_node_filters(world, api):
    client = api(world.users["operator"])
    rows = client.get(NODES, {"catalog": "RAB", "level": 2, "current": "true", "limit": 100}).json()["results"]
    assert len(rows) == 45 and {r["catalog"] for r in rows} == {"RAB"}
    children = client.get(NODES, {"parent": node("RAB.09.06").pk, "limit": 100}).json()
    assert children["count"] == node("RAB.09.06").children.count()
    found = client.get(NODES, {"q": "kearsipan", "catalog": "RAL"}).json()["results"]
    assert [r["code"] for r in found] == ["RAL.02.04.06"]
    assert found[0]["path"][0]["code"] == "RAL.02"
    by_prefix = client.get(NODES, {"q": "RAB.09.06.0"}).json()["count"]
    assert by_prefix == node("RAB.09.06").children.count()


def test_node_list_query_count_is_constant(world, api, django_assert_max_num_queries):
    client = api(world.users["operator"])
    with django_assert_max_num_queries(8):
        assert len(client.get(NODES, {"limit": 200}).json()["results"]) == 200


def test_children_action(world, api):
    own_node(node("RAB.09.06.06"), world.inst, "RAB.09.06.06.01")
    own_node(node("RAB.09.06.06"), world.other, "RAB.09.06.06.02")
    rows = api(world.users["operator"]).get(f"{NODES}{node('RAB.09.06.06').pk}/children/").json()
    assert [r["code"] for r in rows] == ["RAB.09.06.06.01"]


def test_crosswalk_action(world, api):
    client = api(world.users["leader"])
    response = client.get(f"{NODES}{node('RAB.09.06.06').pk}/crosswalk/", {"target": "ral"})
    assert response.status_code == 200
    body = response.json()
    assert body["source"]["code"] == "RAB.09.06.06" and body["target"] == "RAL"
    assert [n["code"] for n in body["proposals"]] == ["RAL.02.04.06"]
    assert client.get(f"{NODES}{node('RAB.09.06.06').pk}/crosswalk/", {"target": "RAA"}).status_code == 400
    assert client.get(f"{NODES}{node('RAA.01').pk}/crosswalk/", {"target": "RAL"}).status_code == 400


def test_catalogs_and_versions_are_read_only(world, api):
    client = api(world.users["operator"])
    catalogs = client.get("/api/reference/catalogs/").json()["results"]
    assert [c["code"] for c in catalogs] == ["RAB", "RAL", "RAD", "RAA", "RAI", "RAK"]
    assert all(c["current_version"] for c in catalogs)
    versions = client.get("/api/reference/versions/", {"catalog": "RAA"}).json()["results"]
    assert [(v["completeness"], v["is_partial"], v["node_count"]) for v in versions] == [("partial", True, 6)]
    assert list(versions[0])[:3] == ["id", "url", "display"] and list(versions[0])[-2:] == ["created", "updated"]
    assert client.post("/api/reference/catalogs/", {"code": "RAB"}, format="json").status_code == 405
    assert client.post("/api/reference/versions/", {"name": "x"}, format="json").status_code == 405
    assert client.delete(f"/api/reference/versions/{versions[0]['id']}/").status_code == 405


def test_anonymous_reads_nothing(api):
    for url in ("/api/reference/catalogs/", "/api/reference/versions/", NODES):
        assert api().get(url).status_code in (401, 403)


def test_drafts_are_hidden_from_members(world, api, catalogs):
    from sia.reference.importer import parse_catalog_file, publish_version

    draft, _ = publish_version(parse_catalog_file(csv_upload(RAB_SAMPLE), catalogs["RAB"]), name="Draf", publish=False)
    client = api(world.users["admin"])
    assert client.get(f"/api/reference/versions/{draft.pk}/").status_code == 404
    assert client.get(NODES, {"version": draft.pk}).status_code == 400  # not a choice they may see
    assert api(world.users["superuser"]).get(f"/api/reference/versions/{draft.pk}/").status_code == 200


class TestImportApi:
    url = "/api/reference/versions/import/"

    def payload(self, upload, **extra):
        return {"catalog": "RAB", "name": "Uji 2025", "file": upload, **extra}

    @pytest.mark.parametrize("role", ["admin", "operator", "leader", "nobody"])
    def test_only_superusers_import(self, world, api, role):
        response = api(world.users[role]).post(self.url, self.payload(csv_upload(RAB_SAMPLE)), format="multipart")
        assert response.status_code == 403
        assert CatalogVersion.objects.count() == 6

    def test_dry_run_previews_without_writing(self, world, api):
        response = api(world.users["superuser"]).post(self.url + "?dry_run=1", self.payload(csv_upload(RAB_SAMPLE)), format="multipart")
        assert response.status_code == 200, response.content
        body = response.json()
        assert body == body | {"valid": True, "dry_run": True, "created": False, "rows": 4, "levels": {"1": 1, "2": 1, "3": 2}, "problems": []}
        assert CatalogVersion.objects.count() == 6

    def test_problems_name_line_and_column(self, world, api):
        upload = csv_upload("code,name\nRAB.09,Pemerintahan Umum\nRAB.01.001,Salah\nRAB.09,Ganda\n")
        response = api(world.users["superuser"]).post(self.url, self.payload(upload), format="multipart")
        assert response.status_code == 400
        problems = response.json()["problems"]
        assert [(p["line"], p["column"]) for p in problems] == [(3, "code"), (4, "code")]
        assert CatalogVersion.objects.count() == 6

    def test_publish_then_reimport_changes_nothing(self, world, api):
        client = api(world.users["superuser"])
        first = client.post(self.url, self.payload(csv_upload(RAB_SAMPLE), completeness="partial"), format="multipart")
        assert first.status_code == 201, first.content
        version = first.json()["version"]
        assert version["is_current"] and version["completeness"] == "partial" and version["node_count"] == 4
        before = ReferenceNode.objects.count()
        again = client.post(self.url, self.payload(csv_upload(RAB_SAMPLE), name="Uji lagi"), format="multipart")
        assert again.status_code == 200 and again.json()["created"] is False
        assert again.json()["version"]["id"] == version["id"]
        assert ReferenceNode.objects.count() == before and CatalogVersion.objects.count() == 7

    def test_draft_then_publish_action(self, world, api):
        client = api(world.users["superuser"])
        draft = client.post(self.url, self.payload(csv_upload(RAB_SAMPLE), publish="false"), format="multipart").json()["version"]
        assert draft["status"] == "draft" and not draft["is_current"]
        # A draft is seen by superusers only: to anyone else it is not found (404), as on the web.
        assert api(world.users["admin"]).post(f"/api/reference/versions/{draft['id']}/publish/").status_code == 404
        current = CatalogVersion.objects.get(catalog__code="RAB", is_current=True)
        assert api(world.users["admin"]).post(f"/api/reference/versions/{current.pk}/publish/").status_code == 403
        published = client.post(f"/api/reference/versions/{draft['id']}/publish/")
        assert published.status_code == 200 and published.json()["is_current"]

    def test_wrong_file_type(self, world, api):
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile("rab.pdf", b"%PDF-1.4\n" + b"0" * 64)
        response = api(world.users["superuser"]).post(self.url, self.payload(upload), format="multipart")
        assert response.status_code == 400 and "CSV" in response.json()["problems"][0]["message"]


def test_schema_lists_reference_endpoints(client):
    body = client.get("/api/schema/").content.decode()
    for path in ("/api/reference/catalogs/", "/api/reference/versions/import/", "/api/reference/nodes/{id}/children/",
                 "/api/reference/nodes/{id}/crosswalk/", "/api/reference/versions/{id}/publish/"):
        assert path in body, path


def test_search_is_an_alias_of_q(world, api):
    client = api(world.users["operator"])
    found = client.get(NODES, {"search": "kearsipan", "catalog": "RAL"}).json()["results"]
    assert [r["code"] for r in found] == ["RAL.02.04.06"]
    assert client.get(NODES, {"search": "RAB.09.06.0"}).json()["count"] == node("RAB.09.06").children.count()
    versions = client.get("/api/reference/versions/", {"search": "zzzz-tidak-ada"}).json()
    assert versions["count"] == 0


def test_api_refuses_instansi_nodes_in_a_superseded_version(world, api, catalogs):
    from sia.reference.importer import parse_catalog_file, publish_version

    superseded = node("RAB.09.06.06")
    publish_version(parse_catalog_file(csv_upload(RAB_SAMPLE), catalogs["RAB"]), name="Uji 2025")
    for user in ("admin", "superuser"):
        response = api(world.users[user]).post(NODES, {
            "parent": superseded.pk, "institution": world.inst.code, "code": "RAB.09.06.06.01", "name": "Arsip Dinamis",
        }, format="json")
        assert response.status_code == 400, response.content
        assert "versi berlaku" in str(response.json())
    assert not ReferenceNode.objects.filter(institution__isnull=False).exists()


def test_publish_action_lists_nodes_that_could_not_be_carried(world, api, catalogs):
    from sia.reference.importer import parse_catalog_file, publish_version

    own_node(node("RAB.09.06.06"), world.inst, "RAB.09.06.06.01", "Arsip Dinamis")
    orphan = own_node(node("RAB.09.06.05"), world.inst, "RAB.09.06.05.01", "Pelayanan Arsip")
    draft, _ = publish_version(parse_catalog_file(csv_upload(RAB_SAMPLE), catalogs["RAB"]), name="Draf", publish=False)
    response = api(world.users["superuser"]).post(f"/api/reference/versions/{draft.pk}/publish/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["is_current"] and body["carried"] == 1
    assert body["not_carried"] == [{"id": orphan.pk, "code": "RAB.09.06.05.01", "name": "Pelayanan Arsip",
                                    "institution": str(world.inst)}]
    assert list(body)[-2:] == ["created", "updated"]


def test_import_result_lists_nodes_that_could_not_be_carried(world, api):
    own_node(node("RAB.09.06.06"), world.inst, "RAB.09.06.06.01", "Arsip Dinamis")
    orphan = own_node(node("RAB.09.06.05"), world.inst, "RAB.09.06.05.01", "Pelayanan Arsip")
    response = api(world.users["superuser"]).post(
        "/api/reference/versions/import/", {"catalog": "RAB", "name": "Uji 2025", "file": csv_upload(RAB_SAMPLE)},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["carried"] == 1 and [n["id"] for n in body["not_carried"]] == [orphan.pk]
