import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sia.core.roles import Role
from sia.evaluation import services
from sia.evaluation.choices import Stage, TeamRole
from sia.evaluation.frameworks import install_default_frameworks
from sia.evaluation.models import Assessment, AssessmentTeamMember, Evidence, EvidenceFile, Indicator, IndicatorScore
from sia.evaluation.pdf import minimal_pdf
from sia.evaluation.uploads import attach_url

from .. import factories as f
from ..api_contract import ApiContract
from .conftest import DEMO_LEVELS, make_assessment

pytestmark = pytest.mark.django_db
BASE = "/api/evaluation/"


def the_framework():
    return install_default_frameworks()[0]


def the_assessment(w, levels=None):
    existing = Assessment.objects.filter(institution=w.inst, year=2024).first()
    return existing or make_assessment(w, the_framework(), levels=levels)


def indicator(number):
    return Indicator.objects.get(framework=the_framework(), number=number)


class TestAssessmentApi(ApiContract):
    url = f"{BASE}assessments/"
    model = Assessment
    read_only = ("leader", "verifier", "assessor")
    hidden_from = ("other_admin", "operator", "operator_dinkes")
    create_denied = ("leader", "verifier", "operator", "other_admin")  # the asesor creates: test_assessment_create.py

    def make_object(self, w):
        return the_assessment(w)

    def create_data(self, w):
        return {"institution": w.inst.pk, "year": 2025, "framework": "permenpanrb-59-2020"}

    def update_data(self, w):
        return {"notes": "Penilaian mandiri dimulai Februari."}

    def test_score_summary_is_exact_per_stage(self, world, api):
        assessment = the_assessment(world, DEMO_LEVELS)
        body = api(world.users["leader"]).get(f"{self.url}{assessment.pk}/").json()
        (stage,) = body["score"]
        assert (stage["stage"], stage["index"], stage["index_display"], stage["predicate"]) == (
            "mandiri", "2.49", "2.49", "Cukup"
        )
        assert stage["complete"] and stage["filled"] == 47 and stage["change"] is None
        aspect_6 = next(a for a in stage["aspects"] if a["number"] == 6)
        assert aspect_6["value"].startswith("1.33333333333") and aspect_6["value_display"] == "1.33"
        assert body["current_stage"] == "mandiri" and body["stages"] == ["mandiri", "dokumen", "interviu", "final"]
        assert body["team"] == [{"id": assessment.team.get().pk, "user": "asesor1", "team_role": "asesor"}]

    def test_framework_defaults_to_the_active_one_and_year_is_unique(self, world, api):
        client = api(world.users["admin"])
        created = client.post(self.url, {"institution": "82", "year": 2026}, format="json")
        assert created.status_code == 201, created.content
        assert created.json()["framework"]["display"] == "PermenPANRB 8/2026"  # in force from 2026
        earlier = client.post(self.url, {"institution": "82", "year": 2025}, format="json")
        assert earlier.json()["framework"]["display"] == "PermenPANRB 59/2020"  # in force 2021-2025
        again = client.post(self.url, {"institution": "82", "year": 2026}, format="json")
        assert again.status_code == 400
        assert "sudah memiliki penilaian untuk tahun tersebut" in str(again.json())

    def test_a_closed_assessment_cannot_be_changed(self, world, api):
        assessment = the_assessment(world, DEMO_LEVELS)
        client = api(world.users["admin"])
        while assessment.next_stage() is not None:
            services.advance_stage(assessment, user=world.users["admin"])
        services.lock_stage(assessment, user=world.users["admin"])
        url = f"{self.url}{assessment.pk}/"
        for data, field in (({"with_site_visit": True}, "with_site_visit"), ({"year": 2022}, "year")):
            response = client.patch(url, data, format="json")
            assert response.status_code == 400, (data, response.content)
            assert field in response.json()
        body = client.get(url).json()
        assert body["year"] == 2024 and not body["with_site_visit"]
        assert body["stages"] == ["mandiri", "dokumen", "interviu", "final"]
        assert client.patch(url, {"notes": "Selesai."}, format="json").status_code == 200  # notes stay editable

    def test_index_display_never_contradicts_the_predicate(self, world, api):
        levels = dict(DEMO_LEVELS) | {11: 3, 12: 3, 38: 3, 47: 3}  # Σ = 259.75: 2.5975, Cukup
        assessment = the_assessment(world, levels)
        (stage,) = api(world.users["leader"]).get(f"{self.url}{assessment.pk}/").json()["score"]
        assert (stage["index"], stage["index_display"], stage["predicate"]) == ("2.5975", "2.5975", "Cukup")

    def test_list_queries_do_not_grow_with_rows(self, world, api, count_queries, query_budget):
        client = api(world.users["admin"])
        make_assessment(world, the_framework(), levels=DEMO_LEVELS, year=2022)
        client.get(self.url)  # warm the per-process framework cache
        one, _ = count_queries(lambda: client.get(self.url))
        for year in (2023, 2024):
            make_assessment(world, the_framework(), levels={1: 2, 2: 3}, year=year)
        three, response = count_queries(lambda: client.get(self.url))
        assert len(response.json()["results"]) == 3
        assert one == three == query_budget["evaluation.api.assessments"], (one, three)


class TestAssessmentActions:
    def url(self, assessment, action):
        return f"{BASE}assessments/{assessment.pk}/{action}/"

    def test_lock_and_advance(self, world, api):
        assessment = the_assessment(world, DEMO_LEVELS)
        for role in ("assessor", "leader", "verifier"):
            assert api(world.users[role]).post(self.url(assessment, "lock-stage")).status_code == 403, role
        assert api(world.users["other_admin"]).post(self.url(assessment, "lock-stage")).status_code == 404
        locked = api(world.users["admin"]).post(self.url(assessment, "lock-stage"))
        assert locked.status_code == 200, locked.content
        assert locked.json()["locks"][0]["index"] == "2.49" and locked.json()["score"][0]["locked"]
        again = api(world.users["admin"]).post(self.url(assessment, "lock-stage"))
        assert again.status_code == 400 and "sudah dikunci" in str(again.json())
        advanced = api(world.users["admin"]).post(self.url(assessment, "advance-stage"))
        assert advanced.status_code == 200 and advanced.json()["current_stage"] == "dokumen"
        assert [s["stage"] for s in advanced.json()["score"]] == ["mandiri", "dokumen"]

    def test_team_lead_locks_but_incomplete_stage_is_refused(self, world, api):
        assessment = the_assessment(world, {1: 3})
        lead = f.member(world.inst, Role.OPERATOR, world.dinkes, username="op.pj")
        AssessmentTeamMember.objects.create(assessment=assessment, user=lead, role=TeamRole.LEAD)
        response = api(lead).post(self.url(assessment, "lock-stage"))
        assert response.status_code == 400
        assert "belum diisi" in str(response.json())

    def test_planner(self, world, api):
        assessment = the_assessment(world, DEMO_LEVELS)
        response = api(world.users["leader"]).post(self.url(assessment, "planner"), {}, format="json")
        assert response.status_code == 200, response.content
        plan = response.json()
        assert plan["current_index"] == "2.49" and plan["target"] == "2.6" and plan["reachable"]
        assert float(plan["final_index"]) >= 2.6 and plan["final_predicate"] == "Baik"
        assert len(plan["steps"]) == 4 and plan["total_effort"] == "4.00"
        assert plan["best_single_steps"][0]["gain"] == "0.03"

    def test_planner_with_efforts_and_bad_input(self, world, api):
        assessment = the_assessment(world, DEMO_LEVELS)
        client = api(world.users["assessor"])
        efforts = [{"indicator": n, "to_level": lv, "effort": "10"} for n in range(42, 48) for lv in range(3, 6)]
        plan = client.post(self.url(assessment, "planner"), {"target": "2.6", "efforts": efforts}, format="json").json()
        assert all(32 <= step["indicator"] <= 41 for step in plan["steps"])
        bad = client.post(self.url(assessment, "planner"), {"target": "6"}, format="json")
        assert bad.status_code == 400
        zero = client.post(
            self.url(assessment, "planner"), {"efforts": [{"indicator": 11, "to_level": 3, "effort": "0"}]}, format="json"
        )
        assert zero.status_code == 400 and "lebih dari 0" in str(zero.json())
        assert api(world.users["other_admin"]).post(self.url(assessment, "planner"), {}, format="json").status_code == 404

    def test_planner_raises_an_indicator_one_level_unless_jumps_are_allowed(self, world, api):
        assessment = the_assessment(world, DEMO_LEVELS)
        client = api(world.users["assessor"])
        one = client.post(self.url(assessment, "planner"), {"target": "3.5"}, format="json").json()
        assert not one["reachable"] and "paling banyak 1 tingkat" in one["message"]
        two = client.post(self.url(assessment, "planner"), {"target": "3.5", "allow_two_level_jumps": True},
                          format="json").json()
        assert two["reachable"] and float(two["final_index"]) >= 3.5
        raised = [step["indicator"] for step in two["steps"]]
        assert max(raised.count(n) for n in raised) == 2

    def test_documents(self, world, api):
        assessment = the_assessment(world, DEMO_LEVELS)
        xlsx = api(world.users["leader"]).get(self.url(assessment, "export-xlsx"))
        assert xlsx.status_code == 200 and xlsx["Content-Type"].endswith("spreadsheetml.sheet")
        assert xlsx["Content-Disposition"] == 'attachment; filename="penilaian-spbe-82-2024.xlsx"'
        docx = api(world.users["leader"]).get(self.url(assessment, "berita-acara"))
        assert docx.status_code == 200 and docx.content[:2] == b"PK"
        assert api(world.users["operator_dinkes"]).get(self.url(assessment, "export-xlsx")).status_code == 404


class TestTeamMemberApi(ApiContract):
    url = f"{BASE}assessment-team-members/"
    model = AssessmentTeamMember
    read_only = ("leader", "verifier", "assessor")
    hidden_from = ("other_admin", "operator_dinkes")
    create_denied = ("leader", "assessor", "other_admin")

    @pytest.fixture(autouse=True)
    def _assessment(self, world):
        return the_assessment(world)

    def make_object(self, w):
        return the_assessment(w).team.get()

    def create_data(self, w):
        return {"assessment": the_assessment(w).pk, "user": "op.dinkes", "team_role": "operator"}

    def update_data(self, w):
        return {"team_role": "penanggung_jawab"}

    def test_outsider_cannot_join(self, world, api):
        data = {"assessment": the_assessment(world).pk, "user": "koord.lain", "team_role": "asesor"}
        response = api(world.users["admin"]).post(self.url, data, format="json")
        assert response.status_code == 400 and "anggota aktif instansi" in str(response.json())

    def test_unknown_and_foreign_users_get_the_same_answer(self, world, api):
        client = api(world.users["admin"])
        answers = []
        for username in ("koord.lain", "tidak.ada.sama.sekali"):
            data = {"assessment": the_assessment(world).pk, "user": username, "team_role": "asesor"}
            response = client.post(self.url, data, format="json")
            assert response.status_code == 400
            answers.append(response.json())
        assert answers[0] == answers[1] and "anggota aktif instansi" in str(answers[0])

    def test_joining_the_team_opens_the_assessment_to_an_operator(self, world, api):
        assessment = the_assessment(world)
        operator = world.users["operator_dinkes"]
        assert api(operator).get(f"{BASE}assessments/{assessment.pk}/").status_code == 404
        added = api(world.users["admin"]).post(self.url, self.create_data(world), format="json")
        assert added.status_code == 201
        assert api(operator).get(f"{BASE}assessments/{assessment.pk}/").status_code == 200


class TestIndicatorScoreApi(ApiContract):
    url = f"{BASE}indicator-scores/"
    model = IndicatorScore
    writer = "assessor"
    read_only = ("leader", "verifier", "admin")
    hidden_from = ("other_admin", "operator_dinkes", "operator")
    create_denied = ("leader", "verifier", "admin", "other_admin", "operator_dinkes")
    deletable = False

    def make_object(self, w):
        assessment = the_assessment(w)
        return services.set_level(assessment, indicator(1), 2, user=w.users["assessor"])

    def create_data(self, w):
        return {"assessment": the_assessment(w).pk, "indicator": indicator(11).pk, "level": 3,
                "fakta": "Dokumen Arsitektur SPBE", "analisis": "Lengkap", "justifikasi": "Belum direviu"}

    def update_data(self, w):
        return {"level": 4}

    def test_an_over_long_fakta_is_refused_naming_the_field(self, world, api):
        from sia.evaluation.models.scores import ASSESSMENT_TEXT_MAX

        data = self.create_data(world) | {"fakta": "f" * (ASSESSMENT_TEXT_MAX + 1)}
        response = api(world.users["assessor"]).post(self.url, data, format="json")
        assert response.status_code == 400 and list(response.json()) == ["fakta"]

    def test_created_score_records_the_assessor_and_the_current_stage(self, world, api):
        response = api(world.users["assessor"]).post(self.url, self.create_data(world), format="json")
        body = response.json()
        assert (body["stage"], body["assessed_by"], body["indicator_number"], body["level"]) == ("mandiri", "asesor1", 11, 3)
        assert body["assessed_at"]

    @pytest.mark.parametrize("level", [0, 6, "tiga", 2.5])
    def test_levels_outside_1_to_5_are_refused(self, world, api, level):
        data = self.create_data(world) | {"level": level}
        response = api(world.users["assessor"]).post(self.url, data, format="json")
        assert response.status_code == 400 and "level" in response.json()
        assert not IndicatorScore.objects.exists()

    def test_locked_stage_is_read_only(self, world, api):
        assessment = the_assessment(world, DEMO_LEVELS)
        services.lock_stage(assessment, user=world.users["admin"])
        score = IndicatorScore.objects.get(assessment=assessment, indicator__number=11)
        response = api(world.users["assessor"]).patch(f"{self.url}{score.pk}/", {"level": 5}, format="json")
        assert response.status_code == 400 and "sudah dikunci" in str(response.json())
        assert IndicatorScore.objects.get(pk=score.pk).level == 2
        assert api(world.users["superuser"]).delete(f"{self.url}{score.pk}/").status_code == 409
        assert api(world.users["assessor"]).delete(f"{self.url}{score.pk}/").status_code == 403

    def test_team_roles(self, world, api):
        assessment = the_assessment(world)
        AssessmentTeamMember.objects.create(assessment=assessment, user=world.users["operator"], role=TeamRole.DATA_ENTRY)
        denied = api(world.users["operator"]).post(self.url, self.create_data(world), format="json")
        assert denied.status_code == 403  # data entry adds evidence, not levels
        scorer = f.member(world.inst, Role.OPERATOR, world.dinkes, username="op.asesor")
        AssessmentTeamMember.objects.create(assessment=assessment, user=scorer, role=TeamRole.ASSESSOR)
        assert api(scorer).post(self.url, self.create_data(world), format="json").status_code == 201

    def test_list_queries_do_not_grow_with_rows(self, world, api, count_queries, query_budget):
        client = api(world.users["leader"])
        assessment = the_assessment(world, {1: 2})
        client.get(self.url)
        few, _ = count_queries(lambda: client.get(self.url))
        for number in range(2, 30):
            services.set_level(assessment, indicator(number), 3, user=world.users["assessor"])
        many, response = count_queries(lambda: client.get(self.url))
        assert response.json()["count"] == 29
        assert few == many == query_budget["evaluation.api.indicator_scores"], (few, many)

    def test_list_filters_by_assessment_indicator_and_stage(self, world, api):
        assessment = the_assessment(world, {1: 2, 11: 3})
        rows = api(world.users["leader"]).get(self.url, {"assessment_id": assessment.pk, "indicator": 11, "stage": "mandiri"})
        assert [r["level"] for r in rows.json()["results"]] == [3]


class TestEvidenceApi(ApiContract):
    url = f"{BASE}evidence/"
    model = Evidence
    writer = "assessor"
    read_only = ("leader", "verifier", "admin")
    hidden_from = ("other_admin", "operator_dinkes")
    create_denied = ("leader", "verifier", "admin", "other_admin")

    def make_object(self, w):
        return attach_url(the_assessment(w), indicator(12), "https://spbe.example.go.id/peta", user=w.users["assessor"])

    def create_data(self, w):
        return {"assessment": the_assessment(w).pk, "indicator": indicator(11).pk,
                "link": "https://spbe.example.go.id/arsitektur", "title": "Portal Arsitektur SPBE"}

    def update_data(self, w):
        return {"title": "Portal Arsitektur SPBE (revisi)"}

    def upload(self, world, client, name="arsitektur.pdf", content=None, number=11):
        content = content if content is not None else minimal_pdf(["Dokumen Arsitektur SPBE"])
        data = {"assessment": the_assessment(world).pk, "indicator": indicator(number).pk,
                "title": "Dokumen Arsitektur SPBE", "file": SimpleUploadedFile(name, content)}
        return client.post(self.url, data, format="multipart")

    def test_multipart_upload_and_download(self, world, api):
        response = self.upload(world, api(world.users["assessor"]))
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["file_name"] == "Indikator11a-Dokumen_Arsitektur_SPBE.pdf" and body["mime"] == "application/pdf"
        assert len(body["sha256"]) == 64 and body["link"] == ""
        download = api(world.users["leader"]).get(f"{self.url}{body['id']}/download/")
        assert download.status_code == 200
        assert b"".join(download.streaming_content).startswith(b"%PDF")
        assert api(world.users["other_admin"]).get(f"{self.url}{body['id']}/download/").status_code == 404
        assert api().get(f"{self.url}{body['id']}/download/").status_code in (401, 403)

    @pytest.mark.parametrize(
        "name, content, message",
        [("setup.pdf", b"MZ" + b"\x00" * 300, "program yang dapat dijalankan"),
         ("kosong.pdf", b"", "kosong")],
    )
    def test_bad_uploads_store_nothing(self, world, api, evidence_media, name, content, message):
        response = self.upload(world, api(world.users["assessor"]), name=name, content=content)
        assert response.status_code == 400
        assert message in str(response.json()).lower() or message in str(response.json())
        assert not Evidence.objects.exists() and not EvidenceFile.objects.exists()
        assert not any(p.is_file() for p in evidence_media.rglob("*")) if evidence_media.exists() else True

    def test_too_large_upload(self, world, api, settings):
        settings.SIA_EVIDENCE_MAX_BYTES = 200
        response = self.upload(world, api(world.users["assessor"]))
        assert response.status_code == 400 and "terlalu besar" in str(response.json())

    def test_same_file_twice_is_stored_once(self, world, api):
        client = api(world.users["assessor"])
        assert self.upload(world, client, number=11).status_code == 201
        assert self.upload(world, client, name="salinan.pdf", number=12).status_code == 201
        duplicate = self.upload(world, client, name="lagi.pdf", number=11)
        assert duplicate.status_code == 400 and "sudah dilampirkan" in str(duplicate.json())
        assert EvidenceFile.objects.count() == 1 and Evidence.objects.count() == 2

    def test_list_queries_do_not_grow_with_rows(self, world, api, count_queries, query_budget):
        client = api(world.users["leader"])
        self.upload(world, api(world.users["assessor"]))
        client.get(self.url)
        few, _ = count_queries(lambda: client.get(self.url))
        for number in range(12, 20):
            self.upload(world, api(world.users["assessor"]), content=minimal_pdf([f"Bukti {number}"]), number=number)
        many, response = count_queries(lambda: client.get(self.url))
        assert response.json()["count"] == 9
        assert few == many == query_budget["evaluation.api.evidence"], (few, many)

    def test_data_entry_operator_on_the_team_uploads(self, world, api):
        assessment = the_assessment(world)
        AssessmentTeamMember.objects.create(assessment=assessment, user=world.users["operator"], role=TeamRole.DATA_ENTRY)
        assert self.upload(world, api(world.users["operator"])).status_code == 201
        assert self.upload(world, api(world.users["operator_dinkes"]), name="x.pdf").status_code == 400  # invisible

    def test_locked_stage_refuses_evidence(self, world, api):
        assessment = the_assessment(world, DEMO_LEVELS)
        earlier = self.upload(world, api(world.users["assessor"]), number=12).json()
        services.lock_stage(assessment, user=world.users["admin"])
        response = self.upload(world, api(world.users["assessor"]))
        assert response.status_code == 400 and "sudah dikunci" in str(response.json())
        client = api(world.users["assessor"])
        assert client.patch(f"{self.url}{earlier['id']}/", {"title": "baru"}, format="json").status_code == 400
        # a closed stage, not "still has related data ... deactivate it" (409): 400 with the reason
        deleted = client.delete(f"{self.url}{earlier['id']}/")
        assert deleted.status_code == 400
        assert "sudah dikunci" in str(deleted.json()) and "nonaktifkan" not in str(deleted.json())
        assert Evidence.objects.filter(pk=earlier["id"], title="Dokumen Arsitektur SPBE").exists()


class TestFrameworkApi:
    url = f"{BASE}frameworks/"

    def test_every_member_reads_the_instrument(self, world, api):
        for role in ("operator", "leader", "other_admin"):
            rows = api(world.users[role]).get(self.url).json()["results"]
            assert [r["code"] for r in rows] == ["permenpanrb-8-2026", "permenpanrb-59-2020"], role
        body = api(world.users["operator"]).get(f"{self.url}{rows[1]['id']}/").json()
        assert len(body["indicators"]) == 47 and len(body["domains"]) == 4
        eleven = next(i for i in body["indicators"] if i["number"] == 11)
        assert eleven["weight"] == "2.5000" and [lv["name"] for lv in eleven["levels"]][2] == "Terdefinisi"
        assert [b["name"] for b in body["predicate_bands"]][-1] == "Memuaskan"

    def test_read_only(self, world, api):
        client = api(world.users["superuser"])
        framework = the_framework()
        assert client.post(self.url, {"code": "x", "name": "x"}, format="json").status_code == 405
        assert client.delete(f"{self.url}{framework.pk}/").status_code == 405
        assert api().get(self.url).status_code in (401, 403)

    def test_indicators_endpoint_filters(self, world, api):
        rows = api(world.users["leader"]).get(f"{BASE}indicators/", {"framework": "permenpanrb-59-2020", "aspect": 2}).json()
        assert [r["number"] for r in rows["results"]] == [11, 12, 13, 14]
        assert rows["results"][0]["levels"][0]["name"] == "Rintisan"


def test_schema_lists_the_evaluation_api(world, api):
    schema = api(world.users["admin"]).get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    for path in ("/api/evaluation/assessments/{id}/planner/", "/api/evaluation/assessments/{id}/lock-stage/",
                 "/api/evaluation/assessments/{id}/advance-stage/", "/api/evaluation/assessments/{id}/export-xlsx/",
                 "/api/evaluation/assessments/{id}/berita-acara/", "/api/evaluation/evidence/{id}/download/",
                 "/api/evaluation/indicator-scores/", "/api/evaluation/frameworks/"):
        assert path in paths, path
    assert Stage.SELF.value in schema["components"]["schemas"]["StageEnum"]["enum"]
