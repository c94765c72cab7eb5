"""The gap catalog (issue 14): a to-be new object is a gap of kind baru, a to-be upgrade (linked to the as-is object it
develops, required) a gap of kind pengembangan, an as-is object marked for retirement a gap of kind penghentian;
per OPD and domain, with filters, only what the reader may see, in one query. Bad input (an upgrade without its
as-is object, or naming another instansi's or a to-be object) is refused alike by the model, the web form, the API and
the Excel import, with a message on the field and nothing written."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sia.architecture.choices import ArchitectureState as S
from sia.architecture.choices import ReviewStatus
from sia.architecture.forms import form_for
from sia.architecture.gap_catalog import CatalogError, GapKind, counts, gap_catalog, totals
from sia.architecture.models import Application, BusinessProcess, Server
from sia.exchange.importer import plan_workbook
from sia.core.roles import Role
from tests import factories as f
from tests.exchange.helpers import problems, workbook

pytestmark = pytest.mark.django_db

MISSING = "To-be pengembangan harus menyebut objek as-is yang dikembangkan."


@pytest.fixture
def gaps_world(world, kinds):
    """An as-is application of DISKOMINFO with a to-be upgrade, a to-be new one, one to retire in 2027, and an
    as-is one that stays; a to-be new server of DINKES (a draft)."""
    app_kinds = kinds
    base = app_kinds.build(Application, name="SIMPEG lama")
    upgrade = app_kinds.build(Application, name="SIMPEG baru", state=S.TO_BE_UPGRADE, upgrades=base)
    new = app_kinds.build(Application, name="Portal data", state=S.TO_BE_NEW)
    retiring = app_kinds.build(Application, name="Aplikasi surat lama", retiring=True, retire_year=2027)
    staying = app_kinds.build(Application, name="Aplikasi tetap")
    server = Server.objects.create(department=world.dinkes, name="Server baru DINKES", state=S.TO_BE_NEW)
    return {"base": base, "upgrade": upgrade, "new": new, "retiring": retiring, "staying": staying,
            "server": server}


def keyed(gaps):
    return {(gap.kind, gap.obj.pk, type(gap.obj).__name__) for gap in gaps}


def test_each_kind_of_gap_is_derived(world, gaps_world):
    g = gaps_world
    found = gap_catalog(world.users["admin"], world.inst)
    assert keyed(found) == {
        (GapKind.UPGRADE, g["upgrade"].pk, "Application"), (GapKind.NEW, g["new"].pk, "Application"),
        (GapKind.RETIRE, g["retiring"].pk, "Application"), (GapKind.NEW, g["server"].pk, "Server"),
    }
    upgrade = next(gap for gap in found if gap.kind == GapKind.UPGRADE)
    assert upgrade.upgrades.pk == g["base"].pk and upgrade.upgrades.code == g["base"].code
    assert upgrade.upgrades.department.abbreviation == "DISKOMINFO"
    assert upgrade.upgrades.get_absolute_url() == g["base"].get_absolute_url()
    retire = next(gap for gap in found if gap.kind == GapKind.RETIRE)
    assert retire.year == 2027
    assert totals(found) == {GapKind.NEW: 2, GapKind.UPGRADE: 1, GapKind.RETIRE: 1}
    rows = {(row.department.abbreviation, row.group.slug): row.counts for row in counts(found)}
    assert rows[("DISKOMINFO", "aplikasi")] == {GapKind.NEW: 1, GapKind.UPGRADE: 1, GapKind.RETIRE: 1}
    assert rows[("DINKES", "infrastruktur")] == {GapKind.NEW: 1, GapKind.UPGRADE: 0, GapKind.RETIRE: 0}


def test_filters_by_opd_domain_and_kind(world, gaps_world):
    admin = world.users["admin"]
    assert keyed(gap_catalog(admin, world.inst, department=world.dinkes)) == {
        (GapKind.NEW, gaps_world["server"].pk, "Server")}
    assert {gap.obj.pk for gap in gap_catalog(admin, world.inst, group="aplikasi")} == {
        gaps_world[name].pk for name in ("upgrade", "new", "retiring")}
    assert [gap.obj.pk for gap in gap_catalog(admin, world.inst.pk, kind=GapKind.RETIRE)] == [gaps_world["retiring"].pk]
    assert gap_catalog(admin, world.other) == []
    with pytest.raises(CatalogError) as error:
        gap_catalog(admin, world.inst, kind="hilang")
    assert error.value.field == "kind"
    with pytest.raises(CatalogError):
        gap_catalog(admin, world.inst, group="tidak-ada")


def test_an_operator_does_not_see_another_opds_draft(world, gaps_world):
    seen = keyed(gap_catalog(world.users["operator"], world.inst))
    assert (GapKind.NEW, gaps_world["server"].pk, "Server") not in seen
    assert (GapKind.NEW, gaps_world["new"].pk, "Application") in seen
    dinkes = keyed(gap_catalog(world.users["operator_dinkes"], world.inst))
    assert dinkes == {(GapKind.NEW, gaps_world["server"].pk, "Server")}
    Server.objects.filter(pk=gaps_world["server"].pk).update(status=ReviewStatus.VALIDATED)
    assert (GapKind.NEW, gaps_world["server"].pk, "Server") in keyed(gap_catalog(world.users["operator"], world.inst))
    assert gap_catalog(world.users["other_admin"], world.inst) == []


def test_an_upgrade_of_a_hidden_as_is_object_names_it_not(world, kinds, gaps_world):
    """A validated upgrade of DISKOMINFO that develops a draft of DINKES (another OPD's object may be developed):
    an operator of a third party sees the upgrade, not the draft it develops."""
    dinkes_base = Application.objects.create(department=world.dinkes, name="Rahasia DINKES")
    upgrade = kinds.build(Application, name="Pengembangan lintas OPD", state=S.TO_BE_UPGRADE, upgrades=dinkes_base)
    Application.objects.filter(pk=upgrade.pk).update(status=ReviewStatus.VALIDATED)
    gap = next(g for g in gap_catalog(world.users["operator_dinkes"], world.inst) if g.obj.pk == upgrade.pk)
    assert gap.upgrades.name == "Rahasia DINKES"  # DINKES's own object
    verifier_view = next(g for g in gap_catalog(world.users["verifier"], world.inst) if g.obj.pk == upgrade.pk)
    assert verifier_view.upgrades.name == "Rahasia DINKES" and not verifier_view.upgrades_hidden
    third = f.department(world.inst, name="Dinas Ketiga", abbreviation="DK3")
    operator = f.member(world.inst, Role.OPERATOR, third, username="op.ketiga")
    hidden = next(g for g in gap_catalog(operator, world.inst) if g.obj.pk == upgrade.pk)
    assert hidden.upgrades is None and hidden.upgrades_hidden


def test_queries_do_not_grow_with_rows_or_kinds(world, kinds, gaps_world):
    def run():
        with CaptureQueriesContext(connection) as ctx:
            found = gap_catalog(world.users["operator"], world.inst)
        return len(ctx.captured_queries), found

    run()  # the reader's grants, read once per request
    before, found = run()
    for n in range(4):
        base = kinds.build(BusinessProcess, name=f"Proses lama {n}")
        kinds.build(BusinessProcess, name=f"Proses baru {n}", state=S.TO_BE_UPGRADE, upgrades=base)
        kinds.build(Server, name=f"Server pensiun {n}", retiring=True, retire_year=2026)
    after, more = run()
    assert len(more) == len(found) + 8
    assert after == before == 1


# --- the rules, one path for model, form, API and Excel ------------------------------------------------

def test_model_rules(world, kinds, gaps_world):
    g = gaps_world
    cases = [
        (dict(state=S.TO_BE_UPGRADE), "upgrades", MISSING),
        (dict(state=S.TO_BE_NEW, upgrades=g["base"]), "upgrades", "Hanya objek dengan kondisi to-be pengembangan"),
        (dict(state=S.TO_BE_UPGRADE, upgrades=g["new"]), "upgrades", "bukan objek as-is"),
        (dict(state=S.TO_BE_NEW, retiring=True), "retiring", "Hanya objek as-is"),
        (dict(retiring=True, retire_year=2031), "retire_year", "dalam periode 2025-2029"),
        (dict(retire_year=2026), "retire_year", "hanya bila objek direncanakan dihentikan"),
    ]
    for values, field, message in cases:
        obj = Application(department=world.kominfo, name="Uji", period="2025-2029", **values)
        with pytest.raises(ValidationError) as error:
            obj.clean()
        assert message in " ".join(error.value.message_dict[field]), (values, error.value.message_dict)
    other = Application.objects.create(department=world.far, name="Milik instansi lain")
    obj = Application(department=world.kominfo, name="Uji", state=S.TO_BE_UPGRADE, upgrades=other)
    with pytest.raises(ValidationError) as error:
        obj.clean()
    assert "milik instansi lain" in " ".join(error.value.message_dict["upgrades"])
    g["base"].state = S.TO_BE_UPGRADE
    g["base"].upgrades = g["base"]
    with pytest.raises(ValidationError) as error:
        g["base"].clean()
    assert "upgrades" in error.value.message_dict
    assert "kondisinya tetap as-is" in " ".join(error.value.message_dict["state"])  # an upgrade develops it


def _form(world, **data):
    values = {"department": world.kominfo.pk, "name": "Lewat formulir", "period": "2025-2029", **data}
    form = form_for(Application)(data=values, user=world.users["operator"])
    form.is_valid()
    return form


def test_the_form_refuses_an_upgrade_without_its_as_is_object(world, kinds, gaps_world):
    form = _form(world, state=S.TO_BE_UPGRADE)
    assert form.errors["upgrades"] == [MISSING]
    form = _form(world, state=S.TO_BE_UPGRADE, upgrades=gaps_world["new"].pk)  # not offered: a to-be object
    assert "upgrades" in form.errors
    assert not Application.objects.filter(name="Lewat formulir").exists()
    offered = set(_form(world).fields["upgrades"].queryset.values_list("pk", flat=True))
    assert gaps_world["base"].pk in offered and gaps_world["new"].pk not in offered
    assert gaps_world["upgrade"].pk not in offered


def test_the_api_refuses_bad_upgrades_and_accepts_a_good_one(world, api, gaps_world):
    client = api(world.users["operator"])
    url = "/api/architecture/applications/"
    body = {"department": "DISKOMINFO", "name": "Lewat API", "state": S.TO_BE_UPGRADE}
    response = client.post(url, body, format="json")
    assert response.status_code == 400 and response.json()["upgrades"] == [MISSING]
    other_server = Server.objects.create(department=world.kominfo, name="Server as-is")
    response = client.post(url, {**body, "upgrades": other_server.code}, format="json")
    assert response.status_code == 400 and "upgrades" in response.json()  # another kind's object: not found
    far = Application.objects.create(department=world.far, name="Milik instansi lain", code="APL-DKL-001")
    response = client.post(url, {**body, "upgrades": far.pk}, format="json")
    assert response.status_code == 400 and "upgrades" in response.json()
    assert not Application.objects.filter(name="Lewat API").exists()
    response = client.post(url, {**body, "upgrades": gaps_world["base"].code}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["upgrades"] is not None
    assert Application.objects.get(name="Lewat API").upgrades_id == gaps_world["base"].pk


def _excel(world, cells):
    header = ["ID", "Perangkat daerah *", "Nama *", "Kondisi", "Mengembangkan"]
    rows = [header, ["", "DISKOMINFO", "Lewat Excel", *cells]]
    content = workbook({str(Application._meta.verbose_name_plural): rows})
    return plan_workbook(content, user=world.users["admin"], institution=world.inst)


def test_the_excel_import_refuses_an_upgrade_without_its_as_is_object(world, gaps_world):
    plan = _excel(world, ["To-be pengembangan", ""])
    assert not plan.is_clean
    assert any(p[2] == "Mengembangkan" and MISSING in p[3] for p in problems(plan)), problems(plan)
    plan = _excel(world, ["To-be pengembangan", gaps_world["new"].code])
    assert any(p[2] == "Mengembangkan" and "bukan objek as-is" in p[3] for p in problems(plan)), problems(plan)
    assert not Application.objects.filter(name="Lewat Excel").exists()
    assert _excel(world, ["To-be pengembangan", gaps_world["base"].code]).is_clean


# --- the page and the API ----------------------------------------------------------------------------

def test_the_page_lists_and_filters_the_catalog(client, world, gaps_world):
    client.force_login(world.users["admin"])
    page = client.get("/arsitektur/kesenjangan/").content.decode()
    assert gaps_world["upgrade"].get_absolute_url() in page and gaps_world["base"].get_absolute_url() in page
    assert gaps_world["server"].get_absolute_url() in page and gaps_world["staying"].get_absolute_url() not in page
    assert 'data-testid="gap-count-row" data-department="DINKES" data-group="infrastruktur"' in page
    filtered = client.get("/arsitektur/kesenjangan/", {"jenis": GapKind.RETIRE}).content.decode()
    assert filtered.count('data-testid="gap-row"') == 1 and gaps_world["retiring"].get_absolute_url() in filtered
    by_opd = client.get("/arsitektur/kesenjangan/", {"opd": world.dinkes.pk, "domain": "infrastruktur"})
    by_opd = by_opd.content.decode()
    assert by_opd.count('data-testid="gap-row"') == 1
    bad = client.get("/arsitektur/kesenjangan/", {"jenis": "hilang"})
    assert bad.status_code == 200 and bad.content.decode().count('data-testid="gap-row"') == 0
    home = client.get("/").content.decode()
    assert "/arsitektur/kesenjangan/" in home


def test_the_page_hides_another_opds_draft_from_an_operator(client, world, gaps_world):
    client.force_login(world.users["operator"])
    page = client.get("/arsitektur/kesenjangan/").content.decode()
    assert gaps_world["server"].get_absolute_url() not in page and "Server baru DINKES" not in page
    assert gaps_world["new"].get_absolute_url() in page


def test_the_api(world, api, gaps_world):
    client = api(world.users["operator"])
    body = client.get("/api/architecture/gaps/").json()
    assert body["institution"]["id"] == world.inst.pk
    assert body["totals"] == {"baru": 1, "pengembangan": 1, "penghentian": 1}  # not DINKES's draft server
    upgrade = next(gap for gap in body["gaps"] if gap["kind"] == "pengembangan")
    assert upgrade["object"]["code"] == gaps_world["upgrade"].code
    assert upgrade["upgrades"]["code"] == gaps_world["base"].code and upgrade["domain"] == "aplikasi"
    assert body["counts"] == [{"department": "DISKOMINFO", "domain": "aplikasi", "baru": 1, "pengembangan": 1,
                               "penghentian": 1, "total": 3}]
    admin = api(world.users["admin"])
    assert [g["object"]["code"] for g in admin.get("/api/architecture/gaps/", {"department": world.dinkes.pk}).json()[
        "gaps"]] == [gaps_world["server"].code]
    assert admin.get("/api/architecture/gaps/", {"kind": "hilang"}).json().keys() == {"kind"}
    assert admin.get("/api/architecture/gaps/", {"domain": "hilang"}).json().keys() == {"domain"}
    assert admin.get("/api/architecture/gaps/", {"department": world.far.pk}).status_code == 400
    assert admin.get("/api/architecture/gaps/", {"instansi": world.other.pk}).status_code == 404
    assert api().get("/api/architecture/gaps/").status_code in (401, 403)
    schema = api(world.users["admin"]).get("/api/schema/").content.decode()
    assert "/api/architecture/gaps/" in schema


def test_the_api_takes_institution_and_department_and_their_old_names(world, api, gaps_world):
    admin = api(world.users["admin"])
    url = "/api/architecture/gaps/"
    codes = [gaps_world["server"].code]
    for params in ({"institution": world.inst.pk, "department": world.dinkes.pk},
                   {"instansi": world.inst.pk, "opd": world.dinkes.pk}):
        response = admin.get(url, params)
        assert response.status_code == 200 and [g["object"]["code"] for g in response.json()["gaps"]] == codes
    # a value naming nothing, or not a number, is a 400 naming the parameter (no longer the whole catalog)
    for params, name in (({"opd": 23_000_000}, "opd"), ({"opd": "abc"}, "opd"), ({"department": "abc"}, "department"),
                         ({"opd": world.far.pk}, "opd"), ({"institution": "abc"}, "institution")):
        response = admin.get(url, params)
        assert response.status_code == 400 and list(response.json()) == [name], (params, response.content)
    assert admin.get(url, {"institution": world.other.pk}).status_code == 404
    both = admin.get(url, {"department": world.dinkes.pk, "opd": world.dinkes.pk})
    assert both.status_code == 400 and set(both.json()) == {"department", "opd"}
    from drf_spectacular.generators import SchemaGenerator

    operation = SchemaGenerator().get_schema(request=None, public=True)["paths"][url]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert {"institution", "department", "instansi", "opd"} <= set(parameters) and "400" in operation["responses"]
    assert parameters["opd"].get("deprecated") and not parameters["department"].get("deprecated")


def test_a_retirement_goes_through_the_api_and_the_workbook(world, api, gaps_world):
    client = api(world.users["operator"])
    body = {"department": "DISKOMINFO", "name": "Pensiun lewat API", "retiring": True, "retire_year": 2031}
    response = client.post("/api/architecture/applications/", body, format="json")
    assert response.status_code == 400 and "2025-2029" in " ".join(response.json()["retire_year"])
    assert not Application.objects.filter(name="Pensiun lewat API").exists()
    assert client.post("/api/architecture/applications/", {**body, "retire_year": 2028},
                       format="json").status_code == 201
    header = ["ID", "Perangkat daerah *", "Nama *", "Direncanakan dihentikan", "Tahun rencana penghentian"]
    content = workbook({str(Application._meta.verbose_name_plural): [
        header, ["", "DISKOMINFO", "Pensiun lewat Excel", "Ya", 2030]]})
    plan = plan_workbook(content, user=world.users["admin"], institution=world.inst)
    assert any(p[2] == "Tahun rencana penghentian" and "2025-2029" in p[3] for p in problems(plan)), problems(plan)
    assert not Application.objects.filter(name="Pensiun lewat Excel").exists()
    retired = next(g for g in gap_catalog(world.users["operator"], world.inst) if g.obj.name == "Pensiun lewat API")
    assert (retired.kind, retired.year) == (GapKind.RETIRE, 2028)
