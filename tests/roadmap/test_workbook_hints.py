"""The Excel page of the Peta Rencana: its breadcrumb leads to the roadmap's overview, and every example of a gap
cell (``<jenis>:<kode>``) in the column's hint, the Petunjuk sheet and the messages names a real kind with the code
prefix that kind's objects get."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from sia.architecture.registry import domain_models
from sia.roadmap.workbook import SHEET_BY_KEY, build_workbook
from sia.roadmap.workbook_import import plan_workbook

from .test_workbook import edit, errors, read, row_of

pytestmark = pytest.mark.django_db
EXAMPLE = re.compile(r"\b([a-z][a-z-]*):([A-Z]{2,})-([A-Z]+)-(\d{3})\b")


def examples(text) -> list:
    return EXAMPLE.findall(str(text))


def assert_real(found):
    assert found
    prefixes = {model.spec.slug: model.spec.code_prefix for model in domain_models()}
    for kind, prefix, _opd, _number in found:
        assert prefixes.get(kind) == prefix, (kind, prefix)


def test_the_breadcrumb_leads_to_the_roadmap_overview(client, world, roadmap):
    client.force_login(world.users["verifier"])
    page = client.get(reverse("roadmap:workbook")).content.decode()
    assert f'<a class="crumb" href="{reverse("roadmap:overview")}">' in page


def test_gap_examples_name_real_kinds_and_code_prefixes(world, roadmap):
    assert_real(examples(SHEET_BY_KEY["kegiatan"].column("gaps").hint))
    guide = read(build_workbook(world.inst, world.users["admin"]))["Petunjuk"]
    assert_real([example for row in guide for cell in row if cell for example in examples(cell)])
    content = build_workbook(world.inst, world.users["admin"])
    row = row_of(content, "Kegiatan", "KG-A")
    plan = plan_workbook(edit(content, "Kegiatan", {(row, "Gap ditutup"): "bukan-jenis"}), user=world.users["admin"],
                         institution=world.inst)
    assert_real(examples(errors(plan)[0][3]))
