import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sia.evaluation import services
from sia.evaluation.choices import Stage, TeamRole
from sia.evaluation.models import Assessment, AssessmentTeamMember, Evidence, IndicatorScore
from sia.evaluation.pdf import minimal_pdf

from .conftest import DEMO_LEVELS, make_assessment, pdf_upload

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def page_text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def indicator_url(assessment, number=11):
    return f"/evaluasi/penilaian/{assessment.pk}/indikator/{number}/"


class TestAssessmentPages:
    def test_list_shows_index_and_queries_stay_flat(self, world, framework, count_queries, query_budget):
        client = client_for(world.users["admin"])
        make_assessment(world, framework, levels=DEMO_LEVELS, year=2024)
        client.get("/evaluasi/penilaian/")
        one, response = count_queries(lambda: client.get("/evaluasi/penilaian/"))
        assert response.status_code == 200
        assert "2,49" in page_text(response) and "Cukup" in page_text(response)
        for year in (2022, 2023):
            make_assessment(world, framework, levels={1: 3}, year=year, team=())
        three, response = count_queries(lambda: client.get("/evaluasi/penilaian/"))
        assert page_text(response).count("Penilaian mandiri") >= 3
        assert one == three == query_budget["evaluation.assessment_list"], (one, three)

    def test_detail_shows_index_chart_progress_and_indicators(self, world, assessment, count_queries, query_budget):
        client = client_for(world.users["leader"])
        client.get(assessment.get_absolute_url())
        queries, response = count_queries(lambda: client.get(assessment.get_absolute_url()))
        text = page_text(response)
        assert response.status_code == 200
        assert 'data-testid="assessment-index" title="2,49">2,49<' in text
        assert "Cukup" in text and "47/47" in text
        assert text.count('class="domain"><title>') == 4 and text.count('class="aspect"><title>') == 8
        assert "Tingkat Kematangan Arsitektur SPBE Instansi Pusat/Pemerintah Daerah" in text
        assert "Kunci tahap" not in text  # pimpinan reads only
        assert queries == query_budget["evaluation.assessment"], queries

    def test_admin_locks_and_advances_from_the_page(self, world, assessment):
        client = client_for(world.users["admin"])
        assert "Kunci tahap" in page_text(client.get(assessment.get_absolute_url()))
        assert client_for(world.users["assessor"]).post(f"/evaluasi/penilaian/{assessment.pk}/kunci/").status_code == 403
        response = client.post(f"/evaluasi/penilaian/{assessment.pk}/lanjut/", follow=True)
        assert "Penilaian dokumen dimulai" in page_text(response)
        assessment.refresh_from_db()
        assert assessment.current_stage == Stage.DOCUMENT and assessment.is_locked(Stage.SELF)
        text = page_text(client.get(assessment.get_absolute_url()))
        assert "Penilaian dokumen" in text and "+0,00" not in text

    def test_stage_change_is_shown(self, world, assessment, framework):
        services.advance_stage(assessment, user=world.users["admin"])
        services.set_level(assessment, framework.indicators.get(number=43), 2, user=world.users["assessor"])
        text = page_text(client_for(world.users["admin"]).get(assessment.get_absolute_url()))
        assert "2,46" in text and "-0,03" in text

    def test_team_is_managed_by_the_admin(self, world, assessment):
        client = client_for(world.users["admin"])
        operator = world.users["operator_dinkes"]
        response = client.post(f"/evaluasi/penilaian/{assessment.pk}/tim/", {"user": operator.pk, "role": TeamRole.DATA_ENTRY})
        assert response.status_code == 302
        member = AssessmentTeamMember.objects.get(assessment=assessment, user=operator)
        assert client_for(operator).get(assessment.get_absolute_url()).status_code == 200
        denied = client_for(world.users["assessor"]).post(f"/evaluasi/tim/{member.pk}/hapus/")
        assert denied.status_code == 403
        client.post(f"/evaluasi/tim/{member.pk}/hapus/")
        assert not AssessmentTeamMember.objects.filter(pk=member.pk).exists()
        assert client_for(operator).get(assessment.get_absolute_url()).status_code == 404

    def test_access(self, world, assessment):
        for role in ("other_admin", "operator_dinkes", "nobody"):
            assert client_for(world.users[role]).get(assessment.get_absolute_url()).status_code == 404, role
        assert client_for(world.users["operator_dinkes"]).get("/evaluasi/penilaian/").status_code == 200
        assert Client().get(assessment.get_absolute_url()).status_code == 302

    def test_admin_creates_an_assessment(self, world, framework):
        client = client_for(world.users["admin"])
        response = client.post(
            "/evaluasi/penilaian/tambah/", {"institution": world.inst.pk, "year": 2025, "framework": framework.pk}
        )
        assert response.status_code == 302
        assert Assessment.objects.get(year=2025).current_stage == Stage.SELF
        assert client_for(world.users["verifier"]).get("/evaluasi/penilaian/tambah/").status_code == 403

    def test_edit_form_of_a_closed_assessment_keeps_year_framework_and_stages(self, world, assessment, framework):
        while assessment.next_stage() is not None:
            services.advance_stage(assessment, user=world.users["admin"])
        services.lock_stage(assessment, user=world.users["admin"])
        client = client_for(world.users["admin"])
        url = f"/evaluasi/penilaian/{assessment.pk}/ubah/"
        text = page_text(client.get(url))
        for name in ("year", "framework", "with_site_visit", "institution"):
            assert re.search(rf'<(input|select)[^>]*name="{name}"[^>]*disabled', text), name
        client.post(url, {"institution": world.inst.pk, "year": 2022, "framework": framework.pk,
                          "with_site_visit": "on", "notes": "Selesai."})
        assessment.refresh_from_db()
        assert (assessment.year, assessment.with_site_visit, assessment.notes) == (2024, False, "Selesai.")
        assert Stage.VISIT not in assessment.stages()

    def test_menu_and_dashboard(self, world, assessment):
        home = page_text(client_for(world.users["leader"]).get("/"))
        from sia.evaluation.terms import menu_label
        assert f"<summary>{menu_label()}</summary>" in home and 'data-testid="dashboard-index">2,49<' in home
        assert 'data-testid="dashboard-index-name">Indeks SPBE<' in home
        operator_home = page_text(client_for(world.users["operator_dinkes"]).get("/"))
        assert "Penilaian indeks" not in operator_home and "dashboard-index" not in operator_home


class TestIndicatorPage:
    def test_criteria_side_by_side_and_the_form_for_the_assessor(self, world, assessment):
        text = page_text(client_for(world.users["assessor"]).get(indicator_url(assessment)))
        assert text.count('class="criterion') == 5
        assert 'class="criterion chosen" data-level="2"' in text
        assert "Tingkat 3 · Terdefinisi" in text
        assert "Kriteria tingkat 2 telah terpenuhi dan dokumen Arsitektur SPBE telah mencakup" in text
        assert 'name="level"' in text and 'name="fakta"' in text and 'name="file"' in text

    def test_leader_reads_without_forms(self, world, assessment):
        client = client_for(world.users["leader"])
        text = page_text(client.get(indicator_url(assessment)))
        assert 'name="level"' not in text and 'name="file"' not in text
        assert client.post(indicator_url(assessment), {"level": 3}).status_code == 403

    def test_assessor_sets_a_level_and_sees_the_index_change(self, world, assessment):
        client = client_for(world.users["assessor"])
        data = {"level": 3, "fakta": "Dokumen Arsitektur SPBE 2024 ditetapkan", "analisis": "Semua domain", "justifikasi": "-"}
        response = client.post(indicator_url(assessment), data, follow=True)
        text = page_text(response)
        assert "Indeks penilaian mandiri: 2,49 → 2,52" in text  # 2.515 shown half up
        score = IndicatorScore.objects.get(assessment=assessment, indicator__number=11, stage=Stage.SELF)
        assert (score.level, score.assessed_by, score.fakta) == (3, world.users["assessor"], data["fakta"])

    def test_htmx_returns_the_panel_with_the_new_index(self, world, assessment):
        client = client_for(world.users["assessor"])
        response = client.post(indicator_url(assessment), {"level": 4}, HTTP_HX_REQUEST="true")
        text = page_text(response)
        assert response.status_code == 200 and text.strip().startswith('<section id="score-panel">')
        assert 'data-testid="stage-index" title="2,54">2,54<' in text
        assert "berubah dari 2,49 menjadi 2,54" in text

    def test_explanations_have_a_length_limit_with_a_counter(self, world, assessment):
        """Issue 10: long texts have sane limits, shown as maxlength (sia/forms.js adds the counter)."""
        from sia.evaluation.models.scores import ASSESSMENT_TEXT_MAX

        client = client_for(world.users["assessor"])
        text = page_text(client.get(indicator_url(assessment)))
        for name in ("fakta", "analisis", "justifikasi"):
            assert re.search(rf'<textarea name="{name}"[^>]*maxlength="{ASSESSMENT_TEXT_MAX}"', text), name
        data = {"level": 3, "fakta": "f" * (ASSESSMENT_TEXT_MAX + 1), "analisis": "Semua domain", "justifikasi": "-"}
        response = client.post(indicator_url(assessment), data)
        assert response.status_code in (200, 400) and str(ASSESSMENT_TEXT_MAX) in page_text(response)
        assert not IndicatorScore.objects.filter(assessment=assessment, indicator__number=11, level=3).exists()

    @pytest.mark.parametrize("level", [0, 6, 7])
    def test_bad_level_is_refused(self, world, assessment, level):
        response = client_for(world.users["assessor"]).post(indicator_url(assessment), {"level": level})
        assert response.status_code == 400 and "Pilih tingkat 1 sampai 5" in page_text(response)
        assert IndicatorScore.objects.get(assessment=assessment, indicator__number=11).level == 2

    @pytest.mark.parametrize("level", [0, 6])
    def test_htmx_bad_level_gets_the_panel_with_the_error(self, world, assessment, level):
        response = client_for(world.users["assessor"]).post(
            indicator_url(assessment), {"level": level}, HTTP_HX_REQUEST="true"
        )
        text = page_text(response)
        assert response.status_code == 400 and text.strip().startswith('<section id="score-panel">')
        assert "Pilih tingkat 1 sampai 5" in text and "<html" not in text

    def test_htmx_save_after_the_stage_was_locked_gets_the_read_only_panel(self, world, assessment):
        client = client_for(world.users["assessor"])
        assert 'name="level"' in page_text(client.get(indicator_url(assessment)))  # the page is open…
        services.lock_stage(assessment, user=world.users["admin"])  # …when the koordinator locks the stage
        response = client.post(indicator_url(assessment), {"level": 5}, HTTP_HX_REQUEST="true")
        text = page_text(response)
        assert response.status_code == 409 and "Location" not in response
        assert text.strip().startswith('<section id="score-panel">') and "<html" not in text
        assert 'data-testid="score-notice"' in text and "sudah dikunci" in text
        assert 'name="level"' not in text and 'data-testid="chosen-level">2<' in text
        assert IndicatorScore.objects.get(assessment=assessment, indicator__number=11).level == 2

    def test_index_shown_with_four_decimals_where_two_would_contradict_the_predicate(self, world, framework):
        levels = dict(DEMO_LEVELS) | {11: 3, 12: 3, 38: 3, 47: 3}  # Σ = 259.75: 2.5975 (Cukup, not "2,60")
        assessment = make_assessment(world, framework, levels=levels)
        client = client_for(world.users["admin"])
        for url in (assessment.get_absolute_url(), indicator_url(assessment), "/evaluasi/penilaian/", "/",
                    f"/evaluasi/penilaian/{assessment.pk}/perencana/", f"/evaluasi/penilaian/{assessment.pk}/perbandingan/"):
            text = page_text(client.get(url))
            assert "2,5975" in text and "Cukup" in text, url
            assert not re.search(r'data-testid="(assessment|stage|dashboard|plan-current)-index"[^>]*>2,60<', text), url
        text = page_text(client.get(assessment.get_absolute_url()))
        assert 'data-testid="assessment-index" title="2,5975">2,5975<' in text

    def test_locked_stage_is_read_only_on_the_page(self, world, assessment):
        services.lock_stage(assessment, user=world.users["admin"])
        client = client_for(world.users["assessor"])
        text = page_text(client.get(indicator_url(assessment)))
        assert 'name="level"' not in text and "sudah dikunci" in text
        response = client.post(indicator_url(assessment), {"level": 5}, follow=True)
        assert "sudah dikunci" in page_text(response)
        assert IndicatorScore.objects.get(assessment=assessment, indicator__number=11).level == 2

    def test_evidence_upload_list_and_delete(self, world, assessment):
        client = client_for(world.users["assessor"])
        url = f"/evaluasi/penilaian/{assessment.pk}/indikator/11/bukti/"
        response = client.post(url, {"title": "Dokumen Arsitektur SPBE", "file": pdf_upload()}, follow=True)
        text = page_text(response)
        assert "Indikator11a-Dokumen_Arsitektur_SPBE.pdf" in text
        evidence = Evidence.objects.get()
        refused = client.post(url, {"file": SimpleUploadedFile("setup.pdf", b"MZ" + b"\0" * 100)})
        assert refused.status_code == 400 and "program yang dapat dijalankan" in page_text(refused)
        assert client_for(world.users["leader"]).post(url, {"file": pdf_upload("x.pdf", "x")}).status_code == 403
        client.post(f"/evaluasi/bukti/{evidence.pk}/hapus/")
        assert not Evidence.objects.exists()

    def test_empty_file_gets_only_the_empty_file_error(self, world, assessment):
        url = f"/evaluasi/penilaian/{assessment.pk}/indikator/11/bukti/"
        response = client_for(world.users["assessor"]).post(url, {"file": SimpleUploadedFile("kosong.pdf", b"")})
        text = page_text(response)
        assert response.status_code == 400
        form = text.split('id="evidence-form"')[1]
        errors = re.findall(r'<small class="error">(.*?)</small>', form)
        assert [re.sub(r"<[^>]+>", "", e).strip() for e in errors] == ["Berkas kosong."]
        summary = re.search(r'<div class="error-summary"[^>]*role="alert".*?</ul>', form, re.S).group(0)
        assert re.findall(r'<li><a href="#id_file">(.*?)</a></li>', summary) == ["Berkas: Berkas kosong."]
        assert "Isi salah satu" not in text

    def test_stage_history(self, world, assessment, framework):
        services.advance_stage(assessment, user=world.users["admin"])
        services.set_level(assessment, framework.indicators.get(number=11), 3, user=world.users["assessor"],
                           fakta="Diperbaiki setelah verifikasi dokumen")
        text = page_text(client_for(world.users["leader"]).get(indicator_url(assessment)))
        assert "Penilaian mandiri" in text and "Penilaian dokumen" in text
        assert "Diperbaiki setelah verifikasi dokumen" in text


class TestPlannerPage:
    def test_default_plan_reaches_baik(self, world, assessment):
        text = page_text(client_for(world.users["admin"]).get(f"/evaluasi/penilaian/{assessment.pk}/perencana/"))
        final = re.search(r'data-testid="plan-final-index" title="[^"]*">([\d,]+)<', text).group(1)
        assert Decimal(final.replace(",", ".")) >= Decimal("2.60")
        assert 'data-testid="plan-target">2,60<' in text
        assert text.count("<tr><td>") >= 4  # four steps and the best single steps

    def test_post_with_efforts(self, world, assessment):
        client = client_for(world.users["assessor"])
        data = {"target": "2.6"}
        for number, level in DEMO_LEVELS.items():
            for to_level in range(level + 1, 6):
                data[f"e_{number}_{to_level}"] = "10" if number >= 42 else "1"
        response = client.post(f"/evaluasi/penilaian/{assessment.pk}/perencana/", data, HTTP_HX_REQUEST="true")
        text = page_text(response)
        assert response.status_code == 200 and text.strip().startswith('<section id="plan">')
        assert "Layanan Pengaduan" not in text.split("Langkah tunggal")[0]  # indicator 42 is too expensive now

    def test_bad_target(self, world, assessment):
        response = client_for(world.users["assessor"]).post(f"/evaluasi/penilaian/{assessment.pk}/perencana/", {"target": "7"})
        assert response.status_code == 400

    @pytest.mark.parametrize("effort", ["0", "0.005", "-1"])
    def test_htmx_bad_effort_gets_the_plan_fragment_with_the_error(self, world, assessment, effort):
        url = f"/evaluasi/penilaian/{assessment.pk}/perencana/"
        response = client_for(world.users["assessor"]).post(url, {"target": "2.6", "e_11_3": effort}, HTTP_HX_REQUEST="true")
        text = page_text(response)
        assert response.status_code == 400
        assert text.strip().startswith('<section id="plan">') and "<html" not in text
        assert 'data-testid="plan-errors"' in text and "Upaya indikator 11 ke tingkat 3:" in text
        if effort == "0":
            assert "Isi paling kecil 0,01." in text  # the bound written as the page writes numbers

    def test_decimals_are_written_and_read_as_the_page_writes_them(self, world, assessment):
        url = f"/evaluasi/penilaian/{assessment.pk}/perencana/"
        client = client_for(world.users["assessor"])
        text = page_text(client.get(url))
        # text boxes, not number boxes: a browser's number box uses the browser's separator, not the page's
        assert re.search(r'<input type="text" name="target" value="2,6" inputmode="decimal"', text)
        efforts = re.findall(r'<input type="text" name="e_\d+_\d+"[^>]*>', text)
        assert efforts and all('inputmode="decimal"' in tag and 'value="1"' in tag for tag in efforts)
        data = {"target": "2,6", "e_11_3": "0,5"}
        data |= {f"e_{n}_{lv}": "1" for n, level in DEMO_LEVELS.items() for lv in range(level + 1, 6) if (n, lv) != (11, 3)}
        text = page_text(client.post(url, data, HTTP_HX_REQUEST="true"))
        message = re.search(r'data-testid="plan-message"[^>]*>([^<]*)<', text).group(1)
        assert "upaya total 3,5 membawa indeks dari 2,49 ke 2,61 (target 2,60)" in message, message
        steps = re.search(r'data-testid="plan-steps">(.*?)</table>', text).group(1)
        figures = re.findall(r"\d+[.,]\d+", re.sub(r"<[^>]*>", " ", steps))
        assert "0,5" in figures and "2,61" in figures and all("," in figure for figure in figures), figures
        plan = re.search(r'<section id="plan">(.*?)</section>', text, re.S).group(1)  # scorecards, tables, titles
        figures = re.findall(r"\d+[.,]\d+", plan)
        assert figures and all("," in figure for figure in figures), figures
        client.cookies["django_language"] = "en"
        text = page_text(client.post(url, data | {"target": "2.6", "e_11_3": "0.5"}, HTTP_HX_REQUEST="true"))
        assert "a total effort of 3.5 bring the index from 2.49 to 2.61 (target 2.60)" in text
        assert 'value="2.6"' in page_text(client.get(url))

    def test_default_plan_raises_an_indicator_one_level_and_jumps_only_when_asked(self, world, assessment):
        url = f"/evaluasi/penilaian/{assessment.pk}/perencana/"
        client = client_for(world.users["assessor"])
        data = {"target": "3,5"} | {f"e_{n}_{lv}": "1" for n, level in DEMO_LEVELS.items() for lv in range(level + 1, 6)}
        text = page_text(client.post(url, data, HTTP_HX_REQUEST="true"))
        assert "tidak dapat dicapai" in text and "paling banyak 1 tingkat" in text
        text = page_text(client.post(url, data | {"allow_jumps": "on"}, HTTP_HX_REQUEST="true"))
        assert "tidak dapat dicapai" not in text
        raised = re.findall(r"/indikator/(\d+)/", re.search(r'data-testid="plan-steps">(.*?)</table>', text).group(1))
        assert len(raised) > len(set(raised))  # some indicator rises two levels
        assert max(raised.count(n) for n in raised) == 2


class TestCompareAndDocuments:
    def test_year_over_year(self, world, framework, assessment):
        old = make_assessment(world, framework, levels={n: max(1, lv - 1) for n, lv in DEMO_LEVELS.items()}, year=2023)
        text = page_text(client_for(world.users["leader"]).get(f"/evaluasi/penilaian/{assessment.pk}/perbandingan/"))
        assert "2023" in text and "2024" in text
        previous = services.current_summary(old).result.index_display
        assert str(previous).replace(".", ",") in text
        assert "+" in text

    def test_change_is_computed_at_the_same_stage(self, world, framework, assessment):
        # 2023 went through every stage and ended lower (final 2.46); 2024 has only its self-assessment (2.49)
        old = make_assessment(world, framework, levels={n: max(1, lv - 1) for n, lv in DEMO_LEVELS.items()} | {42: 4},
                              year=2023)
        self_2023 = services.current_summary(old).result.index
        while old.next_stage() is not None:
            services.advance_stage(old, user=world.users["admin"])
        columns = services.year_over_year([old, assessment])
        assert columns[1].compared_stage == Stage.SELF
        assert columns[1].change == Decimal("2.49") - self_2023  # self against self, not against 2023's final
        assert columns[0].summary.stage == Stage.FINAL and columns[0].change is None
        text = page_text(client_for(world.users["leader"]).get(f"/evaluasi/penilaian/{assessment.pk}/perbandingan/"))
        changes = re.findall(r'data-testid="compare-change">(.*?)</td>', text)
        assert changes[0] == "—"
        assert "Penilaian mandiri" in changes[1] and "+" in changes[1]
        assert "Dibandingkan pada tahap: Penilaian mandiri." in text

    def test_no_change_across_frameworks(self, world, framework, assessment):
        from sia.evaluation.framework_loader import load_framework_file
        from sia.evaluation.frameworks import install_framework

        from .conftest import FRAMEWORK_FILE

        other = install_framework(load_framework_file(FRAMEWORK_FILE, code="uji-lama", name="Instrumen Uji Lama"))
        make_assessment(world, other, levels={n: 1 for n in DEMO_LEVELS}, year=2023)
        text = page_text(client_for(world.users["leader"]).get(f"/evaluasi/penilaian/{assessment.pk}/perbandingan/"))
        changes = re.findall(r'data-testid="compare-change">(.*?)</td>', text)
        assert len(changes) == 2 and all(re.sub(r"<[^>]+>", "", c).strip() == "—" for c in changes)
        assert "Kerangka berbeda" in text and "+1,49" not in text

    def test_downloads(self, world, assessment):
        client = client_for(world.users["leader"])
        xlsx = client.get(f"/evaluasi/penilaian/{assessment.pk}/ekspor.xlsx")
        assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
        docx = client.get(f"/evaluasi/penilaian/{assessment.pk}/berita-acara.docx")
        assert docx["Content-Disposition"] == 'attachment; filename="berita-acara-penilaian-mandiri-82-2024.docx"'
        assert client_for(world.users["other_admin"]).get(f"/evaluasi/penilaian/{assessment.pk}/ekspor.xlsx").status_code == 404


class TestFrameworkPages:
    def test_list_and_tree(self, world, framework):
        client = client_for(world.users["operator"])
        assert "PermenPANRB 59/2020" in page_text(client.get("/evaluasi/kerangka/"))
        text = page_text(client.get(framework.get_absolute_url()))
        assert "Kebijakan Internal SPBE" in text and "Memuaskan" in text and "Terpadu dan Terukur" in text


def test_demo_loader(world, framework, evidence_media):
    """``sia demo``'s evaluation part: 2021-2023 through all stages (a trend), 2024 at 2.49 with PDF evidence."""
    from sia.core.roles import Role
    from sia.evaluation.demo import load_evaluation

    from .. import factories as f

    for username, role in (("koordinator", Role.ADMIN), ("asesor", Role.ASSESSOR)):
        f.member(world.inst, role, username=username)
    summary = load_evaluation()
    current = Assessment.objects.get(institution=world.inst, year=2024)
    result = services.current_summary(current).result
    assert result.index == Decimal("2.49") and result.predicate == "Cukup" and result.complete
    old = Assessment.objects.get(institution=world.inst, year=2023)
    assert old.current_stage == Stage.FINAL and old.is_locked(Stage.FINAL)
    rows = services.summaries(old)
    assert rows[0].result.index_display == Decimal("2.30") and rows[-1].result.index_display == Decimal("2.24")
    files = Evidence.objects.filter(assessment=current)
    assert files.count() == sum(1 for lv in DEMO_LEVELS.values() if lv >= 2)
    assert all(e.blob.file.open("rb").read(5) == b"%PDF-" for e in files[:3])
    assert "2024 penilaian mandiri 2.49 Cukup" in summary
    finals = {a.year: services.current_summary(a).result for a in Assessment.objects.filter(year__lt=2023)}
    assert {year: (r.index_display, r.predicate) for year, r in finals.items()} == {
        2021: (Decimal("1.77"), "Kurang"), 2022: (Decimal("2.07"), "Cukup")}
    assert old.locks.order_by("locked_at").first().locked_at.year == 2023
    assert load_evaluation()  # idempotent
    assert Assessment.objects.filter(institution=world.inst).count() == 4


def test_minimal_pdf_is_accepted_as_evidence_content():
    import filetype

    assert filetype.guess(minimal_pdf(["x"])).mime == "application/pdf"
