"""``/api/progress/targets/`` (the koordinator writes, one target's answer carries its state) and
``/api/progress/snapshots/`` (read only)."""

from datetime import timedelta

import pytest

from sia.progress.models import ProgressSnapshot, Target

from ..api_contract import ApiContract
from .conftest import today, target

pytestmark = pytest.mark.django_db
BASE = "/api/progress/"


class TestTargetApi(ApiContract):
    url, model = f"{BASE}targets/", Target
    read_only = ("leader", "verifier", "operator")
    hidden_from = ("other_admin", "operator_dinkes")
    create_denied = ("leader", "operator", "verifier", "other_admin")

    def make_object(self, w):
        return target(w, department=w.kominfo, rule="pengajuan", domain="aplikasi")

    def create_data(self, w):
        return {"institution": w.inst.pk, "department": w.kominfo.pk, "name": "Layanan terhubung",
                "rule": "layanan-proses", "deadline": (today() + timedelta(days=30)).isoformat()}

    def update_data(self, w):
        return {"name": "Layanan terhubung ke proses"}

    def test_state_computed_for_the_reader(self, programme, api):
        obj = target(programme, rule="fungsi-proses")
        admin = api(programme.users["admin"]).get(f"{self.url}{obj.pk}/").json()
        assert admin["state"] == "terlambat"  # DINKES has no process for its fungsi
        own = api(programme.users["operator"]).get(f"{self.url}{obj.pk}/").json()
        assert own["state"] == "sesuai-jadwal"  # the operator of DISKOMINFO: their own OPD only
        listing = api(programme.users["admin"]).get(self.url).json()["results"]
        assert [row["state"] for row in listing] == [None]

    def test_bad_input_writes_nothing(self, world, api):
        client = api(world.users["admin"])
        cases = [
            ({"deadline": (today() - timedelta(days=1)).isoformat()}, "deadline", "sudah lewat"),
            ({"rule": "kelengkapan", "domain": "aplikasi", "threshold": 101}, "threshold", "100"),
            ({"department": world.far.pk}, "department", ""),
        ]
        for change, field, text in cases:
            response = client.post(self.url, self.create_data(world) | change, format="json")
            assert response.status_code == 400, (change, response.content)
            assert field in response.json() and text in str(response.json()[field]), response.json()
        assert Target.objects.count() == 0


class TestSnapshotApi(ApiContract):
    url, model = f"{BASE}snapshots/", ProgressSnapshot
    writer = "admin"
    read_only = ("leader", "verifier", "operator")
    hidden_from = ("other_admin", "operator_dinkes")
    create_denied = ("admin", "leader", "operator", "other_admin")

    def make_object(self, w):
        return ProgressSnapshot.objects.create(institution=w.inst, department=w.kominfo, domain="aplikasi",
                                               date=today(),
                                               count=3, complete=1, filled=10, required=27, draft=1, submitted=1,
                                               validated=1)

    def create_data(self, w):
        return {"department": w.kominfo.pk, "domain": "aplikasi", "date": today().isoformat(), "count": 1}

    def update_data(self, w):
        return {"count": 9}

    def test_read_only_roles_cannot_change(self, world, api):
        obj = self.make_object(world)
        for role in ("admin", "superuser", *self.read_only):
            client = api(world.users[role])
            assert client.get(self.detail(obj)).status_code == 200, role
            assert client.patch(self.detail(obj), self.update_data(world), format="json").status_code == 405, role
            assert client.delete(self.detail(obj)).status_code == 405, role

    def test_hidden_objects_are_not_found(self, world, api):
        obj = self.make_object(world)
        for role in self.hidden_from:
            client = api(world.users[role])
            assert obj.pk not in [row["id"] for row in client.get(self.url).json()["results"]], role
            assert client.get(self.detail(obj)).status_code == 404, role

    def test_create_denied(self, world, api):
        for role in (*self.create_denied, "superuser"):
            assert api(world.users[role]).post(self.url, self.create_data(world), format="json").status_code == 405
        assert ProgressSnapshot.objects.count() == 0

    def test_create_update_delete(self, world, api):
        obj = self.make_object(world)
        body = api(world.users["admin"]).get(self.detail(obj)).json()
        assert (body["count"], body["complete"], body["validated"], body["domain"]) == (3, 1, 1, "aplikasi")
        rows = api(world.users["admin"]).get(self.url, {"date_from": today().isoformat(), "domain": "aplikasi"}).json()
        assert [row["id"] for row in rows["results"]] == [obj.pk]
