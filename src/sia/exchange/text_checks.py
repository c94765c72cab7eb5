"""The text fields of a row that ``Model.clean_fields`` would pass unchanged, found without running it field by field.

For a plain ``CharField`` or ``TextField`` (exactly those classes, whose validators are only ``MaxLengthValidator``)
holding a ``str``, ``Field.clean`` returns the value as it is and refuses it only when it is empty in a field that
may not be blank, is not one of the field's choices, or is longer than its maximum length. ``proven_valid`` checks
those three conditions with what ``text_checks`` computed once per kind; when every such field of the row passes, the
import leaves them out of ``full_clean``'s field pass (``full_clean`` still runs, with the model's ``clean()``,
which is the same path forms and the API use). When any of them may fail, nothing is left out and ``full_clean``
writes the error exactly as before: the checks only ever skip work whose result is "no error, value unchanged".
"""

from __future__ import annotations

from functools import lru_cache

from django.core.validators import MaxLengthValidator
from django.db import models

_PLAIN = (models.CharField, models.TextField)


@lru_cache(maxsize=None)
def text_checks(model) -> tuple:
    """((name, attname, blank, editable, choice keys or None, maximum length or None), ...) of ``model``'s plain text
    fields; empty when the model validates its fields its own way (its own ``clean_fields`` or ``full_clean``)."""
    if model.clean_fields is not models.Model.clean_fields or model.full_clean is not models.Model.full_clean:
        return ()
    checks = []
    for field in model._meta.fields:
        if type(field) not in _PLAIN or field.generated:
            continue
        limits = [v.limit_value for v in field.validators if type(v) is MaxLengthValidator]
        if len(limits) != len(field.validators) or not all(type(limit) is int for limit in limits):
            continue  # another validator, or a computed limit: left to Field.clean
        keys = None
        if field.choices is not None:
            keys = frozenset(key for key, _label in field.flatchoices)
            if not all(type(key) is str for key in keys):
                continue
        checks.append((field.name, field.attname, field.blank, field.editable, keys, min(limits) if limits else None))
    return tuple(checks)


def proven_valid(obj, exclude) -> list[str]:
    """The names of ``obj``'s plain text fields not in ``exclude`` when ``Field.clean`` would accept every one of them
    and return its value unchanged; [] as soon as one might not (then ``full_clean`` checks them all, as before)."""
    checks = text_checks(type(obj))
    values = obj.__dict__
    names = []
    for name, attname, blank, editable, keys, limit in checks:
        if name in exclude:
            continue
        value = values.get(attname)
        if type(value) is not str and not _plain_str(type(value)):
            return []  # not loaded, None, or another type: Field.clean decides (it may convert)
        if value == "":
            if not blank:
                return []
        elif (editable and keys is not None and value not in keys) or (limit is not None and len(value) > limit):
            return []
        names.append(name)
    return names


@lru_cache(maxsize=None)
def _plain_str(cls) -> bool:
    """A subclass of ``str`` that compares, hashes and measures as ``str`` (a ``TextChoices`` member): ``Field.clean``
    keeps it as it is (``CharField.to_python``) and judges it as its text."""
    return issubclass(cls, str) and all(getattr(cls, name) is getattr(str, name) for name in ("__eq__", "__hash__", "__len__"))
