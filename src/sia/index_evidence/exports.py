"""The exports one click attaches as evidence of an indicator, dated and as the user reads them: the application
inventory (the Aplikasi workbook of ``sia.exchange``), the Peta Rencana SPBE (``sia.roadmap.workbook``) and the latest
finished Dokumen Arsitektur SPBE (``sia.publishing``).

``attach_export`` is the one path: the user must be allowed to add evidence to the indicator (403), the stage must
be open (a clear message, nothing written), the indicator's facts must offer the export (404 otherwise); the file
goes through the evaluation's own evidence check and store (``sia.evaluation.uploads.attach_file``: content-addressed,
named per the Ministry's convention, recorded in the audit trail like any evidence).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from sia.architecture.models import Application
from sia.core import permissions
from sia.core.permissions import Grant
from sia.core.roles import Role
from sia.evaluation.choices import Stage
from sia.evaluation.facts import exports_offered, register_export
from sia.evaluation.models import Evidence
from sia.evaluation.uploads import attach_file
from sia.exchange import services as exchange_services
from sia.exchange import workbook as exchange_workbook
from sia.roadmap import workbook as roadmap_files

from .topics import APPLICATIONS_EXPORT
from .topics_plans import DOCUMENT_EXPORT, ROADMAP_EXPORT, latest_document

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    name: str
    mime: str


class NothingToExport(ValidationError):
    """The export has nothing to give yet (no Dokumen Arsitektur SPBE written): the message says where to make it."""


def evidence_reader(user, institution):
    """Who an export attached as evidence is built for: whoever clicks, the file is read by the whole assessment
    team (operators of any OPD among them) and goes to the Ministry, so it holds what every member of the instansi
    reads — validated objects only, never an OPD's drafts, in rows or in the links a row names. The reader is the
    clicking user (their name in the workbook's guide) with one grant: an operator of no OPD, whom the policies show
    the instansi's validated objects (``ArchitecturePolicy``) and its roadmap."""
    reader = copy.copy(user)
    reader._sia_grants = [Grant(institution.pk, None, Role.OPERATOR)]
    reader.is_superuser = False
    return reader


def application_inventory(user, institution) -> ExportFile:
    """The Aplikasi workbook (its kind group's sheets and the integrations) of the instansi's validated objects."""
    user = evidence_reader(user, institution)
    _group, models = exchange_services.workbook_group(Application.spec.slug)
    querysets = {
        model: permissions.visible(user, model.objects.filter(institution=institution))
        .order_by(*(model._meta.ordering or ["pk"]))
        for model in models
    }
    return ExportFile(exchange_workbook.build_workbook(user, institution, models, querysets=querysets),
                      exchange_services.download_name(institution, models, "ekspor"), XLSX)


def roadmap_workbook(user, institution) -> ExportFile:
    """The Peta Rencana SPBE workbook of the instansi, its gaps named only where the object is validated."""
    user = evidence_reader(user, institution)
    return ExportFile(roadmap_files.build_workbook(institution, user, prefill=True),
                      roadmap_files.download_name(institution, True), XLSX)


def architecture_document(user, institution) -> ExportFile:
    """The file of the latest finished Dokumen Arsitektur SPBE of the whole instansi with validated objects only
    (a DRAF document, or one OPD's, is never attached) that the user may read."""
    document = latest_document(user, institution, validated_only=True)
    if document is None:
        raise NothingToExport(_("Belum ada Dokumen Arsitektur SPBE yang selesai dibuat; buat dulu di %(url)s.")
                              % {"url": reverse("publishing:documents")})
    try:
        with document.file.open("rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        raise NothingToExport(_("Berkas Dokumen Arsitektur SPBE terakhir tidak ditemukan; buat ulang di %(url)s.")
                              % {"url": reverse("publishing:documents")}) from None
    return ExportFile(content, document.download_name, DOCX)


BUILDERS = {
    APPLICATIONS_EXPORT: (_l("inventaris aplikasi"), application_inventory),
    ROADMAP_EXPORT: (_l("Peta Rencana SPBE"), roadmap_workbook),
    DOCUMENT_EXPORT: (_l("Dokumen Arsitektur SPBE"), architecture_document),
}


def attach_url(assessment, indicator, key: str) -> str:
    return reverse("index_evidence:attach", args=[assessment.pk, indicator.number, key])


for _key, (_label, _build) in BUILDERS.items():
    register_export(_key, _label, attach_url)


def may_attach(user, assessment, indicator) -> bool:
    """May the user add evidence to the indicator in the current stage (whether or not the stage is open)?"""
    probe = Evidence(assessment=assessment, indicator=indicator, stage=assessment.current_stage)
    return permissions.can(user, permissions.ADD, probe)


def dated_title(key: str, day=None) -> str:
    """“Inventaris aplikasi per 5 Desember 2026”."""
    label = str(BUILDERS[key][0])
    return _("%(label)s per %(date)s") % {"label": label[:1].upper() + label[1:],
                                         "date": date_format(day or timezone.localdate(), "j F Y")}


def attach_export(assessment, indicator, key: str, *, user, item=None) -> Evidence:
    """Builds the export ``key`` as ``user`` reads it and attaches it as evidence of the indicator in the current
    stage. ``PermissionDenied`` for a user who may not add evidence; ``Http404`` for an export the indicator's facts
    do not offer; ``ValidationError`` (nothing written) on a locked stage, when there is nothing to export, or when
    the file is refused (too large, already attached). ``item``: optionally one of the indicator's evidence items
    (8/2026) the file goes on (checked by ``Evidence.clean``: another indicator's item is refused naming its code)."""
    if key not in BUILDERS:
        raise Http404(_("Ekspor tidak dikenal."))
    if not may_attach(user, assessment, indicator):
        raise PermissionDenied
    if not assessment.is_open():
        raise ValidationError(_("Tahap %(stage)s sudah dikunci; bukti dukung tidak dapat dilampirkan lagi.")
                              % {"stage": Stage(assessment.current_stage).label})
    if key not in exports_offered(assessment, indicator, user):
        raise Http404(_("Ekspor ini tidak ditawarkan untuk indikator %(n)s.") % {"n": indicator.number})
    export = BUILDERS[key][1](user, assessment.institution)
    upload = SimpleUploadedFile(export.name, export.content, content_type=export.mime)
    with transaction.atomic():
        return attach_file(assessment, indicator, upload, user=user, title=dated_title(key), item=item)
