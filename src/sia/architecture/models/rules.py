"""Domain rules the kinds of infrastruktur and keamanan share (plain functions their ``clean_domain`` calls)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

YEAR_VALIDATORS = [MinValueValidator(1970), MaxValueValidator(2100)]


def negative_problems(obj, names) -> dict:
    """{field: message} for each of ``names`` holding a negative number (a capacity, a count)."""
    errors = {}
    for name in names:
        value = getattr(obj, name)
        if value is not None and value < 0:
            label = capfirst(obj._meta.get_field(name).verbose_name)
            errors[name] = _("%(field)s tidak boleh negatif.") % {"field": label}
    return errors


def order_problem(obj, start: str, end: str) -> dict:
    """{end: message} when the date ``end`` lies before the date ``start``."""
    first, last = getattr(obj, start), getattr(obj, end)
    if first and last and last < first:
        return {end: _("%(end)s tidak boleh sebelum %(start)s.") % {
            "end": capfirst(obj._meta.get_field(end).verbose_name), "start": obj._meta.get_field(start).verbose_name}}
    return {}


def value_item_problems(obj) -> dict:
    """{field: message} for each value-list item (ForeignKey) of another instansi."""
    errors = {}
    for field in obj._meta.concrete_fields:
        if field.many_to_one and field.related_model._meta.label == "architecture.ValueListItem":
            item = getattr(obj, field.name) if getattr(obj, field.attname) is not None else None
            if item is not None and obj.institution_id and item.institution_id != obj.institution_id:
                errors[field.name] = _("Nilai pilihan ini milik instansi lain.")
    return errors
