"""The review of a kegiatan goes through the architecture's workflow (``sia.architecture.workflow``: draft ->
diajukan -> dikembalikan | diverifikasi -> divalidasi, its ``ReviewEvent`` conversation): the operator of the OPD
that leads it submits, the verifikator verifies or returns it with a comment, the koordinator validates it.
``Activity.submit_problems`` says what must hold before it is submitted.

What this module adds is what an edit does to the review: changing the PLAN of a verified or validated kegiatan
(its name, program, OPD, units, years, pagu and source, gaps, output...) sends it back to draft (``reopen``;
``ActivityEdit`` for the web form). Recording its EXECUTION does not (``EXECUTION_FIELDS``): the kegiatan's status
pelaksanaan, and per year the realisation, "selesai" and the RKA. The RKA is what the OPD entered in its budget
document (RKA) for the year: a record of how the plan is being funded, read against the pagu for the keterpaduan
figure, not a change of what was reviewed (the pagu is). One definition, used by the web form, the API (PATCH of
kegiatan and their years) and the Excel import. Plain functions: the web views, the API and the Excel import call
them, tests call them without HTTP.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from sia.architecture import changes, workflow
from sia.architecture.choices import REVIEWED

from .models import Activity, ActivityGap, ActivityYear

# Fields that record the execution of a reviewed plan: changing only these keeps the review status.
EXECUTION_FIELDS: dict[type, frozenset[str]] = {
    Activity: frozenset({"progress"}),
    ActivityYear: frozenset({"realisation", "done", "rka"}),
}
# Bookkeeping written with every save: never a change of the plan.
_BOOKKEEPING = frozenset({"lock_version", "status", "updated", "created"})


def changes_plan(model, names) -> bool:
    """Whether changing the fields ``names`` (field names or attnames) of a ``model`` row changes the reviewed plan,
    i.e. whether it reopens a verified or validated kegiatan. Only the execution fields (``EXECUTION_FIELDS``) do
    not; a year row created or deleted, or a gap added or removed, is a plan change (call ``reopen`` directly)."""
    execution = EXECUTION_FIELDS.get(model, frozenset())
    for name in names:
        name = name[:-3] if name.endswith("_id") else name
        if name not in execution and name not in _BOOKKEEPING:
            return True
    return False


def reopen(activity, user) -> bool:
    """A change of the plan in a verified or validated kegiatan's years or gaps sends it back to draft (its next
    version, a ``ReviewEvent`` “kembali ke draf karena diubah”); True when it did. Call it inside the change's
    transaction; ``activity`` gets the new status and version."""
    if activity is None or activity.pk is None or activity.status not in REVIEWED:
        return False
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    if not workflow.reopen_if_reviewed(locked, user):
        return False
    locked.lock_version += 1
    locked._history_user = user
    locked.save(update_fields=[*workflow.STATUS_FIELDS, "lock_version", "updated"])
    activity.status, activity.status_since = locked.status, locked.status_since
    activity.lock_version = locked.lock_version
    return True


def part_written(activity, user, *, plan: bool = True) -> bool:
    """A year or a gap of ``activity`` was written (created, changed or deleted): the kegiatan's next version, so
    whoever edits it from an older read (the web form, an exported Excel file, the API's ``lock_version``) meets a
    conflict instead of undoing this change. ``plan``: the write changed the plan, which also sends a verified or
    validated kegiatan back to draft (``reopen``). One call per write of a kegiatan's parts (an Excel commit calls
    it once per kegiatan); the web form, which saves the kegiatan itself with its parts, needs none. True when it
    reopened. Call it inside the write's transaction; ``activity`` gets the new version."""
    if activity is None or activity.pk is None:
        return False
    if plan and reopen(activity, user):
        return True
    stored = Activity.objects.filter(pk=activity.pk)
    stored.update(lock_version=F("lock_version") + 1, updated=timezone.now())
    activity.lock_version = stored.values_list("lock_version", flat=True).get()
    return False


class Outcome(enum.StrEnum):
    CREATED = "created"
    SAVED = "saved"
    REOPENED = "reopened"  # saved; it had been verified or validated and is a draft again
    UNCHANGED = "unchanged"  # nothing differed: nothing written, a reviewed kegiatan stays reviewed
    CONFLICT = "conflict"  # someone saved another version since the editor read it: nothing written


@dataclass
class Result:
    outcome: Outcome
    obj: object
    current: object = None  # the stored row, on a conflict


def gap_keys(activity) -> set[tuple[int, int]]:
    """The gaps a kegiatan closes, as (content type ID, object ID)."""
    if activity.pk is None:
        return set()
    return set(ActivityGap.objects.filter(activity=activity).values_list("content_type_id", "object_id"))


def years_change_plan(years) -> bool:
    """Whether a bound, valid years formset changes the plan: a row added or deleted, or a stored row's plan field
    (year, pagu, source) changed; a change of realisation, RKA or "selesai" only does not."""
    for form in years.forms:
        if years.can_delete and years._should_delete_form(form):
            if form.instance.pk is not None:
                return True
            continue
        if not form.has_changed():
            continue
        if form.instance.pk is None or changes_plan(ActivityYear, form.changed_data):
            return True
    return False


class ActivityEdit:
    """One edit of a kegiatan with its years and gaps (the web form), made before the form writes into
    ``activity``: it remembers what the kegiatan held. ``save`` then, in one transaction, locks the row and compares
    its version with the one the editor read (``CONFLICT``: nothing written), writes nothing when nothing changed
    (``UNCHANGED``), else saves the kegiatan (next version, back to draft when it had been reviewed and the plan
    changed, not only its execution: ``changes_plan``), its units,
    its years (``years``: a bound, valid inline formset) and its gaps (``gaps``: (model, pk) pairs chosen, plus
    ``kept``: those the editor could not see)."""

    def __init__(self, activity, user):
        self.activity, self.user = activity, user
        self.creating = activity.pk is None
        self.before = {} if self.creating else changes.snapshot(activity)
        self.gaps_before = gap_keys(activity)

    def save(self, values, units, years, gaps, version=None) -> Result:
        activity = self.activity
        wanted = {(ContentType.objects.get_for_model(model).pk, pk) for model, pk in gaps}
        with transaction.atomic():
            if self.creating:
                values._history_user = self.user
                values.save()
                values.units.set(units)
                self._write_years(values, years)
                self._write_gaps(values, wanted)
                workflow.record_creation(values, self.user)
                return Result(Outcome.CREATED, values)
            current = Activity.objects.select_for_update().get(pk=activity.pk)
            if version is None or current.lock_version != version:
                return Result(Outcome.CONFLICT, activity, current=current)
            changed = changes.changed(self.before, values, {"units": {u.pk for u in units}})
            if not changed and not years.has_changed() and wanted == self.gaps_before:
                return Result(Outcome.UNCHANGED, activity)
            values.lock_version = current.lock_version + 1
            values.status, values.status_since = current.status, current.status_since
            plan = (changes_plan(Activity, changed) or wanted != self.gaps_before or years_change_plan(years))
            reopened = plan and workflow.reopen_if_reviewed(values, self.user)
            values._history_user = self.user
            values.save()
            values.units.set(units)
            self._write_years(values, years)
            self._write_gaps(values, wanted)
        return Result(Outcome.REOPENED if reopened else Outcome.SAVED, values)

    @staticmethod
    def _write_years(activity, years) -> None:
        years.instance = activity
        years.save()

    def _write_gaps(self, activity, wanted) -> None:
        for link in ActivityGap.objects.filter(activity=activity).select_related("content_type"):
            if (link.content_type_id, link.object_id) not in wanted:
                link.delete()
        for content_type_id, object_id in sorted(wanted - gap_keys(activity)):
            link = ActivityGap(activity=activity, content_type_id=content_type_id, object_id=object_id)
            link.full_clean()
            link.save()
