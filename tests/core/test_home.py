"""Task-first home pages: each role's panels in order, their content, the "next item" after a review
action, and query counts that do not grow with OPDs or objects."""

import re
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.utils import timezone

from sia.architecture import kept, queues, workflow
from sia.architecture.choices import ReviewStatus as S
from sia.architecture.kindgroups import kind_groups
from sia.architecture.models import BusinessProcess, DataItem, ReviewEvent, Service
from sia.core.roles import Role
from tests.architecture.conftest import arch, node  # noqa: F401
from tests.evaluation.conftest import DEMO_LEVELS, framework, make_assessment  # noqa: F401

from .. import factories as f

A = workflow.A


def home(client, user):
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def panel_ids(body):
    return re.findall(r'<section class="panel[^"]*" id="(panel-[a-z-]+)"', body)


def backdate(obj, days):
    ReviewEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
    ).update(created=F("created") - timedelta(days=days))
    workflow.restamp(type(obj), [obj.pk])  # it entered its status then


def process(department, name, **kw):
    return BusinessProcess.objects.create(department=department, name=name, reference=node("RAB.09.03.04"), **kw)


def submitted(world, department, name, days):
    operator = world.users["operator"] if department == world.kominfo else world.users["operator_dinkes"]
    obj = process(department, name)
    workflow.apply(obj, A.SUBMIT, operator)
    backdate(obj, days)
    return obj


# --- which panels, in which order ---------------------------------------------------------------


def test_each_role_sees_its_tasks_first(client, arch, world):
    assert panel_ids(home(client, world.users["operator"]))[:3] == [
        "panel-tasks", "panel-schedule", "panel-own-completeness"]
    assert panel_ids(home(client, world.users["verifier"]))[0] == "panel-queue-verifikasi"
    assert panel_ids(home(client, world.users["admin"]))[:2] == ["panel-queue-validasi", "panel-architecture"]
    leader = home(client, world.users["leader"])
    assert panel_ids(leader)[:2] == ["panel-architecture", "panel-review-progress"]
    assert 'name="action"' not in leader and "Perbaiki" not in leader  # read-only
    nobody = panel_ids(home(client, world.users["nobody"]))
    assert "panel-tasks" not in nobody and "panel-queue-verifikasi" not in nobody


def test_home_pages_have_no_inline_script_or_style(client, arch, world):
    workflow.apply(arch.process, A.SUBMIT, world.users["operator"])
    for key in ("operator", "verifier", "admin", "leader"):
        body = home(client, world.users[key])
        assert "<svg" in body, key
        assert not re.search(r"<script(?![^>]*\bsrc=)|\sstyle=|<style|\son[a-z]+=", body), key


# --- operator ------------------------------------------------------------------------------------


def test_operator_sees_returned_items_with_the_latest_comment_and_drafts(client, arch, world):
    operator, verifier = world.users["operator"], world.users["verifier"]
    workflow.apply(arch.process, A.SUBMIT, operator)
    workflow.apply(arch.process, A.RETURN, verifier, "Uraian terlalu singkat")
    workflow.apply(arch.process, A.SUBMIT, operator)
    workflow.apply(arch.process, A.RETURN, verifier, "IKU belum terukur")
    elsewhere = process(world.dinkes, "Pelayanan Kesehatan Rujukan")
    workflow.apply(elsewhere, A.SUBMIT, world.users["operator_dinkes"])
    workflow.apply(elsewhere, A.RETURN, verifier, "Milik DINKES")
    body = home(client, operator)
    tasks = body[body.index('id="panel-tasks"'):body.index("</section>", body.index('id="panel-tasks"'))]
    assert "Dikembalikan untuk diperbaiki (1)" in tasks
    assert "IKU belum terukur" in tasks and "Uraian terlalu singkat" not in tasks
    assert "Milik DINKES" not in tasks and elsewhere.code not in tasks
    assert f'/arsitektur/proses-bisnis/{arch.process.pk}/ubah/' in tasks
    assert "Draf yang belum diajukan (2)" in tasks  # the service and the data item
    assert arch.service.code in tasks and arch.data.code in tasks


def test_operator_completeness_bars_and_numbers(client, arch, world):
    body = home(client, world.users["operator"])
    panel = body[body.index('id="panel-own-completeness"'):]
    assert 'data-chart="kelengkapan-opd"' in panel
    assert 'data-key="DISKOMINFO-proses-bisnis"' in panel
    table = re.search(r'<table[^>]*data-chart-table="kelengkapan-opd".*?</table>', panel, re.S).group(0)
    assert table.count('<th scope="row">') == len(kind_groups()) and "1 objek" in table  # one bar per kind group


def test_operator_schedule_shows_the_evaluation_stage_or_that_there_is_no_deadline(client, arch, world, framework):
    body = home(client, world.users["operator_dinkes"])
    assert "Belum ada tenggat yang ditetapkan" in body and "Tahap berjalan" not in body
    make_assessment(world, framework, team=(("operator", "operator"),))
    body = home(client, world.users["operator"])
    schedule = body[body.index('id="panel-schedule"'):]
    assert "Tahap berjalan: Penilaian mandiri" in schedule


# --- verifikator ---------------------------------------------------------------------------------


def test_review_queue_by_opd_and_age_oldest_first(client, arch, world):
    young = submitted(world, world.kominfo, "Proses muda", 1)
    old = submitted(world, world.dinkes, "Proses tua", 9)
    middle = submitted(world, world.kominfo, "Proses tengah", 4)
    body = home(client, world.users["verifier"])
    table = re.search(r'data-testid="queue-verifikasi".*?</table>', body, re.S).group(0)
    codes = re.findall(r'<tr data-code="([^"]+)">', table)
    assert codes == [old.code, middle.code, young.code]
    ages = re.findall(r'<td class="num">(\d+)</td>', table)
    assert ages == ["9", "4", "1"]
    chart = re.search(r'data-chart="antrean-verifikasi".*?</svg>', body, re.S).group(0)
    assert re.findall(r'data-key="([A-Z]+)"', chart) == ["DINKES", "DISKOMINFO"]
    assert "Menunggu verifikasi</h2>" not in body or "(3)" in body


def test_next_item_after_verify_and_return_follows_the_home_order(client, arch, world):
    first = submitted(world, world.dinkes, "Pertama", 9)
    second = submitted(world, world.kominfo, "Kedua", 5)
    third = submitted(world, world.kominfo, "Ketiga", 2)
    client.force_login(world.users["verifier"])

    def act(obj, action, comment=""):
        url = f"/arsitektur/proses-bisnis/{obj.pk}/tindakan/"
        return client.post(url, {"action": action, "comment": comment, "next": "queue"})

    assert act(first, "verifikasi")["Location"] == second.get_absolute_url() + "?antrean=1#review"
    assert act(second, "kembalikan", "Lengkapi IKU")["Location"] == third.get_absolute_url() + "?antrean=1#review"
    response = act(third, "verifikasi")
    assert response["Location"] == "/"
    statuses = {o.pk: o.status for o in BusinessProcess.objects.filter(pk__in=[first.pk, second.pk, third.pk])}
    assert statuses == {first.pk: S.VERIFIED, second.pk: S.RETURNED, third.pk: S.VERIFIED}
    # Without "next" the reviewer stays on the object; a refused action never moves on.
    fourth = submitted(world, world.kominfo, "Keempat", 1)
    url = f"/arsitektur/proses-bisnis/{fourth.pk}/tindakan/"
    assert client.post(url, {"action": "kembalikan", "comment": "", "next": "queue"})["Location"] == fourth.get_absolute_url()
    assert client.post(url, {"action": "verifikasi"})["Location"] == fourth.get_absolute_url()


def test_item_after_orders_across_domains_like_the_queue(arch, world):
    operator, verifier = world.users["operator"], world.users["verifier"]
    moment = timezone.now() - timedelta(days=6)
    objects = [arch.data, arch.service, arch.process]
    for obj in objects:
        if obj.reference_id is None:
            type(obj).objects.filter(pk=obj.pk).update(reference=reference_for(obj))
            obj.refresh_from_db()
        workflow.apply(obj, A.SUBMIT, operator)
        # The data item and the process entered the queue at the same moment, the service a day later.
        when = moment + timedelta(days=1) if obj == arch.service else moment
        ReviewEvent.objects.filter(object_id=obj.pk, to_status=S.SUBMITTED,
                                   content_type=ContentType.objects.get_for_model(type(obj))).update(created=when)
        workflow.restamp(type(obj), [obj.pk])
    listed = [item.obj for item in queues.queue(verifier, S.SUBMITTED, 10)]
    assert [type(o) for o in listed] == [BusinessProcess, DataItem, Service]  # a tie goes by the domain order
    assert queues.item_after(verifier, S.SUBMITTED, listed[0]) == listed[1]
    assert queues.item_after(verifier, S.SUBMITTED, listed[1]) == listed[2]
    assert queues.item_after(verifier, S.SUBMITTED, listed[2]) == listed[0]  # wraps to what still waits


def reference_for(obj):
    from sia.reference.models import ReferenceNode

    return ReferenceNode.objects.current().national().of_catalog(obj.spec.catalog).filter(level=3).first()


def test_review_page_offers_next_to_reviewers_ticked_when_opened_from_the_queue(client, arch, world):
    workflow.apply(arch.process, A.SUBMIT, world.users["operator"])
    client.force_login(world.users["verifier"])
    body = client.get(arch.process.get_absolute_url()).content.decode()
    assert '<input type="checkbox" name="next" value="queue">' in body  # offered, not ticked
    body = client.get(arch.process.get_absolute_url() + "?antrean=1").content.decode()
    assert '<input type="checkbox" name="next" value="queue" checked>' in body
    assert f'href="{arch.process.get_absolute_url()}?antrean=1#review"' in home(client, world.users["verifier"])
    client.force_login(world.users["operator"])
    assert 'name="next" value="queue"' not in client.get(arch.process.get_absolute_url()).content.decode()


# --- koordinator ---------------------------------------------------------------------------------


def test_koordinator_validates_from_home(client, arch, world):
    workflow.apply(arch.process, A.SUBMIT, world.users["operator"])
    workflow.apply(arch.process, A.VERIFY, world.users["verifier"])
    body = home(client, world.users["admin"])
    panel = body[body.index('id="panel-queue-validasi"'):body.index('id="panel-architecture"')]
    assert arch.process.code in panel and 'value="validasi"' in panel
    url = f"/arsitektur/proses-bisnis/{arch.process.pk}/tindakan/"
    response = client.post(url, {"action": "validasi", "return_to": "/#panel-queue-validasi"})
    assert response["Location"] == "/#panel-queue-validasi"
    arch.process.refresh_from_db()
    assert arch.process.status == S.VALIDATED
    # Another site is never a place to return to.
    workflow.apply(arch.data, A.SUBMIT, world.users["operator"])
    url = f"/arsitektur/data/{arch.data.pk}/tindakan/"
    response = client.post(url, {"action": "verifikasi", "return_to": "https://contoh.invalid/"})
    assert response["Location"] == arch.data.get_absolute_url()


def test_heat_map_sorts_least_complete_first_and_lists_empty_opds(client, arch, world):
    bare = f.department(world.inst, name="Dinas Pariwisata", abbreviation="DISPAR")
    BusinessProcess.objects.create(department=bare, name="Promosi Wisata", reference=node("RAB.09.03.04"))
    f.department(world.inst, name="Dinas Kehutanan", abbreviation="DISHUT")
    body = home(client, world.users["admin"])
    panel = body[body.index('id="panel-architecture"'):]
    chart = re.search(r'data-chart="kelengkapan".*?</svg>', panel, re.S).group(0)
    assert re.findall(r'<g data-key="([A-Z]+)"', chart) == ["DISPAR", "DISKOMINFO"]
    assert 'class="heat-none"' in chart and "heat-0" in chart  # DISPAR: 2 of 6 fields, no services
    assert "0–24%" in chart and "belum ada objek" in chart  # legend
    empty = re.search(r'data-testid="opd-without-objects">(.*?)</p>', panel, re.S).group(1)
    assert "DINKES" in empty and "DISHUT" in empty and "DISPAR" not in empty
    assert 'data-department="DISHUT"' in panel  # every OPD in the data table


def test_index_trend_with_predicate_bands(client, world, framework):
    lower = {n: max(1, level - 1) for n, level in DEMO_LEVELS.items()}
    make_assessment(world, framework, levels=lower, year=2023)
    make_assessment(world, framework, levels=DEMO_LEVELS)
    body = home(client, world.users["leader"])
    panel = body[body.index('id="panel-evaluation"'):]
    assert 'data-testid="dashboard-index">2,49<' in panel
    chart = re.search(r'<svg[^>]*data-chart="indeks-\d+".*?</svg>', panel, re.S).group(0)
    for band in ("Kurang", "Cukup", "Baik", "Sangat Baik", "Memuaskan"):
        assert f">{band}</text>" in chart
    assert chart.count("<circle") == 2 and ">2023</text>" in chart and ">2024</text>" in chart
    table = re.search(r'<table[^>]*data-chart-table="indeks-\d+".*?</table>', panel, re.S).group(0)
    assert re.search(r'<th scope="row">2024</th><td>2,49</td><td>Cukup · Penilaian mandiri</td>', table)
    assert "PermenPANRB 59/2020" in panel


def test_review_progress_counts_per_status(client, arch, world):
    workflow.apply(arch.process, A.SUBMIT, world.users["operator"])
    body = home(client, world.users["leader"])
    table = re.search(r'<table[^>]*data-chart-table="progres-review".*?</table>', body, re.S).group(0)
    assert re.search(r"<th scope=\"row\">Proses Bisnis</th><td>0</td><td>1</td><td>0</td><td>0</td><td>0</td><td>1</td>",
                     table)


# --- query counts ---------------------------------------------------------------------------------


def grow(world, framework):
    """More OPDs, objects in every status, returns with comments and another year of evaluation."""
    for i in range(4):
        department = f.department(world.inst)
        operator = f.member(world.inst, Role.OPERATOR, department)
        for status in ("draft", "submitted", "returned", "verified"):
            obj = process(department, f"Proses {status} {i}")
            if status != "draft":
                workflow.apply(obj, A.SUBMIT, operator)
            if status == "returned":
                workflow.apply(obj, A.RETURN, world.users["verifier"], "Lengkapi")
            if status == "verified":
                workflow.apply(obj, A.VERIFY, world.users["verifier"])
    for status in ("draft", "submitted", "returned"):
        obj = process(world.kominfo, f"Proses kominfo {status}")
        if status != "draft":
            workflow.apply(obj, A.SUBMIT, world.users["operator"])
        if status == "returned":
            workflow.apply(obj, A.RETURN, world.users["verifier"], "Lengkapi")
    make_assessment(world, framework, levels=DEMO_LEVELS, year=2023, team=(("operator", "operator"),))


@pytest.mark.parametrize("key,budget", [
    ("operator", "core.home.operator"), ("verifier", "core.home.verifier"), ("admin", "core.home.admin"),
    ("leader", "core.home.leader"),
])
def test_home_queries_do_not_grow(client, arch, world, framework, count_queries, query_budget, key, budget):
    workflow.apply(arch.process, A.SUBMIT, world.users["operator"])
    workflow.apply(arch.process, A.RETURN, world.users["verifier"], "Perbaiki")
    make_assessment(world, framework, levels=DEMO_LEVELS, team=(("operator", "operator"),))
    client.force_login(world.users[key])
    client.get("/")  # warm up session and caches
    kept.clear()  # the figures read again, as after any change (``sia.architecture.kept``)
    few, _ = count_queries(lambda: client.get("/"))
    grow(world, framework)
    many, response = count_queries(lambda: client.get("/"))
    assert response.status_code == 200
    assert few == many == query_budget.get(budget), (few, many)
    again, _ = count_queries(lambda: client.get("/"))  # nothing changed: the figures are kept
    assert again == query_budget.get(f"{budget}.kept"), (budget, again)
