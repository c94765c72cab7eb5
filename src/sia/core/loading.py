"""Rows read from the database made into model instances without ``Model.__init__``'s generic walk.

Django's ``Model.from_db`` calls ``cls(*values)``: ``__init__`` sends ``pre_init``, makes the state, then sets each
concrete field's attribute through ``setattr`` in a loop written for every way a model can be called, and sends
``post_init``. A page of 50 objects with their OPD, instansi and reference joined makes about 250 instances, each
7-10 us that way. ``from_db`` here gives the same instance in 3-5 us, its ``__dict__`` (state first, then each
concrete field's attribute in order) filled at once: about 1 ms of a list page.

It does so only where that is exactly what ``__init__`` would do, and hands the row to Django otherwise:
- the model keeps Django's ``__init__`` and nothing listens to its ``pre_init`` or ``post_init`` (an ``ImageField``
  listens, for its dimensions);
- every concrete field's attribute is stored as it is: no descriptor on the class with a ``__set__`` that does more
  than store the value in the instance's ``__dict__`` (a foreign key's ID and a file field store it; an image field's
  descriptor also updates its dimensions: not taken);
A ``defer()``/``only()`` row (a list's joined OPD, instansi and reference without their timestamps and long texts,
``architecture.views.lean``) gets the attributes of the fields it has, in the model's order, and none for the
others, which stay deferred: what ``__init__`` does with Django's ``DEFERRED`` values.
tests/core/test_loading.py compares the two for every model of SIA, whole rows and deferred ones.
"""

from __future__ import annotations

import functools
import inspect

from django.db import models
from django.db.models.base import ModelState
from django.db.models.fields.files import FileDescriptor
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.signals import post_init, pre_init
from django.dispatch.dispatcher import NO_RECEIVERS

# Descriptors whose ``__set__`` on a new instance only stores the value in its ``__dict__`` (checked by type, not
# subclass: ``ImageFileDescriptor`` is a ``FileDescriptor`` that does more).
STORING_DESCRIPTORS = (FileDescriptor, ForeignKeyDeferredAttribute)


@functools.cache
def attribute_names(model) -> tuple[str, ...] | None:
    """The attribute of each concrete field of ``model`` in the order of a row, or None when ``__init__`` must make
    its instances."""
    if model.__init__ is not models.Model.__init__:
        return None
    names = []
    for field in model._meta.concrete_fields:
        descriptor = inspect.getattr_static(model, field.attname, None)
        if hasattr(type(descriptor), "__set__") and type(descriptor) not in STORING_DESCRIPTORS:
            return None
        names.append(field.attname)
    return tuple(names)


def _silent(signal, model) -> bool:
    """Nothing listens to ``signal`` for ``model``. First the shortcut of Django's own ``Signal.send`` (no receiver
    at all, or its cache knows the sender has none: a dictionary lookup), then ``has_listeners`` (about 1 us, twice
    per instance)."""
    return (not signal.receivers or signal.sender_receivers_cache.get(model) is NO_RECEIVERS
            or not signal.has_listeners(model))


_PRESENT: dict = {}


def _present(model, names: tuple, field_names) -> tuple | None:
    """The attributes of a deferred row's fields in the model's order (Django reads its values in that order and
    ``field_names`` only for which fields it has), or None when the row names anything else."""
    key = (model, tuple(field_names))
    found = _PRESENT.get(key)
    if found is None:
        wanted = set(field_names)
        found = tuple(name for name in names if name in wanted)
        found = _PRESENT[key] = found if len(found) == len(wanted) else ()
    return found or None


def from_db(model, db, field_names, values):
    """``Model.from_db(db, field_names, values)`` for ``model``: the instance, made at once where it may be."""
    names = attribute_names(model)
    if names is not None and len(values) != len(names):
        names = _present(model, names, field_names)
        if names is not None and len(names) != len(values):
            names = None
    if names is None or not _silent(pre_init, model) or not _silent(post_init, model):
        return models.Model.from_db.__func__(model, db, field_names, values)
    instance = model.__new__(model)
    state = ModelState()
    state.adding = False
    state.db = db
    attributes = instance.__dict__
    attributes["_state"] = state
    attributes.update(zip(names, values))
    return instance
