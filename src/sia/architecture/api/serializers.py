from decimal import Decimal
from functools import partial

from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext as _, gettext_lazy
from rest_framework import serializers

from sia.core.api.fields import RelatedObjectField, narrow, queryset_model
from sia.core.api.serializers import SiaModelSerializer
from sia.organizations.models import Department, Institution
from sia.reference.models import ReferenceNode

from .. import scopes
from ..models import ReviewEvent, ValueListItem
from ..models.base import ArchitectureObject


class KeysOfOwnInstitution:
    """Natural keys (codes) in a write name rows of the written object's instansi: the stored object's, or
    that of the row ``key_owner_field`` names (its OPD, an integration's source application)."""

    key_owner_field = "department"

    def to_internal_value(self, data):
        self._key_institution_id = self._institution_of(data)
        return super().to_internal_value(data)

    def _institution_of(self, data):
        if self.instance is not None:
            return self.instance.institution_id
        name = self.key_owner_field
        raw = data.get(name) if hasattr(data, "get") else None
        if raw in (None, "") or name not in self.fields:
            return None
        try:
            return self.fields[name].to_internal_value(raw).institution_id
        except (serializers.ValidationError, AttributeError, TypeError, ValueError):
            return None  # the field itself reports it


class ArchitectureObjectSerializer(KeysOfOwnInstitution, SiaModelSerializer):
    """Common fields of every domain; links are lists of IDs on input and small objects on output."""

    fast_representation = True
    institution = RelatedObjectField(read_only=True)
    department = RelatedObjectField(queryset=Department.objects.all(), natural_key="abbreviation")
    reference = RelatedObjectField(
        queryset=ReferenceNode.objects.current(), natural_key="code", allow_null=True, required=False,
        help_text=gettext_lazy(
            "ID atau kode simpul referensi (mis. RAB.09.06.06); simpul instansi dicari di instansi objek ini."
        ),
    )
    lock_version = serializers.IntegerField(
        required=False,
        help_text="Versi yang dibaca (juga ETag jawaban GET). Wajib saat mengubah (PUT/PATCH), kecuali dikirim sebagai "
                  "header If-Match; tanpa keduanya 428, bila berbeda dengan versi tersimpan 409.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._scope_directory_choices()

    def _scope_directory_choices(self):
        """Value-list and OPD links take active rows (value lists by their ``limit_choices_to``; other OPDs,
        e.g. OPD pengguna, here), as the form offers; an object keeps those it holds, deactivated since.
        Another instansi's rows are refused by ``link_problems`` in ``validate``."""
        instance = self.instance if isinstance(self.instance, ArchitectureObject) else None
        model = self.Meta.model
        for name, field in self.fields.items():
            target = getattr(field, "child_relation", field)
            related = queryset_model(target)
            if related not in (ValueListItem, Department) or getattr(target, "read_only", False) or name == "department":
                continue
            # Narrowed when the queryset is read (validation), not for a GET that only renders.
            narrow(target, partial(_directory_choices, instance, model._meta.get_field(name),
                                   related is Department and target is not field))  # many-to-many OPD fields

    def validate(self, attrs):
        attrs = super().validate(attrs)
        instance = self.validated_instance
        errors = {}
        for field in self.Meta.model._meta.many_to_many:
            if field.name in attrs:
                problems = instance.link_problems(field.name, attrs[field.name])
                if problems:
                    errors[field.name] = problems
        if errors:
            raise serializers.ValidationError(errors)
        for name in scopes.department_fields(self.Meta.model):
            # clean() fills an empty produsen/walidata OPD in from its unit: save what it decided.
            if name not in attrs and name in self.fields and getattr(instance, f"{name}_id") and (
                self.instance is None or getattr(self.instance, f"{name}_id") != getattr(instance, f"{name}_id")
            ):
                attrs[name] = getattr(instance, name)
        return attrs

    def full_clean_exclude(self):
        return ["lock_version"]

    # --- natural keys: links and references by code, within the object's instansi -------------
    def build_relational_field(self, field_name, relation_info):
        field_class, kwargs = super().build_relational_field(field_name, relation_info)
        key = NATURAL_KEYS.get(relation_info.related_model) or (
            "code" if issubclass(relation_info.related_model, ArchitectureObject) else None
        )
        if key and issubclass(field_class, RelatedObjectField):
            kwargs["natural_key"] = key
            note = natural_key_help(relation_info.related_model)
            kwargs["help_text"] = format_lazy("{} {}", kwargs["help_text"], note) if kwargs.get("help_text") else note
        return field_class, kwargs


    def scope_natural_keys(self, queryset):
        """Codes repeat across instansi (each numbers its own): a code names a row of the object's instansi."""
        institution_id = getattr(self, "_key_institution_id", None)
        if institution_id is None:
            return queryset
        model = queryset.model
        if model is ReferenceNode:
            return queryset.for_institution(institution_id)
        names = {field.name for field in model._meta.get_fields()}
        if "institution" in names:
            return queryset.filter(institution_id=institution_id)
        if "department" in names:
            return queryset.filter(department__institution_id=institution_id)
        return queryset

    def validate_department(self, value):
        if self.instance is not None and value != self.instance.department:
            raise serializers.ValidationError(
                _("OPD pemilik tidak dapat dipindahkan; buat objek baru di OPD tujuan lalu hapus yang lama.")
            )
        return value


def _held_ids(instance, model_field) -> list:
    """The IDs ``instance`` holds through ``model_field`` (a prefetched many-to-many costs no query)."""
    if model_field.many_to_many:
        return [row.pk for row in getattr(instance, model_field.name).all()]
    value = getattr(instance, model_field.attname, None)
    return [value] if value else []


def _directory_choices(instance, model_field, active_only, queryset):
    """Active value-list items or OPDs (``active_only``: also for OPD lists), and those ``instance`` holds."""
    if active_only:
        queryset = queryset.filter(is_active=True)
    linked = _held_ids(instance, model_field) if instance is not None else []
    return scopes.scoped_or_current(queryset, linked)


# Natural keys of the related rows a domain writes, besides architecture objects (their ``code``) and
# reference nodes (their ``code``): an OPD by its abbreviation, a value by its name.
NATURAL_KEYS = {ReferenceNode: "code", Department: "abbreviation", ValueListItem: "name__iexact"}


def _natural_key_help(model) -> str:
    if model is ReferenceNode:
        return _("ID atau kode simpul (mis. RAB.09.03); simpul instansi dicari di instansi objek ini.")
    if model is Department:
        return _("ID atau singkatan OPD (mis. DISKOMINFO) di instansi objek ini.")
    if model is ValueListItem:
        return _("ID atau nama nilai dari daftar pilihan instansi objek ini.")
    return _("ID atau kode (mis. %(example)s); kode dicari di instansi objek ini.") % {
        "example": f"{model.spec.code_prefix}-DISKOMINFO-001"
    }


natural_key_help = lazy(_natural_key_help, str)  # read in the language of each request (schema, errors)


_serializers: dict = {}

COMMON = ["id", "url", "display", "institution", "department", "code", "name", "description", "reference", "period",
          "state", "upgrades", "retiring", "retire_year", "status", "status_since",
          "lock_version"]


class ComputedField(serializers.ReadOnlyField):
    """A value the model computes; a decimal as a string, like the stored decimals beside it."""

    def to_representation(self, value):
        return str(value) if isinstance(value, Decimal) else value


def serializer_for(model):
    if model not in _serializers:
        fields = COMMON + list(model.spec.form_fields)
        extra_read_only = [f.name for f in model._meta.concrete_fields if not f.editable and f.name in fields]
        fields += [f.name for f in model._meta.concrete_fields if not f.editable and f.name not in COMMON
                   and f.name not in ("institution", "created", "updated", "id")]
        meta = type("Meta", (), {
            "model": model, "fields": fields + ["created", "updated"],
            "read_only_fields": ["status"] + extra_read_only,
        })
        attrs = {"Meta": meta}
        for name, label in model.spec.computed:  # read-only values the model computes (``DomainSpec.computed``)
            attrs[name] = ComputedField(label=label)
            meta.fields.insert(-2, name)
        for name, catalog, _min, _max in model.spec.reference_fields:
            attrs[name] = RelatedObjectField(
                queryset=ReferenceNode.objects.current().of_catalog(catalog), natural_key="code", allow_null=True,
                required=False, help_text=format_lazy(
                    "{} {}", model._meta.get_field(name).help_text, natural_key_help(ReferenceNode)
                ),
            )
        _serializers[model] = type(f"{model.__name__}Serializer", (ArchitectureObjectSerializer,), attrs)
    return _serializers[model]


class ReviewEventSerializer(serializers.ModelSerializer):
    user = serializers.StringRelatedField()

    class Meta:
        model = ReviewEvent
        fields = ["id", "action", "from_status", "to_status", "comment", "user", "created"]


class TransitionSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ValueListItemSerializer(SiaModelSerializer):
    institution = RelatedObjectField(queryset=Institution.objects.all(), natural_key="code")

    class Meta:
        model = ValueListItem
        fields = ["id", "url", "display", "institution", "kind", "name", "order", "is_active", "created", "updated"]
