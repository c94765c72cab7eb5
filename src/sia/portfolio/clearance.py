"""Clearance of a new application: before an OPD builds or buys one, the verifikator checks what already exists.

A *to-be new* application (``state`` "to-be-baru") shows, while it is written and when it is reviewed, the
existing applications of the instansi and the national shared ones that already cover it
(``similar``, from ``sia.portfolio.duplicates.similar_applications``). The verifikator (or an admin)
records one decision per application (``record``):

- **lanjut**: no existing application covers it; the OPD may go on;
- **pakai-yang-ada**: use an existing application of the instansi or a national shared one instead (name it:
  one still in use, not a retired one nor another to-be new proposal, ``reuse_target_problem``);
- **ditolak**: not to be built, for the reason given.

The decision rules the review (``review_gate``, registered with ``sia.core.review_gates``): a to-be new
application is verified only once its clearance is recorded, and one whose clearance says "pakai-yang-ada"
or "ditolak" is neither verified nor validated (the verifikator returns it, or changes the decision).

A reason is always required. Who decided and when are kept on the ``Clearance`` (its history keeps every
change), and each decision is also written into the application's review conversation, where the
operator and the reviewers read it. Operators never record a clearance (``ClearancePolicy``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sia.architecture.choices import ApplicationLifecycle, ArchitectureState
from sia.architecture.models import Application, ReviewEvent
from sia.core import permissions
from sia.core.fields import FREE_TEXT_MAX
from sia.core.review_gates import register_review_gate

from .models import Clearance, ClearanceDecision

SIMILAR_LIMIT = 8


def needs_clearance(application) -> bool:
    """Only a to-be new application is cleared: an existing one, or an upgrade of one, is not proposed anew."""
    return application.state == ArchitectureState.TO_BE_NEW


def problems(clearance) -> dict[str, str]:
    """What is wrong with a clearance, by field: the one rule behind ``Clearance.clean``, the form and the API."""
    errors = {}
    application = clearance.application if clearance.application_id else None
    if application is not None and not needs_clearance(application):
        errors["application"] = _("Kliring hanya untuk aplikasi dengan kondisi “To-be baru”.")
    if not (clearance.reason or "").strip():
        errors["reason"] = _("Tuliskan alasan keputusan ini.")
    reused, national = clearance.reused_application, clearance.reused_national
    if clearance.decision == ClearanceDecision.REUSE:
        if reused is None and national is None:
            errors["reused_application"] = _(
                "Pilih aplikasi yang sudah ada atau aplikasi umum nasional yang dipakai.")
        elif reused is not None and national is not None:
            errors["reused_national"] = _("Pilih salah satu saja: aplikasi yang sudah ada atau aplikasi umum nasional.")
    elif reused is not None or national is not None:
        errors["reused_application"] = _("Aplikasi yang dipakai hanya diisi bila keputusannya memakai yang sudah ada.")
    if application is not None:
        if reused is not None and reused.pk == application.pk:
            errors["reused_application"] = _("Aplikasi tidak dapat memakai dirinya sendiri.")
        elif reused is not None and reused.institution_id != application.institution_id:
            errors["reused_application"] = _("Aplikasi ini milik instansi lain.")
        elif reused is not None and (problem := reuse_target_problem(reused)):
            errors["reused_application"] = problem
        if national is not None and national.institution_id != application.institution_id:
            errors["reused_national"] = _("Nilai pilihan ini milik instansi lain.")
    return errors


def reuse_target_problem(reused) -> str:
    """Why ``reused`` cannot be the application a new one is told to use instead, or "": it must exist and
    run (not retired, not itself a to-be new proposal). ``reuse_targets`` is the same rule as a queryset."""
    if reused.lifecycle == ApplicationLifecycle.RETIRED:
        return _("Aplikasi ini sudah dihentikan; pilih aplikasi yang masih dipakai.")
    if reused.state == ArchitectureState.TO_BE_NEW:
        return _("Aplikasi ini juga usulan aplikasi baru; pilih aplikasi yang sudah ada.")
    return ""


def reuse_targets(queryset):
    """The applications of ``queryset`` a new one may be told to use (``reuse_target_problem`` gives none)."""
    return queryset.exclude(lifecycle=ApplicationLifecycle.RETIRED).exclude(state=ArchitectureState.TO_BE_NEW)


def may_record(user, application) -> bool:
    """May ``user`` record (or change) the clearance of ``application``? Verifikator and admins of its instansi."""
    probe = Clearance(application=application)
    return needs_clearance(application) and permissions.can(user, permissions.ADD, probe)


def _conversation_text(clearance) -> str:
    text = _("Kliring: %(decision)s") % {"decision": clearance.get_decision_display()}
    target = clearance.reused_application or clearance.reused_national
    if target is not None:
        text += f" ({target})"
    text += ". " + _("Alasan: %(reason)s") % {"reason": clearance.reason.strip()}
    return text if len(text) <= FREE_TEXT_MAX else text[: FREE_TEXT_MAX - 1] + "…"


def record(application, user, *, decision, reason, reused_application=None, reused_national=None) -> Clearance:
    """Records (or changes) the clearance of ``application`` by ``user``; raises ``PermissionDenied`` for a
    user who may not, ``ValidationError`` (nothing written) for a decision that breaks ``problems``."""
    from sia.architecture import workflow

    if not may_record(user, application):
        raise PermissionDenied(_("Hanya verifikator dan admin instansi yang mencatat kliring aplikasi baru."))
    with transaction.atomic():
        clearance = Clearance.objects.select_for_update().filter(application=application).first()
        clearance = clearance or Clearance(application=application)
        clearance.decision, clearance.reason = decision, reason
        clearance.reused_application, clearance.reused_national = reused_application, reused_national
        clearance.full_clean()
        clearance.decided_by = user
        clearance._history_user = user
        clearance.save()
        workflow.comment(application, user, _conversation_text(clearance))
    return clearance


def similar(application, user, *, name=None, function=None, reference_id=None, process_ids=None,
            limit: int = SIMILAR_LIMIT) -> list:
    """The existing applications (that ``user`` may see) and national shared ones similar to ``application``,
    best first; the keyword arguments override its saved values (a form being typed)."""
    from .duplicates import similar_applications

    name = application.name if name is None else name
    if not (name or "").strip() or not application.institution_id:
        return []
    if process_ids is None:
        process_ids = list(application.processes.values_list("pk", flat=True)) if application.pk else []
    return similar_applications(
        application.institution_id, name=name,
        function=application.function if function is None else function,
        reference_id=application.reference_id if reference_id is None else reference_id,
        process_ids=tuple(process_ids), exclude_pk=application.pk, limit=limit, user=user,
    )


@register_review_gate(Application, ReviewEvent.Action.VERIFY, ReviewEvent.Action.VALIDATE)
def review_gate(application, action, user) -> list[str]:
    """Why the clearance keeps a to-be new ``application`` from ``action`` (verify, validate), or []:
    none recorded yet, or a decision that it is not to be built ("ditolak", or "pakai-yang-ada", naming
    what to use instead). Asked by ``sia.architecture.workflow.apply``: the page, the API and bulk actions."""
    if not needs_clearance(application):
        return []
    clearance = Clearance.objects.filter(application_id=application.pk).select_related(
        "reused_application", "reused_national").first()
    if clearance is None:
        if action == ReviewEvent.Action.VERIFY:
            return [_("Catat keputusan kliring sebelum memverifikasi aplikasi baru.")]
        return [_("Catat keputusan kliring sebelum memvalidasi aplikasi baru.")]
    after = _("Kembalikan kepada operator, atau ubah keputusan kliring bila ada alasan baru.")
    if clearance.decision == ClearanceDecision.REJECTED:
        return [_("Kliring menolak aplikasi baru ini: aplikasi ini tidak dapat diverifikasi atau divalidasi.")
                + " " + after]
    if clearance.decision == ClearanceDecision.REUSE:
        target = clearance.reused_application or clearance.reused_national
        named = f"“{target}”" if target is not None else _("aplikasi yang sudah ada")
        return [_("Kliring memutuskan memakai %(target)s sebagai ganti aplikasi baru ini: aplikasi ini tidak dapat "
                  "diverifikasi atau divalidasi.") % {"target": named} + " " + after]
    return []


def validation_messages(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
