"""The home pages' figures kept between requests (``sia.architecture.kept``): after an edit, a review step, a
change to an OPD's functions or to a reader's grants, what is read equals what is computed from the rows now;
readers with other grants never share a figure; a verifikator's queue (mentored OPDs first) is not kept (its SQL is
compiled once per verifikator: tests/architecture/test_mentors.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sia.architecture import completeness, kept, queues, workflow
from sia.architecture.choices import ReviewStatus as S
from sia.architecture.models import BusinessProcess, ReviewEvent
from sia.core import permissions
from sia.core.roles import Role
from sia.organizations.models import Department, DepartmentFunction, Membership
from tests.architecture.conftest import node

pytestmark = pytest.mark.django_db
A = ReviewEvent.Action


def process(department, name, **kw):
    return BusinessProcess.objects.create(department=department, name=name, reference=node("RAB.09.03.04"), **kw)


def figures(table):
    """Everything a completeness table shows, as plain values."""
    return ([(d.pk, [(c.count, c.filled, c.required, list(c.warnings)) for c in cells]) for d, cells in table.rows],
            [(e.model, e.count) for e in table.expired])


def fresh(user):
    """The user as a new request sees them: grants read again."""
    return type(user).objects.get(pk=user.pk)


def object_queries(func) -> list[str]:
    """The queries of ``func`` that read an architecture object table or the review events."""
    with CaptureQueriesContext(connection) as ctx:
        func()
    return [q["sql"] for q in ctx.captured_queries if '"architecture_' in q["sql"]]


def test_completeness_after_an_edit_equals_the_recomputed_figures(world):
    admin = world.users["admin"]
    obj = process(world.kominfo, "Pelayanan izin")
    before = completeness.table_for(admin)
    assert figures(completeness.table_for(fresh(admin))) == figures(before)
    assert not object_queries(lambda: completeness.table_for(fresh(admin)))  # kept: grants, OPDs, generation only
    obj.kpi = "Waktu layanan"
    obj.save()
    after = completeness.table_for(fresh(admin))
    assert figures(after) != figures(before)
    assert figures(after) == figures(completeness.compute_table(admin, [d for d, _ in after.rows]))


def test_an_opd_function_counts_at_once(world):
    """The warning "fungsi tanpa proses bisnis" reads the OPDs' functions, which are no architecture object."""
    admin = world.users["admin"]
    process(world.kominfo, "Pelayanan izin")
    before = completeness.table_for(admin)
    DepartmentFunction.objects.create(department=world.kominfo, order=9, description="Fungsi baru")
    after = completeness.table_for(fresh(admin))
    departments = [d for d, _ in after.rows]
    assert figures(after) == figures(completeness.compute_table(admin, departments)) != figures(before)


def test_readers_with_other_grants_never_share_a_figure(world):
    admin, operator = world.users["admin"], world.users["operator"]
    process(world.kominfo, "Proses Kominfo")
    process(world.dinkes, "Proses Dinkes draf")  # another OPD's draft: the operator does not see it
    dinkes = Department.objects.filter(pk=world.dinkes.pk)
    admin_table = completeness.table_for(admin, dinkes)
    operator_table = completeness.table_for(operator, dinkes)  # same OPDs, other grants: not the admin's figure
    assert [c.count for c in admin_table.rows[0][1]][0] == 1
    assert [c.count for c in operator_table.rows[0][1]][0] == 0
    assert figures(operator_table) == figures(completeness.compute_table(operator, list(dinkes)))
    assert dict(queues.status_counts(operator))[BusinessProcess][S.DRAFT] == 1  # own OPD's draft only
    assert dict(queues.status_counts(admin))[BusinessProcess][S.DRAFT] == 2


def test_a_grant_taken_away_counts_at_the_next_request(world):
    operator = world.users["operator"]
    process(world.kominfo, "Proses Kominfo")
    assert dict(queues.status_counts(operator))[BusinessProcess][S.DRAFT] == 1
    Membership.objects.filter(user=operator).delete()
    assert dict(queues.status_counts(fresh(operator)))[BusinessProcess][S.DRAFT] == 0


def test_queues_after_a_review_step_equal_the_recomputed_ones(world):
    admin, operator, verifier = world.users["admin"], world.users["operator"], world.users["verifier"]
    first = process(world.kominfo, "Proses pertama")
    second = process(world.kominfo, "Proses kedua")
    for obj in (first, second):
        workflow.apply(obj, A.SUBMIT, operator)
        workflow.apply(obj, A.VERIFY, verifier)
    before = [item.obj.pk for item in queues.queue(admin, S.VERIFIED, 10)]
    assert before == [first.pk, second.pk]
    assert not object_queries(lambda: queues.queue(fresh(admin), S.VERIFIED, 10))  # kept
    workflow.apply(first, A.VALIDATE, admin)
    after = queues.queue(fresh(admin), S.VERIFIED, 10)
    assert [item.obj.pk for item in after] == [second.pk]
    kept.clear()
    assert [(i.obj.pk, i.entered) for i in after] == [(i.obj.pk, i.entered)
                                                      for i in queues.queue(fresh(admin), S.VERIFIED, 10)]
    assert [d.count for d in queues.by_department(fresh(admin), S.VERIFIED)] == [1]
    waiting = queues.waiting_by_kind(fresh(admin), S.VERIFIED, 50)
    assert [(model, [o.pk for o in objs], total) for model, objs, total in waiting] == [
        (BusinessProcess, [second.pk], 1)]


def test_a_verifier_queue_is_read_per_request(world):
    """A verifikator's queue lists their mentored OPDs first, which their grants do not say: never kept."""
    verifier = world.users["verifier"]
    assert Role.VERIFIER in permissions.roles_of(verifier)
    workflow.apply(process(world.kominfo, "Proses"), A.SUBMIT, world.users["operator"])
    queues.queue(verifier, S.SUBMITTED, 10)
    assert object_queries(lambda: queues.queue(fresh(verifier), S.SUBMITTED, 10))
    assert not any(key[0] == "queue" for key in kept._kept)


def test_nothing_is_kept_when_the_setting_says_none(world, settings):
    settings.SIA_FIGURES_KEPT = 0
    admin = world.users["admin"]
    completeness.table_for(admin)
    assert not kept._kept


def page_lines(user) -> list:
    """What "Perlu tindakan" shows ``user``: per queue, per kind, its lines and total."""
    from sia.architecture.views import workflow_queues

    return [(label, [(kind, list(lines), total) for kind, lines, total, _more in rows])
            for label, rows in workflow_queues(user)]


def test_the_needs_action_lines_are_kept_and_equal_the_recomputed_ones_after_a_step(world):
    admin, operator, verifier = world.users["admin"], world.users["operator"], world.users["verifier"]
    first, second = process(world.kominfo, "Proses pertama"), process(world.kominfo, "Proses kedua")
    for obj in (first, second):
        workflow.apply(obj, A.SUBMIT, operator)
    before = page_lines(admin)
    assert page_lines(fresh(admin)) == before
    assert not object_queries(lambda: page_lines(fresh(admin)))  # kept: nothing read of the objects
    workflow.apply(first, A.VERIFY, verifier)
    after = page_lines(fresh(admin))
    assert after != before
    kept.clear()
    assert page_lines(fresh(admin)) == after
    assert page_lines(operator) != after  # other grants: the operator's own queues, not the admin's lines


def test_the_needs_action_lines_follow_the_readers_time_zone(world):
    """The lines' dates are written in the active time zone: a line kept for one zone is never shown in another."""
    from datetime import datetime, timezone as tz

    from django.utils import timezone

    admin = world.users["admin"]
    obj = process(world.kominfo, "Proses malam")
    workflow.apply(obj, A.SUBMIT, world.users["operator"])
    ReviewEvent.objects.filter(object_id=obj.pk).update(created=datetime(2026, 3, 1, 20, 0, tzinfo=tz.utc))
    workflow.restamp(type(obj), [obj.pk])
    kept.clear()
    with timezone.override("UTC"):
        utc = str(page_lines(admin))
    with timezone.override("Asia/Jakarta"):  # 2 March 03:00 there
        jakarta = str(page_lines(fresh(admin)))
    assert "sejak 1 Mar 2026" in utc and "sejak 2 Mar 2026" in jakarta


def test_the_completeness_table_is_written_once_per_kept_figure_and_again_after_an_edit(world):
    from django.utils import translation

    admin = world.users["admin"]
    obj = process(world.kominfo, "Pelayanan izin")
    html = completeness.table_for(admin).html
    assert completeness.table_for(fresh(admin)).html is html  # written with the kept figure, not per request
    with translation.override("en"):
        assert completeness.table_for(fresh(admin)).html is not html  # kept per language, so written per language
    obj.kpi = "Waktu layanan"
    obj.save()
    after = completeness.table_for(fresh(admin))
    assert after.html != html
    recomputed = completeness.compute_table(admin, [d for d, _ in after.rows])
    assert after.html == completeness.CompletenessTable(recomputed.groups, recomputed.rows).html
    assert f'data-department="{world.kominfo.abbreviation}"' in after.html


# The table as its template wrote it before it was written in Python (``completeness_html``).
TABLE_TEMPLATE = """{% load i18n %}
<table class="list compact completeness">
  <thead><tr><th>{% translate "OPD" %}</th>{% for label in table.labels %}<th>{{ label }}</th>{% endfor %}</tr></thead>
  <tbody>
  {% for department, cells in table.rows %}
    <tr data-department="{{ department.abbreviation }}"><td><a href="{{ department.get_absolute_url }}">{{ department.abbreviation }}</a></td>
    {% for cell in cells %}<td data-domain="{{ forloop.counter0 }}" data-group="{{ cell.group }}"><span class="num">{{ cell.count }}</span>{% if cell.percent is not None %} <small class="pct">{{ cell.percent }}%</small>{% endif %}
      {% if cell.parts %}<br><small class="muted kinds">{% for label, part in cell.parts %}{{ label }} {{ part.count }}{% if not forloop.last %} · {% endif %}{% endfor %}</small>{% endif %}
      {% for w in cell.warnings %}<br><small class="warn">⚠ {{ w }}</small>{% endfor %}</td>{% endfor %}</tr>
  {% endfor %}
  </tbody>
</table>
"""


def test_the_completeness_table_is_the_html_its_template_wrote(world):
    """Every part of a cell: a group of several kinds (infrastructure), percents, warnings (same names), a count
    past a thousand, and values to escape."""
    from django.template import Context, Template
    from django.utils import translation

    admin = world.users["admin"]
    Department.objects.filter(pk=world.kominfo.pk).update(abbreviation="KOMINFO <&>")
    process(world.kominfo, "Proses <kembar> & A")
    process(world.kominfo, "Proses <kembar> & a")
    table = completeness.compute_table(admin, list(permissions.visible(admin, Department.objects.order_by("name"))))
    table.rows[0][1][0].count = 12345
    assert any(cell.parts for _d, cells in table.rows for cell in cells)
    assert any(cell.warnings for _d, cells in table.rows for cell in cells)
    for language in ("id", "en"):
        with translation.override(language):
            expected = Template(TABLE_TEMPLATE).render(Context({"table": table}))
            assert completeness.CompletenessTable(table.groups, table.rows).html == expected
    assert "KOMINFO &lt;&amp;&gt;" in expected and ">12345<" in expected, expected[:600]
