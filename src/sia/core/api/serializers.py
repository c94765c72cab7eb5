import copy
from functools import partial

from django.core.exceptions import FieldDoesNotExist, ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sia.core import permissions

from .fields import (
    RelatedObjectField, VisibleManyRelatedField, api_detail_url, held, link_reader, narrow, queryset_model,
)
from .representation import plan_for


def private_links(serializer, rows) -> list:
    """The rows that ``serializer``'s link fields point to, where links may hide rows
    (``Policy.private_links``), read from the loaded relations of ``rows``."""
    model = serializer.Meta.model
    found = []
    for field in serializer.fields.values():
        if not isinstance(field, (RelatedObjectField, VisibleManyRelatedField)) or field.source == "*":
            continue
        try:
            model_field = model._meta.get_field(field.source)
        except FieldDoesNotExist:
            continue
        related = getattr(model_field, "related_model", None)
        try:
            if related is None or not permissions.policy_for(related).private_links:
                continue
        except LookupError:
            continue
        for row in rows:
            if model_field.many_to_many:
                found.extend(held(row, model_field.name))
            elif getattr(row, model_field.attname, None) is not None:
                found.append(getattr(row, model_field.name))
    return found


def _choices(user, queryset):
    try:
        return permissions.choices(user, queryset)
    except LookupError:
        return queryset


def _fresh(template):
    """A copy of a field template for one serializer instance, made cheaply: the fields SIA builds are plain
    values with their settings, so a shallow copy (with its own lists and child relation) is a new field.
    Anything holding nested fields (a serializer, a list or dict of fields) is deep-copied as DRF does."""
    if isinstance(template, serializers.ManyRelatedField):
        field = copy.copy(template)
        field.child_relation = _fresh(template.child_relation)  # bound to the template's list: now to the copy
        field.child_relation.parent = field
    elif isinstance(template, serializers.BaseSerializer) or hasattr(template, "child"):
        return copy.deepcopy(template)
    else:
        field = copy.copy(template)
    state = field.__dict__
    if "_validators" in state:
        state["_validators"] = list(state["_validators"])
    state["error_messages"] = dict(state["error_messages"])
    if "_pending_scopes" in state:
        state["_pending_scopes"] = list(state["_pending_scopes"])
    return field


class SiaListSerializer(serializers.ListSerializer):
    """Decides the links of every row of a page in one batch (``permissions.LinkReader.prime``); writes the rows
    through the child's plan (``representation``) when it has one."""

    def to_representation(self, data):
        rows = list(data.all() if hasattr(data, "all") else data)
        link_reader(self.context).prime(private_links(self.child, rows))
        if self.child.planned():
            return plan_for(self.child).rows(rows)
        return super().to_representation(rows)


class SiaModelSerializer(serializers.ModelSerializer):
    """Every serializer starts with ``id, url, display`` and ends with ``created, updated``.

    Validation runs the model's own ``full_clean()``: the rules forms and importers apply.
    """

    url = serializers.SerializerMethodField()
    display = serializers.SerializerMethodField()
    serializer_related_field = RelatedObjectField
    # Rows written by a plan made once per serializer (``sia.core.api.representation``: the same output as DRF's
    # field-by-field writing, compared for every declared kind); a serializer opts in.
    fast_representation = False

    @classmethod
    def many_init(cls, *args, **kwargs):
        serializer = super().many_init(*args, **kwargs)
        if type(serializer) is serializers.ListSerializer:  # subclasses' Meta does not name a list class
            serializer.__class__ = SiaListSerializer
        return serializer

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None:
            return
        for field in self.fields.values():
            target = getattr(field, "child_relation", field)
            model = queryset_model(target)
            if model is not None and not getattr(target, "read_only", False):
                try:
                    permissions.policy_for(model)
                except LookupError:
                    continue
                narrow(target, partial(_choices, user))

    def get_fields(self):
        """The fields ``ModelSerializer`` builds from the model and ``Meta``, built once per serializer class (they
        depend on the class alone) and copied for each instance (``_fresh``): building them cost more than reading
        a page's rows. The copies are this instance's own, so scoping their querysets per request stays per request."""
        cls = type(self)
        templates = cls.__dict__.get("_sia_field_templates")
        if templates is None:
            templates = super().get_fields()
            cls._sia_field_templates = templates
        return {name: _fresh(field) for name, field in templates.items()}

    def planned(self) -> bool:
        """Are rows written by the plan? Not when a subclass writes them its own way."""
        return self.fast_representation and type(self).to_representation is SiaModelSerializer.to_representation

    def to_representation(self, instance):
        if self.planned():
            return plan_for(self).rows([instance])[0]
        return super().to_representation(instance)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_url(self, obj):
        return api_detail_url(obj, self.context.get("request"))

    def get_display(self, obj) -> str:
        return str(obj)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        instance = copy.copy(self.instance) if self.instance is not None else model()
        many_to_many = {f.name for f in model._meta.many_to_many}
        for key, value in attrs.items():
            if key not in many_to_many:
                setattr(instance, key, value)
        try:
            instance.full_clean(exclude=self.full_clean_exclude())
        except DjangoValidationError as error:
            raise serializers.ValidationError(
                error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
            )
        self.validated_instance = instance
        return attrs

    def full_clean_exclude(self):
        return []
