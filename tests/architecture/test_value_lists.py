"""Value lists come from the domains' declarations (DomainSpec.value_lists): the seeding of a new instansi,
the data migration that gives existing instansi a newly declared list, the kinds the admin pages and the
API accept, and the system check of value-list fields."""

import dataclasses
import importlib

import pytest
from django.apps import apps
from django.db import models
from django.test.utils import isolate_apps
from django.urls import reverse

from sia.architecture.checks import check_value_lists, value_list_problems
from sia.architecture.choices import ValueListKind
from sia.architecture.models import ArchitectureObject, DomainSpec, Service, ValueListItem
from sia.architecture.registry import domain_models
from sia.architecture.valuelists import ValueList, declared_value_lists, kind_choices, seed_every_institution
from sia.architecture.values import seed_value_lists

from .. import factories as f

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("sia.architecture.migrations.0004_declared_value_lists")
CHANNEL = ValueList("kanal-pengaduan", "Kanal pengaduan", suggested=("SP4N-LAPOR!", "Surel", "Loket"))


@pytest.fixture
def channel_declared(monkeypatch):
    """Layanan declares one more list, as a domain that gains a value-list field would."""
    monkeypatch.setattr(Service, "spec", dataclasses.replace(Service.spec, value_lists=(*Service.spec.value_lists, CHANNEL)))


def names(institution, kind):
    return list(ValueListItem.objects.filter(institution=institution, kind=kind).values_list("name", flat=True))


def test_every_value_list_field_picks_a_declared_list():
    declared = declared_value_lists()
    assert set(declared) == {value_list.kind for model in domain_models() for value_list in model.spec.value_lists}
    assert set(declared) >= {ValueListKind.SERVICE_TARGET, ValueListKind.SERVICE_METHOD, ValueListKind.DATA_NATURE,
                             ValueListKind.DATA_KIND, ValueListKind.DATA_VALIDITY, ValueListKind.APP_LICENSE}
    assert [kind for kind, _label in kind_choices()] == list(declared)
    assert str(dict(kind_choices())[ValueListKind.DATA_NATURE]) == "Sifat data"
    for model in domain_models():
        assert value_list_problems(model, declared) == []
    assert check_value_lists() == []


def test_a_new_instansi_gets_the_declared_lists_in_order():
    inst = f.institution(name="Kabupaten Baru", code="8201", kind="kabupaten")  # seeded by the post_save signal
    for value_list in declared_value_lists().values():
        assert names(inst, value_list.kind) == list(value_list.suggested)
    assert names(inst, ValueListKind.SERVICE_METHOD) == ["Elektronik", "Hybrid", "Tatap muka"]
    assert seed_value_lists(inst) == 0  # nothing twice


def test_declarations_drive_the_seeding(channel_declared):
    inst = f.institution(name="Kabupaten Baru", code="8201", kind="kabupaten")
    assert names(inst, "kanal-pengaduan") == ["SP4N-LAPOR!", "Surel", "Loket"]
    assert ("kanal-pengaduan", "Kanal pengaduan") in kind_choices()


def test_an_existing_instansi_gets_a_newly_declared_list_once(world, monkeypatch):
    seed_value_lists(world.inst)
    edited = ValueListItem.objects.get(institution=world.inst, kind=ValueListKind.DATA_NATURE, name="Tertutup")
    edited.delete()  # an admin removed a suggested value: the seeding leaves an existing list alone
    ValueListItem.objects.create(institution=world.inst, kind=ValueListKind.DATA_NATURE, name="Dikecualikan")
    before = set(ValueListItem.objects.values_list("institution", "kind", "name"))

    suggested = {CHANNEL.kind: CHANNEL.suggested, ValueListKind.DATA_NATURE: ("Terbuka", "Terbatas", "Tertutup")}
    added = seed_every_institution(apps.get_model("organizations", "Institution"), ValueListItem, suggested)

    assert added == 3 * 2  # the new list, for both instansi; nothing else
    for institution in (world.inst, world.other):
        assert names(institution, CHANNEL.kind) == list(CHANNEL.suggested)
    assert sorted(names(world.inst, ValueListKind.DATA_NATURE)) == ["Dikecualikan", "Terbatas", "Terbuka"]
    assert before <= set(ValueListItem.objects.values_list("institution", "kind", "name"))
    assert seed_every_institution(apps.get_model("organizations", "Institution"), ValueListItem, suggested) == 0


def test_the_migration_seeds_an_instansi_without_the_lists_and_is_idempotent(world):
    ValueListItem.objects.filter(institution=world.other).delete()  # an instansi from before the lists
    ValueListItem.objects.filter(institution=world.inst, kind=ValueListKind.DATA_VALIDITY).delete()
    kept = names(world.inst, ValueListKind.SERVICE_TARGET)

    MIGRATION.seed_existing_institutions(apps, None)

    for kind, suggested in MIGRATION.SUGGESTED.items():
        assert names(world.other, kind) == list(suggested)
    assert names(world.inst, ValueListKind.DATA_VALIDITY) == list(MIGRATION.SUGGESTED[ValueListKind.DATA_VALIDITY])
    assert names(world.inst, ValueListKind.SERVICE_TARGET) == kept
    count = ValueListItem.objects.count()
    MIGRATION.seed_existing_institutions(apps, None)
    assert ValueListItem.objects.count() == count


def test_the_migrations_freeze_what_the_domains_declare_today():
    # Each list's suggestions are frozen in the migration that introduced it (0004; 0005 for Aplikasi's).
    frozen = {**MIGRATION.SUGGESTED, **importlib.import_module("sia.architecture.migrations.0005_applications").SUGGESTED,
              **importlib.import_module("sia.architecture.migrations.0006_infrastructure_security").SUGGESTED}
    assert frozen == {kind: vl.suggested for kind, vl in declared_value_lists().items()}


def test_model_validation_takes_declared_kinds_only(world, channel_declared):
    ValueListItem(institution=world.inst, kind="kanal-pengaduan", name="Surat").full_clean()
    with pytest.raises(Exception) as refused:
        ValueListItem(institution=world.inst, kind="warna-favorit", name="Biru").full_clean()
    assert "kind" in refused.value.message_dict


def test_value_list_page_accepts_declared_kinds_only(client, world):
    client.force_login(world.users["admin"])
    url = reverse("architecture:valuelistitem_add")
    form = client.get(url).content.decode()
    assert 'value="sifat-data"' in form and "Validitas data" in form
    data = {"institution": world.inst.pk, "name": "Biru", "order": 1, "is_active": "on"}
    response = client.post(url, {**data, "kind": "warna-favorit"})
    assert response.status_code == 400 and "warna-favorit" in response.content.decode()  # named in the form error
    assert not ValueListItem.objects.filter(name="Biru").exists()
    response = client.post(url, {**data, "kind": ValueListKind.DATA_KIND})
    assert response.status_code == 302
    item = ValueListItem.objects.get(institution=world.inst, kind=ValueListKind.DATA_KIND, name="Biru")
    assert "Jenis data" in client.get(item.get_absolute_url()).content.decode()  # the declared label


def test_django_admin_accepts_declared_kinds_only(client, world, channel_declared):
    client.force_login(world.users["superuser"])
    url = "/admin/architecture/valuelistitem/add/"
    assert 'value="kanal-pengaduan"' in client.get(url).content.decode()
    data = {"institution": world.inst.pk, "name": "Surat", "order": 0, "is_active": "on"}
    assert client.post(url, {**data, "kind": "warna-favorit"}).status_code == 200
    assert not ValueListItem.objects.filter(name="Surat").exists()
    assert client.post(url, {**data, "kind": "kanal-pengaduan"}).status_code == 302
    assert ValueListItem.objects.filter(kind="kanal-pengaduan", name="Surat").exists()
    changelist = client.get("/admin/architecture/valuelistitem/?kind=kanal-pengaduan").content.decode()
    assert "Kanal pengaduan" in changelist and "Surat" in changelist  # the list filter names the declared lists


def test_api_accepts_declared_kinds_only(world, api):
    url = "/api/architecture/value-list-items/"
    data = {"institution": world.inst.code, "name": "Biru"}
    response = api(world.users["admin"]).post(url, {**data, "kind": "warna-favorit"}, format="json")
    assert response.status_code == 400 and "kind" in response.json()
    response = api(world.users["admin"]).post(url, {**data, "kind": ValueListKind.DATA_KIND}, format="json")
    assert response.status_code == 201, response.json()


def test_check_flags_a_field_picking_an_undeclared_list():
    with isolate_apps("sia.architecture"):
        class Gadget(ArchitectureObject):
            __module__ = "sia.architecture.models"
            spec = DomainSpec(slug="gawai", api_name="gadgets", code_prefix="GW", catalog="RAA", order=99,
                              value_lists=(ValueList("x" * 31, "Terlalu panjang"),
                                           ValueList(ValueListKind.DATA_KIND, "Jenis lain")))
            colour = models.ForeignKey(ValueListItem, on_delete=models.PROTECT, null=True,
                                       related_name="+", limit_choices_to={"kind": "warna"})
            free = models.ForeignKey(ValueListItem, on_delete=models.PROTECT, null=True,
                                     related_name="+")
            nature = models.ForeignKey(ValueListItem, on_delete=models.PROTECT, null=True,
                                       related_name="+", limit_choices_to={"kind": ValueListKind.DATA_NATURE})

            class Meta:
                app_label = "architecture"
                managed = False

        problems = value_list_problems(Gadget, declared_value_lists())
    by_id = {}
    for problem in problems:
        by_id.setdefault(problem.id, []).append(problem.msg)
    assert sorted(by_id) == ["sia.E120", "sia.E121", "sia.E122"], problems
    assert len(by_id["sia.E120"]) == 2
    assert any("Gadget.colour" in m and "“warna”" in m for m in by_id["sia.E120"])
    assert any("Gadget.free" in m for m in by_id["sia.E120"])
    assert not any("nature" in m for m in by_id["sia.E120"])
    assert "“jenis-data”" in by_id["sia.E121"][0]
