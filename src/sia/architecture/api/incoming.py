"""The other end of a link in the API: the objects that hold a link to one object (the applications that
run on a server, the virtual servers it hosts, the keamanan objects that protect it), read from the
declarations (``linkspec.declared_links()``, through ``usage.incoming_declarations``), so a link declared tomorrow shows on both ends with no code.

Only what the reader may see (``permissions.visible``): an operator does not learn of another OPD's draft
through the object it links to. One query for every declaration that targets the object's kind (a UNION),
whatever the number of declarations and linked objects.
"""

from __future__ import annotations

from django.db.models import IntegerField, Value
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sia.core import compiled, permissions
from sia.core.api.fields import detail_url

from .. import kept
from ..links import STAND_IN
from ..usage import incoming_declarations


def holders_query(holder, link, target_pk):
    """The ``holder`` objects whose link ``link`` points to the object ``target_pk`` (unscoped)."""
    if link.through:
        rows = link.through_model()._default_manager.filter(**{f"{link.through_fields[1]}_id": target_pk})
        return holder.objects.filter(pk__in=rows.values(f"{link.through_fields[0]}_id"))
    return holder.objects.filter(**{link.field: target_pk})


def _union(user, declarations, target_pk):
    """The four values shown, not whole rows with their OPD, of every declaration in one UNION query; the part's
    number last (a UNION's rows come in the SQL's order: fields, then annotations)."""
    selects = [permissions.visible(user, holders_query(holder, link, target_pk)).order_by()
               .annotate(link_part=Value(i, output_field=IntegerField()))
               .values("id", "code", "name", "department__abbreviation", "link_part")
               for i, (holder, link) in enumerate(declarations)]
    union = selects[0].union(*selects[1:], all=True) if len(selects) > 1 else selects[0]
    return union.order_by("link_part", "code", "id")


def incoming_ends(obj, user, request=None) -> list[dict]:
    """The objects ``user`` may see that hold a link to ``obj``, one entry per (link, holder), in the order of
    the declarations and then by code: kind (the holder's API name) and kind_name, link (its field), meaning (the link read
    from ``obj``'s end), id, code, name, department (abbreviation) and url (the holder's API address).

    The UNION's SQL is compiled once per kind and reader's grants (``kept.sql_key``, as the detail page's links:
    ``links._kept_rows``) and run with the object's ID in place of a stand-in; a reader whose rows follow from more
    than their grants gets it built for the request alone."""
    declarations = incoming_declarations(type(obj))
    if not declarations:
        return []
    holders = [holder for holder, _link in declarations]
    key = kept.sql_key("api-incoming-links", user, holders, (type(obj)._meta.label,))
    rows = compiled.rows_for(key, lambda pk: _union(user, declarations, pk), obj.pk, STAND_IN)
    ends = []
    for row in rows:
        holder, link = declarations[row["link_part"]]
        ends.append({
            "kind": holder.spec.api_name,
            "kind_name": str(holder._meta.verbose_name),
            "link": link.field,
            "meaning": str(link.inverse),
            "id": row["id"],
            "code": row["code"],
            "name": row["name"],
            "department": row["department__abbreviation"],
            "url": detail_url(holder, row["id"], request),
        })
    return ends


class IncomingLinkSerializer(serializers.Serializer):
    """One object holding a link to the object read (the other end of the link)."""

    kind = serializers.CharField(help_text="Jenis objek pemegang tautan: nama API-nya (mis. applications).")
    kind_name = serializers.CharField(help_text="Nama jenis objek pemegang tautan (mis. Aplikasi).")
    link = serializers.CharField(help_text="Field tautan pada objek pemegang (mis. servers).")
    meaning = serializers.CharField(help_text="Arti tautan dibaca dari objek ini (mis. menjalankan).")
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    department = serializers.CharField(allow_null=True, help_text="Singkatan OPD pemilik objek pemegang.")
    url = serializers.URLField(allow_null=True)


class IncomingLinksMixin(serializers.Serializer):
    """``incoming_links`` on an object's own page (retrieve), not on lists: what holds a link to it."""

    incoming_links = serializers.SerializerMethodField(
        help_text="Objek lain yang menautkan ke objek ini (yang boleh Anda lihat), dengan arti tautannya."
    )

    @extend_schema_field(IncomingLinkSerializer(many=True))
    def get_incoming_links(self, obj) -> list:
        request = self.context.get("request")
        return incoming_ends(obj, getattr(request, "user", None), request)


_detail_serializers: dict = {}


def detail_serializer_for(model, base):
    """``base`` (the kind's serializer) with ``incoming_links`` added: the serializer of one object's GET."""
    if model not in _detail_serializers:
        fields = [name for name in base.Meta.fields if name not in ("created", "updated")]
        meta = type("Meta", (base.Meta,), {"fields": [*fields, "incoming_links", "created", "updated"]})
        _detail_serializers[model] = type(f"{model.__name__}DetailSerializer", (IncomingLinksMixin, base), {"Meta": meta})
    return _detail_serializers[model]
