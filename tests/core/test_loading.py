"""``sia.core.loading``: every SIA model's instance made from a row is the instance Django's ``from_db`` makes (same
attributes in the same order, same state), and Django makes it where ``__init__`` would do more than store values."""

import pytest
from django.apps import apps
from django.db import models
from django.db.models.signals import post_init

from sia.core import loading
from sia.core.models import BaseModel
from sia.organizations.models import Department

SIA_MODELS = [m for m in apps.get_models() if issubclass(m, BaseModel)]


def django_from_db(model, db, names, values):
    return models.Model.from_db.__func__(model, db, names, values)


def comparable(instance) -> tuple:
    attributes = dict(instance.__dict__)
    state = attributes.pop("_state")
    return type(instance), list(attributes), [id(v) for v in attributes.values()], state.adding, state.db, \
        dict(state.fields_cache)


def test_every_sia_model_is_loaded_here_as_django_loads_it():
    assert len(SIA_MODELS) > 60
    fast = [m for m in SIA_MODELS if loading.attribute_names(m) is not None]
    assert len(fast) > 60, "nearly every model is loaded without __init__"
    for model in SIA_MODELS:
        names = [f.attname for f in model._meta.concrete_fields]
        values = [object() for _ in names]
        ours, theirs = loading.from_db(model, "default", names, values), django_from_db(model, "default", names, values)
        assert comparable(ours) == comparable(theirs), model
        assert ours.get_deferred_fields() == set()
        assert type(model.from_db("default", names, values)) is model  # a model's own from_db builds on this one


def test_a_deferred_row_of_every_sia_model_is_loaded_here_as_django_loads_it(monkeypatch):
    """A ``defer()``/``only()`` row: the fields it has, in the model's order, the others deferred; made here,
    without ``__init__``, for every model whose whole rows are."""
    made_by_init = []
    init = models.Model.__init__
    for model in SIA_MODELS:
        loading.attribute_names(model)  # decided before __init__ is watched below

    def watched(self, *args, **kwargs):
        made_by_init.append(type(self))
        init(self, *args, **kwargs)

    monkeypatch.setattr(models.Model, "__init__", watched)
    for model in SIA_MODELS:
        fields = [f.attname for f in model._meta.concrete_fields]
        if len(fields) < 3:
            continue
        names = [name for i, name in enumerate(fields) if i % 2 == 0 or name == model._meta.pk.attname]
        values = [object() for _ in names]
        ours, theirs = loading.from_db(model, "default", names, values), django_from_db(model, "default", names, values)
        assert comparable(ours) == comparable(theirs), model
        assert ours.get_deferred_fields() == theirs.get_deferred_fields() == set(fields) - set(names), model
        made_by_init.remove(model)  # Django's, just above
        assert made_by_init == [] or loading.attribute_names(model) is None, model
        made_by_init.clear()


def test_a_row_naming_a_field_the_model_does_not_have_is_left_to_django():
    names = ["id", "name", "not_a_field"]
    assert loading._present(Department, loading.attribute_names(Department), names) is None


def test_a_row_without_every_field_is_loaded_with_the_rest_deferred():
    names = ["id", "name"]
    instance = Department.from_db("default", names, [7, "Dinas"])
    assert (instance.pk, instance.name) == (7, "Dinas")
    assert "duties" in instance.get_deferred_fields() and not instance._state.adding


def test_a_listener_of_post_init_gets_every_instance():
    seen = []

    def listen(sender, instance, **kwargs):
        seen.append(instance)

    post_init.connect(listen, sender=Department)
    try:
        names = [f.attname for f in Department._meta.concrete_fields]
        instance = Department.from_db("default", names, [None] * len(names))
    finally:
        post_init.disconnect(listen, sender=Department)
    assert seen == [instance]


def test_a_descriptor_that_does_more_than_store_makes_django_load_the_model(monkeypatch):
    class Shouting:
        def __get__(self, instance, owner=None):
            return self if instance is None else instance.__dict__["name"]

        def __set__(self, instance, value):
            instance.__dict__["name"] = value.upper()

    monkeypatch.setattr(Department, "name", Shouting())
    loading.attribute_names.cache_clear()
    try:
        assert loading.attribute_names(Department) is None
        names = [f.attname for f in Department._meta.concrete_fields]
        values = ["dinas" if name == "name" else None for name in names]
        assert Department.from_db("default", names, values).name == "DINAS"
    finally:
        monkeypatch.undo()
        loading.attribute_names.cache_clear()
    assert loading.attribute_names(Department) is not None


@pytest.mark.django_db
def test_loaded_rows_read_save_and_join_as_before(world):
    from sia.architecture.models import BusinessProcess

    obj = BusinessProcess.objects.create(department=world.kominfo, name="Pelayanan izin")
    loaded = BusinessProcess.objects.select_related("department__institution").get(pk=obj.pk)
    assert type(loaded.__dict__["_state"]).__name__ == "ModelState" and not loaded._state.adding
    assert loaded.department.institution == world.inst and loaded.code == obj.code
    loaded.name = "Pelayanan izin terpadu"
    loaded.save()
    assert BusinessProcess.objects.get(pk=obj.pk).name == "Pelayanan izin terpadu"
    assert BusinessProcess.objects.count() == 1
