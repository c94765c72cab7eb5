"""Gaps between the layers on the hand-built landscape, as lists and counts per OPD."""

import datetime

import pytest

from sia.insights.gaps import gaps, summary
from sia.insights.graph import load_graph

from .conftest import keys

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 1, 1)


@pytest.fixture
def found(world, landscape):
    graph = load_graph(world.users["admin"], world.inst)
    return graph, {gap.slug: gap for gap in gaps(graph, today=TODAY)}


def test_gaps_name_the_objects(found, landscape):
    _graph, found = found
    o = landscape
    listed = {slug: {node.key for node in gap.nodes} for slug, gap in found.items()}
    assert listed["layanan-tanpa-aplikasi"] == keys(o.s_manual)
    assert listed["proses-tanpa-layanan"] == keys(o.p_alone)  # a sub-process counts its parent's service
    assert listed["aplikasi-tanpa-proses"] == keys(o.app_orphan)
    assert listed["data-tanpa-produsen"] == keys(o.data_alone)
    assert listed["data-tanpa-walidata"] == keys(o.data_alone)
    assert listed["infrastruktur-tanpa-pemakai"] == keys(o.printer)
    assert listed["aplikasi-platform-habis-dukungan"] == keys(o.app_bappeda)
    assert [n.name for n in found["aplikasi-platform-habis-dukungan"].reasons[("aplikasi", o.app_bappeda.pk)]] == [
        "CentOS 7"]
    assert listed["tidak-dilindungi"] == keys(
        o.dc, o.sv2, o.os, o.app_bappeda, o.app_kominfo, o.app_orphan, o.data, o.data_alone)


def test_end_of_support_in_the_future_is_no_gap(world, landscape):
    graph = load_graph(world.users["admin"], world.inst)
    [gap] = [g for g in gaps(graph, today=datetime.date(2024, 1, 1)) if g.slug == "aplikasi-platform-habis-dukungan"]
    assert gap.nodes == []


def test_gaps_are_counted_per_opd(found, landscape):
    graph, found = found
    o = landscape
    assert found["tidak-dilindungi"].counts() == {o.kominfo.pk: 5, o.bappeda.pk: 2, o.dinkes.pk: 1}
    assert [(opd, len(nodes)) for opd, nodes in found["tidak-dilindungi"].by_department(graph)] == [
        ("BAPPEDA", 2), ("DINKES", 1), ("DISKOMINFO", 5)]
    numbers = summary(graph, today=TODAY)
    assert numbers["layanan-tanpa-aplikasi"]["count"] == 1
    assert numbers["layanan-tanpa-aplikasi"]["per_department"] == {o.bappeda.pk: 1}


def test_a_retired_application_supports_nothing_and_is_no_gap_itself(world, landscape):
    from sia.architecture.choices import ApplicationLifecycle
    from sia.architecture.models import Application

    from .conftest import make

    o = landscape
    retired = make(Application, o.bappeda, "Musrenbang Lama", lifecycle=ApplicationLifecycle.RETIRED,
                   retirement_year=2020, processes=[o.p_manual])
    idle = make(Application, o.bappeda, "Arsip Lama", lifecycle=ApplicationLifecycle.RETIRED, retirement_year=2019)
    found = {gap.slug: {node.key for node in gap.nodes} for gap in gaps(load_graph(world.users["admin"], world.inst))}
    assert keys(o.s_manual) <= found["layanan-tanpa-aplikasi"]
    assert not keys(retired, idle) & found["aplikasi-tanpa-proses"]
    Application.objects.filter(pk=retired.pk).update(lifecycle=ApplicationLifecycle.PRODUCTION, retirement_year=None)
    found = {gap.slug: {node.key for node in gap.nodes} for gap in gaps(load_graph(world.users["admin"], world.inst))}
    assert keys(o.s_manual).isdisjoint(found["layanan-tanpa-aplikasi"])


def test_a_recorded_producer_opd_is_a_producer(world, landscape):
    """Data whose producer OPD is recorded (the template's "produsen data") has a producer, even with no process or
    application recorded as writing it; the walidata gap is its own."""
    landscape.data_alone.producer_department = landscape.bappeda
    landscape.data_alone.save()
    listed = {gap.slug: gap for gap in gaps(load_graph(world.users["admin"], world.inst), today=TODAY)}
    assert not listed["data-tanpa-produsen"].nodes
    assert {node.name for node in listed["data-tanpa-walidata"].nodes} == {landscape.data_alone.name}
