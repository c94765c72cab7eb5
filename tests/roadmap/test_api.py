from decimal import Decimal

import pytest

from sia.roadmap.models import Activity, ActivityGap, ActivityYear, Initiative, Program, StrategicTarget

from tests.api_contract import ApiContract

from .conftest import make_activity, make_year

pytestmark = pytest.mark.django_db
BASE = "/api/roadmap/"


class TestStrategicTargetApi(ApiContract):
    url, model = f"{BASE}strategic-targets/", StrategicTarget
    read_only = ("leader", "operator", "verifier")
    create_denied = ("leader", "operator", "other_admin")

    def make_object(self, w):
        return StrategicTarget.objects.create(institution=w.inst, period="2025-2029", code="SS-07", name="Sasaran")

    def create_data(self, w):
        return {"institution": w.inst.pk, "period": "2025-2029", "code": "ss-02", "name": "Tata kelola yang baik"}

    def update_data(self, w):
        return {"name": "Tata kelola yang lebih baik"}


class TestInitiativeApi(ApiContract):
    url, model = f"{BASE}initiatives/", Initiative
    read_only = ("leader", "operator")
    create_denied = ("operator", "other_admin")

    def target(self, w):
        return StrategicTarget.objects.get_or_create(institution=w.inst, code="SS-07",
                                                     defaults={"name": "Sasaran", "period": "2025-2029"})[0]

    def make_object(self, w):
        target = self.target(w)
        return Initiative.objects.get_or_create(target=target, code="IN-07", defaults={"name": "Inisiatif"})[0]

    def create_data(self, w):
        return {"target": self.target(w).pk, "code": "IN-08", "name": "Inisiatif baru"}

    def update_data(self, w):
        return {"name": "Inisiatif diubah"}


class TestProgramApi(ApiContract):
    url, model = f"{BASE}programs/", Program
    create_denied = ("operator", "other_admin")

    def make_object(self, w):
        initiative = TestInitiativeApi().make_object(w)
        return Program.objects.get_or_create(initiative=initiative, code="PR-07",
                                             defaults={"area": "layanan", "name": "Program"})[0]

    def create_data(self, w):
        initiative = Initiative.objects.filter(target__institution=w.inst).first() or TestInitiativeApi().make_object(w)
        return {"initiative": initiative.pk, "area": "audit-tik", "code": "PR-08", "name": "Audit TIK tahunan"}

    def update_data(self, w):
        return {"area": "keamanan"}


class TestActivityApi(ApiContract):
    url, model = f"{BASE}activities/", Activity
    writer = "operator"  # the DISKOMINFO operator writes DISKOMINFO's kegiatan
    read_only = ("leader", "operator_dinkes", "verifier")
    create_denied = ("leader", "operator_dinkes", "other_admin")

    def program(self, w):
        return Program.objects.filter(initiative__target__institution=w.inst).first() or TestProgramApi().make_object(w)

    def make_object(self, w):
        return make_activity(self.program(w), w.kominfo, "KG-07")

    def create_data(self, w):
        unit = w.kominfo.work_units.first()
        if unit is None:
            from tests import factories as f

            unit = f.work_unit(w.kominfo, name="Bidang Aptika")
        return {"program": self.program(w).pk, "department": "DISKOMINFO", "units": [unit.pk], "name": "SSO daerah",
                "output": "Satu akun untuk semua aplikasi", "start_year": 2026, "end_year": 2027}

    def update_data(self, w):
        return {"progress": "sedang"}


class TestActivityYearApi(ApiContract):
    url, model = f"{BASE}activity-years/", ActivityYear
    writer = "operator"
    read_only = ("leader", "operator_dinkes")
    create_denied = ("leader", "operator_dinkes", "other_admin")

    def activity(self, w):
        return Activity.objects.filter(code="KG-07").first() or TestActivityApi().make_object(w)

    def make_object(self, w):
        return make_year(self.activity(w), 2025, 100)

    def create_data(self, w):
        return {"activity": "KG-07" if self.activity(w) else None, "year": 2026, "budget": "250000000.00",
                "source": "apbn-dak", "rka": "200000000.00"}

    def update_data(self, w):
        return {"done": True}


class TestActivityGapApi(ApiContract):
    url, model = f"{BASE}activity-gaps/", ActivityGap
    writer = "operator"
    read_only = ("leader", "operator_dinkes")
    create_denied = ("leader", "operator_dinkes", "other_admin")

    def gap(self, w, name):
        from sia.architecture.choices import ArchitectureState
        from sia.architecture.models import Application

        return Application.objects.get_or_create(department=w.kominfo, name=name,
                                                 defaults={"state": ArchitectureState.TO_BE_NEW})[0]

    def make_object(self, w):
        from .conftest import link_gap

        return link_gap(TestActivityYearApi().activity(w), self.gap(w, "Aplikasi baru A"))

    def create_data(self, w):
        return {"activity": TestActivityYearApi().activity(w).pk, "kind": "aplikasi",
                "object_id": self.gap(w, "Aplikasi baru B").pk}

    def update_data(self, w):
        return {"object_id": self.gap(w, "Aplikasi baru C").pk}


def test_the_koordinator_writes_any_kegiatan_and_an_operator_only_their_opd(roadmap, world, api):
    url = f"{BASE}activities/{roadmap.d.pk}/"  # DINKES's
    body = {"progress": "selesai", "lock_version": roadmap.d.lock_version}
    assert api(world.users["operator"]).patch(url, body, format="json").status_code == 403
    assert Activity.objects.get(pk=roadmap.d.pk).progress == "belum"
    assert api(world.users["operator_dinkes"]).patch(url, body, format="json").status_code == 200
    body["lock_version"] += 1
    body["progress"] = "sedang"
    assert api(world.users["admin"]).patch(url, body, format="json").status_code == 200


def test_an_operator_cannot_move_a_kegiatan_to_another_opd(roadmap, world, api):
    url = f"{BASE}activities/{roadmap.a.pk}/"
    response = api(world.users["operator"]).patch(
        url, {"department": world.dinkes.pk, "lock_version": roadmap.a.lock_version}, format="json")
    assert response.status_code == 403
    assert Activity.objects.get(pk=roadmap.a.pk).department == world.kominfo


def test_an_operator_cannot_add_a_year_to_another_opd_kegiatan(roadmap, world, api):
    response = api(world.users["operator"]).post(f"{BASE}activity-years/", {
        "activity": roadmap.d.pk, "year": 2026, "budget": "1"}, format="json")
    assert response.status_code in (400, 403)  # 2026 exists for KG-D, but the permission is refused first or too
    before = ActivityYear.objects.count()
    response = api(world.users["operator"]).post(f"{BASE}activity-years/", {
        "activity": roadmap.s.pk, "year": 2027, "budget": "1"}, format="json")
    assert response.status_code == 400 and "year" in response.json()  # KG-S runs 2025-2026
    assert ActivityYear.objects.count() == before


@pytest.mark.parametrize("body,field,fragment", [
    ({"start_year": 2024}, "start_year", "di luar periode"),
    ({"end_year": 2030}, "end_year", "di luar periode"),
    ({"start_year": 2027, "end_year": 2026}, "end_year", "sebelum tahun mulai"),
    ({"department": "DKL"}, "department", "Tidak ada pilihan"),
])
def test_bad_kegiatan_input_names_the_field_and_writes_nothing(roadmap, world, api, body, field, fragment):
    data = {"program": roadmap.apps.pk, "department": "DISKOMINFO", "name": "Salah", "start_year": 2025,
            "end_year": 2026, **body}
    before = Activity.objects.count()
    response = api(world.users["admin"]).post(f"{BASE}activities/", data, format="json")
    assert response.status_code == 400
    assert fragment in " ".join(response.json()[field])
    assert Activity.objects.count() == before


def test_units_of_another_instansi_are_refused_by_the_api(roadmap, world, api):
    response = api(world.users["superuser"]).post(f"{BASE}activities/", {
        "program": roadmap.apps.pk, "department": "DISKOMINFO", "name": "Lintas", "start_year": 2025,
        "end_year": 2025, "units": [roadmap.far_unit.pk]}, format="json")
    assert response.status_code == 400 and "instansi lain" in " ".join(response.json()["units"])


def test_a_gap_link_needs_a_gap_of_the_instansi(roadmap, world, api):
    client = api(world.users["admin"])
    before = ActivityGap.objects.count()
    not_a_gap = client.post(f"{BASE}activity-gaps/", {"activity": roadmap.d.pk, "kind": "aplikasi",
                                                      "object_id": roadmap.old_app.pk}, format="json")
    assert not_a_gap.status_code == 400 and "bukan gap" in " ".join(not_a_gap.json()["object_id"])
    foreign = client.post(f"{BASE}activity-gaps/", {"activity": roadmap.d.pk, "kind": "aplikasi",
                                                    "object_id": roadmap.far_app.pk}, format="json")
    assert foreign.status_code == 400 and "object_id" in foreign.json()
    assert ActivityGap.objects.count() == before
    closed = client.post(f"{BASE}activity-gaps/", {"activity": roadmap.d.pk, "kind": "aplikasi",
                                                   "object_id": roadmap.upgrade.pk}, format="json")
    assert closed.status_code == 201, closed.content
    assert closed.json()["kind"] == "aplikasi" and closed.json()["object"]["state"] == "to-be-pengembangan"


def test_a_gap_the_reader_may_not_see_is_listed_without_its_name(roadmap, world, api):
    rows = api(world.users["operator_dinkes"]).get(f"{BASE}activity-gaps/?activity={roadmap.a.pk}").json()["results"]
    assert [row["object"] for row in rows] == [
        {"id": roadmap.new_app.pk, "url": None, "display": "(tersembunyi)", "state": None}]
    assert "Aplikasi baru bersama" not in rows[0]["display"]


def test_filters(roadmap, world, api):
    client = api(world.users["leader"])

    def codes(query):
        response = client.get(f"{BASE}activities/?{query}")
        assert response.status_code == 200, response.content
        return sorted(row["code"] for row in response.json()["results"])

    assert codes(f"department={world.dinkes.pk}") == ["KG-D"]
    assert codes("area=keamanan") == ["KG-S"]
    assert codes("year=2027") == ["KG-A"]
    assert codes("progress=batal") == ["KG-X"]
    assert codes(f"institution={world.inst.pk}") == ["KG-A", "KG-D", "KG-S", "KG-X"]
    assert client.get(f"{BASE}activities/?institution={world.other.pk}").status_code == 400  # not a choice
    years = client.get(f"{BASE}activity-years/?year=2026&area=aplikasi").json()["results"]
    assert sorted(Decimal(row["budget"]) for row in years) == [Decimal("30"), Decimal("200")]


def test_figures(roadmap, world, api):
    response = api(world.users["leader"]).get(f"{BASE}figures/?instansi={world.inst.pk}")
    assert response.status_code == 200, response.content
    body = response.json()
    first = body["years"][0]
    assert first["year"] == 2025 and Decimal(first["budget"]) == Decimal("150")
    assert Decimal(first["aligned"]) == Decimal("120") and Decimal(first["share"]) == Decimal("0.8")
    assert (first["planned"], first["done"]) == (2, 1)
    assert Decimal(first["budget_by_area"]["aplikasi"]) == Decimal("100")
    assert [(g["kind"], g["id"]) for g in body["unlinked_gaps"]] == [("aplikasi", roadmap.upgrade.pk)]
    assert [a["code"] for a in body["activities_without_gap"]] == ["KG-D"]


def test_figures_of_another_instansi_are_not_found(roadmap, world, api):
    assert api(world.users["admin"]).get(f"{BASE}figures/?instansi={world.other.pk}").status_code == 404
    assert api(world.users["admin"]).get(f"{BASE}figures/?instansi=abc").status_code == 400
    assert api().get(f"{BASE}figures/?instansi={world.inst.pk}").status_code in (401, 403)
    assert api(world.users["admin"]).get(f"{BASE}figures/").status_code == 200  # the only instansi they read


@pytest.mark.parametrize("resource,key", [
    ("strategic-targets", "roadmap.api.strategic_targets"), ("initiatives", "roadmap.api.initiatives"),
    ("programs", "roadmap.api.programs"), ("activities", "roadmap.api.activities"),
    ("activity-years", "roadmap.api.activity_years"), ("activity-gaps", "roadmap.api.activity_gaps"),
])
def test_list_queries_do_not_grow_with_rows(roadmap, world, api, count_queries, query_budget, resource, key):
    from tests import factories as f

    from .conftest import link_gap

    client = api(world.users["operator"])
    url = f"{BASE}{resource}/"
    assert client.get(url).status_code == 200  # warm caches (content types)
    before, _ = count_queries(lambda: client.get(url))
    for n in range(4):
        target = StrategicTarget.objects.create(institution=world.inst, period="2025-2029", code=f"SS-9{n}",
                                                name=f"Sasaran {n}")
        initiative = Initiative.objects.create(target=target, code="IN-01", name="Inisiatif")
        program = Program.objects.create(initiative=initiative, area="layanan", code="PR-01", name="Program")
        activity = make_activity(program, world.dinkes, f"KG-Q{n}")
        activity.units.set([f.work_unit(world.dinkes)])
        make_year(activity, 2025, 10)
        from sia.architecture.choices import ArchitectureState
        from sia.architecture.models import Application, Server

        link_gap(activity, Application.objects.create(department=world.dinkes, name=f"Baru {n}",
                                                      state=ArchitectureState.TO_BE_NEW))
        link_gap(activity, Server.objects.create(department=world.kominfo, name=f"Tua {n}", retiring=True))
    after, response = count_queries(lambda: client.get(url))
    assert response.status_code == 200
    assert after == before, (before, after)
    assert after <= query_budget[key], (after, query_budget[key])


def test_a_kegiatan_closing_a_gap_stops_its_warning(roadmap, world, api):
    """The koordinator finds the unclosed upgrade, adds a kegiatan in 2026 with a budget that closes it: the
    budget shows in the figures and the gap no longer warns."""
    client = api(world.users["admin"])
    url = f"{BASE}figures/?instansi={world.inst.pk}"
    assert [g["id"] for g in client.get(url).json()["unlinked_gaps"]] == [roadmap.upgrade.pk]
    created = client.post(f"{BASE}activities/", {
        "program": roadmap.apps.pk, "department": "DINKES", "name": "Pengembangan SIMPUS", "start_year": 2026,
        "end_year": 2026}, format="json")
    assert created.status_code == 201, created.content
    activity = created.json()
    assert activity["code"] == "KG-DINKES-001"
    assert client.post(f"{BASE}activity-years/", {"activity": activity["code"], "year": 2026,
                                                  "budget": "70.00", "rka": "70.00"}, format="json").status_code == 201
    assert client.post(f"{BASE}activity-gaps/", {"activity": activity["id"], "kind": "aplikasi",
                                                 "object_id": roadmap.upgrade.pk}, format="json").status_code == 201
    body = client.get(url).json()
    assert body["unlinked_gaps"] == []
    year = next(y for y in body["years"] if y["year"] == 2026)
    assert Decimal(year["budget_by_area"]["aplikasi"]) == Decimal("300")  # 200 + 30 + 70
    assert Decimal(year["aligned"]) == Decimal("130")  # 0 + 50 + 10 + 70
