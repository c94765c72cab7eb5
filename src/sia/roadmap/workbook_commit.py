"""Writes a clean plan of a Peta Rencana upload (``sia.roadmap.workbook_import``): every row or none, in one
transaction, each change in the audit trail (the user, the reason naming the file, the action's request ID), a new
kegiatan with its review event, a reviewed kegiatan whose plan changed (its row, a year, its gaps) back to draft; a
change of its execution only (``review.EXECUTION_FIELDS``) keeps its review."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sia.architecture import workflow
from sia.core.request_context import action_scope

from . import review
from .models import Activity, ActivityGap, ActivityYear, Initiative, Program, StrategicTarget
from .workbook_import import CREATE, UNCHANGED, UPDATE, RoadmapPlan, plan_workbook

PARENTS = {StrategicTarget: (), Initiative: ("target",), Program: ("initiative",), Activity: ("program",),
           ActivityYear: ("activity",)}


def _save(obj, user, reason):
    for name in PARENTS[type(obj)]:
        setattr(obj, name, getattr(obj, name))  # a parent created by this upload now has its real ID
    obj._history_user = user
    obj._change_reason = reason
    obj.save()


def write_plan(plan: RoadmapPlan, *, reason: str) -> dict:
    """Writes a clean plan (inside a transaction): creates and updates in the order of the tree, each with its
    history record (the user, the reason, the action's request ID)."""
    if not plan.is_clean:
        raise ValidationError(_("Berkas masih bermasalah; tidak ada yang disimpan."))
    user = plan.user
    versioned = set()  # kegiatan already at their next version: one per kegiatan whatever this file writes of it
    for entry in plan.entries:
        obj = entry.instance
        if entry.action == CREATE:
            obj.pk = None
        if entry.action == UNCHANGED:
            continue
        if isinstance(obj, Activity) and entry.action == UPDATE:
            obj.lock_version += 1
            if entry.reopens:
                workflow.reopen_if_reviewed(obj, user)
        _save(obj, user, reason)
        if isinstance(obj, Activity):
            versioned.add(obj.pk)  # its gaps are written with it below
            if entry.action == CREATE:
                workflow.record_creation(obj, user)
        if isinstance(obj, ActivityYear):
            # a year written is the kegiatan's next version (once per file); planned anew, a reviewed one goes back
            # to draft. The file's own version check ran before anything was written.
            if entry.reopens and review.reopen(obj.activity, user):
                versioned.add(obj.activity_id)
            elif obj.activity_id not in versioned:
                review.part_written(obj.activity, user, plan=False)
            versioned.add(obj.activity_id)
        for link in entry.gaps_remove:
            link._history_user, link._change_reason = user, reason
            link.delete()
        for content_type_id, object_id in entry.gaps_add:
            link = ActivityGap(activity=obj, content_type_id=content_type_id, object_id=object_id)
            link._history_user, link._change_reason = user, reason
            link.save()
    return plan.counts()


def commit_workbook(content: bytes, *, user, institution, file_name: str = "") -> RoadmapPlan:
    """Plans ``content`` again and writes it in one transaction when it is clean; the plan says what happened
    (``plan.is_clean``: written; otherwise nothing was)."""
    with action_scope():
        with transaction.atomic():
            plan = plan_workbook(content, user=user, institution=institution, lock=True)
            if plan.is_clean:
                write_plan(plan, reason=_("Unggah Excel Peta Rencana %(name)s") % {"name": file_name})
    return plan
