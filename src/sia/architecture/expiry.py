"""What makes an object of a kind out of date (``Expiry``), declared once on its ``DomainSpec.expiry``: a
platform past its end of support, a cloud license that ended, a security standard past its end date, an audit
without follow-up. From that one declaration the kind's list gets the filter ``?kedaluwarsa=<key>`` (pages and
API, ``sia.architecture.filtersets``), the completeness figures a warning per OPD, and the home pages and the
completeness page a "Peringatan" block that counts the objects a user may see and links to that filtered list
(``sia.architecture.completeness``: every kind's warnings in one query).

Plain module: no model import at load time (``models.base`` imports it).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q

FILTER = "kedaluwarsa"  # the list filter's name: ``/arsitektur/server/?kedaluwarsa=akhir-dukungan``


@dataclass(frozen=True)
class Expiry:
    """One way an object of a kind runs out of date: ``date_field`` lies before today, and/or the fixed
    condition ``where`` holds (an audit whose follow-up is not done). ``key`` is the filter's value,
    ``label`` its choice ("Melewati akhir dukungan"), ``message`` the warning with ``%(n)d`` for the count."""

    key: str
    label: str
    message: str
    date_field: str = ""
    where: Q | None = None

    def condition(self, today: datetime.date | None = None) -> Q:
        from django.utils import timezone

        q = Q()
        if self.date_field:
            q &= Q(**{f"{self.date_field}__lt": today or timezone.localdate()})
        if self.where is not None:
            q &= self.where
        return q

    def text(self, n: int) -> str:
        return str(self.message) % {"n": n}


def expiry_of(model, key: str) -> Expiry | None:
    for expiry in getattr(getattr(model, "spec", None), "expiry", ()):
        if expiry.key == key:
            return expiry
    return None


def list_url(model, expiry: Expiry, department=None) -> str:
    """The kind's list narrowed to the objects ``expiry`` names (and to one OPD, given its department)."""
    from urllib.parse import urlencode

    from django.urls import reverse

    query = {FILTER: expiry.key}
    if department is not None:
        query["department"] = department.abbreviation
    return f"{reverse(f'architecture:{model._meta.model_name}_list')}?{urlencode(query)}"
