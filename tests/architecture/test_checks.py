"""The system check of domain declarations: each bad declaration has its own ID and names model and field."""

import dataclasses

import pytest
from django.contrib.auth import get_user_model
from django.core import checks
from django.core.management import call_command
from django.db import models
from django.db.models import Q
from django.test.utils import isolate_apps

from sia.architecture.checks import (
    kind_group_problems, limited_kinds, spec_problems, unique_name_problems, value_list_problems,
)
from sia.architecture.kindgroups import KindGroup
from sia.architecture.models import ArchitectureObject, BusinessProcess, DataItem, DomainSpec, Service, ValueListItem
from sia.architecture.valuelists import declared_value_lists
from sia.architecture.registry import domain_models
from sia.exchange.checks import sheet_problems


def ids(problems):
    return sorted(problem.id for problem in problems)


def with_spec(model, **changes):
    """A stand-in for ``model`` with a changed declaration (the real model stays as it is)."""
    return type("Declared", (), {"spec": dataclasses.replace(model.spec, **changes), "_meta": model._meta,
                                 "COMMON_FORM_FIELDS": model.COMMON_FORM_FIELDS})


def test_real_domains_pass():
    for model in domain_models():
        assert spec_problems(model) == [] and sheet_problems(model) == [], model
    assert [m for m in checks.run_checks() if m.id.startswith("sia.")] == []
    call_command("check")  # raises SystemCheckError on any error


@pytest.mark.parametrize("attribute", ["form_fields", "list_columns", "filter_fields", "completeness_fields"])
def test_unknown_field_names_model_list_and_field(attribute):
    [problem] = spec_problems(with_spec(Service, **{attribute: ("purpose", "purpse")}))
    assert problem.id == "sia.E101"
    assert "architecture.Service" in problem.msg and attribute in problem.msg and "“purpse”" in problem.msg


def test_many_to_many_and_links_without_code_in_filters():
    problems = spec_problems(with_spec(Service, filter_fields=("processes", "executing_unit", "category")))
    assert ids(problems) == ["sia.E102", "sia.E103"]
    assert "“processes”" in problems[0].msg and "organizations.WorkUnit" in problems[1].msg
    assert spec_problems(with_spec(DataItem, filter_fields=("producer_department", "nature", "interoperable"))) == []


def test_common_field_listed_as_a_domain_field():
    [problem] = spec_problems(with_spec(BusinessProcess, form_fields=("status", "functions")))
    assert problem.id == "sia.E105" and "“status”" in problem.msg


@pytest.mark.parametrize("catalog", ["RAX", "rab", ""])
def test_unknown_catalog(catalog):
    assert ids(spec_problems(with_spec(BusinessProcess, catalog=catalog))) == ["sia.E106"]
    bad_field = with_spec(Service, reference_fields=(("government_affair", catalog, 2, 2),))
    assert ids(spec_problems(bad_field)) == ["sia.E106"]


@pytest.mark.parametrize("levels", [(0, None), (4, 3), (3, 8), (8, None)])
def test_reference_levels_outside_the_catalog(levels):
    [problem] = spec_problems(with_spec(BusinessProcess, reference_levels=levels))
    assert problem.id == "sia.E107" and "“reference”" in problem.msg and "RAB" in problem.msg


def test_reference_field_that_is_not_a_reference():
    problems = spec_problems(with_spec(Service, reference_fields=(("executing_unit", "RAB", 2, 2), ("nope", "RAB", 2, 2))))
    assert ids(problems) == ["sia.E101", "sia.E108"]


@isolate_apps("sia.architecture")
def test_a_bad_domain_model_fails_every_check():
    # A domain declared as the trial declared it (never registered with the real app registry).
    class Gadget(ArchitectureObject):
        __module__ = "sia.architecture.models"  # its audit-trail model needs an installed app
        spec = DomainSpec(
            slug="gawai", api_name="gadgets", code_prefix="GW", catalog="RAA", order=99,
            form_fields=("owner", "year", "processes", "status"),
            filter_fields=("processes", "notes"), completeness_fields=("year", "started", "notes", "owner"),
        )
        owner = models.ForeignKey(get_user_model(), on_delete=models.PROTECT, null=True, related_name="+")
        year = models.PositiveSmallIntegerField(default=2025)
        started = models.DateField(auto_now_add=True)
        notes = models.JSONField(default=dict)
        processes = models.ManyToManyField(BusinessProcess, related_name="+")
        status = models.CharField(max_length=20, default="planned")  # not the review status
        url = models.URLField(blank=True)  # the trial's Aplikasi had it: the API's own "url" hid it

        class Meta:
            app_label = "architecture"
            managed = False

    problems = spec_problems(Gadget)
    by_id = {}
    for problem in problems:
        by_id.setdefault(problem.id, []).append(problem.msg)
    assert sorted(by_id) == ["sia.E102", "sia.E103", "sia.E104", "sia.E105", "sia.E110", "sia.E113"], problems
    assert by_id["sia.E110"] == ["architecture.Gadget.processes links to architecture.BusinessProcess but is not "
                                 "declared in the DomainSpec's links."]
    assert len(by_id["sia.E113"]) == 1  # no ArchiMate element type declared
    assert any("“year”" in m for m in by_id["sia.E104"]) and any("“started”" in m for m in by_id["sia.E104"])
    assert any("“notes”" in m for m in by_id["sia.E104"])  # a JSON object is never ""
    assert not any("“owner”" in m for m in by_id["sia.E104"])  # a null link counts as empty
    assert any("architecture.Gadget.status redefines" in m for m in by_id["sia.E105"])
    assert any("form_fields names the common field “status”" in m for m in by_id["sia.E105"])
    assert any("architecture.Gadget.url is named like the “url” every API object carries" in m for m in by_id["sia.E105"])
    assert any("“notes” (JSONField)" in m for m in by_id["sia.E103"])
    [excel] = sheet_problems(Gadget)
    assert excel.id == "sia.E109" and "“owner”" in excel.msg and get_user_model()._meta.label in excel.msg
    assert all(problem.obj is Gadget and problem.level == checks.ERROR for problem in problems + [excel])


def test_kinds_need_their_own_slug_api_name_and_prefix():
    assert unique_name_problems(domain_models()) == []
    twin = with_spec(DataItem, slug="layanan", api_name="services")
    problems = unique_name_problems([BusinessProcess, Service, twin, with_spec(DataItem, code_prefix="PB")])
    assert ids(problems) == ["sia.E114"] * 3
    assert "slug “layanan” is already declared by architecture.Service" in problems[0].msg
    assert "api_name “services”" in problems[1].msg and "code_prefix “PB”" in problems[2].msg


# --- kind groups ------------------------------------------------------------------------------------------

def grouped(model, group, **changes):
    return with_spec(model, group=group, **changes)


def test_real_kind_groups_pass():
    assert kind_group_problems(domain_models()) == []


def test_kinds_of_a_group_share_one_catalog():
    group = KindGroup("layanan-data", "Layanan dan Data")
    service, data = grouped(Service, group), grouped(DataItem, group)
    [problem] = kind_group_problems([BusinessProcess, service, data])
    assert problem.id == "sia.E131" and "“layanan-data”" in problem.msg
    assert "architecture.Service RAL" in problem.msg and "architecture.DataItem RAD" in problem.msg
    assert kind_group_problems([BusinessProcess, service, grouped(DataItem, group, catalog="RAL")]) == []


def test_group_slug_taken_by_a_domain_outside_the_group():
    group = KindGroup("layanan", "Layanan dan Data")  # Service's own slug, and Service is not a kind of it
    problems = kind_group_problems([Service, grouped(BusinessProcess, group), grouped(DataItem, group, catalog="RAB")])
    assert ids(problems) == ["sia.E130"]
    assert "architecture.Service" in problems[0].msg and "“layanan”" in problems[0].msg
    # A group may take the slug of one of its own kinds.
    assert kind_group_problems([grouped(Service, group), grouped(DataItem, group, catalog="RAL")]) == []


def test_group_without_label_and_declared_twice():
    assert ids(kind_group_problems([grouped(Service, KindGroup("keamanan", " "))])) == ["sia.E132"]
    first, second = KindGroup("keamanan", "Keamanan"), KindGroup("keamanan", "Keamanan SPBE", order=70)
    problems = kind_group_problems([grouped(Service, first), grouped(DataItem, second, catalog="RAL")])
    assert ids(problems) == ["sia.E133"] and "architecture.DataItem" in problems[0].msg


def test_check_framework_reports_kind_group_problems(monkeypatch):
    group = KindGroup("layanan-data", "")
    for model in (Service, DataItem):
        monkeypatch.setattr(model, "spec", dataclasses.replace(model.spec, group=group))
    found = ids(m for m in checks.run_checks() if m.id in ("sia.E130", "sia.E131", "sia.E132", "sia.E133"))
    assert found == ["sia.E131", "sia.E132"]


# --- value-list fields: limit_choices_to as a dict or a Q ----------------------------------------------

@pytest.mark.parametrize("limit, kinds, undeclared", [
    ({"kind": "sifat-data", "is_active": True}, ["sifat-data"], []),
    (Q(kind="sifat-data", is_active=True), ["sifat-data"], []),
    (Q(kind="sifat-data") & Q(is_active=True), ["sifat-data"], []),
    (Q(kind__in=["sifat-data", "jenis-data"]), ["sifat-data", "jenis-data"], []),
    (Q(kind="warna"), ["warna"], ["warna"]),
    (Q(is_active=True) & Q(kind="warna"), ["warna"], ["warna"]),
    (Q(kind="sifat-data") | Q(kind="warna"), ["sifat-data", "warna"], ["warna"]),
    (~Q(kind="sifat-data"), [], [None]),
    (Q(is_active=True), [], [None]),
])
def test_value_list_field_limited_by_a_q_object(limit, kinds, undeclared):
    assert limited_kinds(limit) == kinds
    with isolate_apps("sia.architecture"):
        class Gadget(ArchitectureObject):
            __module__ = "sia.architecture.models"
            spec = DomainSpec(slug="gawai", api_name="gadgets", code_prefix="GW", catalog="RAA", order=99)
            colour = models.ForeignKey(ValueListItem, on_delete=models.PROTECT, null=True, related_name="+",
                                       limit_choices_to=limit)

            class Meta:
                app_label = "architecture"
                managed = False

        problems = value_list_problems(Gadget, declared_value_lists())
    assert ids(problems) == ["sia.E120"] * len(undeclared)
    for problem, kind in zip(problems, undeclared):
        assert "Gadget.colour" in problem.msg and f"“{kind}”" in problem.msg
