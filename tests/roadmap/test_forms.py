"""The web forms of the Peta Rencana: sasaran, inisiatif, program and kegiatan (its years as an inline formset, the
gaps it closes) created and changed through the web client, through the models' rules; bad input answers with the
form (what was typed kept, the field named) and writes nothing; a stale version is a conflict."""

from decimal import Decimal

from django.test import Client
from django.urls import reverse

from sia.architecture.choices import ReviewStatus as S
from sia.architecture.models import ReviewEvent
from sia.roadmap.models import Activity, ActivityGap, ActivityYear, Initiative, Program, StrategicTarget

from .conftest import make_activity


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def activity_data(roadmap, world, *, years=(), gaps=(), existing=(), **fields):
    """The POST of the kegiatan form: ``years`` new rows as dicts, ``existing`` rows (ActivityYear) kept as they are."""
    data = {"program": roadmap.apps.pk, "department": world.kominfo.pk, "code": "", "name": "Portal layanan terpadu",
            "description": "", "output": "Portal berjalan", "start_year": 2026, "end_year": 2027,
            "progress": "belum", "gaps": list(gaps)}
    data.update(fields)
    rows = [{"id": row.pk, "year": row.year, "budget": row.budget, "source": row.source, "rka": row.rka or "",
             "realisation": row.realisation or "", "done": "on" if row.done else ""} for row in existing]
    rows += [{"id": "", "source": "apbd", "rka": "", "realisation": "", **row} for row in years]
    data.update({"years-TOTAL_FORMS": len(rows), "years-INITIAL_FORMS": len(existing), "years-MIN_NUM_FORMS": 0,
                 "years-MAX_NUM_FORMS": 1000})
    for n, row in enumerate(rows):
        for key, value in row.items():
            if key == "done" and not value:
                continue
            data[f"years-{n}-{key}"] = value
    return data


def errors(response) -> list[str]:
    """The error messages a form page shows (for assertion messages)."""
    import re

    return re.findall(r'class="error[^"]*"[^>]*>([^<]+)<', response.content.decode())


def snapshot():
    return (Activity.objects.count(), ActivityYear.objects.count(), ActivityGap.objects.count(),
            ReviewEvent.objects.count(), list(Activity.objects.values_list("name", "lock_version", "status")))


ADD = reverse("roadmap:activity_add")


def test_the_operator_adds_a_kegiatan_with_its_years_and_a_gap(roadmap, world):
    response = client_for(world.users["operator"]).post(ADD, activity_data(
        roadmap, world, years=[{"year": 2026, "budget": "250000000", "source": "apbn-dak"},
                               {"year": 2027, "budget": "100000000", "rka": "90000000"}],
        gaps=[f"aplikasi:{roadmap.new_app.pk}"]))
    assert response.status_code == 302, errors(response)
    activity = Activity.objects.get(name="Portal layanan terpadu")
    assert activity.code.startswith("KG-DISKOMINFO-") and activity.status == S.DRAFT
    assert response["Location"] == activity.get_absolute_url()
    assert [(y.year, y.budget, y.source) for y in activity.years.order_by("year")] == [
        (2026, Decimal("250000000.00"), "apbn-dak"), (2027, Decimal("100000000.00"), "apbd")]
    assert [link.target for link in activity.gaps.all()] == [roadmap.new_app]
    assert ReviewEvent.objects.filter(object_id=activity.pk, action="buat").count() == 1


def test_the_form_offers_the_gaps_grouped_and_prefills_one_from_the_query_string(roadmap, world):
    client = client_for(world.users["admin"])
    html = client.get(ADD + f"?gap=aplikasi:{roadmap.upgrade.pk}&program={roadmap.apps.pk}").content.decode()
    assert "Aplikasi dikembangkan" in html and "Pengembangan" in html and "Server tua" in html
    checked = html.split(f'value="aplikasi:{roadmap.upgrade.pk}"')[1].split(">")[0]
    assert "checked" in checked
    assert "Aplikasi lama" not in html  # as-is, not retiring: no gap
    assert "Aplikasi kota" not in html  # another instansi
    field = html.split('id="field-program"')[1].split("</select>")[0]
    assert f'<option value="{roadmap.apps.pk}" selected>' in field
    html = client_for(world.users["operator"]).get(ADD).content.decode()
    field = html.split('id="field-department"')[1].split("</select>")[0]
    assert f'<option value="{world.kominfo.pk}" selected>' in field  # the operator's only OPD


def test_the_years_table_offers_a_row_per_year_without_one(roadmap, world):
    client = client_for(world.users["admin"])
    assert 'name="years-TOTAL_FORMS" value="5"' in client.get(ADD).content.decode()
    html = client.get(reverse("roadmap:activity_edit", args=[roadmap.a.pk])).content.decode()  # 2025-2027, 2 rows
    assert 'name="years-TOTAL_FORMS" value="3"' in html and 'name="years-INITIAL_FORMS" value="2"' in html


def test_a_new_year_row_shows_no_pagu_and_an_empty_pagu_is_zero(roadmap, world):
    """Digits typed ahead of a prefilled 0 made a pagu ten times the one meant: a new row's pagu is empty."""
    import re

    client = client_for(world.users["operator"])
    budget = re.search(r'<input[^>]*name="years-0-budget"[^>]*>', client.get(ADD).content.decode()).group(0)
    assert "value=" not in budget and 'placeholder="0"' in budget
    html = client.get(reverse("roadmap:activity_edit", args=[roadmap.a.pk])).content.decode()
    stored = re.search(r'<input[^>]*name="years-0-budget"[^>]*>', html).group(0)
    assert 'value="100"' in stored  # a stored pagu is shown, a whole sum without ".00"
    response = client.post(ADD, activity_data(roadmap, world, years=[{"year": 2026, "budget": "", "rka": "5"}]))
    assert response.status_code == 302, errors(response)
    assert Activity.objects.get(name="Portal layanan terpadu").years.get().budget == 0


def test_bad_input_names_the_field_keeps_the_input_and_writes_nothing(roadmap, world):
    client = client_for(world.users["admin"])
    before = snapshot()
    cases = [
        ({"years": [{"year": 2031, "budget": "5"}]}, "di luar tahun pelaksanaan"),
        ({"years": [{"year": 2026, "budget": "-5"}]}, "Pagu tidak boleh negatif"),
        ({"start_year": 2024, "years": [{"year": 2026, "budget": "5"}]}, "di luar periode 2025-2029"),
        ({"gaps": [f"aplikasi:{roadmap.far_app.pk}"]}, "bukan salah satu dari pilihan"),
        ({"gaps": [f"aplikasi:{roadmap.old_app.pk}"]}, "bukan salah satu dari pilihan"),
    ]
    for extra, message in cases:
        data = activity_data(roadmap, world, name="Isian yang tidak hilang", **extra)
        response = client.post(ADD, data)
        html = response.content.decode()
        assert response.status_code == 400, extra
        assert message in html, (extra, errors(response))
        assert "Isian yang tidak hilang" in html  # nothing typed is lost
        assert "data-error-summary" in html
    assert snapshot() == before


def test_a_gap_of_another_instansi_is_refused_even_to_a_superuser(roadmap, world):
    before = snapshot()
    response = client_for(world.users["superuser"]).post(ADD, activity_data(
        roadmap, world, years=[{"year": 2026, "budget": "5"}], gaps=[f"aplikasi:{roadmap.far_app.pk}"]))
    assert response.status_code == 400 and "milik instansi lain" in response.content.decode()
    assert snapshot() == before


def test_editing_keeps_optimistic_locking(roadmap, world):
    activity = roadmap.a
    url = reverse("roadmap:activity_edit", args=[activity.pk])
    client = client_for(world.users["operator"])
    stale = activity.lock_version
    Activity.objects.filter(pk=activity.pk).update(lock_version=stale + 1, name="Nama dari orang lain")
    before = snapshot()
    data = activity_data(roadmap, world, existing=list(activity.years.order_by("year")), name="Nama saya",
                         start_year=2025, end_year=2027, lock_version=stale,
                         gaps=[f"aplikasi:{roadmap.new_app.pk}"])
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 409
    assert "Nama saya" in html and "Nama dari orang lain" in html and "Isian Anda tidak hilang" in html
    assert f'name="lock_version" value="{stale + 1}"' in html
    assert snapshot() == before
    data["lock_version"] = stale + 1  # saving again, knowingly
    assert client.post(url, data).status_code == 302
    activity.refresh_from_db()
    assert activity.name == "Nama saya" and activity.lock_version == stale + 2


def test_editing_a_validated_kegiatan_or_its_years_reopens_it_an_untouched_form_does_not(roadmap, world):
    activity = roadmap.a
    Activity.objects.filter(pk=activity.pk).update(status=S.VALIDATED)
    activity.refresh_from_db()
    url = reverse("roadmap:activity_edit", args=[activity.pk])
    client = client_for(world.users["operator"])
    rows = list(activity.years.order_by("year"))
    same = activity_data(roadmap, world, existing=rows, code=activity.code, name=activity.name, output=activity.output,
                         start_year=2025, end_year=2027, progress=activity.progress,
                         lock_version=activity.lock_version, gaps=[f"aplikasi:{roadmap.new_app.pk}"])
    assert client.post(url, same).status_code == 302
    activity.refresh_from_db()
    assert activity.status == S.VALIDATED and not ReviewEvent.objects.filter(action="buka-kembali").exists()
    changed = dict(same, **{"years-1-budget": "180"})  # the pagu: a plan change (the RKA would not be one)
    assert client.post(url, changed).status_code == 302
    activity.refresh_from_db()
    assert activity.status == S.DRAFT and activity.years.get(year=2026).budget == Decimal("180.00")
    assert ReviewEvent.objects.filter(object_id=activity.pk, action="buka-kembali").count() == 1


def test_moving_the_years_and_deleting_a_row_outside_them_is_one_edit(roadmap, world):
    activity = roadmap.a  # 2025-2027, rows 2025 and 2026
    rows = list(activity.years.order_by("year"))
    data = activity_data(roadmap, world, existing=rows, code=activity.code, start_year=2026, end_year=2027,
                         lock_version=activity.lock_version, gaps=[f"aplikasi:{roadmap.new_app.pk}"])
    client = client_for(world.users["operator"])
    url = reverse("roadmap:activity_edit", args=[activity.pk])
    before = snapshot()
    response = client.post(url, data)  # the 2025 row stays: refused, nothing written
    assert response.status_code == 400 and "2025" in " ".join(errors(response)), errors(response)
    assert snapshot() == before
    data["years-0-DELETE"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302, errors(response)
    activity.refresh_from_db()
    assert (activity.start_year, list(activity.years.values_list("year", flat=True))) == (2026, [2026])


def test_a_gap_the_editor_may_not_see_is_kept(roadmap, world):
    # KG-D (DINKES) closes a draft gap of DISKOMINFO that the DINKES operator cannot see.
    from .conftest import link_gap

    link_gap(roadmap.d, roadmap.new_app)
    data = activity_data(roadmap, world, existing=list(roadmap.d.years.all()), department=world.dinkes.pk,
                         name="Kegiatan KG-D diubah", start_year=2026, end_year=2026,
                         lock_version=roadmap.d.lock_version, gaps=[f"aplikasi:{roadmap.upgrade.pk}"])
    response = client_for(world.users["operator_dinkes"]).post(
        reverse("roadmap:activity_edit", args=[roadmap.d.pk]), data)
    assert response.status_code == 302, errors(response)
    assert {link.object_id for link in roadmap.d.gaps.all()} == {roadmap.new_app.pk, roadmap.upgrade.pk}


def test_who_may_open_the_forms(roadmap, world):
    edit = reverse("roadmap:activity_edit", args=[roadmap.a.pk])
    assert client_for(world.users["operator"]).get(edit).status_code == 200
    assert client_for(world.users["operator_dinkes"]).get(edit).status_code == 403
    assert client_for(world.users["verifier"]).get(ADD).status_code == 403
    assert client_for(world.users["other_admin"]).get(edit).status_code == 404
    assert client_for(world.users["operator"]).get(reverse("roadmap:initiative_add")).status_code == 403
    assert client_for(world.users["operator"]).get(
        reverse("roadmap:program_edit", args=[roadmap.apps.pk])).status_code == 403
    # An operator may not put a kegiatan under another OPD.
    before = snapshot()
    response = client_for(world.users["operator"]).post(ADD, activity_data(
        roadmap, world, department=world.dinkes.pk, years=[{"year": 2026, "budget": "5"}]))
    assert response.status_code == 400 and snapshot() == before


def test_the_sasaran_page_links_the_forms_to_whoever_may_use_them(roadmap, world):
    url = reverse("roadmap:strategictarget", args=[roadmap.target.pk])
    html = client_for(world.users["admin"]).get(url).content.decode()
    assert reverse("roadmap:initiative_add") + f"?target={roadmap.target.pk}" in html
    assert reverse("roadmap:program_add") + f"?initiative={roadmap.initiative.pk}" in html
    assert reverse("roadmap:activity_add") + f"?program={roadmap.apps.pk}" in html
    assert reverse("roadmap:program_delete", args=[roadmap.apps.pk]) in html
    html = client_for(world.users["operator"]).get(url).content.decode()
    assert reverse("roadmap:activity_add") + f"?program={roadmap.apps.pk}" in html
    assert reverse("roadmap:initiative_add") not in html and reverse("roadmap:program_edit", args=[
        roadmap.apps.pk]) not in html
    html = client_for(world.users["leader"]).get(url).content.decode()
    assert reverse("roadmap:activity_add") not in html


def test_the_koordinator_builds_the_plan(world):
    client = client_for(world.users["admin"])
    response = client.post(reverse("roadmap:strategictarget_add"), {
        "institution": world.inst.pk, "period": "2025-2029", "code": "ss-09", "name": "Tata kelola yang terpadu",
        "description": "", "order": 1})
    target = StrategicTarget.objects.get(code="SS-09")
    assert response.status_code == 302 and response["Location"] == target.get_absolute_url()
    assert client.get(reverse("roadmap:initiative_add") + f"?target={target.pk}").status_code == 200
    response = client.post(reverse("roadmap:initiative_add"), {"target": target.pk, "code": "IN-09",
                                                                "name": "Arsitektur bersama"})
    initiative = Initiative.objects.get(code="IN-09")
    response = client.post(reverse("roadmap:program_add"), {"initiative": initiative.pk, "area": "tata-kelola",
                                                             "code": "PR-09", "name": "Regulasi SPBE"})
    assert response.status_code == 302, errors(response)
    program = Program.objects.get(code="PR-09")
    response = client.post(reverse("roadmap:program_edit", args=[program.pk]), {
        "area": "manajemen", "code": "PR-09", "name": "Manajemen SPBE", "read_version": program.updated.isoformat()})
    program.refresh_from_db()
    assert response.status_code == 302 and program.name == "Manajemen SPBE" and program.initiative == initiative


def test_a_plan_form_over_someone_elses_change_is_a_conflict_that_keeps_the_input(roadmap, world):
    from sia.roadmap.forms import version_of

    client = client_for(world.users["admin"])
    url = reverse("roadmap:initiative_edit", args=[roadmap.initiative.pk])
    assert f'name="read_version" value="{version_of(roadmap.initiative)}"' in client.get(url).content.decode()
    read = version_of(roadmap.initiative)
    roadmap.initiative.name = "Nama dari orang lain"
    roadmap.initiative.save()
    data = {"code": "IN-01", "name": "Nama saya", "description": "", "read_version": read}
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 409 and "Nama saya" in html and "Nama dari orang lain" in html
    roadmap.initiative.refresh_from_db()
    assert roadmap.initiative.name == "Nama dari orang lain"
    assert f'name="read_version" value="{version_of(roadmap.initiative)}"' in html
    data["read_version"] = version_of(roadmap.initiative)  # saving again, knowingly
    assert client.post(url, data).status_code == 302
    roadmap.initiative.refresh_from_db()
    assert roadmap.initiative.name == "Nama saya"


def test_bad_plan_input_writes_nothing(roadmap, world):
    client = client_for(world.users["admin"])
    before = (StrategicTarget.objects.count(), Initiative.objects.count())
    response = client.post(reverse("roadmap:strategictarget_add"), {
        "institution": world.inst.pk, "period": "2025-2028", "code": "SS-10", "name": "Empat tahun"})
    assert response.status_code == 400 and "lima tahun" in response.content.decode()
    response = client.post(reverse("roadmap:initiative_add"), {"target": roadmap.far_target.pk, "code": "IN-X",
                                                                "name": "Sasaran kota lain"})
    assert response.status_code == 400
    response = client.post(reverse("roadmap:strategictarget_edit", args=[roadmap.target.pk]), {
        "period": "2026-2030", "code": "SS-01", "name": "Geser periode", "read_version": roadmap.target.updated.isoformat()})
    assert response.status_code == 400 and "di luar periode 2026-2030" in response.content.decode()
    assert (StrategicTarget.objects.count(), Initiative.objects.count()) == before
    roadmap.target.refresh_from_db()
    assert roadmap.target.period == "2025-2029"


def test_delete_refuses_while_children_exist(roadmap, world):
    client = client_for(world.users["admin"])
    for name, obj, child in (("strategictarget", roadmap.target, "inisiatif"), ("initiative", roadmap.initiative,
                                                                                 "program"),
                             ("program", roadmap.apps, "kegiatan")):
        url = reverse(f"roadmap:{name}_delete", args=[obj.pk])
        assert "masih memiliki" in client.get(url).content.decode()
        response = client.post(url)
        assert response.status_code == 409 and child in response.content.decode()
        assert type(obj).objects.filter(pk=obj.pk).exists()
    empty = Program.objects.create(initiative=roadmap.initiative, area="audit-tik", code="PR-99", name="Audit TIK")
    response = client.post(reverse("roadmap:program_delete", args=[empty.pk]))
    assert response.status_code == 302 and response["Location"] == roadmap.target.get_absolute_url()
    assert not Program.objects.filter(pk=empty.pk).exists()


def test_the_operator_deletes_their_kegiatan_with_its_years(roadmap, world):
    activity = make_activity(roadmap.apps, world.kominfo, "KG-HAPUS", start=2027, end=2027)
    ActivityYear.objects.create(activity=activity, year=2027, budget=5)
    assert client_for(world.users["operator_dinkes"]).post(
        reverse("roadmap:activity_delete", args=[activity.pk])).status_code == 403
    response = client_for(world.users["operator"]).post(reverse("roadmap:activity_delete", args=[activity.pk]))
    assert response.status_code == 302 and not Activity.objects.filter(pk=activity.pk).exists()
    assert not ActivityYear.objects.filter(activity_id=activity.pk).exists()


def test_form_pages_keep_their_query_budget(roadmap, world, count_queries, query_budget):
    from tests import factories as f

    from sia.architecture.choices import ArchitectureState
    from sia.architecture.models import Application

    client = client_for(world.users["admin"])
    url = reverse("roadmap:activity_edit", args=[roadmap.a.pk])
    assert client.get(url).status_code == 200
    before, _ = count_queries(lambda: client.get(url))
    for n in range(3):
        Application.objects.create(department=world.kominfo, name=f"Gap baru {n}", state=ArchitectureState.TO_BE_NEW)
        f.work_unit(world.kominfo, name=f"Bidang {n}")
        make_activity(roadmap.apps, world.kominfo, f"KG-B{n}", start=2028, end=2028)
    after, response = count_queries(lambda: client.get(url))
    assert response.status_code == 200 and "Gap baru 2" in response.content.decode()
    assert after == before <= query_budget["roadmap.activity_edit"], (before, after)


def test_the_sasaran_page_and_plan_forms_keep_their_query_budget(roadmap, world, count_queries, query_budget):
    client = client_for(world.users["admin"])
    pages = {
        "strategictarget": reverse("roadmap:strategictarget", args=[roadmap.target.pk]),
        "program_edit": reverse("roadmap:program_edit", args=[roadmap.apps.pk]),
    }
    befores = {}
    for name, url in pages.items():
        assert client.get(url).status_code == 200
        befores[name], _ = count_queries(lambda: client.get(url))
    for n in range(3):
        initiative = Initiative.objects.create(target=roadmap.target, code=f"IN-Q{n}", name=f"Inisiatif {n}")
        program = Program.objects.create(initiative=initiative, area="layanan", code=f"PR-Q{n}", name=f"Program {n}")
        make_activity(program, world.dinkes, f"KG-Q{n}", start=2028, end=2028)
    for name, url in pages.items():
        after, response = count_queries(lambda: client.get(url))
        assert response.status_code == 200
        assert after == befores[name] <= query_budget[f"roadmap.{name}"], (name, befores[name], after)


def test_a_year_twice_is_named_in_the_form(roadmap, world):
    before = snapshot()
    data = activity_data(roadmap, world, years=[{"year": 2026, "budget": "10"}, {"year": 2026, "budget": "20"}])
    response = client_for(world.users["operator"]).post(ADD, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Tahun 2026 diisi dua kali." in html, errors(response)
    assert "data ganda" not in html
    assert snapshot() == before


def test_the_gap_list_is_a_searchable_checklist_marking_gaps_closed_elsewhere(roadmap, world):
    html = client_for(world.users["admin"]).get(reverse("roadmap:activity_edit", args=[roadmap.d.pk])).content.decode()
    checklist = html.split('<div class="checklist" data-checklist id="id_gaps">')[1].split("</div>\n</div>")[0]
    assert "data-checklist-search" in checklist and 'name="gaps"' in checklist
    label = html.split(f'value="aplikasi:{roadmap.new_app.pk}"')[1].split("</label>")[0]
    assert "Aplikasi baru bersama" in label and "sudah ditutup KG-A" in label
    assert "Aplikasi · " in label  # the kind is in the label: searching "server" finds the servers
    # on KG-A's own form its gap is not "closed elsewhere"
    html = client_for(world.users["admin"]).get(reverse("roadmap:activity_edit", args=[roadmap.a.pk])).content.decode()
    label = html.split(f'value="aplikasi:{roadmap.new_app.pk}"')[1].split("</label>")[0]
    assert "sudah ditutup" not in label
