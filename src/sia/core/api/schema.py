"""The OpenAPI schema tells the truth: error answers, unpaginated actions, nullable columns.

``SiaAutoSchema`` is the ``DEFAULT_SCHEMA_CLASS``. Per operation it documents the error answers
SIA gives (with their JSON bodies), documents pagination and filters only where a list is paged and
filtered, and marks a response field nullable when the database column it reads may hold NULL.
"""

from __future__ import annotations

import copy

from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent, append_meta, get_view_model
from drf_spectacular.utils import OpenApiParameter
from rest_framework.fields import ChoiceField
from rest_framework.permissions import AllowAny

from .fields import RelatedObjectField
from .versions import version_field

ERROR_SCHEMA = {
    "type": "object",
    "description": "Jawaban galat: `detail` menjelaskan sebabnya.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "Masukan ditolak: setiap kunci adalah nama isian atau parameter (atau `non_field_errors`, "
        "`detail`), nilainya daftar pesan (atau pesan per isian bertingkat)."
    ),
    "additionalProperties": {
        "oneOf": [
            {"type": "array", "items": {}},
            {"type": "object"},
            {"type": "string"},
        ]
    },
}

# How a link reads (``RelatedObjectField``); it is written as an ID, a natural key or this object.
LINK_SCHEMA = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "url": {"type": "string", "format": "uri", "nullable": True},
        "display": {"type": "string"},
    },
    "required": ["id", "url", "display"],
}

DESCRIPTIONS = {
    "400": _("Masukan tidak sah (isian, parameter atau bilangan di luar jangkauan)."),
    "401": _("Belum masuk atau token tidak sah."),
    "403": _("Belum masuk, token tidak sah, atau tidak berwenang."),
    "404": _("Objek tidak ditemukan atau tidak terlihat oleh Anda."),
    "409": _("Konflik: objek telah diubah orang lain, atau masih memiliki data terkait."),
    "428": _("Versi yang dibaca wajib dikirim untuk mengubah: isian lock_version atau header If-Match."),
}
WRITE_METHODS = ("POST", "PUT", "PATCH")


def has_lock_version(model) -> bool:
    return version_field(model) is not None


class SiaAutoSchema(AutoSchema):
    def _action(self):
        return getattr(self.view, "action", None)

    def get_override_parameters(self):
        """``ETag`` on the answers of a model with a version, ``If-Match`` on its updates
        (``sia.core.api.versions``)."""
        parameters = list(super().get_override_parameters())
        model = get_view_model(self.view, emit_warnings=False) if hasattr(self.view, "get_queryset") else None
        if not has_lock_version(model):
            return parameters
        action = self._action()
        if action in ("retrieve", "update", "partial_update"):
            parameters.append(OpenApiParameter(
                "ETag", str, OpenApiParameter.HEADER, response=[200],
                description=str(_("Versi objek, mis. \"7\"; kirim kembali sebagai If-Match saat mengubah.")),
            ))
        if action in ("update", "partial_update"):
            parameters.append(OpenApiParameter(
                "If-Match", str, OpenApiParameter.HEADER, required=False,
                description=str(_("ETag yang dibaca (GET). Wajib bila isian lock_version tidak dikirim; tanpa "
                                  "keduanya 428, versi yang sudah berubah 409.")),
            ))
        return parameters

    def _is_paged_list(self) -> bool:
        """Viewsets page and filter their ``list`` only; their other actions answer plain lists."""
        action = self._action()
        return action == "list" if action is not None else self._is_list_view()

    def _get_paginator(self):
        if not self._is_paged_list():
            return None
        return super()._get_paginator()

    def get_filter_backends(self):
        if not self._is_paged_list():
            return []
        return super().get_filter_backends()

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if direction == "response" and isinstance(field, RelatedObjectField):
            return append_meta(copy.deepcopy(LINK_SCHEMA), self._get_serializer_field_meta(field, direction))
        if direction == "response" and isinstance(field, ChoiceField) and not field.allow_blank:
            column = self._column(field)
            if getattr(column, "blank", False) and isinstance(column, (models.CharField, models.TextField)):
                field = copy.copy(field)  # a read-only choice of a blank-able column reads "" when unset
                field.allow_blank = True
        return super()._map_serializer_field(field, direction, bypass_extensions)

    def _get_serializer_field_meta(self, field, direction):
        meta = super()._get_serializer_field_meta(field, direction)
        column = self._column(field)
        if direction == "response" and not meta.get("nullable") and getattr(column, "null", False) \
                and not getattr(column, "many_to_many", False):
            meta["nullable"] = True
        return meta

    @staticmethod
    def _column(field):
        """The model field a serializer field reads, or None."""
        model = getattr(getattr(getattr(field, "parent", None), "Meta", None), "model", None)
        source = getattr(field, "source", None)
        if model is None or not source or source == "*" or "." in source:
            return None
        try:
            return model._meta.get_field(source)
        except Exception:  # not a model field (a property or method)
            return None

    def _error_component(self, name, schema):
        component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, schema=schema, object=name)
        self.registry.register_on_missing(component)
        return component.ref

    def _error_codes(self) -> list[str]:
        method = self.method
        codes = []
        has_query = any(p.get("in") == "query" for p in self._get_parameters())
        if method in WRITE_METHODS or has_query:
            codes.append("400")
        if self._authenticate_header():
            codes.append("401")
        if not self._public():
            codes.append("403")
        if "{" in self.path:
            codes.append("404")
        model = get_view_model(self.view, emit_warnings=False) if hasattr(self.view, "get_queryset") else None
        from .views import SiaModelViewSet  # here: importing views needs this schema class already loaded

        if isinstance(self.view, SiaModelViewSet) and method == "DELETE":
            codes.append("409")
        if method in ("PUT", "PATCH") and has_lock_version(model):
            codes += ["409", "428"]
        return codes

    def _public(self) -> bool:
        classes = getattr(self.view, "permission_classes", [])
        return bool(classes) and all(c is AllowAny for c in classes)

    def _authenticate_header(self) -> str | None:
        """A 401 is sent only when the first authenticator names a scheme (``WWW-Authenticate``);
        otherwise DRF answers a missing or wrong credential with 403."""
        authenticators = self.view.get_authenticators() if hasattr(self.view, "get_authenticators") else []
        if self._public() or not authenticators:
            return None
        try:
            return authenticators[0].authenticate_header(None)
        except Exception:
            return None

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            responses.setdefault(code, {"description": str(DESCRIPTIONS[code])})
        for code, response in responses.items():
            if not code.startswith("4"):
                continue
            name, schema = ("ValidationError", VALIDATION_ERROR_SCHEMA) if code == "400" else ("Error", ERROR_SCHEMA)
            ref = self._error_component(name, schema)
            if "content" not in response:  # an error answer always has a JSON body
                body = self._get_response_for_code(ref, code, media_types=("application/json",), direction=direction)
                response["content"] = body["content"]
            elif code == "400":  # a view's own 400 body, or the field errors any input check gives
                for media in response["content"].values():
                    if media.get("schema") != ref:
                        media["schema"] = {"anyOf": [media["schema"], ref]}
        return dict(sorted(responses.items()))
