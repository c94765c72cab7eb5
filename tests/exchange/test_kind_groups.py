"""Kind groups: the kinds of one group share one workbook (one sheet per kind) for template, export and import.

No group is declared yet, so the test declares one: Layanan and Data become two kinds of "Layanan dan Data".
"""

import dataclasses
import io

import openpyxl
import pytest
from django.urls import reverse

from sia.architecture.kindgroups import KindGroup, kind_groups
from sia.architecture.models import BusinessProcess, DataItem, Service
from sia.architecture.registry import domain_models
from sia.exchange.committer import write_plan
from sia.exchange.services import models_for

from .helpers import edit, plan, problems, row_of

pytestmark = pytest.mark.django_db

GROUP = KindGroup(slug="layanan-dan-data", label="Layanan dan Data", order=15)


@pytest.fixture
def grouped(monkeypatch):
    for model in (Service, DataItem):
        monkeypatch.setattr(model, "spec", dataclasses.replace(model.spec, group=GROUP))
    assert (GROUP, [Service, DataItem]) in kind_groups()
    return GROUP


def download(client, world, domain, prefill=False):
    query = {"institution": world.inst.pk, "domain": domain}
    if prefill:
        query["prefill"] = "1"
    response = client.get(reverse("exchange:template"), query)
    assert response.status_code == 200
    return response


def test_a_group_or_any_of_its_kinds_names_one_workbook(grouped):
    assert models_for("layanan-dan-data") == models_for("layanan") == models_for("data-items") == [Service, DataItem]
    assert models_for("proses-bisnis") == [BusinessProcess]
    assert sorted(models_for(""), key=str) == sorted(domain_models(), key=str)


def test_the_template_of_a_group_has_a_sheet_per_kind(grouped, ex, world, client):
    client.force_login(world.users["admin"])
    response = download(client, world, "layanan-dan-data")
    assert "sia-templat-layanan-dan-data-" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:3] == ["Petunjuk", "Layanan", "Data dan Informasi"]
    assert "Proses Bisnis" not in book.sheetnames


def test_the_export_of_a_group_round_trips_both_kinds(grouped, ex, world, client):
    user = world.users["admin"]
    client.force_login(user)
    content = download(client, world, "layanan", prefill=True).content
    assert plan(content, user, world.inst).counts() == {"create": 0, "update": 0, "unchanged": 2}
    edited = edit(content, [
        ("Layanan", row_of(content, "Layanan", ex.service.code), "Nama *", "Layanan Data Statistik Terpadu"),
        ("Data dan Informasi", row_of(content, "Data dan Informasi", ex.data.code), "Nama *", "Data Statistik Daerah"),
    ])
    result = plan(edited, user, world.inst)
    assert not result.errors, problems(result)
    assert result.counts() == {"create": 0, "update": 2, "unchanged": 0}
    assert [sheet["label"] for sheet in result.sheet_summary()] == ["Layanan", "Data dan Informasi"]
    write_plan(result, user=user)
    ex.service.refresh_from_db(), ex.data.refresh_from_db()
    assert (ex.service.name, ex.data.name) == ("Layanan Data Statistik Terpadu", "Data Statistik Daerah")


def test_the_exchange_page_offers_the_group_once(grouped, ex, world, client):
    client.force_login(world.users["operator"])
    body = client.get(reverse("exchange:index")).content.decode()
    assert body.count("domain=layanan-dan-data&amp;prefill=1") == 1
    assert "domain=layanan&amp;" not in body and "domain=data&amp;" not in body
    assert "domain=proses-bisnis&amp;prefill=1" in body
    assert "Layanan dan Data" in body and "Layanan, Data dan Informasi" in body


def test_the_upload_page_of_a_group_leads_back_to_a_kind_list(grouped, ex, world, client):
    client.force_login(world.users["operator"])
    body = client.get(reverse("exchange:upload") + "?domain=layanan-dan-data").content.decode()
    assert reverse("architecture:service_list") in body
    body = client.get(reverse("exchange:upload") + "?domain=data").content.decode()
    assert reverse("architecture:dataitem_list") in body
