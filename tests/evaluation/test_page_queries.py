"""The query budgets of the indicator, planner and compare pages (``tests/query_budgets.json``): the same
number of queries whatever the evidence, the items reviewed and the indicators' values."""

import pytest
from django.test import Client

from sia.evaluation import evidence_items, services
from sia.evaluation.models import EvidenceItem
from sia.evaluation.uploads import attach_file, attach_url

from .conftest import DEMO_LEVELS, make_assessment, pdf_upload
from .pemdi_fixtures import pemdi_assessment

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def measured(count_queries, client, url):
    client.get(url)  # session and caches warm
    queries, response = count_queries(lambda: client.get(url))
    assert response.status_code == 200, response.status_code
    return queries


def add_evidence(world, assessment, number, count, *, start=0):
    """``count`` files and links on indicator ``number``, every other one on an item, each item reviewed."""
    indicator = assessment.framework.indicators.get(number=number)
    items = list(EvidenceItem.objects.filter(indicator=indicator, framework=assessment.framework)
                 .order_by("level", "number"))
    user = world.users["assessor"]
    for position in range(start, start + count):
        item = items[position % len(items)] if items and position % 2 == 0 else None
        if position % 3 == 0:
            attach_file(assessment, indicator, pdf_upload(f"bukti-{position}.pdf", f"Bukti {position}"), user=user,
                        title=f"Bukti {position}", item=item)
        else:
            attach_url(assessment, indicator, f"https://dok.example.go.id/{position}", user=user, item=item)
        if item is not None:
            evidence_items.review_item(assessment, item, "revise" if position % 4 else "accepted", user=user,
                                       note=f"Catatan {position}")


def test_the_pemdi_indicator_page_does_not_grow_with_evidence_and_reviews(world, count_queries, query_budget):
    assessment = pemdi_assessment(world)
    spbe = make_assessment(world, assessment.framework.__class__.objects.get(code="permenpanrb-59-2020"),
                           levels=DEMO_LEVELS)  # the SPBE year the carry-over panel reads
    add_evidence(world, spbe, 11, 1)
    client = client_for(world.users["assessor"])
    url = f"/evaluasi/penilaian/{assessment.pk}/indikator/13/"
    add_evidence(world, assessment, 13, 1)
    few = measured(count_queries, client, url)
    add_evidence(world, assessment, 13, 7, start=1)
    add_evidence(world, assessment, 14, 3)
    add_evidence(world, spbe, 11, 3, start=1)
    many = measured(count_queries, client, url)
    assert few == many == query_budget["evaluation.indicator_pemdi"], (few, many)


def test_the_indicator_page_at_a_later_stage_reads_the_reviews_before_in_the_same_queries(
    world, count_queries, query_budget
):
    assessment = pemdi_assessment(world)
    add_evidence(world, assessment, 13, 1)
    services.advance_stage(assessment, user=world.users["admin"])
    assessment.refresh_from_db()
    client = client_for(world.users["leader"])
    url = f"/evaluasi/penilaian/{assessment.pk}/indikator/13/"
    few = measured(count_queries, client, url)
    add_evidence(world, assessment, 13, 6, start=1)
    many = measured(count_queries, client, url)
    assert few == many, (few, many)


def test_the_spbe_indicator_page_does_not_grow_with_evidence(world, framework, count_queries, query_budget):
    assessment = make_assessment(world, framework, levels=DEMO_LEVELS)
    client = client_for(world.users["assessor"])
    url = f"/evaluasi/penilaian/{assessment.pk}/indikator/11/"
    add_evidence(world, assessment, 11, 1)
    few = measured(count_queries, client, url)
    add_evidence(world, assessment, 11, 6, start=1)
    many = measured(count_queries, client, url)
    assert few == many == query_budget["evaluation.indicator"], (few, many)


@pytest.mark.parametrize("instrument", ["spbe", "pemdi"])
def test_the_planner_page_does_not_grow_with_values(world, framework, count_queries, query_budget, instrument):
    if instrument == "pemdi":
        assessment = pemdi_assessment(world, filled=False)
        indicators = list(assessment.framework.indicators.order_by("number"))

        def fill(count):
            for indicator in indicators[:count]:
                external = indicator.value_source == "external"
                services.set_value(assessment, indicator, None if external else "1.75", user=world.users["assessor"])
    else:
        assessment = make_assessment(world, framework)
        indicators = list(framework.indicators.order_by("number"))

        def fill(count):
            for indicator in indicators[:count]:
                services.set_level(assessment, indicator, DEMO_LEVELS[indicator.number], user=world.users["assessor"])
    client = client_for(world.users["assessor"])
    url = f"/evaluasi/penilaian/{assessment.pk}/perencana/"
    fill(2)
    few = measured(count_queries, client, url)
    fill(len(indicators))
    many = measured(count_queries, client, url)
    assert few == many == query_budget[f"evaluation.planner_{instrument}"], (few, many)


def test_the_compare_page_does_not_grow_with_values_or_evidence(world, framework, count_queries, query_budget):
    spbe = make_assessment(world, framework, levels={n: DEMO_LEVELS[n] for n in (1, 2)})
    pemdi = pemdi_assessment(world, filled=False)
    client = client_for(world.users["admin"])
    url = f"/evaluasi/penilaian/{pemdi.pk}/perbandingan/"
    few = measured(count_queries, client, url)
    for number, level in DEMO_LEVELS.items():
        services.set_level(spbe, framework.indicators.get(number=number), level, user=world.users["assessor"])
    for indicator in pemdi.framework.indicators.all():
        external = indicator.value_source == "external"
        services.set_value(pemdi, indicator, None if external else "2.25", user=world.users["assessor"])
    make_assessment(world, framework, levels=DEMO_LEVELS, year=2023)  # another year of the other instrument
    add_evidence(world, pemdi, 13, 3)
    many = measured(count_queries, client, url)
    assert few == many == query_budget["evaluation.compare"], (few, many)
