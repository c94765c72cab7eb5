"""``services.attach_levels``: the levels of several assessments read as plain values in one query, giving what the
score objects (``scores_prefetch``) or a query of its own gave ``levels_by_stage``; and the pages that read them so
(home panel, assessment list and its CSV, year-over-year comparison) with as many queries for one year as for three."""

import csv
import io
from decimal import Decimal

import pytest
from django.test.utils import CaptureQueriesContext
from django.db import connection

from sia.evaluation import services
from sia.evaluation.choices import Stage
from sia.evaluation.models import Assessment

from .conftest import DEMO_LEVELS, client_for, make_assessment, text_of
from .pemdi_fixtures import pemdi_assessment

pytestmark = pytest.mark.django_db


def test_attached_levels_are_the_levels_read_otherwise(world, framework):
    spbe = make_assessment(world, framework, levels=DEMO_LEVELS, year=2024)
    pemdi = pemdi_assessment(world)
    empty = make_assessment(world, framework, year=2023, team=())
    fresh = {a.pk: services.levels_by_stage(a) for a in (spbe, pemdi, empty)}
    prefetched = Assessment.objects.prefetch_related(services.scores_prefetch()).in_bulk([spbe.pk, pemdi.pk, empty.pk])
    rows = services.attach_levels(list(Assessment.objects.filter(pk__in=[spbe.pk, pemdi.pk, empty.pk])))
    with CaptureQueriesContext(connection) as reads:
        attached = {a.pk: services.levels_by_stage(a) for a in rows}
    assert reads.captured_queries == []  # read from what attach_levels kept
    for pk, levels in fresh.items():
        assert attached[pk] == levels == services.levels_by_stage(prefetched[pk])
        for stage, values in levels.items():  # the same types: a whole level an int, a Pemdi value a Decimal
            assert [type(v) for v in attached[pk][stage].values()] == [type(v) for v in values.values()]
    assert attached[empty.pk] == {} and attached[empty.pk]["mandiri"] == {}  # a stage without levels reads empty
    assert attached[spbe.pk][Stage.SELF.value][1] == DEMO_LEVELS[1]
    assert attached[pemdi.pk][Stage.SELF.value][1] == Decimal("2.75")


def test_one_query_for_every_assessment_and_none_for_none(world, framework):
    years = [make_assessment(world, framework, levels={1: 3, 2: 4}, year=year, team=()) for year in (2022, 2023, 2024)]
    with CaptureQueriesContext(connection) as reads:
        services.attach_levels(years)
        assert services.attach_levels([]) == []
    assert len(reads.captured_queries) == 1


def test_a_caller_changing_the_levels_it_got_changes_nothing_kept(world, framework):
    [assessment] = services.attach_levels([make_assessment(world, framework, levels={1: 3}, team=())])
    services.levels_by_stage(assessment)[Stage.SELF.value][1] = 5
    assert services.levels_by_stage(assessment)[Stage.SELF.value] == {1: 3}


def test_the_home_panel_reads_as_many_queries_for_three_years_as_for_one(world, framework):
    make_assessment(world, framework, levels=DEMO_LEVELS, year=2024)
    client = client_for(world.users["admin"])
    client.get("/")
    with CaptureQueriesContext(connection) as one:
        page = text_of(client.get("/"))
    assert "2,49" in page
    for year, level in ((2022, 2), (2023, 3)):
        make_assessment(world, framework, levels=dict.fromkeys(DEMO_LEVELS, level), year=year, team=())
    client.get("/")
    with CaptureQueriesContext(connection) as three:
        page = text_of(client.get("/"))
    assert "2,49" in page and "2022" in page and "2023" in page  # the trend's years
    assert len(three.captured_queries) == len(one.captured_queries), [q["sql"][:90] for q in three.captured_queries]


def test_the_list_csv_reads_the_levels_once_per_chunk(world, framework):
    make_assessment(world, framework, levels=DEMO_LEVELS, year=2024)
    client = client_for(world.users["admin"])
    url = "/evaluasi/penilaian/?format=csv"
    with CaptureQueriesContext(connection) as one:
        body = b"".join(client.get(url).streaming_content).decode()
    for year in (2022, 2023):
        make_assessment(world, framework, levels={1: 3}, year=year, team=())
    with CaptureQueriesContext(connection) as three:
        body = b"".join(client.get(url).streaming_content).decode()
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert len(rows) == 4 and any("2,49" in cell or "2.49" in cell for row in rows for cell in row), rows
    assert len(three.captured_queries) == len(one.captured_queries)


def test_the_comparison_page_shows_every_year(world, framework):
    old = make_assessment(world, framework, levels=dict.fromkeys(DEMO_LEVELS, 2), year=2023, team=())
    new = make_assessment(world, framework, levels=DEMO_LEVELS, year=2024)
    page = text_of(client_for(world.users["admin"]).get(f"/evaluasi/penilaian/{new.pk}/perbandingan/"))
    assert "2023" in page and "2024" in page and "2,49" in page and old.year == 2023
