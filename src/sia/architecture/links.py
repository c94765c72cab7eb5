"""Links between architecture objects, read in both directions (a process shows its services and
data; a data item shows which processes produce it). What the reader may see of them is decided by
``sia.core.permissions.LinkReader``, as for every other representation of a link."""

from __future__ import annotations

from django.utils.translation import gettext as _

from sia.core.permissions import LinkReader

from .registry import domain_models


def outgoing_links(obj, reader: LinkReader) -> list[tuple]:
    """(label, [objects]) for the object's own many-to-many links."""
    result = []
    for field in type(obj)._meta.many_to_many:
        targets = getattr(obj, field.name).all()
        if field in type(obj).link_fields():
            targets = targets.select_related("department")
        result.append((field.verbose_name, reader.visible(targets)))
    return result


def incoming_links(obj, reader: LinkReader) -> list[tuple]:
    """(label, [objects]) for links other objects hold to this one, and child objects."""
    result = []
    for model in domain_models():
        for field in model.link_fields():
            if field.related_model is not type(obj):
                continue
            sources = reader.queryset(model.objects.filter(**{field.name: obj}).select_related("department"))
            result.append((f"{model._meta.verbose_name_plural} ({field.verbose_name})", list(sources)))
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is type(obj) and model is type(obj):
                children = reader.queryset(model.objects.filter(**{field.name: obj}).select_related("department"))
                result.append((child_label(model), list(children)))
    return result


def child_label(model) -> str:
    """The heading over the objects whose parent is this one: the spec's ``child_label`` ("Sub-proses"),
    else "<domain> turunan"; never the parent field's own name ("proses induk")."""
    return str(model.spec.child_label or _("%(model)s turunan") % {"model": model._meta.verbose_name_plural})
