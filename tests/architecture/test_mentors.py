"""Mentors in the review workflow (issue 17): a verifikator's queues (home page, "Perlu tindakan", the next item after
a review action) put the OPDs they mentor first at no extra query; the koordinator's "Beban mentor" figures against
hand-computed ones; who may open it; moving an OPD in one step (htmx); queries that do not grow with mentors or items."""

import re
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.template import Context, Template
from django.test import Client
from django.utils import timezone, translation

from sia.architecture import mentor_load, queues, workflow
from sia.architecture.choices import ReviewStatus as S
from sia.architecture.models import BusinessProcess, ReviewEvent
from sia.core import compiled
from sia.core.roles import Role
from sia.organizations import mentors
from sia.organizations.models import MentorAssignment

from .. import factories as f
from .conftest import node

pytestmark = pytest.mark.django_db
A = workflow.A
PAGE = "/arsitektur/beban-mentor/"
MOVE = "/arsitektur/beban-mentor/pindahkan/"


def operator_of(world, department):
    if department == world.kominfo:
        return world.users["operator"]
    if department == world.dinkes:
        return world.users["operator_dinkes"]
    return department.memberships.get(role=Role.OPERATOR).user


def submitted(world, department, name, at):
    """A process of ``department`` submitted at ``at``."""
    obj = BusinessProcess.objects.create(department=department, name=name, reference=node("RAB.09.03.04"))
    workflow.apply(obj, A.SUBMIT, operator_of(world, department))
    events(obj).filter(action=A.SUBMIT).update(created=at)
    workflow.restamp(BusinessProcess, [obj.pk])  # it entered the queue then
    return obj


def events(obj):
    return ReviewEvent.objects.filter(content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk)


def reviewed(obj, user, action, at):
    workflow.apply(obj, action, user, "Lengkapi uraian." if action == A.RETURN else "")
    events(obj).filter(action=action).update(created=at)
    workflow.restamp(type(obj), [obj.pk])


def codes(items):
    return [item.obj.code if hasattr(item, "obj") else item.code for item in items]


@pytest.fixture
def queue(world, arch):
    """Three submitted processes: KOMINFO's oldest (10 days), then DINKES's (5 and 2 days); the verifikator
    mentors DINKES."""
    now = timezone.now()
    old = submitted(world, world.kominfo, "Proses Kominfo", now - timedelta(days=10))
    mid = submitted(world, world.dinkes, "Proses Dinkes A", now - timedelta(days=5))
    new = submitted(world, world.dinkes, "Proses Dinkes B", now - timedelta(days=2))
    mentors.assign(world.dinkes, world.users["verifier"])
    return old, mid, new


def test_the_mentors_opds_come_first_in_every_queue(world, queue, count_queries):
    old, mid, new = queue
    verifier = world.users["verifier"]
    queues.queue(verifier, S.SUBMITTED, 10)  # grants and content types read once per request
    n, items = count_queries(lambda: queues.queue(verifier, S.SUBMITTED, 10))
    assert n == 1 and codes(items) == [mid.code, new.code, old.code]
    assert [item.obj.mentored for item in items] == [True, True, False]
    by_opd = queues.by_department(verifier, S.SUBMITTED)
    assert [(d.abbreviation, d.count, d.mentored) for d in by_opd] == [("DINKES", 2, True), ("DISKOMINFO", 1, False)]
    n, kinds = count_queries(lambda: queues.waiting_by_kind(verifier, S.SUBMITTED, 2))
    assert n == 2 and codes(kinds[0][1]) == [mid.code, new.code] and kinds[0][2] == 3  # the first two: own OPD
    # A verifikator without OPDs, and the koordinator, read the plain order: oldest first.
    colleague = f.member(world.inst, Role.VERIFIER, username="verif2")
    assert codes(queues.queue(colleague, S.SUBMITTED, 10)) == [old.code, mid.code, new.code]
    assert codes(queues.queue(world.users["admin"], S.SUBMITTED, 10)) == [old.code, mid.code, new.code]


def test_home_and_needs_action_pages_list_own_opds_first(world, queue):
    old, mid, new = queue
    client = Client()
    client.force_login(world.users["verifier"])
    home = client.get("/").content.decode()
    panel = re.search(r'data-testid="queue-verifikasi".*?</table>', home, re.S).group(0)
    assert re.findall(r'data-code="([^"]+)"', panel) == [mid.code, new.code, old.code]
    assert panel.count("binaan Anda") == 2
    start = re.search(r'data-testid="start-verifikasi" href="([^"]+)"', home).group(1)
    assert start == f"{mid.get_absolute_url()}?antrean=1#review"  # "start with" opens an own OPD's item
    body = client.get("/arsitektur/perlu-tindakan/").content.decode()
    assert body.index(mid.get_absolute_url()) < body.index(new.get_absolute_url()) < body.index(old.get_absolute_url())
    # Each line as the template wrote it before lines were made in Python (views.queue_line): name escaped, the
    # date in the instansi's time zone.
    BusinessProcess.objects.filter(pk=mid.pk).update(name="Proses <Dinkes> & A")
    from sia.architecture import kept

    kept.clear()
    body = client.get("/arsitektur/perlu-tindakan/").content.decode()
    entered = queues.queue(world.users["verifier"], S.SUBMITTED, 1)[0].entered
    with translation.override("id"):
        since = Template('{{ d|date:"j M Y" }}').render(Context({"d": entered}))
    assert (f'<li data-mentored="1"><a href="{mid.get_absolute_url()}">{mid.code} Proses &lt;Dinkes&gt; &amp; A</a> '
            f'<small class="muted">DINKES <span class="badge own">binaan Anda</span> · sejak {since}</small></li>') in body
    assert f'<li><a href="{old.get_absolute_url()}">{old.code} Proses Kominfo</a> <small class="muted">DISKOMINFO · ' in body


def test_the_next_item_after_a_review_stays_in_own_opds_first(world, queue):
    old, mid, new = queue
    verifier = world.users["verifier"]
    assert queues.item_after(verifier, S.SUBMITTED, mid) == new
    assert queues.item_after(verifier, S.SUBMITTED, new) == old
    assert queues.item_after(verifier, S.SUBMITTED, old) == mid  # nothing follows: the first still waiting
    client = Client()
    client.force_login(verifier)
    response = client.post(f"/arsitektur/proses-bisnis/{mid.pk}/tindakan/", {"action": "verifikasi", "next": "queue"})
    assert response["Location"] == new.get_absolute_url() + "?antrean=1#review"


def test_home_queries_do_not_change_with_mentoring(client, world, queue, count_queries):
    client.force_login(world.users["verifier"])
    client.get("/")
    mentoring, _ = count_queries(lambda: client.get("/"))
    MentorAssignment.objects.all().delete()
    plain, _ = count_queries(lambda: client.get("/"))
    assert mentoring == plain


@pytest.fixture
def figures(world, arch):
    """Two mentors, three OPDs of which one without a mentor, items waiting and reviews at known times."""
    now = timezone.now().replace(microsecond=0)
    day = timedelta(days=1)
    verifier, second = world.users["verifier"], f.member(world.inst, Role.VERIFIER, username="verif2",
                                                         first_name="Rahmawati", last_name="Umasugi")
    third = f.department(world.inst, name="Dinas Perhubungan", abbreviation="DISHUB")
    f.member(world.inst, Role.OPERATOR, third, username="op.dishub")
    mentors.assign(world.kominfo, verifier)
    mentors.assign(world.dinkes, verifier)
    # Waiting at KOMINFO 10 and 4 days, at DINKES 7 days (verifier: 10, 7, 4 -> oldest 10, median 7);
    # at DISHUB (no mentor) 3 days.
    submitted(world, world.kominfo, "Kominfo 1", now - 10 * day)
    submitted(world, world.kominfo, "Kominfo 2", now - 4 * day)
    submitted(world, world.dinkes, "Dinkes 1", now - 7 * day)
    submitted(world, third, "Dishub 1", now - 3 * day)
    # Reviews: the verifier returned one item twice (one item) and verified another within 30 days, verified one
    # 40 days ago (not counted); the second mentor verified one 29 days ago.
    a = submitted(world, world.dinkes, "Dinkes 2", now - 60 * day)
    reviewed(a, verifier, A.RETURN, now - 20 * day)
    workflow.apply(a, A.SUBMIT, world.users["operator_dinkes"])
    events(a).filter(action=A.SUBMIT).update(created=now - 15 * day)
    workflow.restamp(BusinessProcess, [a.pk])
    reviewed(a, verifier, A.RETURN, now - 12 * day)
    b = submitted(world, world.kominfo, "Kominfo 3", now - 50 * day)
    reviewed(b, verifier, A.VERIFY, now - 9 * day)
    c = submitted(world, world.kominfo, "Kominfo 4", now - 50 * day)
    reviewed(c, verifier, A.VERIFY, now - 40 * day)
    d = submitted(world, third, "Dishub 2", now - 50 * day)
    reviewed(d, second, A.VERIFY, now - 29 * day)
    return now, verifier, second, third


def test_the_load_against_hand_computed_figures(world, figures, count_queries):
    now, verifier, second, third = figures
    mentor_load.load(world.users["admin"], world.inst, now=now)  # grants and content types read once per request
    n, load = count_queries(lambda: mentor_load.load(world.users["admin"], world.inst, now=now))
    assert n == 5
    rows = {row.mentor.username: row for row in load.mentors}
    mine = rows["verif"]
    assert [d.department.abbreviation for d in mine.departments] == ["DINKES", "DISKOMINFO"]
    assert (mine.waiting.count, mine.waiting.oldest_days, mine.waiting.median_days, mine.reviewed) == (3, 10, 7, 2)
    assert [(d.waiting.count, d.waiting.oldest_days) for d in mine.departments] == [(1, 7), (2, 10)]
    theirs = rows["verif2"]
    assert (theirs.departments, theirs.waiting.count, theirs.waiting.oldest_days, theirs.reviewed) == ([], 0, None, 1)
    assert [(d.department.abbreviation, d.waiting.count, d.waiting.median_days) for d in load.unassigned] == [
        ("DISHUB", 1, 3)]
    assert [m.mentor.username for m in load.mentors] == ["verif", "verif2"]  # most waiting first
    mentors.assign(third, second)  # an even number of ages: the median is the mean of the middle two
    submitted(world, third, "Dishub 3", now - timedelta(days=8))
    theirs = {row.mentor.username: row for row in mentor_load.load(world.users["admin"], world.inst, now=now).mentors}[
        "verif2"]
    assert (theirs.waiting.count, theirs.waiting.oldest_days, theirs.waiting.median_days) == (2, 8, 5.5)


def test_only_the_koordinator_opens_beban_mentor(world, figures):
    client = Client()
    for role, status in (("admin", 200), ("verifier", 403), ("operator", 403), ("leader", 403), ("superuser", 200)):
        client.force_login(world.users[role])
        assert client.get(PAGE).status_code == status, role
    client.force_login(world.users["other_admin"])
    body = client.get(PAGE).content.decode()
    assert "Pemerintah Kota Lain" in body and "DISKOMINFO" not in body
    assert client.get(f"{PAGE}?instansi={world.inst.pk}").status_code == 404
    response = client.post(MOVE, {"instansi": world.inst.pk, "department": world.kominfo.pk,
                                  "mentor": world.users["verifier"].pk})
    assert response.status_code == 404
    client.force_login(world.users["verifier"])
    response = client.post(MOVE, {"instansi": world.inst.pk, "department": world.kominfo.pk,
                                  "mentor": figures[2].pk})
    assert response.status_code == 403
    assert MentorAssignment.objects.get(department=world.kominfo).mentor == world.users["verifier"]


def test_reassigning_from_the_page_in_one_step(world, figures):
    now, verifier, second, third = figures
    client = Client()
    client.force_login(world.users["admin"])
    page = client.get(PAGE).content.decode()
    assert 'hx-post="/arsitektur/beban-mentor/pindahkan/"' in page and 'data-department="DISHUB"' in page
    response = client.post(MOVE, {"instansi": world.inst.pk, "department": world.kominfo.pk, "mentor": second.pk},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith('<div id="mentor-load">') and "OPD DISKOMINFO kini dibina oleh Rahmawati Umasugi." in body
    assignment = MentorAssignment.objects.get(department=world.kominfo)
    assert assignment.mentor == second
    assert assignment.history.order_by("-history_date").first().history_user == world.users["admin"]
    section = re.search(r'data-testid="mentor-verif2".*?</section>', body, re.S).group(0)
    assert 'data-department="DISKOMINFO"' in section
    # A user without the verifikator role: the message, nothing written.
    response = client.post(MOVE, {"instansi": world.inst.pk, "department": world.kominfo.pk,
                                  "mentor": world.users["operator"].pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "op.kominfo bukan verifikator aktif di Pemerintah Provinsi Contoh" in response.content.decode()
    assert MentorAssignment.objects.get(department=world.kominfo).mentor == second
    # Without JavaScript: a redirect back with the answer.
    response = client.post(MOVE, {"instansi": world.inst.pk, "department": third.pk, "mentor": verifier.pk})
    assert response.status_code == 302 and response["Location"] == f"{PAGE}?instansi={world.inst.pk}"
    assert MentorAssignment.objects.get(department=third).mentor == verifier
    for bad in ({"department": "99999999999999999999999", "mentor": verifier.pk}, {"department": "x"}):
        assert client.post(MOVE, {"instansi": world.inst.pk, **bad}).status_code == 404


def test_beban_mentor_queries_do_not_grow(client, world, figures, count_queries, query_budget):
    now, verifier, second, third = figures
    client.force_login(world.users["admin"])
    client.get(PAGE)
    few, _ = count_queries(lambda: client.get(PAGE))
    for i in range(3):  # more mentors, OPDs, items waiting and reviews
        mentor = f.member(world.inst, Role.VERIFIER, username=f"verif.tambahan{i}")
        department = f.department(world.inst)
        f.member(world.inst, Role.OPERATOR, department, username=f"op.tambahan{i}")
        mentors.assign(department, mentor)
        for j in range(3):
            item = submitted(world, department, f"Proses {i}.{j}", now - timedelta(days=j + 1))
        reviewed(item, mentor, A.RETURN, now - timedelta(days=1))
    many, response = count_queries(lambda: client.get(PAGE))
    assert response.status_code == 200 and "verif.tambahan2" in response.content.decode()
    assert few == many == query_budget["architecture.mentor_load"], (few, many)


def test_a_verifikators_queue_sql_is_compiled_once_per_verifikator_and_reads_mentoring_each_time(world, queue,
                                                                                                 monkeypatch):
    """The queues' SQL of a verifikator names their user ID (``mentor_rank``): it is compiled once per verifikator
    and thread (``sia.core.compiled``), never shared with another verifikator of the same grants, and which OPDs they
    mentor is read by the query itself, so a new assignment counts at the next read."""
    old, mid, new = queue
    verifier = world.users["verifier"]
    colleague = f.member(world.inst, Role.VERIFIER, username="verif2")  # same grants, mentors nothing yet
    compiled.clear()  # what an earlier test of this process compiled for the same IDs and grants is kept
    built = []
    original = queues._first_waiting
    monkeypatch.setattr(queues, "_first_waiting", lambda *a: built.append(a[0].pk) or original(*a))
    first = queues.waiting_by_kind(verifier, S.SUBMITTED, 10)
    assert built and set(built) == {verifier.pk}
    built.clear()
    assert codes(queues.waiting_by_kind(verifier, S.SUBMITTED, 10)[0][1]) == codes(first[0][1]) == [
        mid.code, new.code, old.code]
    assert built == []  # compiled once: the second read built nothing
    assert codes(queues.queue(verifier, S.SUBMITTED, 10)) == [mid.code, new.code, old.code]
    assert codes(queues.queue(verifier, S.SUBMITTED, 10)) == [mid.code, new.code, old.code]
    # the colleague has the same grants but not the same SQL: their own order (oldest first), their own build
    assert codes(queues.waiting_by_kind(colleague, S.SUBMITTED, 10)[0][1]) == [old.code, mid.code, new.code]
    assert built and set(built) == {colleague.pk}
    assert codes(queues.queue(colleague, S.SUBMITTED, 10)) == [old.code, mid.code, new.code]
    # mentoring changes: the kept SQL reads the assignments again
    mentors.assign(world.kominfo, colleague)
    built.clear()
    assert codes(queues.waiting_by_kind(colleague, S.SUBMITTED, 10)[0][1]) == [old.code, mid.code, new.code]
    assert [o.mentored for o in queues.waiting_by_kind(colleague, S.SUBMITTED, 10)[0][1]] == [True, False, False]
    assert codes(queues.queue(colleague, S.SUBMITTED, 10)) == [old.code, mid.code, new.code]
    mentors.assign(world.kominfo, verifier)  # now the verifikator mentors both: oldest first among them
    assert codes(queues.queue(verifier, S.SUBMITTED, 10)) == [old.code, mid.code, new.code]
    assert built == []
