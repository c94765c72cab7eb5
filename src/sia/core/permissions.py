"""The one place that answers "may this user do this action on this object" and
"which objects may this user see". Views, the API, exports and imports all ask here.

Each model registers a Policy that says how its rows reach an instansi (and an OPD, when
they belong to one) and which roles may do which action. A member's rights come from their
active memberships; superusers may do everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .roles import ALL_ROLES, Role

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
HISTORY = "history"  # models whose policy names it restrict the audit trail further than VIEW
MANAGE = frozenset({Role.ADMIN})


@dataclass(frozen=True)
class Grant:
    institution_id: int
    department_id: int | None
    role: str


@dataclass
class MembershipSource:
    """Where grants come from: the app that keeps memberships and instansi (``sia.organizations``, above core)
    registers it in its ``AppConfig.ready()``, so that core never imports it."""

    grant_rows: Callable  # user -> iterable of (institution_id, department_id, role) of active memberships
    institutions: Callable  # () -> queryset of the active instansi


_source: MembershipSource | None = None


def register_membership_source(source: MembershipSource) -> None:
    global _source
    _source = source


def _membership_source() -> MembershipSource:
    if _source is None:
        raise RuntimeError("no membership source registered (sia.organizations is not installed)")
    return _source


def grants(user) -> list[Grant]:
    """The user's active memberships, read once per request and kept on the user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_sia_grants", None)
    if cached is None:
        cached = [Grant(i, d, r) for i, d, r in _membership_source().grant_rows(user)]
        user._sia_grants = cached
    return cached


def forget_grants(user) -> None:
    user.__dict__.pop("_sia_grants", None)


def _resolve(obj, path: str):
    """Follows a lookup path such as ``department__institution`` to an ID, without a query where it can."""
    if path == "pk":
        return obj.pk
    parts = path.split("__")
    target = obj
    for part in parts[:-1]:
        target = getattr(target, part, None)
        if target is None:
            return None
    last = parts[-1]
    field_id = f"{last}_id"
    if hasattr(target, field_id):
        return getattr(target, field_id)
    value = getattr(target, last, None)
    return getattr(value, "pk", value)


class Policy:
    """Declares how a model is scoped; subclasses change the paths and the role table."""

    institution_path: str = "institution"
    department_path: str | None = None
    actions: dict[str, frozenset] = {VIEW: ALL_ROLES, ADD: MANAGE, CHANGE: MANAGE, DELETE: MANAGE}
    # Roles that see and act only inside their own OPD (when the model belongs to an OPD).
    department_bound_roles: frozenset = frozenset({Role.OPERATOR})

    def roles_for(self, action: str) -> frozenset:
        return self.actions.get(action, frozenset())

    def grant_q(self, grant: Grant, action: str = VIEW) -> Q:
        if grant.role in self.department_bound_roles and self.department_path:
            if grant.department_id is None:
                return Q(pk__in=[])
            return Q(**{self.department_path: grant.department_id})
        return Q(**{self.institution_path: grant.institution_id})

    def scope(self, user, queryset: models.QuerySet, action: str = VIEW) -> models.QuerySet:
        if getattr(user, "is_superuser", False) and user.is_active:
            return queryset
        roles = self.roles_for(action)
        q = Q(pk__in=[])
        for grant in grants(user):
            if grant.role in roles:
                q |= self.grant_q(grant, action)
        return queryset.filter(q).distinct() if self._may_duplicate() else queryset.filter(q)

    def _may_duplicate(self) -> bool:
        return False

    def grant_parts(self, grant: Grant, action: str = VIEW) -> list[Q]:
        """``grant_q`` as the conditions it is an OR of, each one an index can serve (``sia.core.paging``)."""
        return [self.grant_q(grant, action)]

    def scope_parts(self, user, action: str = VIEW) -> list[Q] | None:
        """``scope``'s rule as disjoint conditions (each part minus the ones before it) whose OR is the rule; None
        when the rule is a single condition (or everything), so there is nothing to read part by part, and when
        the policy's ``scope`` is its own rule rather than the OR of ``grant_q`` (parts made of the grants would
        miss what it adds: an integration of another OPD's validated application, the national reference nodes)."""
        if getattr(user, "is_superuser", False) and user.is_active or self._may_duplicate():
            return None
        if type(self).scope is not Policy.scope:
            return None
        roles = self.roles_for(action)
        parts = []
        for grant in grants(user):
            if grant.role in roles:
                parts += [part for part in self.grant_parts(grant, action) if part not in parts]
        if len(parts) < 2:
            return None
        disjoint, before = [], None
        for part in parts:
            disjoint.append(part if before is None else part & ~before)
            before = part if before is None else before | part
        return disjoint

    def directory(self, user, queryset: models.QuerySet) -> models.QuerySet:
        """The rows offered as choices when the user links something to them; by default what
        they may see. Directories that name no secrets (the OPDs of one's instansi) widen it."""
        return self.scope(user, queryset, VIEW)

    # Links to rows of this model may name a row that a reader of the linking object may not see
    # (another OPD's draft). Such links pass through ``readable`` (see ``LinkReader``); links to
    # other models name directory entries (OPDs, units, value lists) and are shown as they are.
    private_links: bool = False

    def readable(self, user, objects) -> set:
        """The primary keys among ``objects`` (rows of this policy's model) that a link may name to
        ``user``: what the user's directory holds. One query; a policy that can decide from the
        loaded rows alone overrides it to need none."""
        objects = list(objects)
        if not objects:
            return set()
        model = type(objects[0])
        queryset = model._default_manager.filter(pk__in={obj.pk for obj in objects})
        return set(self.directory(user, queryset).values_list("pk", flat=True))

    def grant_covers(self, grant: Grant, institution_id, department_id) -> bool:
        if grant.institution_id != institution_id:
            return False
        if grant.role in self.department_bound_roles and self.department_path:
            return grant.department_id is not None and grant.department_id == department_id
        return True

    def allows(self, user, action: str, obj) -> bool:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return False
        if user.is_superuser:
            return True
        institution_id = _resolve(obj, self.institution_path)
        department_id = _resolve(obj, self.department_path) if self.department_path else None
        return self.allows_in(user, action, institution_id, department_id)

    def allows_in(self, user, action: str, institution_id, department_id=None) -> bool:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return False
        if user.is_superuser:
            return True
        roles = self.roles_for(action)
        return any(
            grant.role in roles and self.grant_covers(grant, institution_id, department_id)
            for grant in grants(user)
        )


_registry: dict[type[models.Model], Policy] = {}


def register(*model_classes):
    """Class decorator: ``@register(Department) class DepartmentPolicy(Policy): ...``."""

    def decorator(policy_cls):
        for model in model_classes:
            _registry[model] = policy_cls()
        return policy_cls

    return decorator


def policy_for(model_or_obj) -> Policy:
    model = model_or_obj if isinstance(model_or_obj, type) else type(model_or_obj)
    model = getattr(model, "instance_type", None) or model  # historical records
    for klass in model.__mro__:
        if klass in _registry:
            return _registry[klass]
    raise LookupError(f"No permission policy is registered for {model.__name__}")


def visible(user, queryset_or_model, action: str = VIEW) -> models.QuerySet:
    """The rows the user may see (or act on, for another action)."""
    queryset = (
        queryset_or_model._default_manager.all()
        if isinstance(queryset_or_model, type)
        else queryset_or_model
    )
    return policy_for(queryset.model).scope(user, queryset, action)


def choices(user, queryset_or_model) -> models.QuerySet:
    """The rows a form or an API field may offer the user to link to."""
    queryset = (
        queryset_or_model._default_manager.all()
        if isinstance(queryset_or_model, type)
        else queryset_or_model
    )
    return policy_for(queryset.model).directory(user, queryset)


def can(user, action: str, obj) -> bool:
    """May the user do ``action`` on ``obj``?"""
    return policy_for(obj).allows(user, action, obj)


def can_in(user, action: str, model, institution_id, department_id=None) -> bool:
    """May the user do ``action`` on a (new) ``model`` row in that instansi and OPD?"""
    return policy_for(model).allows_in(user, action, institution_id, department_id)


def can_anywhere(user, action: str, model) -> bool:
    """Is there any instansi where the user may do ``action`` on ``model``? (menus, buttons)"""
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    roles = policy_for(model).roles_for(action)
    return any(grant.role in roles for grant in grants(user))


def institution_ids_for(user, action: str, model) -> Iterable[int] | None:
    """The instansi IDs where the user may do ``action`` on ``model``; None means all."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return None
    roles = policy_for(model).roles_for(action)
    return sorted({g.institution_id for g in grants(user) if g.role in roles})


def readable_institutions(user, model):
    """The active instansi where the user may view ``model`` (every one for a superuser), by name."""
    ids = institution_ids_for(user, VIEW, model)
    queryset = _membership_source().institutions().order_by("name")
    return queryset if ids is None else queryset.filter(pk__in=ids)


def roles_of(user, institution_id=None) -> set[str]:
    return {g.role for g in grants(user) if institution_id is None or g.institution_id == institution_id}


class LinkReader:
    """What one reader may see of the objects that other objects link to: the single rule behind
    every representation of a link (API fields, detail pages, list columns, CSV and Excel exports,
    archives, diagrams). A link to a row the reader may not see is left out of a list of links, and
    shown without its name (``HIDDEN``) where it is a single reference.

    Create one per request or export and reuse it: each row is decided once. ``prime`` decides a
    batch of rows at once (one query per model at most, none for policies that decide in memory),
    so lists stay at a constant number of queries.
    """

    def __init__(self, user):
        self.user = user
        self._decided: dict[tuple, bool] = {}

    def _key(self, obj) -> tuple:
        model = type(obj)
        return (model._meta.concrete_model, obj.pk)

    def _policy(self, model) -> Policy | None:
        try:
            policy = policy_for(model)
        except LookupError:
            return None
        return policy if policy.private_links else None

    def prime(self, objects) -> None:
        """Decides ``objects`` (of any models) in one batch per model."""
        pending: dict = {}
        for obj in objects:
            if obj is None or obj.pk is None or self._key(obj) in self._decided:
                continue
            pending.setdefault(type(obj)._meta.concrete_model, {})[obj.pk] = obj
        superuser = getattr(self.user, "is_superuser", False) and getattr(self.user, "is_active", False)
        for model, rows in pending.items():
            policy = None if superuser else self._policy(model)
            seen = set(rows) if policy is None else policy.readable(self.user, rows.values())
            for pk in rows:
                self._decided[(model, pk)] = pk in seen

    def shows(self, obj) -> bool:
        """May the reader see the row ``obj`` that some link points to?"""
        if obj is None:
            return True
        key = self._key(obj)
        if key not in self._decided:
            self.prime([obj])
        return self._decided[key]

    def visible(self, objects) -> list:
        """The linked objects the reader may see, in their order."""
        objects = list(objects)
        self.prime(objects)
        return [obj for obj in objects if self.shows(obj)]

    def visible_ids(self, model, pks) -> set:
        """The IDs among ``pks`` (rows of ``model``) the reader may see: for exports that read links as IDs."""
        pks = {pk for pk in pks if pk is not None}
        if not pks:
            return set()
        superuser = getattr(self.user, "is_superuser", False) and getattr(self.user, "is_active", False)
        if superuser or self._policy(model) is None:
            return pks
        unknown = [pk for pk in pks if (model._meta.concrete_model, pk) not in self._decided]
        if unknown:
            self.prime(model._default_manager.filter(pk__in=unknown))
        return {pk for pk in pks if self._decided.get((model._meta.concrete_model, pk))}

    def queryset(self, queryset) -> models.QuerySet:
        """Rows of a query for links (e.g. the objects that link to one object), narrowed in the database."""
        return choices(self.user, queryset) if self._policy(queryset.model) is not None else queryset


# What a single reference to a row the reader may not see shows instead of the row's name.
HIDDEN = _("(tersembunyi)")


# --- what a reader's rows follow from (for SQL compiled once per reader, ``sia.core.compiled``) ---------------------
def grant_scoped(models) -> bool:
    """Whether every model's policy scopes by the reader's grants alone (the base rule, or a rule that
    ``view_scope`` restates), so that the SQL of what a reader sees follows from their grants and nothing else."""
    for model in models:
        policy = policy_for(model)
        if not (hasattr(policy, "view_scope") or type(policy).scope is Policy.scope):
            return False
    return True


def reader_key(user) -> tuple | None:
    """What the rows a reader sees depend on: superuser, or their grants now; None for an anonymous reader."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return ("superuser",)
    return ("grants", frozenset((g.institution_id, g.department_id, g.role) for g in grants(user)))

