"""Links between architecture objects, read in both directions from their declarations
(``DomainSpec.links``, ``sia.architecture.linkspec``): a data item shows the processes it is
“dihasilkan oleh”, a process shows the data it “menghasilkan”. A link kept in its own model with
attributes (``LinkSpec.through``: an application's integrations) shows on both ends too, each row with
its arrow and attributes, and the holder's end offers to add one. What the reader may see of them is
decided by ``sia.core.permissions.LinkReader``, as for every other representation of a link."""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS
from django.db.models import IntegerField, Value
from django.urls import NoReverseMatch, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from sia.core import compiled, permissions
from sia.core.api.fields import held_attr
from sia.core.permissions import HIDDEN, LinkReader
from sia.organizations.models import Department

from . import held, kept
from .linkspec import link_spec
from .registry import domain_models


def outgoing_links(obj, reader: LinkReader) -> list[tuple]:
    """(label, [objects]) for the object's own many-to-many links and its links with attributes (kept in
    their own model, ``LinkSpec.through``); its ForeignKeys are among its fields. The objects of every
    many-to-many link to another architecture object come from one query (``linked_rows``)."""
    model = type(obj)
    links = model.link_fields()
    linked = _kept_rows(("outgoing-links", model._meta.label), [field.related_model for field in links], obj.pk,
                        lambda pk: [getattr(model(pk=pk), field.name).all() for field in links])
    # The other many-to-many links (OPDs, value-list items) with SQL compiled once per field (``held.load_held``).
    others = [field for field in model._meta.many_to_many if field not in links and held.keepable(field)]
    held.load_held([obj], others)
    result = []
    for field in model._meta.many_to_many:
        if field in links:
            targets = linked[links.index(field)]
        elif field in others:
            targets = obj.__dict__.pop(held_attr(field.name))
        else:
            targets = getattr(obj, field.name).all()
        result.append((outgoing_label(model, field), reader.visible(targets)))
    for link in model.spec.links:
        if link.through:
            result.append((f"{capfirst(str(link.meaning))} {link.target_model(model)._meta.verbose_name_plural}",
                           attributed_ends(obj, link, reader, outgoing=True)))
    return result


def incoming_links(obj, reader: LinkReader) -> list[tuple]:
    """(label, [objects]) for links other objects hold to this one (many-to-many, ForeignKey and links
    with attributes). The holders of every many-to-many and ForeignKey link come from one query
    (``linked_rows``), each part narrowed to what the reader may see."""
    result, holders = [], []
    for model in domain_models():
        for field in model.link_fields() + model.link_fields(many_to_many=False):
            if field.related_model is not type(obj):
                continue
            holders.append((model, field.name))
            result.append((incoming_label(model, field), len(holders) - 1))
        for link in model.spec.links:
            if link.through and link.target_model(model) is type(obj):
                result.append((f"{capfirst(str(link.inverse))} {model._meta.verbose_name_plural}",
                               attributed_ends(obj, link, reader, outgoing=False)))
    models = [model for model, _name in holders]
    rows = _kept_rows(kept.sql_key("incoming-links", reader.user, models, (type(obj)._meta.label,)), models, obj.pk,
                      lambda pk: [reader.queryset(model.objects.filter(**{name: pk})) for model, name in holders])
    return [(label, rows[items] if isinstance(items, int) else items) for label, items in result]


# An ID no row has: the links' UNION is compiled once per kind (and reader) for it, and run with the object's ID in
# its place (``sia.core.compiled.rows_for``): building and compiling a UNION of up to 17 parts was half the CPU of
# an application's page.
STAND_IN = -(2**62) - 17


def _kept_rows(key, models: list, pk, build) -> list[list]:
    """``linked_rows`` of the parts ``build(pk)`` makes (querysets of ``models``, in order), their SQL kept under
    ``key`` (None: built now) for every object of the kind."""
    if not models:
        return []
    rows = compiled.rows_for(key, lambda value: _union(build(value)), pk, STAND_IN)
    return _objects(models, rows)


# What a linked object shows on the page of the object at the other end (its code and name, status and OPD), and
# what ``LinkReader`` decides from (instansi, OPD, status).
LINKED_COLUMNS = ("id", "institution_id", "department_id", "code", "name", "status")


def linked_rows(parts: list) -> list[list]:
    """The rows of each query of ``parts`` (querysets of architecture objects) read with one UNION query, each
    in the models' order (code): the objects with their OPD (its name) loaded, the fields a link does not show
    deferred. The part's number is selected last: a UNION's rows come in the order of the SQL (fields, then
    annotations), not in the order asked."""
    if not parts:
        return []
    return _objects([part.model for part in parts], list(_union(parts)))


def _union(parts: list):
    selects = [part.order_by().annotate(link_part=Value(i, output_field=IntegerField()))
               .values(*LINKED_COLUMNS, "department__name", "link_part") for i, part in enumerate(parts)]
    union = selects[0].union(*selects[1:], all=True) if len(selects) > 1 else selects[0]
    return union.order_by("link_part", "code", "id")


def _objects(models: list, rows: list[dict]) -> list[list]:
    """The rows of ``_union`` as objects of their part's model, with their OPD (its name) loaded, per part."""
    found: list[list] = [[] for _ in models]
    for named in rows:
        i = named["link_part"]
        model = models[i]
        names = [f.attname for f in model._meta.concrete_fields if f.attname in named]  # from_db's order
        row = model.from_db(DEFAULT_DB_ALIAS, names, [named[name] for name in names])
        department = Department.from_db(DEFAULT_DB_ALIAS, ("id", "name"), (row.department_id, named["department__name"]))
        model._meta.get_field("department").set_cached_value(row, department)
        found[i].append(row)
    return found


class LinkItems(list):
    """The objects of one link section, with the page that adds one more (when the reader may)."""

    add_url: str | None = None
    add_label: str = ""


class AttributedEnd:
    """One row of a link with attributes as seen from one end: the object at the other end, the arrow
    (→, ←, ↔) and the attributes (“Melalui SPLP · data pegawai”); links to the row's own page."""

    def __init__(self, row, link, other, shown: bool, outgoing: bool):
        self.row, self.other, self.shown = row, other, shown
        two_way = getattr(row, "two_way", False)
        self.arrow = "↔" if two_way else ("→" if outgoing else "←")
        self.status = other.status if shown else ""
        self.details = [display(row, name) for name in link.attributes if name != "direction" and getattr(row, name, "")]

    def get_absolute_url(self):
        return self.row.get_absolute_url()

    def get_status_display(self):
        return self.other.get_status_display() if self.shown else ""

    def __str__(self):
        other = str(self.other) if self.shown else str(HIDDEN)
        return " · ".join([f"{self.arrow} {other}", *self.details])


def display(row, name) -> str:
    shown = getattr(row, f"get_{name}_display", None)
    return str(shown() if callable(shown) else getattr(row, name))


def attributed_ends(obj, link, reader: LinkReader, outgoing: bool) -> LinkItems:
    """The rows of a ``through`` link at ``obj``: from the holder's end (``outgoing``) every row the reader
    may see through the holder, the linked object hidden where the reader may not see it; from the linked
    end the rows whose holder the reader may see."""
    source_field, target_field = link.through_fields
    rows = _attributed_rows(link, outgoing, obj.pk)
    others = [getattr(row, target_field if outgoing else source_field) for row in rows]
    reader.prime(others)
    items = LinkItems()
    for row, other in zip(rows, others):
        shown = reader.shows(other)
        if outgoing or shown:
            items.append(AttributedEnd(row, link, other, shown, outgoing))
    if outgoing and reader.user is not None and permissions.can(reader.user, permissions.CHANGE, obj):
        try:
            items.add_url = f"{reverse(route_name(link))}?{source_field}={obj.pk}"
            items.add_label = _("Tambah %(model)s") % {"model": link.through_model()._meta.verbose_name.lower()}
        except NoReverseMatch:
            pass
    return items


def _attributed_paths(link) -> list[tuple]:
    """(path from the link's row, model) of what a row of ``link`` is shown with: the row, both ends, their OPDs."""
    through = link.through_model()
    paths = [("", through)]
    for name in link.through_fields:
        end = through._meta.get_field(name).related_model
        paths += [(name, end), (f"{name}__department", end._meta.get_field("department").related_model)]
    return paths


def _attributed_rows(link, outgoing: bool, pk) -> list:
    """The rows of ``link`` at the object ``pk`` (from the holder's end when ``outgoing``) with both ends and their
    OPDs loaded, as ``select_related`` would load them; the SQL (unscoped: the reader decides afterwards) compiled
    once per link and end for a stand-in ID."""
    through = link.through_model()
    paths = _attributed_paths(link)
    columns = {path: [f.attname for f in model._meta.concrete_fields] for path, model in paths}
    selected = [f"{path}__{name}" if path else name for path, _model in paths for name in columns[path]]
    end = link.through_fields[0] if outgoing else link.through_fields[1]

    def build(value):
        return through._default_manager.filter(**{end: value}).values(*selected)

    key = ("attributed-ends", through._meta.label, outgoing)
    found = []
    for named in compiled.rows_for(key, build, pk, STAND_IN):
        objects = {}
        for path, model in paths:
            names = columns[path]
            values = [named[f"{path}__{name}" if path else name] for name in names]
            pk_value = values[names.index(model._meta.pk.attname)]
            objects[path] = None if pk_value is None else model.from_db(DEFAULT_DB_ALIAS, names, values)
        for path, model in paths[1:]:
            holder_path, _, name = path.rpartition("__")
            holder = objects[holder_path]
            if holder is not None:
                holder._meta.get_field(name).set_cached_value(holder, objects[path])
        found.append(objects[""])
    return found


def route_name(link) -> str:
    meta = link.through_model()._meta
    return f"{meta.app_label}:{meta.model_name}_add"


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
