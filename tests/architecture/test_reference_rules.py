"""Reference rules come from the domain declaration and the catalog's data, not from RAB's shape."""

import dataclasses
import re

import pytest
from django.core.exceptions import ValidationError

from sia.architecture import workflow
from sia.architecture.choices import ReviewStatus
from sia.architecture.models import BusinessProcess, DataItem, Service
from sia.architecture.models.base import reference_problem
from sia.architecture.registry import domain_models
from sia.reference.models import ReferenceNode
from sia.reference.widgets import ReferenceNodeField

from .conftest import node

pytestmark = pytest.mark.django_db


def declare(monkeypatch, model, **changes):
    """Gives ``model`` a changed declaration for one test (as a new domain would declare it)."""
    monkeypatch.setattr(model, "spec", dataclasses.replace(model.spec, **changes))


def test_existing_domains_keep_level_three_and_a_required_reference():
    for model in (BusinessProcess, Service, DataItem):
        assert model.spec.reference_levels == (3, None)
        assert model.spec.reference_required_to_submit
        assert model.spec.pickers()[0] == ("reference", model.spec.catalog, 3, None)
    assert set(domain_models()) >= {BusinessProcess, Service, DataItem}


def test_shallow_catalog_allows_submission_at_its_deepest_level(arch, world, monkeypatch):
    # A domain mapped to RAA at level 3: RAA is public only to level 2, so its level-2 areas count.
    declare(monkeypatch, BusinessProcess, catalog="RAA")
    arch.process.reference = node("RAA.01.01")
    arch.process.full_clean()
    arch.process.save()
    assert workflow.submit_problems(arch.process) == []
    workflow.apply(arch.process, workflow.A.SUBMIT, world.users["operator"])
    assert arch.process.status == ReviewStatus.SUBMITTED
    # A level with national nodes below it is still too general; the message uses RAA's level names.
    arch.process.reference = node("RAA.01")
    with pytest.raises(ValidationError) as error:
        arch.process.full_clean()
    message = error.value.message_dict["reference"][0]
    assert "RAA tingkat 3 (Sub-kelompok)" in message and "tingkat 1 (Jenis aplikasi)" in message


def test_instansi_area_under_a_shallow_catalog_is_a_valid_reference(arch, world, monkeypatch):
    declare(monkeypatch, BusinessProcess, catalog="RAA")
    parent = node("RAA.01.01")
    own = ReferenceNode(version=parent.version, parent=parent, institution=world.inst, code="RAA.01.01.01", name="Perizinan")
    own.full_clean()
    own.save()
    arch.process.reference = own
    arch.process.full_clean()


def test_declared_levels_bound_the_reference(arch, world, monkeypatch):
    declare(monkeypatch, BusinessProcess, reference_levels=(2, 2))
    arch.process.reference = node("RAB.09.03")
    arch.process.full_clean()
    arch.process.reference = node("RAB.09.03.04")
    with pytest.raises(ValidationError) as error:
        arch.process.full_clean()
    assert error.value.message_dict["reference"] == [
        "Pilih simpul RAB tingkat 2 (Urusan pemerintahan), bukan tingkat 3 (Sub-urusan)."
    ]


def test_reference_may_be_optional_to_submit(arch, world, monkeypatch):
    arch.process.reference = None
    arch.process.save()
    assert workflow.submit_problems(arch.process) == ["Referensi arsitektur belum dipilih."]
    declare(monkeypatch, BusinessProcess, reference_required_to_submit=False)
    assert workflow.submit_problems(arch.process) == []
    workflow.apply(arch.process, workflow.A.SUBMIT, world.users["operator"])
    assert arch.process.status == ReviewStatus.SUBMITTED


def test_other_reference_fields_follow_the_same_rule(arch):
    arch.service.government_affair = node("RAB.09.03.04")
    with pytest.raises(ValidationError) as error:
        arch.service.full_clean()
    assert "tingkat 2 (Urusan pemerintahan)" in error.value.message_dict["government_affair"][0]
    arch.service.government_affair = node("RAB.09.03")
    arch.service.full_clean()


def test_catalog_gaps_count_as_the_deepest_level(arch, world):
    # RAL publishes some level-2 areas without level-3 children: they can be picked for a layanan.
    leaf = ReferenceNode.objects.current().national().of_catalog("RAL").filter(level=2, children__isnull=True).first()
    assert leaf is not None
    assert reference_problem(leaf, "RAL", 3, None, world.inst.pk) is None
    parent = ReferenceNode.objects.current().national().of_catalog("RAL").filter(level=2, children__isnull=False).first()
    assert "tingkat 3" in reference_problem(parent, "RAL", 3, None, world.inst.pk)


def test_picker_offers_the_deepest_national_nodes_of_a_shallow_catalog(arch):
    offered = ReferenceNodeField(catalog="RAA", min_level=3).queryset.national()
    assert sorted(offered.values_list("code", flat=True)) == ["RAA.01.01", "RAA.01.02", "RAA.02.01", "RAA.02.02"]
    assert not ReferenceNodeField(catalog="RAB", min_level=3).queryset.filter(level__lt=3).exists()


def test_picker_endpoint_and_workbook_list_offer_the_deepest_national_nodes(arch, world, client):
    from sia.exchange.kinds import ReferenceColumn
    from sia.exchange.workbook import _Lists

    client.force_login(world.users["operator"])
    body = client.get("/referensi/pilih/", {"q": "aplikasi umum", "catalog": "RAA", "min_level": 3}).content.decode()
    assert re.findall(r"<code>([^<]+)</code>", body) == ["RAA.01.01", "RAA.01.02"]  # not RAA.01 Aplikasi Umum itself
    column = ReferenceColumn(name="reference", label="Referensi", required=False,
                             field=BusinessProcess._meta.get_field("reference"), help="", catalog="RAA", min_level=3)
    listed = _Lists(world.users["operator"], world.inst).for_column(BusinessProcess, column)
    assert [label.split(" ")[0] for label in listed] == ["RAA.01.01", "RAA.01.02", "RAA.02.01", "RAA.02.02"]


def test_reference_rule_asks_the_database_nothing_per_object(arch, world, django_assert_num_queries):
    # Validating N objects must not cost N queries: whether a shallow node is the deepest national one is
    # stored on the node (is_national_leaf), so the rule reads the node it was given and nothing else.
    nodes = list(ReferenceNode.objects.current().of_catalog("RAA").select_related("version__catalog"))
    own = ReferenceNode(version=nodes[0].version, parent=node("RAA.02.01"), institution=world.inst,
                        code="RAA.02.01.01", name="Sistem Kepegawaian")
    own.full_clean()
    own.save()
    nodes.append(own)
    with django_assert_num_queries(0):
        answers = {n.code: reference_problem(n, "RAA", 3, None, world.inst.pk) for n in nodes}
    assert [code for code, problem in answers.items() if problem is None] == [
        "RAA.01.01", "RAA.01.02", "RAA.02.01", "RAA.02.02", "RAA.02.01.01"]
    assert "tingkat 1 (Jenis aplikasi)" in answers["RAA.01"]

