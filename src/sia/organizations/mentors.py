"""Mentor assignments as plain functions: assign an OPD to a verifikator, or move it from one to another.

Forms, the API and the koordinator's "Beban mentor" page write through the model's ``full_clean()``; moving an OPD
changes its one assignment row, so the audit trail (django-simple-history) shows who moved it from whom to whom."""

from django.db import transaction

from .models import MentorAssignment


def assign(department, mentor, by=None) -> MentorAssignment:
    """Makes ``mentor`` the mentor of ``department`` (a new assignment, or the OPD moved from its current mentor).
    Raises ``ValidationError`` with the model's message and writes nothing when the rules refuse it."""
    with transaction.atomic():
        assignment = (
            MentorAssignment.objects.select_for_update().filter(department=department).first()
            or MentorAssignment(department=department)
        )
        if assignment.pk and assignment.mentor_id == mentor.pk:
            return assignment
        assignment.department, assignment.mentor = department, mentor
        assignment.full_clean()
        if by is not None:
            assignment._history_user = by
        assignment.save()
        return assignment


def mentored_department_ids(user) -> set[int]:
    """The OPDs ``user`` mentors (one query)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(MentorAssignment.objects.filter(mentor=user).values_list("department_id", flat=True))
