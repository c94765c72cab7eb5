"""The governance register as evidence: an indicator's page of an assessment lists the instansi's documents in force
that evidence the indicator (``sia.evaluation.facts.register_facts_everywhere``), and one click attaches their files
as its evidence (``register_export``): the same stored file (``EvidenceFile``, content-addressed), named per the
Ministry's convention, recorded in the audit trail like any evidence; refused when the stage is locked.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from sia.core import permissions
from sia.evaluation.choices import Stage
from sia.evaluation.facts import Fact, exports_offered, register_export, register_facts_everywhere
from sia.evaluation.models import Evidence
from sia.evaluation.uploads import next_file_name

from .models import PolicyDocument, in_force_q

EXPORT = "kebijakan"


def documents_for(assessment, indicator, user, day=None):
    """The documents in force (``day``: today) of the assessment's instansi that evidence the indicator and that
    ``user`` may see, with a file."""
    queryset = PolicyDocument.objects.filter(in_force_q(day), institution_id=assessment.institution_id,
                                             indicators=indicator, blob__isnull=False)
    return list(permissions.visible(user, queryset).select_related("blob").order_by("-date", "pk"))


def document_facts(assessment, indicator, user) -> list[Fact]:
    """One fact per document in force that evidences the indicator, offering its file as evidence."""
    facts = []
    for document in documents_for(assessment, indicator, user):
        detail = _("Ditetapkan %(date)s") % {"date": date_format(document.date, "j F Y")}
        if document.valid_until:
            detail += "; " + _("berlaku sampai %(date)s") % {"date": date_format(document.valid_until, "j F Y")}
        facts.append(Fact(label=str(document), value=str(document.get_status_display()), detail=detail,
                          url=document.get_absolute_url(), export=EXPORT))
    return facts


def attach_url(assessment, indicator, key: str) -> str:
    return reverse("governance:attach", args=[assessment.pk, indicator.number])


register_facts_everywhere(document_facts)
register_export(EXPORT, _l("dokumen kebijakan yang berlaku"), attach_url)


def attach_documents(assessment, indicator, *, user, item=None) -> list[Evidence]:
    """Attaches the file of every document in force that evidences the indicator (and that is not attached to it
    yet) as evidence in the current stage. ``PermissionDenied`` for a user who may not add evidence there; ``Http404``
    when the indicator is offered no document; ``ValidationError`` (nothing written) on a locked stage or when every
    file is attached already."""
    probe = Evidence(assessment=assessment, indicator=indicator, stage=assessment.current_stage)
    if not permissions.can(user, permissions.ADD, probe):
        raise PermissionDenied
    if not assessment.is_open():
        raise ValidationError(_("Tahap %(stage)s sudah dikunci; bukti dukung tidak dapat dilampirkan lagi.")
                              % {"stage": Stage(assessment.current_stage).label})
    if EXPORT not in exports_offered(assessment, indicator, user):
        raise Http404(_("Tidak ada dokumen kebijakan berlaku untuk indikator %(n)s.") % {"n": indicator.number})
    attached = set(Evidence.objects.filter(assessment=assessment, indicator=indicator, blob__isnull=False)
                   .values_list("blob_id", flat=True))
    documents = [d for d in documents_for(assessment, indicator, user) if d.blob_id not in attached]
    if not documents:
        raise ValidationError(_("Berkas dokumen kebijakan yang berlaku sudah dilampirkan pada indikator %(n)s.")
                              % {"n": indicator.number})
    created = []
    with transaction.atomic():
        for document in documents:
            title = str(document)[:200]
            extension = "." + document.blob.file.name.rsplit(".", 1)[-1] if "." in document.blob.file.name else ""
            evidence = Evidence(assessment=assessment, indicator=indicator, stage=assessment.current_stage,
                                title=title, original_name=document.original_name, added_by=user, item=item,
                                blob=document.blob, file_name=next_file_name(assessment, indicator, title, extension))
            evidence.full_clean()
            evidence.save()
            created.append(evidence)
    return created
