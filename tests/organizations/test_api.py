import pytest

from sia.core.roles import Role
from sia.organizations.models import Department, DepartmentFunction, Institution, Membership, WorkUnit

from .. import factories as f
from ..api_contract import ApiContract

pytestmark = pytest.mark.django_db


class TestDepartmentApi(ApiContract):
    url = "/api/organizations/departments/"
    model = Department
    read_only = ("leader", "verifier", "assessor", "operator")
    hidden_from = ("other_admin", "operator_dinkes")
    create_denied = ("leader", "operator", "verifier", "other_admin")

    def make_object(self, w):
        return w.kominfo

    def create_data(self, w):
        return {"institution": w.inst.pk, "name": "Dinas Perhubungan", "abbreviation": "DISHUB", "code": "2.15", "kind": "dinas"}

    def update_data(self, w):
        return {"name": "Dinas Komunikasi, Informatika dan Persandian"}

    def test_create_update_delete(self, world, api):
        # A department that owns members cannot be deleted: the contract creates a fresh one.
        super().test_create_update_delete(world, api)

    def test_institution_by_natural_key(self, world, api):
        data = self.create_data(world) | {"institution": "82"}
        response = api(world.users["admin"]).post(self.url, data, format="json")
        assert response.status_code == 201, response.content
        assert response.json()["institution"]["display"] == world.inst.name

    def test_duplicate_code_refused_in_indonesian(self, world, api):
        data = self.create_data(world) | {"code": world.kominfo.code}
        response = api(world.users["admin"]).post(self.url, data, format="json")
        assert response.status_code == 400
        assert "Kode OPD ini sudah dipakai" in str(response.json())

    def test_delete_of_department_with_data_conflicts(self, world, api):
        response = api(world.users["admin"]).delete(f"{self.url}{world.kominfo.pk}/")
        assert response.status_code == 409
        assert Department.objects.filter(pk=world.kominfo.pk).exists()

    def test_cannot_move_department_to_other_institution(self, world, api):
        response = api(world.users["superuser"]).patch(
            f"{self.url}{world.kominfo.pk}/", {"institution": world.other.pk}, format="json"
        )
        assert response.status_code == 400

    def test_operator_lists_only_own_department(self, world, api):
        rows = api(world.users["operator"]).get(self.url).json()["results"]
        assert [r["id"] for r in rows] == [world.kominfo.pk]


class TestInstitutionApi(ApiContract):
    url = "/api/organizations/institutions/"
    model = Institution
    writer = "superuser"
    read_only = ("leader", "operator", "verifier")
    create_denied = ("admin", "leader", "operator", "other_admin")
    deletable = False

    def make_object(self, w):
        return w.inst

    def create_data(self, w):
        return {"name": "Pemerintah Kabupaten Baru", "kind": "kabupaten", "code": "8209"}

    def update_data(self, w):
        return {"name": "Pemerintah Provinsi Contoh (ubah)"}

    def test_admin_edits_own_institution(self, world, api):
        response = api(world.users["admin"]).patch(f"{self.url}{world.inst.pk}/", self.update_data(world), format="json")
        assert response.status_code == 200


class TestWorkUnitApi(ApiContract):
    url = "/api/organizations/work-units/"
    model = WorkUnit
    read_only = ("leader", "operator", "verifier")
    hidden_from = ("other_admin", "operator_dinkes")
    create_denied = ("leader", "operator", "other_admin")

    def make_object(self, w):
        return f.work_unit(w.kominfo, name="Bidang Aplikasi Informatika")

    def create_data(self, w):
        return {"department": w.kominfo.pk, "name": "Bidang Statistik", "echelon": "III"}

    def update_data(self, w):
        return {"name": "Bidang Statistik Sektoral"}

    def test_parent_from_other_department_refused(self, world, api):
        parent = f.work_unit(world.dinkes)
        data = self.create_data(world) | {"parent": parent.pk}
        response = api(world.users["admin"]).post(self.url, data, format="json")
        assert response.status_code == 400
        assert "perangkat daerah yang sama" in str(response.json())


class TestDepartmentFunctionApi(ApiContract):
    url = "/api/organizations/department-functions/"
    model = DepartmentFunction
    read_only = ("leader", "operator")
    hidden_from = ("other_admin", "operator_dinkes")
    create_denied = ("leader", "operator", "other_admin")

    def make_object(self, w):
        return f.function(w.kominfo)

    def create_data(self, w):
        return {"department": w.kominfo.pk, "order": 2, "description": "Pelaksanaan kebijakan di bidang informatika"}

    def update_data(self, w):
        return {"order": 3}


class TestMembershipApi(ApiContract):
    url = "/api/organizations/memberships/"
    model = Membership
    read_only = ("leader",)
    hidden_from = ("other_admin", "operator_dinkes", "verifier")
    create_denied = ("leader", "operator", "verifier", "other_admin")

    def make_object(self, w):
        return Membership.objects.get(user=w.users["operator"])

    def create_data(self, w):
        from django.contrib.auth import get_user_model

        get_user_model().objects.get_or_create(username="calon.operator")
        return {"user": "calon.operator", "institution": w.inst.pk, "role": Role.OPERATOR, "department": w.dinkes.pk}

    def update_data(self, w):
        return {"is_active": False}

    def test_operator_needs_department(self, world, api):
        data = self.create_data(world) | {"department": None}
        response = api(world.users["admin"]).post(self.url, data, format="json")
        assert response.status_code == 400
        assert "Operator OPD harus" in str(response.json())

    def test_everyone_sees_own_membership(self, world, api):
        rows = api(world.users["operator"]).get(self.url).json()["results"]
        assert [r["user"]["display"] for r in rows] == [str(world.users["operator"])]


def test_schema_lists_organization_endpoints(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    body = response.content.decode()
    for path in ("/api/organizations/departments/", "/api/organizations/work-units/", "/api/organizations/memberships/"):
        assert path in body


def test_token_authentication(world, api):
    from rest_framework.test import APIClient

    from sia.core.tokens import issue_token

    _token, key = issue_token(world.users["admin"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/organizations/departments/").status_code == 200


def test_admin_cannot_attach_or_discover_users_of_another_institution(world, api):
    from django.contrib.auth import get_user_model

    client = api(world.users["other_admin"])
    foreign = client.post("/api/organizations/memberships/",
                          {"user": "asesor1", "institution": world.other.pk, "role": "asesor"}, format="json")
    missing = client.post("/api/organizations/memberships/",
                          {"user": "tidak.ada", "institution": world.other.pk, "role": "asesor"}, format="json")
    assert foreign.status_code == missing.status_code == 400
    assert foreign.json()["user"][0].replace("asesor1", "X") == missing.json()["user"][0].replace("tidak.ada", "X")
    fresh = get_user_model().objects.create_user("pegawai.baru")
    assert client.post("/api/organizations/memberships/",
                       {"user": fresh.username, "institution": world.other.pk, "role": "asesor"},
                       format="json").status_code == 201


def test_department_abbreviation_filter(world, api):
    rows = api(world.users["admin"]).get("/api/organizations/departments/", {"abbreviation": "dinkes"}).json()
    assert [r["abbreviation"] for r in rows["results"]] == ["DINKES"]
