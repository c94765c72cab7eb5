"""Query parameters the read-only API views share: a positive database ID, and the instansi a request names
among those the reader may read (or their only one)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError

from sia.core.integers import db_id


def integer_parameter(request, name: str, label: str, required: bool = False) -> int | None:
    """The query parameter ``name`` as a database ID; None when absent (a 400 naming it when ``required``), a 400
    naming it when it is not a positive integer in range."""
    raw = request.query_params.get(name)
    if raw in (None, ""):
        if required:
            raise ValidationError({name: [_("Wajib diisi: %(what)s (bilangan bulat).") % {"what": label}]})
        return None
    number = db_id(raw)
    if number is None:
        raise ValidationError({name: [_("Tulis %(what)s sebagai bilangan bulat positif dalam jangkauan.")
                                      % {"what": label}]})
    return number


def institution_parameter(request, readable, name: str = "instansi"):
    """The instansi the parameter ``name`` names among ``readable`` (a queryset of the instansi the reader may read),
    or the reader's only one: 404 when it is not among them or the reader reads none, 400 when several and none
    is named."""
    pk = integer_parameter(request, name, _("ID instansi"))
    if pk is not None:
        found = readable.filter(pk=pk).first()
        if found is None:
            raise NotFound(_("Instansi tidak ditemukan atau tidak dapat Anda baca."))
        return found
    found = list(readable[:2])
    if not found:
        raise NotFound(_("Anda belum anggota instansi mana pun."))
    if len(found) > 1:
        raise ValidationError({name: [_("Anda membaca beberapa instansi: sebutkan ID instansinya.")]})
    return found[0]
