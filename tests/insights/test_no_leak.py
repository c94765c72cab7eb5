"""A draft is nothing to those who may not see it, on every insights URL.

Dinkes holds drafts with a unique word in their names: an application running on Diskominfo's server (with its
platform software, processes, services, data and an integration with Diskominfo's portal), a service and a data
item. The operator of Diskominfo (whose server the draft runs on) and the admin of another instansi request every
URL of the ``insights`` and ``insights-api`` namespaces, over every object they may address: pages, diagram
fragments and SVG/PNG, matrices as HTML and XLSX (every cell read), every API endpoint, the home page's fragment.

- the word and the drafts' codes appear nowhere in what they get, and every answer is what it is once the drafts
  are deleted (numbers, diagrams and paths included: a draft is not a hidden box, nor one more in a count);
- a URL that names a draft answers 404, exactly as one naming an object that never existed;
- the owner operator and the koordinator do see the drafts on the same URLs (the sweep can fail).

URLs are read from the URLconf: an insights URL this sweep does not know how to fill makes it fail, naming it.
"""

import io
import json
import re
from collections import defaultdict

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from sia.architecture.choices import IntegrationDirection, ReviewStatus
from sia.architecture.models import Application, ApplicationIntegration, DataItem, Service
from sia.insights.diagrams import FORMATS
from sia.insights.graph import load_graph
from sia.insights.matrices import MATRICES

from .conftest import make

pytestmark = pytest.mark.django_db

WORD = "Kelabusunyi"  # in no other name of the world, nor in any label of the pages
DRAFT = ReviewStatus.DRAFT
OBJECT_VIEWS = {"trace", "impact", "trace_diagram", "impact_diagram"}


def url_names() -> dict:
    """{"namespace:name": pattern} of every URL of both insights namespaces, as the URLconf declares them."""
    found = {}

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                found[f"{namespace}:{pattern.name}"] = pattern

    resolver = get_resolver()
    for namespace in ("insights", "insights-api"):
        _prefix, sub = resolver.namespace_dict[namespace]
        walk(sub.url_patterns, namespace)
    return found


@pytest.fixture
def drafts(landscape, world):
    """The drafts of Dinkes, linked to what the other OPDs may see (Diskominfo's server, platform, portal)."""
    o = landscape
    o.draft_service = make(Service, o.dinkes, f"Layanan Konsultasi {WORD}", status=DRAFT, processes=[o.p_dinkes])
    o.draft_data = make(DataItem, o.dinkes, f"Data Rujukan {WORD}", status=DRAFT, custodian_department=o.dinkes,
                        services=[o.s_dinkes])
    o.draft_app = make(Application, o.dinkes, f"Sistem Rujukan {WORD}", status=DRAFT, servers=[o.sv1, o.sv2],
                       platform_software=[o.os], processes=[o.p_sub, o.p_dinkes],
                       services=[o.s_dinkes, o.draft_service], reads=[o.data], writes=[o.draft_data])
    ApplicationIntegration.objects.create(source=o.draft_app, target=o.app_kominfo, data_exchanged=f"Rujukan {WORD}",
                                          direction=IntegrationDirection.TWO_WAY)
    o.draft_list = [o.draft_app, o.draft_service, o.draft_data]
    for obj in o.draft_list:
        obj.refresh_from_db()
    return o


def around_the_drafts(o, world) -> list:
    """The objects a draft could show through, as keys: every visible object linked to a draft, and one object of
    every other kind (the koordinator's graph: what exists)."""
    graph = load_graph(world.users["admin"], world.inst)
    drafts = {(type(d).spec.slug, d.pk) for d in o.draft_list}
    linked = {other for key in drafts for other, _index, _forward in graph.neighbours.get(key, ())
              if other not in drafts}
    first = {}
    for key in sorted(graph.nodes):
        if key not in drafts:
            first.setdefault(key[0], key)
    found = sorted(linked | set(first.values()))
    assert {(o.sv1.spec.slug, o.sv1.pk), (o.app_kominfo.spec.slug, o.app_kominfo.pk)} <= linked, linked
    return found


def addresses(o, world, nodes) -> dict:
    """{URL name: [URL]}: every insights URL over ``nodes`` (kind slug, pk), the OPDs of the instansi, its gaps,
    matrices and formats. The SVG and PNG of an object's diagram are asked for the server the drafts run on (the
    fragment, the same drawing, for every object)."""
    inst = world.inst
    graph = load_graph(world.users["admin"], inst)
    departments = sorted(graph.departments)
    gap_slugs = ["layanan-tanpa-aplikasi", "proses-tanpa-layanan", "aplikasi-tanpa-proses", "data-tanpa-produsen",
                 "data-tanpa-walidata", "infrastruktur-tanpa-pemakai", "aplikasi-platform-habis-dukungan",
                 "tidak-dilindungi"]
    groups = sorted({kind.group for kind in graph.kinds.values()})
    server = (o.sv1.spec.slug, o.sv1.pk)
    targets = [(type(x).spec.slug, x.pk) for x in (o.sv1, o.dc, o.os)]

    def r(name, *args, **query):
        base = reverse(name, args=args)
        return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")

    def api(name, **query):
        return r(f"insights-api:{name}", **query)

    fmts = ["html", *FORMATS]
    by_name = {
        "insights:index": [r("insights:index"), r("insights:index", instansi=inst.pk)],
        "insights:gaps": [r("insights:gaps"), *[r("insights:gaps", jenis=s) for s in gap_slugs],
                          *[r("insights:gaps", opd=d) for d in departments]],
        "insights:single_points": [r("insights:single_points"), r("insights:single_points", instansi=inst.pk)],
        "insights:dashboard_gaps": [r("insights:dashboard_gaps")],
        "insights:application_landscape": [r("insights:application_landscape", instansi=inst.pk)],
        "insights:landscape": [r("insights:landscape", d) for d in departments],
        "insights:trace": [r("insights:trace", *k) for k in nodes]
        + [r("insights:trace", o.sv1.spec.slug, o.sv1.pk, domain=g) for g in groups],
        "insights:impact": [r("insights:impact", *k) for k in nodes],
        "insights:trace_diagram": [r("insights:trace_diagram", *k, "html") for k in nodes]
        + [r("insights:trace_diagram", *server, f) for f in FORMATS],
        "insights:impact_diagram": [r("insights:impact_diagram", *k, "html") for k in nodes]
        + [r("insights:impact_diagram", *server, f) for f in FORMATS],
        "insights:landscape_diagram": [r("insights:landscape_diagram", d, f) for d in departments for f in fmts],
        "insights:application_landscape_diagram": [
            r("insights:application_landscape_diagram", f, instansi=inst.pk) for f in fmts],
        "insights:matrices": [r("insights:matrices", instansi=inst.pk),
                              *[r("insights:matrices", instansi=inst.pk, opd=d) for d in departments]],
        "insights:matrix": [r("insights:matrix", m.slug, instansi=inst.pk, **opd) for m in MATRICES
                            for opd in ({}, *({"opd": d} for d in departments))],
        "insights:matrix_xlsx": [r("insights:matrix_xlsx", m.slug, instansi=inst.pk, **opd) for m in MATRICES
                                 for opd in ({}, *({"opd": d} for d in departments))],
        "insights-api:api-root": [api("api-root")],
        "insights-api:neighbours": [api("neighbours", kind=k, id=pk) for k, pk in nodes],
        "insights-api:impact-sets": [api("impact-sets", kind=k, id=pk, limit=1000) for k, pk in nodes],
        "insights-api:traces": [api("traces", kind=k, id=pk) for k, pk in nodes],
        "insights-api:paths": [api("paths", kind=k, id=pk, to_kind=tk, to_id=tpk)
                               for k, pk in nodes for tk, tpk in targets if (k, pk) != (tk, tpk)],
        "insights-api:gaps": [api("gaps", instansi=inst.pk),
                              *[api("gaps", instansi=inst.pk, department=d) for d in departments]],
        "insights-api:single-points-of-failure": [api("single-points-of-failure", instansi=inst.pk, minimum=m)
                                                  for m in (1, 2)],
    }
    unknown = sorted(set(url_names()) - set(by_name))
    assert not unknown, f"insights URLs the leak sweep does not request (add them to addresses()): {unknown}"
    return by_name


def words(response) -> str:
    """What the reader gets, as text: every cell of every sheet of an XLSX, the body otherwise."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        book = load_workbook(io.BytesIO(content), read_only=True)
        cells = [sheet.title for sheet in book.worksheets]
        for sheet in book.worksheets:
            cells.extend(str(value) for row in sheet.iter_rows(values_only=True) for value in row if value is not None)
        return "\n".join(cells)
    if response.get("Content-Type", "").startswith("image/png"):
        return ""  # drawn from the DOT source of the SVG of the same URL, which is read
    return content.decode("utf-8")


VARYING = [
    (re.compile(r'nonce="[^"]*"'), 'nonce=""'),
    (re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*"'), r'\1"'),
    (re.compile(r'(<meta name="csrf-token" content=")[^"]*"'), r'\1"'),
    (re.compile(r'("X-CSRFToken": ")[^"]*"'), r'\1"'),
]


def normalized(text: str) -> str:
    for pattern, replacement in VARYING:
        text = pattern.sub(replacement, text)
    return text


def sweep(client, user, by_name) -> tuple[dict, dict]:
    """({URL: (status, normalized text)}, {URL name: [URLs where a draft's name or code appears]})."""
    client.force_login(user)
    seen, named = {}, defaultdict(list)
    for name, urls in by_name.items():
        for address in urls:
            response = client.get(address)
            # 400: a filter value of another instansi (an OPD it does not have) refused with its reason
            assert response.status_code in (200, 400, 404), (user.username, address, response.status_code)
            text = words(response)
            seen[address] = (response.status_code, normalized(text))
            if WORD.lower() in text.lower():
                named[name].append(address)
    return seen, named


def without_address(body: str, address: str, pk: int) -> str:
    """The body with the URL asked for (and the ID in it) written the same whatever the ID."""
    body = normalized(body)
    for form in (address, address.replace("&", "&amp;")):
        body = body.replace(form, "<url>")
    return re.sub(rf"(?<=[/=]){pk}(?=[/&\"]|$)", "<id>", body)


def codes_in(seen, codes) -> list:
    return [(address, code) for address, (_status, text) in seen.items() for code in codes
            if re.search(rf"{re.escape(code)}(?!\d)", text)]


LISTING = {  # the URLs that name objects: a draft shows there to those who may see it
    "insights:trace", "insights:impact", "insights:trace_diagram", "insights:impact_diagram", "insights:landscape",
    "insights:landscape_diagram", "insights:application_landscape", "insights:application_landscape_diagram",
    "insights:gaps", "insights:matrix", "insights:matrix_xlsx", "insights-api:neighbours", "insights-api:impact-sets",
    "insights-api:traces", "insights-api:paths", "insights-api:gaps",
}


@pytest.mark.parametrize("owner", ["operator_dinkes", "admin"])
def test_the_owner_operator_and_the_koordinator_see_the_drafts(client, world, drafts, owner):
    """The positive control: the same sweep finds the drafts' names where those who may see them look."""
    o = drafts
    nodes = [(type(x).spec.slug, x.pk) for x in (o.sv1, o.p_dinkes, o.app_kominfo)]
    _seen, named = sweep(client, world.users[owner], addresses(o, world, nodes))
    assert LISTING <= set(named), sorted(LISTING - set(named))


def test_an_operator_of_another_opd_gets_what_they_would_without_the_drafts(client, world, drafts):
    """Diskominfo's operator (the drafts run on their server): no name, no code; every answer, numbers and
    drawings included, the same once the drafts are deleted."""
    o = drafts
    codes = [d.code for d in o.draft_list]
    assert all(codes), codes
    by_name = addresses(o, world, around_the_drafts(o, world))
    reader = world.users["operator"]
    seen, named = sweep(client, reader, by_name)
    assert dict(named) == {}
    assert codes_in(seen, codes) == []
    own = reverse("insights:landscape", args=[o.kominfo.pk])
    refused = [a for a, (status, _t) in seen.items() if status != 200]
    assert refused == [a for a in refused if a.startswith("/analisis/opd/") and not a.startswith(own)], refused

    for draft in o.draft_list:
        draft.delete()
    without, _named = sweep(client, reader, by_name)
    changed = [address for address, answer in without.items() if seen[address] != answer]
    assert changed == [], changed[:10]


def test_the_admin_of_another_instansi_reads_nothing_of_it(client, world, drafts):
    o = drafts
    codes = [d.code for d in o.draft_list]
    seen, named = sweep(client, world.users["other_admin"], addresses(o, world, around_the_drafts(o, world)))
    assert dict(named) == {}
    assert codes_in(seen, codes) == []
    for address in (reverse("insights:trace", args=[o.sv1.spec.slug, o.sv1.pk]),
                    reverse("insights:landscape", args=[o.dinkes.pk]),
                    reverse("insights:index") + f"?instansi={world.inst.pk}",
                    reverse("insights:matrix_xlsx", args=[MATRICES[0].slug]) + f"?instansi={world.inst.pk}",
                    reverse("insights-api:gaps") + f"?instansi={world.inst.pk}"):
        assert seen[address][0] == 404, address


def draft_addresses(kind, pk, visible) -> dict:
    """Every URL that names one object (path or query), for ``kind``/``pk``; ``visible`` another object to pair
    with it in a path."""
    vk, vpk = visible
    fmts = ["html", *FORMATS]
    return {
        "trace": reverse("insights:trace", args=[kind, pk]),
        "impact": reverse("insights:impact", args=[kind, pk]),
        **{f"trace_diagram.{f}": reverse("insights:trace_diagram", args=[kind, pk, f]) for f in fmts},
        **{f"impact_diagram.{f}": reverse("insights:impact_diagram", args=[kind, pk, f]) for f in fmts},
        **{name: reverse(f"insights-api:{name}") + f"?kind={kind}&id={pk}"
           for name in ("neighbours", "impact-sets", "traces")},
        "paths.from": reverse("insights-api:paths") + f"?kind={kind}&id={pk}&to_kind={vk}&to_id={vpk}",
        "paths.to": reverse("insights-api:paths") + f"?kind={vk}&id={vpk}&to_kind={kind}&to_id={pk}",
    }


def test_addressing_a_draft_answers_like_an_object_that_does_not_exist(client, world, drafts):
    o = drafts
    names = {name.split(":")[1] for name in url_names()}
    assert {"trace", "impact", "trace_diagram", "impact_diagram", "neighbours", "impact-sets", "traces",
            "paths"} <= names
    object_names = {name for name, pattern in url_names().items() if "<slug:kind>" in str(pattern.pattern)}
    assert {n.split(":")[1] for n in object_names} == OBJECT_VIEWS, "a new object URL: add it to draft_addresses()"
    visible = (o.sv1.spec.slug, o.sv1.pk)
    for draft in o.draft_list:
        kind = type(draft).spec.slug
        missing = type(draft).objects.order_by("-pk").first().pk + 1000
        hidden, absent = draft_addresses(kind, draft.pk, visible), draft_addresses(kind, missing, visible)
        for reader in (world.users["operator"], world.users["other_admin"]):
            client.force_login(reader)
            for what, address in hidden.items():
                got, expected = client.get(address), client.get(absent[what])
                assert got.status_code == expected.status_code == 404, (reader.username, address, got.status_code)
                text = without_address(got.content.decode(), address, draft.pk)
                assert text == without_address(expected.content.decode(), absent[what], missing), address
                assert WORD.lower() not in text.lower()
        for owner in (world.users["operator_dinkes"], world.users["admin"]):  # the same URLs, for those who may
            client.force_login(owner)
            for what, address in hidden.items():
                response = client.get(address)
                assert response.status_code == 200, (owner.username, address, response.status_code)
                if what in ("trace", "impact", "neighbours", "traces"):
                    assert WORD in response.content.decode(), (owner.username, address)


def test_the_api_answers_json_for_a_hidden_draft(client, world, drafts):
    """The API's 404 for a draft is its documented answer (JSON with ``detail``), the one an unknown ID gets."""
    client.force_login(world.users["operator"])
    response = client.get(reverse("insights-api:neighbours") + f"?kind=aplikasi&id={drafts.draft_app.pk}")
    assert response.status_code == 404
    assert set(json.loads(response.content)) == {"detail"}
