"""Links between architecture objects, read in both directions from their declarations
(``DomainSpec.links``, ``sia.architecture.linkspec``): a data item shows the processes it is
“dihasilkan oleh”, a process shows the data it “menghasilkan”. What the reader may see of them is
decided by ``sia.core.permissions.LinkReader``, as for every other representation of a link."""

from __future__ import annotations

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from sia.core.permissions import LinkReader

from .linkspec import link_spec
from .registry import domain_models


def outgoing_links(obj, reader: LinkReader) -> list[tuple]:
    """(label, [objects]) for the object's own many-to-many links; its ForeignKeys are among its fields."""
    model = type(obj)
    result = []
    for field in model._meta.many_to_many:
        targets = getattr(obj, field.name).all()
        if field in model.link_fields():
            targets = targets.select_related("department")
        result.append((outgoing_label(model, field), reader.visible(targets)))
    return result


def incoming_links(obj, reader: LinkReader) -> list[tuple]:
    """(label, [objects]) for links other objects hold to this one (many-to-many and ForeignKey)."""
    result = []
    for model in domain_models():
        for field in model.link_fields() + model.link_fields(many_to_many=False):
            if field.related_model is not type(obj):
                continue
            sources = reader.queryset(model.objects.filter(**{field.name: obj}).select_related("department"))
            result.append((incoming_label(model, field), list(sources)))
    return result


def outgoing_label(model, field) -> str:
    """“Dihasilkan oleh Proses Bisnis”: the declared meaning and the linked domain; else the field's name."""
    link = link_spec(model, field.name)
    if link is None:
        return str(field.verbose_name)
    return f"{capfirst(str(link.meaning))} {field.related_model._meta.verbose_name_plural}"


def incoming_label(model, field) -> str:
    """“Menghasilkan Layanan”: the declared inverse meaning and the holding domain. A domain's link to
    itself through a ForeignKey (a process's parent) is headed by ``child_label`` (“Sub-proses”)."""
    link = link_spec(model, field.name)
    if not field.many_to_many and field.related_model is model and (model.spec.child_label or link is None):
        return child_label(model)
    if link is None:
        return f"{model._meta.verbose_name_plural} ({field.verbose_name})"
    return f"{capfirst(str(link.inverse))} {model._meta.verbose_name_plural}"


def child_label(model) -> str:
    """The heading over the objects whose parent is this one: the spec's ``child_label`` ("Sub-proses"),
    else "<domain> turunan"; never the parent field's own name ("proses induk")."""
    return str(model.spec.child_label or _("%(model)s turunan") % {"model": model._meta.verbose_name_plural})
