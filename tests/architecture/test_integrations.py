"""Integrations between applications (``ApplicationIntegration``): a link with attributes, declared on
``Application.spec.links`` with ``through``. One rule (the model's ``clean()``) for the web form and the
API: not with itself, not across instansi, not twice, no reverse that the existing one already covers;
the pages and the API follow the source application's rights; both ends show it with its attributes."""

import pytest
from django.urls import reverse

from sia.architecture import workflow
from sia.architecture.checks import link_problems as declaration_problems
from sia.architecture.choices import IntegrationChannel, IntegrationDirection, ReviewStatus
from sia.architecture.integrations import IntegrationForm
from sia.architecture.linkspec import LinkSpec, attributed_links, field_links, relationship_allowed, through_problems
from sia.architecture.models import Application, ApplicationIntegration
from sia.core import permissions
from tests.api_contract import ApiContract

pytestmark = pytest.mark.django_db

API = "/api/architecture/application-integrations/"
SELF = "Aplikasi tidak dapat diintegrasikan dengan dirinya sendiri"
FOREIGN = "milik instansi lain"
COVERED = "sudah mencakup arah ini"
MAKE_TWO_WAY = "ubah integrasi yang sudah ada itu menjadi dua arah"
DUPLICATE = "Integrasi antara kedua aplikasi ini sudah tercatat."


@pytest.fixture
def apps(arch, world):
    class Apps:
        pass

    a = Apps()
    area = arch.node("RAA.01.01")
    a.simpeg = Application.objects.create(department=world.kominfo, name="SIMPEG", reference=area)
    a.portal = Application.objects.create(department=world.kominfo, name="Portal Satu Data", reference=area)
    a.sikda = Application.objects.create(department=world.dinkes, name="SIKDA Generik", reference=area)
    a.far = Application.objects.create(department=world.far, name="Aplikasi Kota Lain")
    for app in (a.simpeg, a.portal, a.sikda):
        app.processes.add(arch.process)
    # Another OPD's application is offered as a target once validated (its drafts are its OPD's own).
    Application.objects.filter(pk=a.sikda.pk).update(status=ReviewStatus.VALIDATED)
    a.sikda.refresh_from_db()
    return a


def integration(source, target, **kw):
    kw.setdefault("data_exchanged", "Data pegawai")
    row = ApplicationIntegration(source=source, target=target, **kw)
    row.full_clean()
    row.save()
    return row


def clean_errors(source, target, **kw):
    from django.core.exceptions import ValidationError

    kw.setdefault("data_exchanged", "Data pegawai")
    try:
        ApplicationIntegration(source=source, target=target, **kw).full_clean()
    except ValidationError as error:
        return " ".join(error.message_dict.get("target", []))
    return ""


# --- the rule -------------------------------------------------------------------------------------

def test_an_integration_takes_its_instansi_from_the_source_and_may_cross_opds(apps, world):
    row = integration(apps.simpeg, apps.sikda, channel=IntegrationChannel.DIRECT)
    assert row.institution == world.inst
    assert str(row) == f"{apps.simpeg.code} → {apps.sikda.code}"
    assert row.department == world.kominfo


def test_the_rule_refuses_what_makes_no_sense(apps):
    assert SELF in clean_errors(apps.simpeg, apps.simpeg)
    assert FOREIGN in clean_errors(apps.simpeg, apps.far)
    integration(apps.simpeg, apps.portal)
    assert DUPLICATE in clean_errors(apps.simpeg, apps.portal)
    # One-way both ways is two different flows (different data, channel): allowed.
    assert clean_errors(apps.portal, apps.simpeg) == ""
    # A two-way one where the reverse exists: the existing one is to be made two-way.
    assert MAKE_TWO_WAY in clean_errors(apps.portal, apps.simpeg, direction=IntegrationDirection.TWO_WAY)
    # The reverse of a two-way one is already covered.
    integration(apps.sikda, apps.simpeg, direction=IntegrationDirection.TWO_WAY)
    assert COVERED in clean_errors(apps.simpeg, apps.sikda)
    assert COVERED in clean_errors(apps.simpeg, apps.sikda, direction=IntegrationDirection.TWO_WAY)


def test_editing_an_integration_is_not_refused_by_itself(apps):
    row = integration(apps.simpeg, apps.portal)
    row.direction = IntegrationDirection.TWO_WAY
    row.full_clean()
    row.save()
    assert ApplicationIntegration.objects.get().two_way


# --- the declaration --------------------------------------------------------------------------------

def test_integrations_are_declared_as_a_flow_link_with_attributes():
    [(model, link)] = attributed_links()
    assert model is Application
    assert link.through_model() is ApplicationIntegration
    assert link.relationship == "flow" and link.cross_opd
    assert link.attributes == ("direction", "channel", "data_exchanged")
    assert link.target_model(Application) is Application
    assert link.archimate_ends(Application) == ("ApplicationComponent", "ApplicationComponent")
    assert relationship_allowed(link.relationship, *link.archimate_ends(Application))
    assert (Application, link) not in field_links()
    assert through_problems(Application, link) == []
    assert declaration_problems(Application) == []


def test_the_declaration_gives_the_rows_with_their_attributes(apps):
    row = integration(apps.simpeg, apps.sikda, channel=IntegrationChannel.SPLP)
    [(_model, link)] = attributed_links(Application)
    assert list(link.pairs()) == [(apps.simpeg.pk, apps.sikda.pk, {
        "direction": row.direction, "channel": "splp", "data_exchanged": "Data pegawai"})]


def test_the_check_refuses_a_bad_through_declaration():
    import dataclasses

    def declared(*links):
        return type("Declared", (), {"spec": dataclasses.replace(Application.spec, links=links),
                                     "_meta": Application._meta})

    keep = [link for link in Application.spec.links if not link.through]
    bad = declared(*keep, LinkSpec("outgoing_integrations", "x", "y", "flow", through="architecture.Nothing",
                                   acyclic=False))
    [problem] = declaration_problems(bad)
    assert problem.id == "sia.E111" and "architecture.Nothing" in problem.msg
    bad = declared(*keep, LinkSpec("incoming_integrations", "x", "y", "flow", through="architecture.ApplicationIntegration",
                                   attributes=("colour",), acyclic=False))
    messages = sorted(p.msg for p in declaration_problems(bad))
    assert any("the accessor" in m and "“outgoing_integrations”" in m for m in messages)
    assert any("“colour” is not a field" in m for m in messages)
    bad = declared(*keep, LinkSpec("outgoing_integrations", "x", "y", "serving", through="architecture.ApplicationIntegration",
                                   acyclic=False))
    assert declaration_problems(bad) == []  # serving between two application components is allowed
    bad = declared(*keep, LinkSpec("outgoing_integrations", "x", "y", "access-read",
                                   through="architecture.ApplicationIntegration", acyclic=False))
    [problem] = declaration_problems(bad)
    assert problem.id == "sia.E112"


# --- the web form -----------------------------------------------------------------------------------

def post_form(client, user, data):
    client.force_login(user)
    return client.post(reverse("architecture:applicationintegration_add"), data)


def form_data(source, target, **kw):
    return {"source": source.pk, "target": target.pk, "direction": kw.get("direction", IntegrationDirection.ONE_WAY),
            "channel": kw.get("channel", IntegrationChannel.SPLP), "data_exchanged": "Data pegawai", "description": ""}


def test_the_form_adds_an_integration_to_another_opds_application(apps, world, client):
    response = post_form(client, world.users["operator"], form_data(apps.simpeg, apps.sikda))
    assert response.status_code == 302, response.content.decode()[:2000]
    row = ApplicationIntegration.objects.get()
    assert (row.source, row.target, row.institution) == (apps.simpeg, apps.sikda, world.inst)
    assert row.history.count() == 1 and row.history.first().history_user == world.users["operator"]


@pytest.mark.parametrize("case", ["self", "reverse-of-two-way", "two-way-over-reverse", "duplicate"])
def test_the_form_refuses_nonsense_and_writes_nothing(apps, world, client, case):
    if case == "reverse-of-two-way":
        integration(apps.portal, apps.simpeg, direction=IntegrationDirection.TWO_WAY)
    if case in ("two-way-over-reverse", "duplicate"):
        integration(apps.portal, apps.simpeg)
    data, expected = {
        "self": (form_data(apps.simpeg, apps.simpeg), SELF),
        "reverse-of-two-way": (form_data(apps.simpeg, apps.portal), COVERED),
        "two-way-over-reverse": (form_data(apps.simpeg, apps.portal, direction=IntegrationDirection.TWO_WAY), MAKE_TWO_WAY),
        "duplicate": (form_data(apps.portal, apps.simpeg), DUPLICATE),
    }[case]
    before = ApplicationIntegration.objects.count()
    response = post_form(client, world.users["operator"], data)
    assert response.status_code == 400
    assert expected in response.content.decode()
    assert ApplicationIntegration.objects.count() == before


def test_the_form_refuses_another_instansis_application(apps, world, client):
    # A superuser sees both instansi: the rule speaks.
    response = post_form(client, world.users["superuser"], form_data(apps.simpeg, apps.far))
    assert response.status_code == 400 and FOREIGN in response.content.decode()
    # A member of one instansi is not even offered it.
    form = IntegrationForm(data=form_data(apps.simpeg, apps.far), user=world.users["operator"])
    assert apps.far not in form.fields["target"].queryset
    assert not form.is_valid() and "target" in form.errors
    assert not ApplicationIntegration.objects.exists()


def test_the_form_offers_as_source_only_applications_the_user_may_change(apps, world):
    form = IntegrationForm(user=world.users["operator"], initial={"source": apps.simpeg.pk})
    assert set(form.fields["source"].queryset) == {apps.simpeg, apps.portal}
    assert apps.simpeg not in form.fields["target"].queryset  # not with itself
    assert apps.sikda in form.fields["target"].queryset


def test_an_operator_cannot_add_from_another_opds_application(apps, world, client):
    response = post_form(client, world.users["operator_dinkes"], form_data(apps.simpeg, apps.sikda))
    assert response.status_code == 400  # the source is not among the choices
    assert not ApplicationIntegration.objects.exists()


# --- who may do what ----------------------------------------------------------------------------------

def test_rights_follow_the_source_application(apps, world, client):
    row = integration(apps.simpeg, apps.sikda)
    operator, other = world.users["operator"], world.users["operator_dinkes"]
    assert permissions.can(operator, permissions.CHANGE, row) and permissions.can(operator, permissions.DELETE, row)
    assert not permissions.can(other, permissions.VIEW, row)  # the source is another OPD's draft
    assert row not in permissions.visible(other, ApplicationIntegration)
    workflow.apply(apps.simpeg, workflow.A.SUBMIT, operator)
    row.refresh_from_db()
    assert permissions.can(operator, permissions.VIEW, row)
    assert not permissions.can(operator, permissions.CHANGE, row)
    assert permissions.can(world.users["admin"], permissions.CHANGE, row)
    client.force_login(operator)
    assert client.get(reverse("architecture:applicationintegration_edit", args=[row.pk])).status_code == 403
    assert client.post(reverse("architecture:applicationintegration_delete", args=[row.pk])).status_code == 403
    assert ApplicationIntegration.objects.filter(pk=row.pk).exists()


# --- both ends ------------------------------------------------------------------------------------------

def test_both_ends_show_the_integration_with_its_attributes(apps, world, client):
    row = integration(apps.simpeg, apps.sikda, direction=IntegrationDirection.TWO_WAY,
                      channel=IntegrationChannel.DIRECT)
    client.force_login(world.users["admin"])
    source_page = client.get(apps.simpeg.get_absolute_url()).content.decode()
    assert "<h2>Mengirim data ke Aplikasi</h2>" in source_page
    assert f"↔ {apps.sikda} · Langsung (tanpa SPLP) · Data pegawai" in source_page
    assert row.get_absolute_url() in source_page
    add = reverse("architecture:applicationintegration_add") + f"?source={apps.simpeg.pk}"
    assert f'href="{add}"' in source_page and "Tambah integrasi aplikasi" in source_page
    target_page = client.get(apps.sikda.get_absolute_url()).content.decode()
    assert "<h2>Menerima data dari Aplikasi</h2>" in target_page
    assert f"↔ {apps.simpeg} · Langsung (tanpa SPLP) · Data pegawai" in target_page


def test_the_add_page_opens_with_the_source_preset(apps, world, client):
    client.force_login(world.users["operator"])
    page = client.get(reverse("architecture:applicationintegration_add") + f"?source={apps.simpeg.pk}")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'<option value="{apps.simpeg.pk}" selected>' in html
    assert apps.simpeg.get_absolute_url() in html  # back to the application


def test_an_end_the_reader_may_not_see_is_not_named(apps, world, client):
    Application.objects.filter(pk=apps.sikda.pk).update(status=ReviewStatus.DRAFT)  # each OPD's draft its own
    integration(apps.simpeg, apps.sikda, data_exchanged="Data gaji")
    integration(apps.sikda, apps.simpeg, data_exchanged="Data kesehatan pegawai")
    client.force_login(world.users["operator"])
    page = client.get(apps.simpeg.get_absolute_url()).content.decode()
    assert apps.sikda.name not in page and apps.sikda.code not in page
    assert "→ (tersembunyi) · Melalui SPLP · Data gaji" in page  # its own integration, the far end unnamed
    assert "Data kesehatan pegawai" not in page  # DINKES's integration: its source is DINKES's draft
    listing = client.get(reverse("architecture:applicationintegration_list")).content.decode()
    assert "Data gaji" in listing and apps.sikda.name not in listing and "Data kesehatan pegawai" not in listing
    client.force_login(world.users["operator_dinkes"])
    page = client.get(apps.sikda.get_absolute_url()).content.decode()
    assert "→ (tersembunyi) · Melalui SPLP · Data kesehatan pegawai" in page
    assert apps.simpeg.name not in page and "Data gaji" not in page


# --- list, edit, delete, history -------------------------------------------------------------------------

def test_the_list_filters_by_application_and_channel(apps, world, client):
    splp = integration(apps.simpeg, apps.sikda, channel=IntegrationChannel.SPLP, data_exchanged="Data gaji")
    direct = integration(apps.portal, apps.simpeg, channel=IntegrationChannel.DIRECT, data_exchanged="Data unit")
    other = integration(apps.portal, apps.sikda, channel=IntegrationChannel.DIRECT, data_exchanged="Data pasien")
    client.force_login(world.users["admin"])
    url = reverse("architecture:applicationintegration_list")
    page = client.get(url, {"application": apps.simpeg.code}).content.decode()
    assert "Data gaji" in page and "Data unit" in page and "Data pasien" not in page
    page = client.get(url, {"application": apps.simpeg.code, "channel": "langsung"}).content.decode()
    assert "Data unit" in page and "Data gaji" not in page
    page = client.get(url, {"channel": "splp"}).content.decode()
    assert splp.get_absolute_url() in page and direct.get_absolute_url() not in page and other.get_absolute_url() not in page


def test_the_list_keeps_its_query_count_whatever_the_rows(apps, world, client, count_queries):
    client.force_login(world.users["operator"])
    url = reverse("architecture:applicationintegration_list")
    integration(apps.simpeg, apps.sikda)
    few, response = count_queries(lambda: client.get(url))
    assert response.status_code == 200
    for n in range(8):
        integration(Application.objects.create(department=world.kominfo, name=f"Aplikasi {n}"), apps.sikda)
    many, response = count_queries(lambda: client.get(url))
    assert response.content.decode().count("/integrasi-aplikasi/") >= 9
    assert many == few


def test_edit_and_delete_are_in_the_audit_trail(apps, world, client):
    row = integration(apps.simpeg, apps.portal)
    client.force_login(world.users["operator"])
    data = form_data(apps.simpeg, apps.portal, direction=IntegrationDirection.TWO_WAY)
    response = client.post(reverse("architecture:applicationintegration_edit", args=[row.pk]), data)
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.two_way
    history = client.get(reverse("architecture:applicationintegration_history", args=[row.pk]))
    assert history.status_code == 200 and "Dua arah" in history.content.decode()
    assert client.post(reverse("architecture:applicationintegration_delete", args=[row.pk])).status_code == 302
    assert not ApplicationIntegration.objects.exists()
    assert [h.history_type for h in ApplicationIntegration.history.filter(id=row.pk).order_by("history_id")] == [
        "+", "~", "-"]
    assert ApplicationIntegration.history.filter(id=row.pk, history_type="-").get().history_user == world.users["operator"]


def test_the_source_is_not_moved_by_an_edit(apps, world, client):
    row = integration(apps.simpeg, apps.portal)
    client.force_login(world.users["admin"])
    data = form_data(apps.sikda, apps.portal)
    client.post(reverse("architecture:applicationintegration_edit", args=[row.pk]), data)
    row.refresh_from_db()
    assert row.source == apps.simpeg


# --- the API ------------------------------------------------------------------------------------------------

def test_the_api_takes_codes_and_ids(apps, world, api):
    client = api(world.users["operator"])
    response = client.post(API, {"source": apps.simpeg.code, "target": apps.sikda.code, "channel": "splp",
                                 "data_exchanged": "Data pegawai"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["source"]["id"] == apps.simpeg.pk and body["target"]["display"] == str(apps.sikda)
    assert body["institution"]["id"] == world.inst.pk and body["direction"] == "satu-arah"
    response = client.post(API, {"source": apps.portal.pk, "target": apps.sikda.pk, "data_exchanged": "Data"},
                           format="json")
    assert response.status_code == 201, response.content
    listed = client.get(API, {"application": apps.sikda.code}).json()
    assert listed["count"] == 2 if isinstance(listed, dict) and "count" in listed else len(listed) == 2


@pytest.mark.parametrize("case", ["self", "foreign", "reverse-of-two-way", "two-way-over-reverse", "duplicate"])
def test_the_api_refuses_nonsense_and_writes_nothing(apps, world, api, case):
    if case == "reverse-of-two-way":
        integration(apps.portal, apps.simpeg, direction=IntegrationDirection.TWO_WAY)
    if case in ("two-way-over-reverse", "duplicate"):
        integration(apps.portal, apps.simpeg)
    user = world.users["superuser" if case == "foreign" else "operator"]
    body, expected = {
        "self": ({"source": apps.simpeg.code, "target": apps.simpeg.code}, SELF),
        "foreign": ({"source": apps.simpeg.pk, "target": apps.far.pk}, FOREIGN),
        "reverse-of-two-way": ({"source": apps.simpeg.code, "target": apps.portal.code}, COVERED),
        "two-way-over-reverse": ({"source": apps.simpeg.code, "target": apps.portal.code, "direction": "dua-arah"},
                                 MAKE_TWO_WAY),
        "duplicate": ({"source": apps.portal.code, "target": apps.simpeg.code}, DUPLICATE),
    }[case]
    before = ApplicationIntegration.objects.count()
    response = api(user).post(API, {**body, "data_exchanged": "Data pegawai"}, format="json")
    assert response.status_code == 400, response.content
    assert expected in " ".join(response.json()["target"])
    assert ApplicationIntegration.objects.count() == before


def test_the_api_looks_codes_up_in_the_sources_instansi(apps, world, api):
    # Each instansi numbers its own codes: the other instansi's application with the same code is not meant.
    Application.objects.filter(pk=apps.far.pk).update(code=apps.sikda.code)
    response = api(world.users["superuser"]).post(API, {"source": apps.simpeg.code, "target": apps.sikda.code,
                                                        "data_exchanged": "Data"}, format="json")
    assert response.status_code == 201, response.content
    assert ApplicationIntegration.objects.get().target == apps.sikda


def test_the_api_hides_another_instansis_application_from_a_member(apps, world, api):
    response = api(world.users["operator"]).post(API, {"source": apps.simpeg.code, "target": apps.far.pk,
                                                       "data_exchanged": "Data"}, format="json")
    assert response.status_code == 400 and "target" in response.json()
    assert not ApplicationIntegration.objects.exists()


def test_the_api_follows_the_source_applications_rights(apps, world, api):
    row = integration(apps.simpeg, apps.sikda)
    url = f"{API}{row.pk}/"
    assert api(world.users["operator_dinkes"]).get(url).status_code == 404
    response = api(world.users["operator_dinkes"]).post(API, {"source": apps.simpeg.pk, "target": apps.sikda.pk,
                                                              "data_exchanged": "Data"}, format="json")
    assert response.status_code == 400  # the source is not one they see
    workflow.apply(apps.simpeg, workflow.A.SUBMIT, world.users["operator"])
    assert api(world.users["operator"]).patch(url, {"channel": "langsung"}, format="json").status_code == 403
    assert api(world.users["operator"]).delete(url).status_code == 403
    response = api(world.users["admin"]).patch(url, {"channel": "langsung", "source": apps.portal.pk}, format="json")
    assert response.status_code == 400 and "source" in response.json()
    response = api(world.users["admin"]).patch(url, {"channel": "langsung"}, format="json")
    assert response.status_code == 200, response.content
    row.refresh_from_db()
    assert row.channel == "langsung"
    assert row.history.first().history_user == world.users["admin"]


# --- the API contract ---------------------------------------------------------------------------------------

def _contract_app(w, name, department=None):
    from tests.architecture.conftest import node

    app = Application.objects.create(department=department or w.kominfo, name=name, reference=node("RAA.01.01"))
    return app


class TestIntegrationApi(ApiContract):
    url = API
    model = ApplicationIntegration
    writer = "operator"  # of the source application's OPD, while it is a draft
    read_only = ("leader", "verifier", "assessor")
    hidden_from = ("other_admin", "operator_dinkes")
    create_denied = ("leader", "verifier", "other_admin", "operator_dinkes")

    def make_object(self, w):
        return integration(_contract_app(w, "Sumber kontrak"), _contract_app(w, "Tujuan kontrak"))

    def create_data(self, w):
        source = Application.objects.filter(name="Sumber baru").first() or _contract_app(w, "Sumber baru")
        target = Application.objects.filter(name="Tujuan baru").first() or _contract_app(w, "Tujuan baru")
        return {"source": source.code, "target": target.code, "data_exchanged": "Data kontrak"}

    def update_data(self, w):
        return {"channel": "langsung", "data_exchanged": "Data kontrak diubah"}


def test_the_api_list_keeps_its_query_count_whatever_the_rows(apps, world, api, count_queries):
    client = api(world.users["operator"])
    integration(apps.simpeg, apps.sikda)
    client.get(API)  # the user's grants are read once and kept on the user
    few, response = count_queries(lambda: client.get(API))
    assert response.status_code == 200
    for n in range(8):
        integration(Application.objects.create(department=world.kominfo, name=f"Aplikasi {n}"), apps.sikda)
    many, response = count_queries(lambda: client.get(API))
    assert len(response.json()["results"]) == 9
    assert many == few
