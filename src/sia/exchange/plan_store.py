"""The preview's validated plan, kept for its commit so that the commit does not read and validate the file again.

The preview (``uploads.start_import``) validates every row; the commit used to read the stored workbook and validate
it all over again, because the data may have changed in between. Now the preview also keeps its plan (the model
instances with their values, links and problems) in the default storage, next to the workbook (``imports/rencana/
<record ID>.plan``, so the background worker or another application server reads it too), with what it depended on:

- the SHA-256 of the stored workbook;
- the state of what validation reads (``state``): the architecture's generation (``sia.architecture.generation``:
  every saved or deleted object and link of every kind, and the OPDs), the catalogs and their reference codes, the
  instansi's value lists, units and OPD functions, the user's memberships and roles (what permissions read), and
  the day (rules that compare with today).

The commit (``uploads.commit_import``) takes the kept plan only when all of these are the same (the state is taken
after locking, for update, every object the plan read, as a re-validation would lock them); otherwise, or when the
plan is missing or unreadable, it reads and validates the file again as before. The state of the preview is taken
before it reads anything, so a change made while the preview ran also sends the commit back to validation.

The plan is a pickle signed with the server's secret key (an HMAC checked before anything is unpickled): a file
in storage that SIA did not write is never loaded. Sheet and column definitions, the user and the instansi are
stored by reference and taken from the running code.
"""

from __future__ import annotations

import copyreg
import hashlib
import hmac
import io
import logging
import pickle
import sys
import threading
import zlib
from functools import lru_cache

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, Max, Model
from django.utils import timezone
from django.utils.crypto import salted_hmac

from sia.architecture import generation
from sia.architecture.models import ValueListItem
from sia.core import stored_files
from sia.organizations.models import Department, DepartmentFunction, Institution, Membership, MentorAssignment, WorkUnit
from sia.reference.models import Catalog, CatalogVersion, ReferenceNode

from . import columns as c
from . import relations
from .importer import ImportPlan
from .kinds import chunks

logger = logging.getLogger(__name__)
FOLDER = "imports/rencana"
SUFFIX = ".plan"
FORMAT = b"SIA-PLAN-1"
SALT = "sia.exchange.plan_store"
DIGEST = 32


def plan_name(record_id: int) -> str:
    return f"{FOLDER}/{record_id}{SUFFIX}"


def state(user, institution) -> str:
    """A digest of everything a plan's validation read besides the file: equal digests, same validation."""
    parts = [generation.token(), timezone.localdate().isoformat(), f"{user.pk}:{user.is_active}:{user.is_superuser}",
             f"{institution.pk}"]
    dependencies = [
        (Catalog, {}), (CatalogVersion, {}), (ReferenceNode, {}),
        (Institution, {"pk": institution.pk}),
        (Department, {"institution": institution}),
        (ValueListItem, {"institution": institution}),
        (WorkUnit, {"department__institution": institution}),
        (DepartmentFunction, {"department__institution": institution}),
        (Membership, {"user": user}),
        (MentorAssignment, {}),
    ]
    for model, filters in dependencies:
        found = model._base_manager.filter(**filters).aggregate(n=Count("pk"), last=Max("pk"), at=Max("updated"))
        parts.append(f"{model._meta.label}:{found['n']}:{found['last']}:{found['at']}")
    user_model = get_user_model()
    parts.append(str(user_model._base_manager.filter(pk=user.pk).values_list("password", "is_active").first()))
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _shared(user, institution) -> dict:
    """{key: object} of what is stored by reference: sheet and column definitions of the running code, the user and
    the instansi."""
    found = {("user",): user, ("institution",): institution}
    for spec in c.sheets() + relations.relation_sheets():
        key = (type(spec).__name__, spec.model._meta.label)
        found[("spec", *key)] = spec
        for column in spec.columns:
            found[("column", *key, column.name)] = column
    return found


_loading = threading.local()


def _shared_object(key):
    """An object stored by reference (``_Pickler``), as the running code has it."""
    return _loading.shared[key]


class _Pickler(pickle.Pickler):
    """Stores the objects of ``shared`` by their key. ``reducer_override`` is not even called for the numbers,
    strings, lists and dicts that make up most of a plan."""

    def __init__(self, stream, shared: dict):
        super().__init__(stream, protocol=pickle.HIGHEST_PROTOCOL)
        self.keys = {id(obj): key for key, obj in shared.items()}

    def reducer_override(self, obj):
        key = self.keys.get(id(obj))
        if key is not None:
            return _shared_object, (key,)
        if isinstance(obj, Model) and _by_reference(type(obj)) and memoryview not in set(map(type, obj.__dict__.values())):
            # The instance's attributes as they are, its class by reference: Django's own reduction copies the
            # attributes and looks the class up in the app registry per instance (a third of a 10,000-row plan's
            # storing and loading). The state (``ModelState``: adding, database, cached related objects) pickles as
            # Django pickles it.
            return copyreg.__newobj__, (type(obj),), obj.__dict__, None, None, _restore_instance
        return NotImplemented


@lru_cache(maxsize=None)
def _by_reference(model) -> bool:
    """Does the class pickle by its module and name (as a model of a models module does)?"""
    return getattr(sys.modules.get(model.__module__), model.__qualname__, None) is model


def _restore_instance(obj, state: dict) -> None:
    obj.__dict__.update(state)


def _load(body: bytes, shared: dict):
    _loading.shared = shared
    try:
        return pickle.loads(zlib.decompress(body))
    finally:
        del _loading.shared


def _signature(body: bytes) -> bytes:
    return salted_hmac(SALT, body, algorithm="sha256").digest()


def keep(record, plan: ImportPlan, *, plan_state: str) -> None:
    """Stores ``plan`` (a clean preview of ``record``) for the commit. The raw rows are dropped first."""
    for sheet in plan.sheets:
        sheet.rows = []
    stream = io.BytesIO()
    meta = {"sha256": record.sha256, "state": plan_state, "user": record.user_id,
            "institution": record.institution_id}
    _Pickler(stream, _shared(plan.user, plan.institution)).dump((meta, plan))
    body = zlib.compress(stream.getvalue(), 1)
    name = plan_name(record.pk)
    stored_files.delete(name)
    stored_files.save_bytes(name, FORMAT + _signature(body) + body)


def discard(record_id: int) -> None:
    stored_files.delete(plan_name(record_id))


def remove_stale(seconds: float) -> int:
    return stored_files.remove_older_than(FOLDER, seconds, SUFFIX)


def reuse(record, *, user, sha256: str) -> ImportPlan | None:
    """The plan kept by the preview of ``record`` if it is still the plan a validation would make now; None when
    there is none or it may differ (the file, or anything validation read, changed since). Call inside the commit's
    transaction: the objects the plan read are locked for update before the state is compared."""
    data = stored_files.read_bytes(plan_name(record.pk))
    if not data or not data.startswith(FORMAT):
        return None
    signature, body = data[len(FORMAT):len(FORMAT) + DIGEST], data[len(FORMAT) + DIGEST:]
    if not hmac.compare_digest(signature, _signature(body)):
        logger.warning("Rencana unggahan %s tidak sah; divalidasi ulang", record.pk)
        return None
    try:
        meta, plan = _load(body, _shared(user, record.institution))
    except Exception:  # written by another version of the code: validate again
        logger.warning("Rencana unggahan %s tidak terbaca; divalidasi ulang", record.pk, exc_info=True)
        return None
    if (meta["sha256"] != sha256 or sha256 != record.sha256 or meta["user"] != user.pk
            or meta["institution"] != record.institution_id or not plan.is_clean):
        return None
    _lock(plan)
    if meta["state"] != state(user, record.institution):
        return None
    return plan


def _lock(plan: ImportPlan) -> None:
    """Locks for update the saved objects the plan read, as ``Lookups(lock=True)`` does when it validates again."""
    if not connection.features.has_select_for_update or plan.lookups is None:
        return
    for model, objects in plan.lookups.by_pk.items():
        for chunk in chunks(sorted(pk for pk in objects if pk is not None and pk > 0)):
            list(model._base_manager.filter(pk__in=chunk).select_for_update().values_list("pk", flat=True))
