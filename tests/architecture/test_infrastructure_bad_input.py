"""Bad infrastruktur and keamanan input through the web form and the API (issue 12; the rules themselves are
tested in test_infrastructure_rules.py and test_security_rules.py, the Excel upload in tests/exchange/): a
server placed in another instansi's facility, a negative capacity, an end date before the start, a protected
object of another instansi, a host chain that closes a cycle. Each gets a clear message on the field at
fault, and nothing is written. Then the declarations behind the cycle rule (``LinkSpec.acyclic``, sia.E115)
and the expiry warnings (``DomainSpec.expiry``): on the home pages, in completeness and as a list filter."""

import dataclasses
import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from sia.architecture import completeness
from sia.architecture.checks import spec_problems
from sia.architecture.choices import FollowUpStatus, ServerType
from sia.architecture.linkspec import declared_links
from sia.architecture.models import (
    Application, BusinessProcess, CloudService, ComputingFacility, PlatformSoftware, SecurityAudit, SecurityStandard,
    Server, StorageMedia,
)
from tests.kinds import Builder

pytestmark = pytest.mark.django_db

def today() -> datetime.date:
    """The instansi's date when the test runs, as the app reads it: a date taken at import went stale in a run that
    crossed midnight in Jakarta (17:00 UTC) between collecting the tests and running them."""
    return timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def objs(kinds, world):
    """Objects of DISKOMINFO to edit, a chain of virtual servers (nested virtualisation: bottom runs on middle, middle
    on top, top's host not recorded), and objects of another instansi to link to."""

    class Objects:
        top = kinds.build(Server, server_type=ServerType.VIRTUAL, name="Server puncak")
        middle = kinds.build(Server, server_type=ServerType.VIRTUAL, host=top, name="Server tengah")
        bottom = kinds.build(Server, server_type=ServerType.VIRTUAL, host=middle, name="Server bawah")
        storage = kinds.build(StorageMedia, name="SAN lama")
        cloud = kinds.build(CloudService, name="Langganan awan")
        standard = kinds.build(SecurityStandard, name="Kebijakan keamanan")
        audit = kinds.build(SecurityAudit, name="Audit eksternal")
        far = Builder(world.far)
        far_facility = far.build(ComputingFacility, name="Pusat data kota lain")
        far_server = far.build(Server, name="Server kota lain")

    return Objects


# Each case: the kind, the object of ``objs`` a change edits, the values (objects as ``objs`` attribute names),
# the field at fault and its message per channel (the form's and the API's choices hold the instansi's objects
# only, so another instansi's object is unknown there; the model's own rule says the rest alike everywhere).
CASES = {
    "server-in-another-instansi-s-facility": (
        Server, "top", {"facility": "far_facility"}, "facility", {
            "form": "Pilihan ini tidak dapat dipakai: objeknya tidak ada, milik instansi lain, atau tidak terlihat oleh Anda.",
            "api": "Tidak ada pilihan dengan ID atau kode “{far_facility}”.",
        },
    ),
    "negative-capacity": (
        StorageMedia, "storage", {"capacity_gb": "-1"}, "capacity_gb",
        {"any": "Kapasitas (GB) tidak boleh negatif."},
    ),
    "negative-server-memory": (
        Server, "top", {"memory_gb": "-16"}, "memory_gb", {"any": "Memori (GB) tidak boleh negatif."},
    ),
    "license-ends-before-it-starts": (
        CloudService, "cloud", {"license_start": "2026-01-10", "license_end": "2025-12-31"}, "license_end",
        {"any": "Akhir masa lisensi tidak boleh sebelum awal masa lisensi."},
    ),
    "standard-ends-before-it-starts": (
        SecurityStandard, "standard", {"valid_from": "2025-06-01", "valid_until": "2025-05-31"}, "valid_until",
        {"any": "Tanggal akhir penerapan tidak boleh sebelum tanggal mulai penerapan."},
    ),
    "protected-server-of-another-instansi": (
        SecurityAudit, "audit", {"protected_servers": ["far_server"]}, "protected_servers", {
            "form": "Kode tidak ditemukan di antara pilihan yang tersedia (objek instansi Anda yang dapat dipilih): {far_server}.",
            "api": "Tidak ada pilihan dengan ID atau kode “{far_server}”.",
        },
    ),
}
# A cycle needs an object that exists: edits only.
CYCLES = {
    "host-chain-closes-a-cycle": (
        Server, "top", {"host": "bottom"}, "host",
        {"any": "Server host membentuk siklus: {top} → {bottom} → {middle} → {top}."},
    ),
    "server-hosts-itself": (
        Server, "middle", {"host": "middle"}, "host",
        {"any": "Server host membentuk siklus: {middle} → {middle}."},
    ),
}


def resolve(objs, value):
    """Names of ``objs`` attributes become the objects."""
    if isinstance(value, list):
        return [resolve(objs, v) for v in value]
    return getattr(objs, value) if isinstance(value, str) and hasattr(objs, value) else value


def names(objs, channel) -> dict:
    """How messages name the objects of ``objs``: by code, but the API names another instansi's object by the ID
    it was sent (it cannot tell what it cannot see)."""
    api = channel.startswith("api")
    return {name: obj.pk if api and name.startswith("far_") else obj.code
            for name, obj in vars(objs).items() if hasattr(obj, "code")}


def snapshot(model, existing):
    """What a refused write must leave as it was: the kind's rows, its history, the existing object and its links."""
    obj = model.objects.get(pk=existing.pk)
    return {
        "count": model.objects.count(),
        "history": model.history.count(),
        "existing": {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields},
        "links": {f.name: sorted(getattr(obj, f.name).values_list("pk", flat=True)) for f in model._meta.many_to_many},
    }


def form_body(world, model, values, existing=None):
    """The form's fields: the required ones, the existing object's version, ``values`` as the form takes them
    (an object's ID in a choice, codes typed in a cross-OPD picker's code box)."""
    body = {"department": world.kominfo.pk, "name": f"{model._meta.verbose_name} baru", "period": "2025-2029",
            "state": "as-is"}
    if existing is not None:
        body.update(name=existing.name, code=existing.code, lock_version=existing.lock_version,
                    server_type=getattr(existing, "server_type", ""))
        if getattr(existing, "host_id", None):
            body["host"] = existing.host_id
    for name, value in values.items():
        field = model._meta.get_field(name)
        if field.many_to_many:
            body[f"{name}_codes"] = ", ".join(obj.code for obj in value)
        else:
            body[name] = value.pk if hasattr(value, "pk") else value
    return body


def api_body(world, model, values):
    body = {"department": "DISKOMINFO", "name": f"{model._meta.verbose_name} baru"}
    for name, value in values.items():
        body[name] = [obj.pk for obj in value] if isinstance(value, list) else getattr(value, "pk", value)
    return body


def send(client, api, world, model, existing, channel, values):
    """Sends ``values`` through ``channel`` as the DISKOMINFO operator; returns ``{field: [messages]}``."""
    name = model._meta.model_name
    if channel.startswith("form"):
        client.force_login(world.users["operator"])
        if channel == "form-add":
            response = client.post(reverse(f"architecture:{name}_add"), form_body(world, model, values))
        else:
            response = client.post(reverse(f"architecture:{name}_edit", args=[existing.pk]),
                                   form_body(world, model, values, existing))
        assert response.status_code == 400, response.content.decode()[:2000]
        return response.context["form"].errors
    caller = api(world.users["operator"])
    url = f"/api/architecture/{model.spec.api_name}/"
    if channel == "api-post":
        response = caller.post(url, api_body(world, model, values), format="json")
    else:
        response = caller.patch(f"{url}{existing.pk}/", {**api_body(world, model, values),
                                                         "lock_version": existing.lock_version}, format="json")
    assert response.status_code == 400, response.content
    return response.json()


def check(case, channel, client, api, world, objs):
    model, existing, values, field, messages = case
    existing = getattr(objs, existing)
    values = {name: resolve(objs, value) for name, value in values.items()}
    message = messages.get("any") or messages["form" if channel.startswith("form") else "api"]
    message = message.format(**names(objs, channel))
    before = snapshot(model, existing)
    errors = send(client, api, world, model, existing, channel, values)
    assert errors == {field: [message]}, errors
    assert snapshot(model, existing) == before


@pytest.mark.parametrize("channel", ["form-add", "form-edit", "api-post", "api-patch"])
@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_refused_on_its_field_and_writes_nothing(case, channel, client, api, world, objs):
    check(CASES[case], channel, client, api, world, objs)


@pytest.mark.parametrize("channel", ["form-edit", "api-patch"])
@pytest.mark.parametrize("case", list(CYCLES))
def test_a_host_chain_that_closes_a_cycle_is_refused_and_named(case, channel, client, api, world, objs):
    check(CYCLES[case], channel, client, api, world, objs)


# --- the cycle rule is a declaration ------------------------------------------------------------------------------


def test_every_self_link_says_whether_it_may_close_a_cycle():
    self_links = {(model.__name__, link.field): link.acyclic for model, link in declared_links()
                  if link.is_self_link(model) and link.field != "upgrades"}
    # Every kind's to-be upgrade names the as-is object it develops: a chain of upgrades never closes a cycle.
    assert {link.acyclic for model, link in declared_links() if link.field == "upgrades"} == {True}
    assert self_links == {("BusinessProcess", "parent"): True, ("Application", "outgoing_integrations"): False,
                          ("Server", "host"): True}


def with_links(model, links):
    return type("Declared", (), {"spec": dataclasses.replace(model.spec, links=links), "_meta": model._meta,
                                 "COMMON_FORM_FIELDS": model.COMMON_FORM_FIELDS})


def test_the_check_notices_a_self_link_that_does_not_say_and_acyclic_on_another_link():
    undecided = tuple(dataclasses.replace(link, acyclic=None) if link.field == "host" else link
                      for link in Server.spec.links)
    [problem] = spec_problems(with_links(Server, undecided))
    assert problem.id == "sia.E115" and "architecture.Server: the link “host”" in problem.msg
    misplaced = tuple(dataclasses.replace(link, acyclic=True) if link.field == "facility" else link
                      for link in Server.spec.links)
    [problem] = spec_problems(with_links(Server, misplaced))
    assert problem.id == "sia.E111" and "“facility” says acyclic" in problem.msg


def test_a_process_tree_cycle_is_named_by_the_same_rule(kinds, world):
    root = kinds.build(BusinessProcess, name="Induk")
    child = kinds.build(BusinessProcess, name="Anak", parent=root)
    root.parent = child
    assert root.link_problems("parent", [child]) == [
        f"Proses induk membentuk siklus: {root.code} → {child.code} → {root.code}."]
    root.parent = None
    assert root.link_problems("parent", [kinds.build(BusinessProcess)]) == []  # no chain back


def test_a_broad_host_tree_costs_one_query_per_level(kinds, world, count_queries):
    top = kinds.build(Server, server_type=ServerType.VIRTUAL)
    level = [kinds.build(Server, server_type=ServerType.VIRTUAL, host=top) for _i in range(3)]
    leaves = [kinds.build(Server, server_type=ServerType.VIRTUAL, host=server) for server in level for _j in range(2)]
    n, problems = count_queries(lambda: top.link_problems("host", [leaves[-1]]))
    assert len(problems) == 1 and problems[0].endswith(f"{top.code} → {leaves[-1].code} → {level[-1].code} → "
                                                       f"{top.code}.")
    assert n <= 4, n  # each level of the chain, then the names of the cycle


# --- expired objects: completeness, home pages, the list filter ----------------------------------------------------


@pytest.fixture
def expired(kinds, world):
    """Out-of-date objects of DISKOMINFO and DINKES, current ones, and an expired one of another instansi."""
    dinkes = Builder(world.dinkes)

    class Expired:
        platform = kinds.build(PlatformSoftware, end_of_support=today() - DAY, name="Basis data lama")
        current_platform = kinds.build(PlatformSoftware, end_of_support=today() + DAY)
        dinkes_platform = dinkes.build(PlatformSoftware, end_of_support=today() - 30 * DAY, name="OS lama Dinkes")
        server = kinds.build(Server, end_of_support=today() - DAY, name="Server tua")
        cloud = kinds.build(CloudService, license_start=today() - 400 * DAY, license_end=today() - DAY,
                            name="Awan usai")
        standard = kinds.build(SecurityStandard, valid_from=today() - 900 * DAY, valid_until=today() - DAY)
        audit = kinds.build(SecurityAudit, audit_date=today() - 60 * DAY, follow_up_status=FollowUpStatus.OPEN)
        done_audit = kinds.build(SecurityAudit, audit_date=today() - 60 * DAY, follow_up_status=FollowUpStatus.DONE)
        far_platform = Builder(world.far).build(PlatformSoftware, end_of_support=today() - DAY)

    return Expired


def block(body: str) -> dict:
    """The "Peringatan" block of a page: {(kind slug, expiry key): (text, link)}."""
    found = re.search(r'<div class="expired".*?</div>', body, re.S)
    assert found, "no Peringatan block"
    return {(kind, key): (html.unescape(re.sub(r"<[^>]+>", "", text)).strip(), html.unescape(href))
            for kind, key, href, text in re.findall(
                r'<li data-kind="([^"]+)" data-expiry="([^"]+)"><a href="([^"]+)">(.*?)</a></li>', found.group(0))}


def test_the_coordinator_s_home_warns_of_every_expired_kind_of_the_instansi(client, world, expired):
    client.force_login(world.users["admin"])
    body = client.get("/").content.decode()
    assert ">⚠ Peringatan<" in body
    warned = block(body)
    assert warned == {
        ("server", "akhir-dukungan"): ("Server: 1 melewati akhir dukungan",
                                       "/arsitektur/server/?kedaluwarsa=akhir-dukungan"),
        ("komputasi-awan", "lisensi-berakhir"): ("Komputasi awan: 1 dengan lisensi berakhir",
                                                 "/arsitektur/komputasi-awan/?kedaluwarsa=lisensi-berakhir"),
        ("perangkat-lunak-platform", "akhir-dukungan"): (
            "Perangkat lunak platform: 2 melewati akhir dukungan",  # DISKOMINFO's and DINKES's, not the far one
            "/arsitektur/perangkat-lunak-platform/?kedaluwarsa=akhir-dukungan"),
        ("standar-keamanan", "masa-berlaku-habis"): (
            "Standar & prosedur keamanan: 1 melewati tanggal akhir penerapan",
            "/arsitektur/standar-keamanan/?kedaluwarsa=masa-berlaku-habis"),
        ("audit-keamanan", "tanpa-tindak-lanjut"): ("Audit keamanan: 1 tanpa tindak lanjut selesai",
                                                    "/arsitektur/audit-keamanan/?kedaluwarsa=tanpa-tindak-lanjut"),
    }, warned
    # the link lists exactly the objects counted
    listed = client.get("/arsitektur/perangkat-lunak-platform/?kedaluwarsa=akhir-dukungan").content.decode()
    assert expired.platform.code in listed and expired.dinkes_platform.code in listed
    assert expired.current_platform.code not in listed and expired.far_platform.code not in listed
    assert 'name="kedaluwarsa"' in listed  # the filter is on the list page's form


def test_the_operator_s_home_counts_the_own_opd_and_links_to_it(client, world, expired):
    client.force_login(world.users["operator_dinkes"])
    warned = block(client.get("/").content.decode())
    assert warned == {("perangkat-lunak-platform", "akhir-dukungan"): (
        "Perangkat lunak platform: 1 melewati akhir dukungan",
        "/arsitektur/perangkat-lunak-platform/?kedaluwarsa=akhir-dukungan&department=DINKES")}


def test_completeness_page_and_api_show_the_same_warnings(client, api, world, expired):
    client.force_login(world.users["admin"])
    body = client.get(reverse("architecture:completeness")).content.decode()
    assert block(body)[("audit-keamanan", "tanpa-tindak-lanjut")][0] == "Audit keamanan: 1 tanpa tindak lanjut selesai"
    rows = {row["department"]["abbreviation"]: row for row in
            api(world.users["admin"]).get("/api/architecture/completeness/").json()}
    kinds_ = rows["DISKOMINFO"]["domains"]["keamanan"]["kinds"]
    assert "1 tanpa tindak lanjut selesai" in kinds_["audit-keamanan"]["warnings"]
    assert "Audit keamanan: 1 tanpa tindak lanjut selesai" in rows["DISKOMINFO"]["domains"]["keamanan"]["warnings"]
    found = api(world.users["admin"]).get("/api/architecture/cloud-services/?kedaluwarsa=lisensi-berakhir").json()
    assert [row["id"] for row in found["results"]] == [expired.cloud.pk]
    refused = api(world.users["admin"]).get("/api/architecture/cloud-services/?kedaluwarsa=apa-saja")
    assert refused.status_code == 400


def test_all_warnings_of_every_kind_cost_one_query(world, expired, count_queries):
    from sia.architecture.registry import domain_models
    from sia.organizations.models import Department

    departments = list(Department.objects.filter(institution=world.inst))
    querysets = {model: model.objects.filter(department__in=departments) for model in domain_models()}
    n, counts = count_queries(lambda: completeness.warning_counts(querysets, departments))
    assert n == 1
    assert [c.count for c in completeness.expired(counts) if c.model is PlatformSoftware] == [2]
    assert Application in querysets  # the kinds' own warnings are in the same query
