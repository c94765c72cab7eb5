"""Optimistic locking for the API: no blind overwrites of a model that has a version.

A model has a version when it has the field ``VERSION_FIELD`` (``lock_version``); every viewset built
on ``SiaModelViewSet`` then
- sends the version as the ETag of a detail answer (``ETag: "7"``, also after an update);
- requires the version a client read on every update (PUT/PATCH), as the body field ``lock_version``
  or as the header ``If-Match: "7"``: without either the answer is 428 Precondition Required and
  nothing is written;
- answers 409 Conflict, and writes nothing, when that version is no longer the stored one (for
  both ways of sending it: one answer for one situation);
- compares under a row lock and saves the next version in the same transaction
  (``VersionedUpdateMixin.check_version``), so of any number of writers that read version N exactly
  one succeeds.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError

from sia.core.integers import in_db_range, out_of_range_message

VERSION_FIELD = "lock_version"
UPDATE_ACTIONS = ("update", "partial_update")
_ETAG = re.compile(r'^\s*(?:W/)?"(\d{1,40})"\s*$')


class PreconditionRequired(APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_code = "precondition_required"


class VersionConflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def version_field(model) -> str | None:
    """The model's version field, or None when it has none."""
    if model is None:
        return None
    names = {f.name for f in model._meta.concrete_fields}
    return VERSION_FIELD if VERSION_FIELD in names else None


def etag(version) -> str:
    return f'"{version}"'


def parse_if_match(header: str) -> set[int]:
    """The versions an ``If-Match`` header names (``"7"``, ``W/"7"``, or a list of them). ``*`` (any
    version) names none: it is what a blind overwrite would send."""
    versions = set()
    for part in header.split(","):
        match = _ETAG.match(part)
        if match is None:
            raise ValidationError({"If-Match": [_("Tulis If-Match sebagai ETag yang diterima, mis. \"7\".")]})
        versions.add(_in_range(int(match.group(1)), "If-Match"))
    return versions


def _in_range(version: int, name: str) -> int:
    """A version past 64 bits can name no row: the same 400 as every other integer out of range."""
    if not in_db_range(version):
        raise ValidationError({name: [out_of_range_message()]})
    return version


def sent_versions(request, field: str) -> set[int] | None:
    """The versions the client says it read: from the body field, the ``If-Match`` header, or both
    (then they must agree). None when it sent neither."""
    from_body = request.data.get(field) if hasattr(request.data, "get") else None
    header = request.headers.get("If-Match", "").strip()
    versions = None
    if from_body not in (None, ""):
        try:
            versions = {int(from_body)}
        except (TypeError, ValueError):
            raise ValidationError({field: [_("Versi harus bilangan bulat.")]})
        _in_range(next(iter(versions)), field)
    if header and header != "*":
        from_header = parse_if_match(header)
        if versions is not None and not versions & from_header:
            raise ValidationError({field: [_("lock_version dan If-Match menyebut versi yang berbeda.")]})
        versions = versions or from_header
    return versions


class VersionedUpdateMixin:
    """Viewset mixin: ETag on detail answers, the read version required on update, 409 when stale.

    Keyed on the model having ``VERSION_FIELD``: a model declares a version and its API gets this.
    A viewset that saves updates in its own way calls ``check_version(instance)`` inside its
    transaction and stores the version it returns plus one.
    """

    def version_field(self) -> str | None:
        """The version field of the viewset's model, known without building its scoped queryset only to learn the
        model (it was built for that once per GET of an object, for the ETag, and three times per PATCH)."""
        model = getattr(self, "model", None)
        if model is None:
            queryset = getattr(self, "queryset", None)
            model = queryset.model if queryset is not None else self.get_queryset().model
        return version_field(model)

    def get_object(self):
        obj = super().get_object()
        field = self.version_field() if getattr(self, "action", None) in UPDATE_ACTIONS else None
        if field is not None:
            versions = sent_versions(self.request, field)
            if not versions:
                raise PreconditionRequired(_(
                    "Kirim versi yang Anda baca: isian lock_version atau header If-Match dengan ETag dari GET. "
                    "Tanpa itu perubahan orang lain dapat tertimpa tanpa disadari."
                ))
            self.sent_versions = versions
            self._stale(getattr(obj, field), versions)  # early answer, before the body is validated
        return obj

    def _stale(self, current, versions) -> None:
        if current not in versions:
            raise VersionConflict(_(
                "Objek ini telah diubah orang lain (versi %(current)s, Anda mengirim versi %(sent)s). "
                "Baca ulang lalu kirim kembali perubahan Anda."
            ) % {"current": current, "sent": ", ".join(str(v) for v in sorted(versions))})

    def check_version(self, instance) -> int | None:
        """Inside a transaction: locks the row, raises 409 unless the client read the stored version,
        and returns that version (None for a model without one). The body field is not saved as sent."""
        field = self.version_field()
        if field is None:
            return None
        current = type(instance)._default_manager.select_for_update().values_list(field, flat=True).get(pk=instance.pk)
        self._stale(current, getattr(self, "sent_versions", set()))
        return current

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if getattr(self, "action", None) in ("retrieve",) + UPDATE_ACTIONS and response.status_code == 200:
            field = self.version_field()
            data = getattr(response, "data", None)
            if field is not None and isinstance(data, dict) and data.get(field) is not None:
                response["ETag"] = etag(data[field])
        return response
