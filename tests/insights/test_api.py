"""``/api/insights/``: the graph through the API, on the hand-built landscape (``conftest.landscape``)."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from sia.architecture.choices import ReviewStatus
from sia.architecture.models import Application, Server
from sia.insights import graph_cache
from sia.insights.impact import MAX_DEPTH

from .conftest import make

pytestmark = pytest.mark.django_db

URL = "/api/insights/"


def ask(client, endpoint, **params):
    return client.get(f"{URL}{endpoint}/", params)


def of(obj):
    return {"kind": type(obj).spec.slug, "id": obj.pk}


def codes(rows):
    return [row["object"]["code"] for row in rows]


def test_neighbours_read_each_link_from_the_object(world, landscape, api):
    o = landscape
    response = ask(api(world.users["admin"]), "neighbours", **of(o.sv1))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["object"] == {
        "kind": "server", "id": o.sv1.pk, "code": o.sv1.code, "name": "Server Aplikasi 1", "kind_label": "Server",
        "domain": "infrastruktur", "department_id": o.kominfo.pk, "department": "DISKOMINFO",
        "status": ReviewStatus.VALIDATED, "url": f"http://testserver/api/architecture/servers/{o.sv1.pk}/",
        "web_url": f"/arsitektur/server/{o.sv1.pk}/",
    }
    links = {row["object"]["code"]: row["link"] for row in body["neighbours"]}
    assert set(links) == {o.dc.code, o.app_dinkes.code, o.app_bappeda.code, o.app_kominfo.code, o.standard.code}
    assert links[o.app_dinkes.code] == {"field": "servers", "holder": "aplikasi", "meaning": "menjalankan",
                                        "relationship": "serving", "dependency": "needed_by", "protection": False}
    assert links[o.dc.code]["dependency"] == "needs"
    assert links[o.standard.code]["dependency"] is None and links[o.standard.code]["protection"] is True
    # Layer by layer (the group order), then by code.
    assert [row["object"]["domain"] for row in body["neighbours"]] == ["aplikasi"] * 3 + ["infrastruktur", "keamanan"]


def test_a_two_way_integration_is_a_dependency_both_ways(world, landscape, api):
    o = landscape
    body = ask(api(world.users["admin"]), "neighbours", **of(o.app_dinkes)).json()
    [integration] = [row["link"] for row in body["neighbours"]
                     if row["object"]["id"] == o.app_bappeda.pk and row["link"]["relationship"] == "flow"]
    assert integration["dependency"] == "both"


def test_the_impact_set_of_a_shared_server(world, landscape, api):
    o = landscape
    body = ask(api(world.users["admin"]), "impact-sets", **of(o.sv1), limit=1000).json()
    assert body["count"] == 11 and len(body["hits"]) == 11 and body["depth"] == MAX_DEPTH
    assert body["failing"] == 8  # Portal Provinsi runs on a second server: it, its process and service survive
    hits = {row["object"]["code"]: row for row in body["hits"]}
    assert hits[o.app_kominfo.code]["fails"] is False and hits[o.app_dinkes.code]["fails"] is True
    assert hits[o.p_dinkes.code]["depth"] == 3
    assert [(step["from"]["code"], step["meaning"], step["to"]["code"]) for step in hits[o.p_dinkes.code]["path"]] == [
        (o.sv1.code, "menjalankan", o.app_dinkes.code), (o.app_dinkes.code, "mendukung", o.p_sub.code),
        (o.p_sub.code, "bagian dari", o.p_dinkes.code)]
    assert hits[o.p_dinkes.code]["path"][0]["field"] == "servers"
    domains = {row["domain"]: {d["department"]: d["count"] for d in row["departments"]} for row in body["by_domain"]}
    assert domains == {
        "proses-bisnis": {"BAPPEDA": 1, "DINKES": 2, "DISKOMINFO": 1},
        "layanan": {"BAPPEDA": 1, "DINKES": 1, "DISKOMINFO": 1},
        "data": {"DINKES": 1},
        "aplikasi": {"BAPPEDA": 1, "DINKES": 1, "DISKOMINFO": 1},
    }
    assert {row["department"]: row["count"] for row in body["by_department"]} == {
        "BAPPEDA": 3, "DINKES": 5, "DISKOMINFO": 3}
    assert [sorted(node["code"] for node in cycle) for cycle in body["cycles"]] == [
        sorted([o.app_dinkes.code, o.app_bappeda.code, o.data.code])]
    assert body["truncated"] is False


def test_the_impact_set_is_paged_and_cut_at_the_depth(world, landscape, api):
    o = landscape
    client = api(world.users["admin"])
    first = ask(client, "impact-sets", **of(o.sv1), limit=4).json()
    assert first["count"] == 11 and len(first["hits"]) == 4 and first["next"] and first["previous"] is None
    second = client.get(first["next"]).json()
    assert codes(first["hits"]) + codes(second["hits"]) == codes(ask(client, "impact-sets", **of(o.sv1), limit=8)
                                                                  .json()["hits"])
    near = ask(client, "impact-sets", **of(o.sv1), depth=1).json()
    assert sorted(codes(near["hits"])) == sorted([o.app_dinkes.code, o.app_bappeda.code, o.app_kominfo.code])
    assert near["truncated"] is True and near["depth"] == 1


def test_paths_both_ways_and_none(world, landscape, api):
    o = landscape
    client = api(world.users["admin"])
    down = ask(client, "paths", **of(o.s_kominfo), to_kind="server", to_id=o.sv1.pk).json()
    assert down["found"] is True and down["length"] == 3
    assert [(path["direction"], [step["to"]["code"] for step in path["steps"]]) for path in down["paths"]] == [
        ("down", [o.p_kominfo.code, o.app_kominfo.code, o.sv1.code])]
    assert down["source"]["code"] == o.s_kominfo.code and down["target"]["code"] == o.sv1.code
    up = ask(client, "paths", **of(o.sv1), to_kind="layanan", to_id=o.s_kominfo.pk).json()
    assert [path["direction"] for path in up["paths"]] == ["up"]
    assert up["paths"][0]["steps"][0]["meaning"] == "menjalankan"
    none = ask(client, "paths", **of(o.printer), to_kind="layanan", to_id=o.s_dinkes.pk).json()
    assert none["found"] is False and none["paths"] == [] and none["length"] is None
    same = ask(client, "paths", **of(o.sv1), to_kind="server", to_id=o.sv1.pk)
    assert same.status_code == 400 and "to_id" in same.json()


def test_traces_up_and_down_with_protectors_and_a_domain_filter(world, landscape, api):
    o = landscape
    client = api(world.users["admin"])
    body = ask(client, "traces", **of(o.app_dinkes)).json()
    assert body["protected_by"] == [{"kind": o.standard.spec.slug, "id": o.standard.pk, "code": o.standard.code,
                                     "name": "Standar Keamanan Server"}]
    down = {row["object"]["code"]: row for row in body["down"]}
    assert [p["id"] for p in down[o.sv1.code]["protected_by"]] == [o.standard.pk]
    assert down[o.dc.code]["depth"] == 2 and down[o.dc.code]["protected_by"] == []
    assert o.s_dinkes.code in codes(body["up"]) and body["cycles"]
    only = ask(client, "traces", **of(o.app_dinkes), domain="infrastruktur").json()
    assert {row["object"]["domain"] for row in only["down"] + only["up"]} == {"infrastruktur"}
    assert only["domains"] == ["infrastruktur"]
    several = ask(client, "traces", **of(o.app_dinkes), domain="server,layanan").json()
    assert {row["object"]["kind"] for row in several["down"] + several["up"]} == {"server", "layanan"}
    bad = ask(client, "traces", **of(o.app_dinkes), domain="angkasa")
    assert bad.status_code == 400 and "angkasa" in bad.json()["domain"][0]


def test_gaps_of_the_instansi_and_of_one_opd(world, landscape, api):
    o = landscape
    client = api(world.users["admin"])
    body = ask(client, "gaps").json()  # the admin reads one instansi: no parameter needed
    assert body["institution"] == {"id": world.inst.pk, "name": world.inst.name}
    gaps = {gap["slug"]: gap for gap in body["gaps"]}
    assert [obj["code"] for obj in gaps["layanan-tanpa-aplikasi"]["objects"]] == [o.s_manual.code]
    assert gaps["layanan-tanpa-aplikasi"]["count"] == 1 and gaps["layanan-tanpa-aplikasi"]["label"]
    assert gaps["layanan-tanpa-aplikasi"]["objects"][0]["department"] == "BAPPEDA"
    eos = gaps["aplikasi-platform-habis-dukungan"]
    assert eos["reasons"] == [{"object": {"kind": "aplikasi", "id": o.app_bappeda.pk, "code": o.app_bappeda.code,
                                          "name": "e-Planning"},
                               "because": [{"kind": o.os.spec.slug, "id": o.os.pk, "code": o.os.code,
                                            "name": "CentOS 7"}]}]
    dinkes = ask(client, "gaps", instansi=world.inst.pk, department=o.dinkes.pk).json()
    assert dinkes["department_id"] == o.dinkes.pk
    for gap in dinkes["gaps"]:
        assert {obj["department"] for obj in gap["objects"]} <= {"DINKES"}
        assert gap["count"] == len(gap["objects"])
    assert [obj["code"] for obj in {g["slug"]: g for g in dinkes["gaps"]}["proses-tanpa-layanan"]["objects"]] == [
        o.p_alone.code]
    assert ask(client, "gaps", department=world.far.pk).status_code == 400  # an OPD of another instansi


def test_single_points_of_failure(world, landscape, api):
    o = landscape
    body = ask(api(world.users["admin"]), "single-points-of-failure").json()
    points = {row["object"]["code"]: row for row in body["points"]}
    assert body["minimum"] == 2
    assert [row["object"]["code"] for row in body["points"]] == [o.dc.code, o.os.code, o.sv1.code]  # most first
    assert points[o.sv1.code]["count"] == 2
    assert sorted(s["code"] for s in points[o.sv1.code]["services"]) == sorted([o.s_dinkes.code, o.s_bappeda.code])
    assert points[o.sv1.code]["departments"] == ["BAPPEDA", "DINKES"]
    assert points[o.dc.code]["count"] == 3 and points[o.dc.code]["departments"] == ["BAPPEDA", "DINKES", "DISKOMINFO"]
    assert ask(api(world.users["admin"]), "single-points-of-failure", minimum=3).json()["points"][0]["count"] == 3


def test_which_instansi(world, landscape, api):
    superuser = api(world.users["superuser"])
    several = ask(superuser, "gaps")
    assert several.status_code == 400 and "instansi" in several.json()
    assert ask(superuser, "gaps", instansi=world.inst.pk).json()["institution"]["id"] == world.inst.pk
    assert ask(superuser, "single-points-of-failure").status_code == 400
    admin = api(world.users["admin"])
    assert ask(admin, "gaps", instansi=world.other.pk).status_code == 404  # not theirs: as if it did not exist
    assert ask(admin, "gaps", instansi=10**9).status_code == 404
    assert ask(admin, "gaps", instansi="satu").status_code == 400
    assert ask(api(world.users["nobody"]), "gaps").status_code == 404  # a member of no instansi


@pytest.mark.parametrize("endpoint", ["neighbours", "impact-sets", "traces", "paths"])
def test_bad_input(world, landscape, api, endpoint):
    o = landscape
    client = api(world.users["admin"])
    extra = {"to_kind": "layanan", "to_id": o.s_dinkes.pk} if endpoint == "paths" else {}
    unknown = ask(client, endpoint, kind="planet", id=o.sv1.pk, **extra)
    assert unknown.status_code == 400
    assert "server" in unknown.json()["kind"][0] and "aplikasi" in unknown.json()["kind"][0]  # the valid kinds
    assert ask(client, endpoint, id=o.sv1.pk, **extra).status_code == 400
    for bad_id in ("", "x", "1.5", "-3", str(2**70)):
        response = ask(client, endpoint, kind="server", id=bad_id, **extra)
        assert response.status_code == 400 and "id" in response.json(), bad_id
    if endpoint != "neighbours":
        for depth in (0, MAX_DEPTH + 1, -1, "dua", 2**70):
            response = ask(client, endpoint, **of(o.sv1), depth=depth, **extra)
            assert response.status_code == 400 and "depth" in response.json(), depth
        assert ask(client, endpoint, **of(o.sv1), depth=MAX_DEPTH, **extra).status_code == 200
    missing = ask(client, endpoint, kind="server", id=10**9, **extra)
    assert missing.status_code == 404 and missing.json() == {"detail": missing.json()["detail"]}


def test_an_object_the_reader_may_not_see_answers_like_one_that_does_not_exist(world, landscape, api):
    o = landscape
    draft = make(Application, o.kominfo, "Aplikasi Rahasia Kominfo", status=ReviewStatus.DRAFT, servers=[o.sv1])
    client = api(world.users["operator_dinkes"])
    for endpoint in ("neighbours", "impact-sets", "traces", "paths"):
        extra = {"to_kind": "server", "to_id": o.sv2.pk} if endpoint == "paths" else {}
        hidden = ask(client, endpoint, **of(draft), **extra)
        nonexistent = ask(client, endpoint, kind="aplikasi", id=draft.pk + 10**6, **extra)
        assert hidden.status_code == nonexistent.status_code == 404, endpoint
        assert hidden.content == nonexistent.content, endpoint
        assert b"Rahasia" not in hidden.content
    # As the end of a path too.
    hidden = ask(client, "paths", **of(o.sv1), to_kind="aplikasi", to_id=draft.pk)
    assert hidden.status_code == 404 and hidden.content == ask(
        client, "paths", **of(o.sv1), to_kind="aplikasi", to_id=draft.pk + 10**6).content
    # An object of another instansi is as absent.
    far = make(Server, world.far, "Server Kota Lain")
    assert ask(api(world.users["admin"]), "neighbours", **of(far)).status_code == 404


def test_the_draft_of_another_opd_on_a_shared_server_never_appears(world, landscape, api):
    """The operator of DINKES asks what the shared server of DISKOMINFO carries: a draft application of DISKOMINFO
    that runs on it is not in the answer, by name or by ID."""
    o = landscape
    draft = make(Application, o.kominfo, "Aplikasi Rahasia Kominfo", status=ReviewStatus.DRAFT, servers=[o.sv1])
    client = api(world.users["operator_dinkes"])
    for endpoint, params in (("impact-sets", {"limit": 1000}), ("neighbours", {}), ("traces", {})):
        response = ask(client, endpoint, **of(o.sv1), **params)
        assert response.status_code == 200
        assert b"Rahasia" not in response.content and draft.code.encode() not in response.content, endpoint
    assert o.app_dinkes.code in codes(ask(client, "impact-sets", **of(o.sv1)).json()["hits"])
    # Its own operator does see it.
    mine = ask(api(world.users["operator"]), "impact-sets", **of(o.sv1), limit=1000).json()
    assert draft.code in codes(mine["hits"])
    assert b"Rahasia" not in ask(client, "gaps").content


def test_anonymous_is_refused(world, landscape, api):
    o = landscape
    for endpoint in ("neighbours", "impact-sets", "traces", "gaps", "single-points-of-failure"):
        assert ask(api(), endpoint, **of(o.sv1)).status_code in (401, 403)
    assert ask(api(), "paths", **of(o.sv1), to_kind="server", to_id=o.sv2.pk).status_code in (401, 403)


def test_the_impact_set_takes_as_many_queries_with_many_objects(world, landscape, api, count_queries, query_budget):
    o = landscape
    client = api(world.users["operator_dinkes"])
    ask(client, "impact-sets", **of(o.sv1))  # the user's grants are read once and kept on the user
    graph_cache.clear()  # the graph is read, as after a change to the architecture
    few, response = count_queries(lambda: ask(client, "impact-sets", **of(o.sv1), limit=1000))
    assert response.status_code == 200
    kept, response = count_queries(lambda: ask(client, "impact-sets", **of(o.sv1), limit=1000))
    assert response.status_code == 200 and kept <= 3, kept  # kept graph: the object, the generation token
    for n in range(15):
        server = make(Server, o.dinkes, f"Server Tambahan {n}", facility=o.dc)
        make(Application, o.dinkes, f"Aplikasi Tambahan {n}", servers=[o.sv1, server], processes=[o.p_dinkes])
    # The new objects changed the generation: the graph kept before them is read again, with them.
    many, response = count_queries(lambda: ask(client, "impact-sets", **of(o.sv1), limit=1000))
    assert response.json()["count"] >= 11 + 15
    assert few == many == query_budget["insights.api.impact_sets"], (few, many)


def test_the_schema_documents_the_graph_api():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"]
    for endpoint in ("neighbours", "impact-sets", "paths", "traces", "gaps", "single-points-of-failure"):
        operation = paths[f"{URL}{endpoint}/"]["get"]
        assert {"200", "400", "403", "404"} <= set(operation["responses"]), endpoint
    impact = paths[f"{URL}impact-sets/"]["get"]
    assert {p["name"] for p in impact["parameters"]} == {"kind", "id", "depth", "limit", "offset"}
    [kind] = [p for p in impact["parameters"] if p["name"] == "kind"]
    assert kind["required"] and {"server", "aplikasi", "layanan"} <= set(kind["schema"]["enum"])
    hit = schema["components"]["schemas"]["ImpactHit"]["properties"]
    assert {"object", "depth", "fails", "path"} <= set(hit)
    assert {"from", "meaning", "to"} <= set(schema["components"]["schemas"]["Step"]["properties"])
    assert {p["name"] for p in paths[f"{URL}paths/"]["get"]["parameters"]} == {
        "kind", "id", "to_kind", "to_id", "depth"}


def test_the_answers_are_what_the_schema_says(world, landscape, api):
    """Each endpoint's answer on the landscape validates against its OpenAPI description (as the fuzz run checks
    its answers to random input, mostly refusals)."""
    import requests
    import schemathesis
    from schemathesis.core.transport import Response

    o = landscape
    client = api(world.users["admin"])
    spec = schemathesis.openapi.from_dict(client.get("/api/schema/?format=json").json())
    asked = {
        "neighbours": of(o.sv1), "impact-sets": {**of(o.sv1), "limit": 3}, "traces": of(o.app_bappeda),
        "paths": {**of(o.s_kominfo), "to_kind": "server", "to_id": o.sv1.pk}, "gaps": {},
        "single-points-of-failure": {},
    }
    for endpoint, params in asked.items():
        response = ask(client, endpoint, **params)
        assert response.status_code == 200, (endpoint, response.content)
        prepared = requests.Request("GET", f"http://testserver{URL}{endpoint}/", params=params).prepare()
        headers = {name: [value] for name, value in response.headers.items()}
        spec[f"{URL}{endpoint}/"]["GET"].validate_response(
            Response(response.status_code, headers, response.content, prepared, 0.0, True))
        refused = ask(client, endpoint, kind="planet", id="x", instansi="x")
        assert refused.status_code == 400
        spec[f"{URL}{endpoint}/"]["GET"].validate_response(Response(
            400, {name: [value] for name, value in refused.headers.items()}, refused.content, prepared, 0.0, True))


def test_the_api_root_lists_the_endpoints(world, api):
    body = api(world.users["admin"]).get(URL).json()
    assert set(body) == {"neighbours", "impact-sets", "paths", "traces", "gaps", "single-points-of-failure"}
    assert "insights" in api(world.users["admin"]).get("/api/").json()
