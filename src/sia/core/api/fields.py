from functools import lru_cache

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.relations import MANY_RELATION_KWARGS

from sia.core import permissions
from sia.core.integers import as_integer, in_db_range, out_of_range_message


@lru_cache(maxsize=None)
def _detail_url_pattern(app_label: str, model_name: str) -> str | None:
    """The detail URL with a placeholder for the ID: one reverse() per model, not per row."""
    try:
        return reverse(f"{app_label}-api:{model_name}-detail", args=[987654321]).replace("987654321", "{}")
    except NoReverseMatch:
        return None


def api_detail_url(obj, request=None):
    return detail_url(type(obj), obj.pk, request)


def detail_url(model, pk, request=None):
    """The API address of the ``model`` row ``pk`` (absolute with a request), None for a model without one."""
    pattern = _detail_url_pattern(model._meta.app_label, model._meta.model_name)
    if pattern is None:
        return None
    url = pattern.format(pk)
    return url if request is None else absolute_root(request) + url


def absolute_root(request) -> str:
    """The scheme and host, once per request (``build_absolute_uri`` per linked object of a page added up)."""
    root = getattr(request, "_sia_absolute_root", None)
    if root is None:
        root = request._sia_absolute_root = request.build_absolute_uri("/")[:-1]
    return root


def url_maker(request):
    """``detail_url`` for one request as a function of (model, pk), each model's address prefix and suffix made
    once: for the many links of a page of rows."""
    parts: dict = {}

    def url(model, pk):
        found = parts.get(model)
        if found is None:
            pattern = _detail_url_pattern(model._meta.app_label, model._meta.model_name)
            if pattern is None:
                found = parts[model] = (None, None)
            else:
                head, _, tail = pattern.partition("{}")
                found = parts[model] = (head if request is None else absolute_root(request) + head, tail)
        head, tail = found
        return None if head is None else f"{head}{pk}{tail}"
    return url


def narrow(field, scope) -> None:
    """``field.queryset = scope(field.queryset)``: later, when read, for a ``RelatedObjectField``."""
    if isinstance(field, RelatedObjectField):
        field.narrow(scope)
    else:
        field.queryset = scope(field.queryset)


def queryset_model(field):
    """The model of a related field's queryset (None without one), without narrowing it."""
    if isinstance(field, RelatedObjectField):
        return field.queryset_model()
    queryset = getattr(field, "queryset", None)
    return None if queryset is None else queryset.model


def link_reader(context) -> permissions.LinkReader:
    """The serializer tree's one ``LinkReader`` (kept in the root's context, so a list decides each
    linked row once). Without a request nobody is known to read, and private links stay hidden."""
    reader = context.get("link_reader")
    if reader is None:
        request = context.get("request")
        reader = permissions.LinkReader(getattr(request, "user", None))
        context["link_reader"] = reader
    return reader


def held_attr(name: str) -> str:
    """The attribute a page of rows keeps a many-to-many link's objects in as a plain list
    (``Prefetch(name, to_attr=held_attr(name))``): no related manager and queryset per row and field."""
    return f"_held_{name}"


def held(row, name: str):
    """The objects ``row`` links to through the many-to-many field ``name``: the list prefetched into
    ``held_attr(name)`` when there is one, else the field's (prefetched or queried) rows."""
    kept = row.__dict__.get(held_attr(name))
    return kept if kept is not None else getattr(row, name).all()


class VisibleManyRelatedField(serializers.ManyRelatedField):
    """A list of links without the rows the reader may not see (they are kept on update, see
    ``sia.architecture.changes.hidden_links``)."""

    def get_attribute(self, instance):
        kept = instance.__dict__.get(held_attr(self.source)) if "." not in self.source else None
        return kept if kept is not None else super().get_attribute(instance)

    def to_representation(self, iterable):
        visible = link_reader(self.context).visible(iterable)
        return [self.child_relation.to_representation(value) for value in visible]


@extend_schema_field(
    {
        "oneOf": [
            {"type": "integer", "description": "ID"},
            {"type": "string", "description": "natural key"},
            {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "url": {"type": "string", "format": "uri", "nullable": True},
                    "display": {"type": "string"},
                },
            },
        ]
    }
)
class RelatedObjectField(serializers.PrimaryKeyRelatedField):
    """Writes as an ID or a natural key; reads as ``{id, url, display}``.

    The serializer narrows its queryset to what the requesting user may see, so an ID of
    another instansi's object is refused as "does not exist". A linked row the reader may not see
    (``permissions.LinkReader``) reads as ``{id, url: null, display: "(tersembunyi)"}``; in a list
    of links it is left out.
    """

    default_error_messages = {
        "natural_key_not_found": _("Tidak ada pilihan dengan ID atau kode “{value}”."),
        "natural_key_ambiguous": _("Kode “{value}” dipakai di lebih dari satu instansi yang dapat Anda lihat; "
                                   "tulis ID-nya."),
        # An ID of a row that does not exist or that the user may not pick (another instansi's, a hidden draft).
        "does_not_exist": _("Tidak ada pilihan dengan ID atau kode “{pk_value}”."),
    }

    def __init__(self, *args, natural_key: str | None = None, **kwargs):
        self.natural_key = natural_key
        super().__init__(*args, **kwargs)

    # The queryset is narrowed per request (``narrow``) when it is first read: validation and choice lists read
    # it, a GET that only renders rows never does, and building the scoped querysets cost more than rendering.
    @property
    def queryset(self):
        state = self.__dict__
        pending = state.get("_pending_scopes")
        if pending:
            state["_pending_scopes"] = []
            queryset = state.get("_queryset")
            for scope in pending:
                queryset = scope(queryset)
            state["_queryset"] = queryset
        return state.get("_queryset")

    @queryset.setter
    def queryset(self, value):
        self.__dict__["_queryset"] = value
        self.__dict__["_pending_scopes"] = []

    def narrow(self, scope) -> None:
        """``queryset = scope(queryset)``, done when the queryset is first read."""
        self.__dict__.setdefault("_pending_scopes", []).append(scope)

    def queryset_model(self):
        """The model of the queryset, without narrowing it."""
        queryset = self.__dict__.get("_queryset")
        return None if queryset is None else queryset.model

    @classmethod
    def many_init(cls, *args, **kwargs):
        list_kwargs = {"child_relation": cls(*args, **kwargs)}
        for key in kwargs:
            if key in MANY_RELATION_KWARGS:
                list_kwargs[key] = kwargs[key]
        return VisibleManyRelatedField(**list_kwargs)

    def use_pk_only_optimization(self):
        return False

    def to_internal_value(self, data):
        if isinstance(data, dict):
            data = data.get("id")
        if self.natural_key and isinstance(data, str):
            # A string is a natural key first ("123" may be a code); only digits fall back to an ID. The
            # root serializer may narrow the keys to one instansi (``scope_natural_keys(queryset)``), where
            # codes repeat across instansi.
            queryset = self.get_queryset()
            scope = getattr(self.root, "scope_natural_keys", None)
            if callable(scope):
                queryset = scope(queryset)
            matches = list(queryset.filter(**{self.natural_key: data.strip()})[:2])
            if len(matches) > 1:
                # A user who sees several instansi (a member of two, a superuser) may name a code that
                # each of them uses: picking one would write into an instansi nobody chose.
                self.fail("natural_key_ambiguous", value=data.strip()[:100])
            if matches:
                return matches[0]
            if not data.strip().isdigit():
                self.fail("natural_key_not_found", value=data.strip()[:100])
        number = as_integer(data)
        if number is not None and not in_db_range(number):
            raise serializers.ValidationError(out_of_range_message(), code="out_of_range")
        return super().to_internal_value(data)

    def to_representation(self, value):
        if not link_reader(self.context).shows(value):
            return {"id": value.pk, "url": None, "display": str(permissions.HIDDEN)}
        return {"id": value.pk, "url": api_detail_url(value, self.context.get("request")), "display": str(value)}
