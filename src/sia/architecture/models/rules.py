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


def cycle_problems(obj, field_name: str, targets) -> list:
    """Why linking ``obj`` to each of ``targets`` through its self-link ``field_name`` (a ForeignKey or a
    many-to-many to its own kind) would close a cycle, naming it ("Server host membentuk siklus:
    SV-A → SV-B → SV-A."); empty when none would. Walks the stored links from each target back to ``obj``,
    one query per step of the chain, whatever its breadth."""
    label = capfirst(obj._meta.get_field(field_name).verbose_name)
    problems = []
    for target in targets:
        chain = _chain_in_memory(obj, field_name, target)
        if chain is None and not obj._state.adding:  # nothing stored links to an object not written yet
            chain = _chain_back(obj, field_name, target)
        if chain is not None:
            problems.append(_("%(field)s membentuk siklus: %(cycle)s.") % {
                "field": label, "cycle": " → ".join([_name(obj), *chain, _name(obj)])})
    return problems


def _name(obj) -> str:
    return obj.code or obj.name


def _chain_in_memory(obj, field_name: str, start) -> list[str] | None:
    """Like ``_chain_back`` over the ForeignKey values the objects hold in memory (rows of one Excel upload that
    name each other, not written yet); None when that chain does not come back to ``obj``."""
    field = obj._meta.get_field(field_name)
    chain, node, seen = [], start, set()
    while node is not None and id(node) not in seen:
        if node is obj or (obj.pk is not None and node.pk == obj.pk):
            return chain
        if not field.many_to_one or not field.is_cached(node):
            return None  # the rest of the chain is stored: ``_chain_back`` reads it
        seen.add(id(node))
        chain.append(_name(node))
        node = field.get_cached_value(node)
    return None


def _chain_back(obj, field_name: str, start) -> list[str] | None:
    """The names of the objects along the stored chain of ``field_name`` from ``start`` up to (not including)
    ``obj``; None when the chain never reaches ``obj``. A ForeignKey's first step is the value ``start`` holds
    (no query when it links nowhere); each further step is one query."""
    field = obj._meta.get_field(field_name)
    manager = type(obj)._meta.concrete_model._default_manager
    came_from = {start.pk: None}  # each object reached: the one whose link reached it
    frontier = [start.pk]
    rows = [(start.pk, getattr(start, field.attname))] if field.many_to_one else None
    while frontier:
        if rows is None:
            rows = manager.filter(pk__in=frontier).values_list("pk", field_name)
        reached = []
        for source, linked in rows:
            if linked is None or linked in came_from:
                continue
            came_from[linked] = source
            if linked == obj.pk:
                chain, node = [], source
                while node is not None:
                    chain.append(node)
                    node = came_from[node]
                chain.reverse()
                names = {pk: code or name for pk, code, name in
                         manager.filter(pk__in=chain).values_list("pk", "code", "name")}
                return [names[pk] for pk in chain]
            reached.append(linked)
        frontier, rows = reached, None
    return None
