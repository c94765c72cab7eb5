import pytest

from sia.architecture.choices import ReviewStatus as S
from sia.architecture.models import BusinessProcess, DataItem, Service

from .. import factories as f
from ..api_contract import ApiContract

pytestmark = pytest.mark.django_db


class ArchitectureContract(ApiContract):
    writer = "operator"
    read_only = ("leader", "verifier", "assessor")
    hidden_from = ("other_admin", "operator_dinkes")
    create_denied = ("leader", "verifier", "other_admin", "operator_dinkes")

    def update_data(self, w):
        return {"name": "Nama yang diperbarui"}

    def test_admin_may_write_too(self, world, arch, api):
        obj = self.make_object(world)
        data = {**self.update_data(world), "lock_version": obj.lock_version}
        response = api(world.users["admin"]).patch(self.detail(obj), data, format="json")
        assert response.status_code == 200


class TestBusinessProcessApi(ArchitectureContract):
    url = "/api/architecture/business-processes/"
    model = BusinessProcess

    @pytest.fixture(autouse=True)
    def _arch(self, arch):
        self.arch = arch

    def make_object(self, w):
        return self.arch.process

    def create_data(self, w):
        return {"department": w.kominfo.pk, "name": "Penatakelolaan Aplikasi", "reference": "RAB.09.03.02",
                "functions": [self.arch.function.pk], "parent": self.arch.process.pk}


class TestServiceApi(ArchitectureContract):
    url = "/api/architecture/services/"
    model = Service

    @pytest.fixture(autouse=True)
    def _arch(self, arch):
        self.arch = arch

    def make_object(self, w):
        return self.arch.service

    def create_data(self, w):
        return {"department": w.kominfo.pk, "name": "Layanan Portal Data", "reference": "RAL.01.43.04",
                "government_affair": "RAB.09.03", "processes": [self.arch.process.pk]}


class TestDataItemApi(ArchitectureContract):
    url = "/api/architecture/data-items/"
    model = DataItem

    @pytest.fixture(autouse=True)
    def _arch(self, arch):
        self.arch = arch

    def make_object(self, w):
        return self.arch.data

    def create_data(self, w):
        return {"department": "DISKOMINFO", "name": "Data Aplikasi", "reference": "RAD.09.03.02",
                "processes": [self.arch.process.pk], "services": [self.arch.service.pk]}


URL = "/api/architecture/business-processes/"


def test_reference_from_wrong_catalog_refused(arch, world, api):
    response = api(world.users["operator"]).post(
        URL, {"department": world.kominfo.pk, "name": "X", "reference": "RAL.01.43.04"}, format="json")
    assert response.status_code == 400 and "RAB" in str(response.json())


def test_link_to_other_institution_refused(arch, world, api):
    foreign = BusinessProcess.objects.create(department=world.far, name="Proses lain")
    response = api(world.users["superuser"]).post(
        "/api/architecture/data-items/",
        {"department": world.kominfo.pk, "name": "Data X", "processes": [foreign.pk]}, format="json")
    assert response.status_code == 400 and "instansi lain" in str(response.json())
    assert not DataItem.objects.filter(name="Data X").exists()


def test_operator_cannot_link_invisible_objects(arch, world, api):
    hidden = BusinessProcess.objects.create(department=world.dinkes, name="Proses Dinkes")
    response = api(world.users["operator"]).post(
        "/api/architecture/services/",
        {"department": world.kominfo.pk, "name": "Layanan X", "processes": [hidden.pk]}, format="json")
    assert response.status_code == 400


def test_parent_cycle_refused(arch, world, api):
    child = BusinessProcess.objects.create(department=world.kominfo, name="Anak", parent=arch.process)
    response = api(world.users["operator"]).patch(f"{URL}{arch.process.pk}/", {"parent": child.pk, "lock_version": 1},
                                                  format="json")
    assert response.status_code == 400 and "siklus" in str(response.json())


def test_workflow_actions(arch, world, api):
    operator, verifier, admin = (api(world.users[r]) for r in ("operator", "verifier", "admin"))
    url = f"{URL}{arch.process.pk}/"
    assert operator.post(url + "submit/").json()["status"] == S.SUBMITTED
    refused = verifier.post(url + "return/", {"comment": ""}, format="json")
    assert refused.status_code == 400
    assert verifier.post(url + "return/", {"comment": "Lengkapi IKU"}, format="json").json()["status"] == S.RETURNED
    assert operator.post(url + "submit/").status_code == 200
    assert operator.post(url + "verify/").status_code == 403
    assert verifier.post(url + "verify/").json()["status"] == S.VERIFIED
    assert verifier.post(url + "validate/").status_code == 403
    assert admin.post(url + "validate/").json()["status"] == S.VALIDATED
    conversation = admin.get(url + "comments/").json()
    assert [e["action"] for e in conversation] == ["ajukan", "kembalikan", "ajukan", "verifikasi", "validasi"]


def test_transition_denials(arch, world, api):
    url = f"{URL}{arch.process.pk}/"
    assert api().post(url + "submit/").status_code in (401, 403)
    assert api(world.users["operator_dinkes"]).post(url + "submit/").status_code == 404
    assert api(world.users["other_admin"]).post(url + "submit/").status_code == 404
    assert api(world.users["leader"]).post(url + "submit/").status_code == 403
    assert api(world.users["verifier"]).post(url + "validate/").status_code == 400  # wrong status first
    arch.process.refresh_from_db()
    assert arch.process.status == S.DRAFT


def test_comments_action(arch, world, api):
    url = f"{URL}{arch.process.pk}/comments/"
    assert api(world.users["verifier"]).post(url, {"comment": "Cek SOP"}, format="json").status_code == 200
    assert api(world.users["leader"]).post(url, {"comment": "Tidak boleh"}, format="json").status_code == 403
    assert len(api(world.users["leader"]).get(url).json()) == 1


def test_optimistic_lock_conflict(arch, world, api):
    client = api(world.users["operator"])
    url = f"{URL}{arch.process.pk}/"
    version = client.get(url).json()["lock_version"]
    assert client.patch(url, {"name": "Versi A", "lock_version": version}, format="json").status_code == 200
    stale = client.patch(url, {"name": "Versi B", "lock_version": version}, format="json")
    assert stale.status_code == 409
    arch.process.refresh_from_db()
    assert arch.process.name == "Versi A"


def test_editing_verified_object_returns_it_to_draft(arch, world, api):
    from sia.architecture import workflow

    workflow.apply(arch.process, workflow.A.SUBMIT, world.users["operator"])
    workflow.apply(arch.process, workflow.A.VERIFY, world.users["verifier"])
    arch.process.refresh_from_db()
    response = api(world.users["admin"]).patch(
        f"{URL}{arch.process.pk}/", {"name": "Diubah", "lock_version": arch.process.lock_version}, format="json")
    assert response.status_code == 200 and response.json()["status"] == S.DRAFT


def test_operator_cannot_edit_submitted(arch, world, api):
    from sia.architecture import workflow

    workflow.apply(arch.process, workflow.A.SUBMIT, world.users["operator"])
    response = api(world.users["operator"]).patch(f"{URL}{arch.process.pk}/", {"name": "X"}, format="json")
    assert response.status_code == 403


def test_filters(arch, world, api):
    client = api(world.users["admin"])
    assert client.get(URL, {"reference": "RAB.09"}).json()["count"] == 1
    assert client.get(URL, {"reference": "RAB.04"}).json()["count"] == 0
    assert client.get(URL, {"status": "draf", "department": "DISKOMINFO"}).json()["count"] == 1
    assert client.get(URL, {"q": "statistik"}).json()["count"] == 1


def test_completeness_endpoint(arch, world, api):
    rows = api(world.users["admin"]).get("/api/architecture/completeness/").json()
    kominfo = next(r for r in rows if r["department"]["abbreviation"] == "DISKOMINFO")
    assert kominfo["domains"]["proses-bisnis"]["count"] == 1
    assert kominfo["domains"]["layanan"]["warnings"] == []
    assert kominfo["domains"]["layanan"]["percent"] is not None
    assert api().get("/api/architecture/completeness/").status_code in (401, 403)


def _filled(model, arch, world, i):
    """An object with every relation filled, so a missing select_related/prefetch shows as N+1."""
    from sia.architecture.models import ValueListItem

    from .. import factories as f

    def value(kind):
        return ValueListItem.objects.filter(institution=world.inst, kind=kind).first()

    unit = f.work_unit(world.kominfo, name=f"Bidang {model.__name__} {i}")
    common = {"department": world.kominfo, "name": f"Objek {i}"}
    if model is BusinessProcess:
        obj = model.objects.create(parent=arch.process, reference=arch.process.reference, **common)
        obj.functions.set([arch.function])
    elif model is Service:
        obj = model.objects.create(reference=arch.node("RAL.01.43.04"), government_affair=arch.node("RAB.09.03"),
                                   target=value("target-layanan"), method=value("metode-layanan"), executing_unit=unit,
                                   **common)
        obj.processes.set([arch.process])
    else:
        obj = model.objects.create(reference=arch.data.reference, producer_department=world.kominfo, producer_unit=unit,
                                   custodian_department=world.dinkes, nature=value("sifat-data"),
                                   kind=value("jenis-data"), validity=value("validitas-data"), **common)
        obj.processes.set([arch.process])
        obj.services.set([arch.service])
    return obj


@pytest.mark.parametrize("model", [BusinessProcess, Service, DataItem])
def test_list_api_query_count_is_constant(arch, world, api, count_queries, query_budget, model):
    url = f"/api/architecture/{model.spec.api_name}/"
    client = api(world.users["admin"])
    client.get(url)  # warm up: the user's memberships are read once
    _filled(model, arch, world, 0)
    few, _ = count_queries(lambda: client.get(url))
    for i in range(1, 20):
        _filled(model, arch, world, i)
    many, response = count_queries(lambda: client.get(url))
    assert response.json()["count"] >= 20
    key = f"architecture.api.{model._meta.model_name}_list"
    assert few == many == query_budget.get(key), (key, few, many)


class TestValueListItemApi(ApiContract):
    url = "/api/architecture/value-list-items/"
    list_query = "?kind=metode-layanan"  # the instansi's lists hold more items than a page
    writer = "admin"
    read_only = ("leader", "operator", "verifier")
    hidden_from = ("other_admin",)
    create_denied = ("leader", "operator", "verifier", "other_admin")

    @property
    def model(self):
        from sia.architecture.models import ValueListItem

        return ValueListItem

    @pytest.fixture(autouse=True)
    def _arch(self, arch):
        self.arch = arch

    def make_object(self, w):
        return self.model.objects.filter(institution=w.inst, kind="metode-layanan").first()

    def create_data(self, w):
        return {"institution": w.inst.pk, "kind": "metode-layanan", "name": "Layanan keliling"}

    def update_data(self, w):
        return {"order": 9}

    def test_value_in_use_cannot_be_deleted(self, world, api):
        from sia.architecture.models import Service

        value = self.make_object(world)
        Service.objects.filter(pk=self.arch.service.pk).update(method=value)
        assert api(world.users["admin"]).delete(f"{self.url}{value.pk}/").status_code == 409


# --- natural keys: links and references by code, within the object's instansi --------------------
SERVICES = "/api/architecture/services/"
DATA = "/api/architecture/data-items/"


def test_create_and_update_with_codes(arch, world, api):
    client = api(world.users["operator"])
    response = client.post(DATA, {
        "department": "DISKOMINFO", "name": "Data Kode", "reference": "RAD.09.03.02",
        "processes": [arch.process.code], "services": [arch.service.code], "nature": "terbuka",
    }, format="json")
    assert response.status_code == 201, response.content
    created = DataItem.objects.get(pk=response.json()["id"])
    assert created.reference.code == "RAD.09.03.02" and list(created.processes.all()) == [arch.process]
    assert list(created.services.all()) == [arch.service] and created.nature.name.lower() == "terbuka"
    second = BusinessProcess.objects.create(department=world.kominfo, name="Kedua", reference=arch.process.reference)
    response = client.patch(f"{SERVICES}{arch.service.pk}/", {
        "processes": [arch.process.code, second.code], "reference": "RAL.01.43.04", "government_affair": "RAB.09.03",
        "lock_version": arch.service.lock_version,
    }, format="json")
    assert response.status_code == 200, response.content
    arch.service.refresh_from_db()
    assert set(arch.service.processes.all()) == {arch.process, second}
    assert (arch.service.reference.code, arch.service.government_affair.code) == ("RAL.01.43.04", "RAB.09.03")
    assert [p["display"] for p in response.json()["processes"]] == [str(arch.process), str(second)]


def test_code_of_another_instansi_does_not_exist(arch, world, api):
    # The other instansi numbers its own objects: the same code there is not a row of this one.
    foreign = BusinessProcess.objects.create(department=world.far, name="Proses kota lain")
    foreign.code = arch.process.code.replace("DISKOMINFO", "DKL")
    foreign.save()
    response = api(world.users["superuser"]).post(SERVICES, {
        "department": world.kominfo.pk, "name": "Layanan X", "processes": [foreign.code],
    }, format="json")
    assert response.status_code == 400
    assert response.json()["processes"] == [f"Tidak ada pilihan dengan ID atau kode “{foreign.code}”."]
    # The same code in both instansi: each object links to its own instansi's row.
    twin = BusinessProcess.objects.create(department=world.far, name="Kembar", code=arch.process.code)
    response = api(world.users["superuser"]).post(SERVICES, {
        "department": world.far.pk, "name": "Layanan Kota", "processes": [arch.process.code],
    }, format="json")
    assert response.status_code == 201, response.content
    assert list(Service.objects.get(name="Layanan Kota").processes.all()) == [twin]
    assert not Service.objects.filter(name="Layanan X").exists()


def test_a_code_used_in_two_visible_instansi_is_ambiguous_not_guessed(arch, world, api):
    # The superuser sees both instansi; "DINKES" names an OPD in each, so neither is picked.
    f.department(world.other, name="Dinas Kesehatan Kota", abbreviation="DINKES")
    before = BusinessProcess.objects.count()
    response = api(world.users["superuser"]).post(URL, {"department": "DINKES", "name": "Proses X"}, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["department"] == [
        "Kode “DINKES” dipakai di lebih dari satu instansi yang dapat Anda lihat; tulis ID-nya."
    ]
    assert BusinessProcess.objects.count() == before
    # The ID still names one OPD; a member of one instansi never sees the other's code.
    assert api(world.users["superuser"]).post(
        URL, {"department": world.dinkes.pk, "name": "Proses Y"}, format="json").status_code == 201
    assert api(world.users["admin"]).post(
        URL, {"department": "DINKES", "name": "Proses Z"}, format="json").status_code == 201


def test_instansi_reference_node_of_another_instansi_does_not_exist(arch, world, api):
    from sia.reference.models import ReferenceNode

    parent = arch.node("RAB.09.03.04")
    ReferenceNode.objects.create(version=parent.version, parent=parent, code="RAB.09.03.04.01", name="Kota",
                                 institution=world.other)
    response = api(world.users["superuser"]).post(URL, {
        "department": world.kominfo.pk, "name": "Proses X", "reference": "RAB.09.03.04.01",
    }, format="json")
    assert response.status_code == 400
    assert response.json()["reference"] == ["Tidak ada pilihan dengan ID atau kode “RAB.09.03.04.01”."]


def test_numeric_looking_code_is_a_code_first(arch, world, api):
    numbered = BusinessProcess.objects.create(department=world.kominfo, name="Bernomor", code="123")
    decoy = BusinessProcess.objects.get(pk=arch.process.pk)
    client = api(world.users["operator"])
    # "123" names the process coded 123; the number 123 (or "<id>" with no such code) is an ID.
    response = client.post(SERVICES, {"department": world.kominfo.pk, "name": "Layanan A",
                                      "processes": ["123", str(decoy.pk)]}, format="json")
    assert response.status_code == 201, response.content
    assert set(Service.objects.get(name="Layanan A").processes.all()) == {numbered, decoy}
    missing = BusinessProcess.objects.order_by("-pk").first().pk + 1000
    response = client.post(SERVICES, {"department": world.kominfo.pk, "name": "Layanan B",
                                      "processes": [str(missing)]}, format="json")
    assert response.status_code == 400 and str(missing) in str(response.json()["processes"])


def test_missing_code_names_the_field_and_the_code(arch, world, api):
    response = api(world.users["operator"]).post(SERVICES, {
        "department": world.kominfo.pk, "name": "Layanan C", "processes": [arch.process.code, "PB-DISKOMINFO-999"],
        "reference": "RAL.09.99.99",
    }, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["processes"] == ["Tidak ada pilihan dengan ID atau kode “PB-DISKOMINFO-999”."]
    assert body["reference"] == ["Tidak ada pilihan dengan ID atau kode “RAL.09.99.99”."]


def test_schema_documents_codes_for_links_and_references(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    service = schema["components"]["schemas"]["ServiceRequest"]["properties"]
    assert "PB-DISKOMINFO-001" in service["processes"]["description"]
    assert {"type": "string", "description": "natural key"} in service["processes"]["items"]["oneOf"]
    assert "RAB.09.03" in service["government_affair"]["description"]
    assert "RAB.09.06.06" in service["reference"]["description"]


def test_a_transition_raced_by_another_user_answers_409_and_changes_nothing(arch, world, api, monkeypatch):
    """Two operators of one OPD: the other submits between this request's read and its write (simulated in the
    submit check, which runs between them). The answer is 409 Conflict, as for a stale edit, not a 400."""
    from sia.architecture import workflow

    checks = workflow.submit_problems

    def the_other_operator_submits_first(obj):
        type(obj).objects.filter(pk=obj.pk).update(status=S.SUBMITTED, lock_version=obj.lock_version + 1)
        return checks(obj)

    monkeypatch.setattr(workflow, "submit_problems", the_other_operator_submits_first)
    response = api(world.users["operator"]).post(f"{URL}{arch.process.pk}/submit/")
    assert response.status_code == 409, response.content
    assert "diubah orang lain" in response.json()["detail"]
    assert list(workflow.conversation(arch.process)) == []  # no event of this request
