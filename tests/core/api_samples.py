"""One object of every kind the API serves, so that generated API tests reach real objects.

Used by the schema-walking tests (integer inputs, the property-based fuzz): every detail path
``{id}`` can be filled with the ID of an object the instansi admin may see.
"""

from __future__ import annotations

from django.urls import resolve

from sia.architecture.models import BusinessProcess, DataItem, Service
from sia.architecture.values import seed_value_lists
from sia.evaluation.frameworks import install_default_frameworks
from sia.evaluation.models import Assessment, AssessmentTeamMember, Indicator
from sia.evaluation.pdf import minimal_pdf
from sia.evaluation.services import set_level
from sia.evaluation.uploads import attach_file, attach_url
from sia.exchange.uploads import start_import
from sia.reference.loader import ensure_default_catalogs
from sia.reference.models import ReferenceNode

from .. import factories as f
from ..exchange.helpers import upload, workbook


def _national(code):
    return ReferenceNode.objects.current().get(code=code, institution__isnull=True)


def populate(world) -> None:
    """Reference catalogs, value lists, a function, a work unit, one object of every architecture
    domain, an instansi reference node, an open assessment with a level and two pieces of evidence
    (a PDF and a link) and an Excel upload in preview, all in the world's first instansi (DISKOMINFO)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    ensure_default_catalogs()
    seed_value_lists(world.inst)
    function = f.function(world.kominfo, 1, "Perumusan kebijakan teknis di bidang informatika")
    f.work_unit(world.kominfo, name="Bidang Statistik")
    process = BusinessProcess.objects.create(
        department=world.kominfo, name="Pengelolaan Data Statistik", reference=_national("RAB.09.03.04")
    )
    process.functions.set([function])
    service = Service.objects.create(department=world.kominfo, name="Layanan Data Statistik")
    service.processes.set([process])
    data = DataItem.objects.create(department=world.kominfo, name="Data Statistik Sektoral")
    data.processes.set([process])
    parent = _national("RAB.09.06.06")
    node = ReferenceNode(version=parent.version, parent=parent, institution=world.inst, code="RAB.09.06.06.01",
                         name="Arsip Dinamis")
    node.full_clean()
    node.save()
    framework = install_default_frameworks()[0]
    assessment = Assessment.objects.create(institution=world.inst, year=2024, framework=framework)
    assessor = world.users["assessor"]
    AssessmentTeamMember.objects.create(assessment=assessment, user=assessor, role="asesor")
    indicators = {i.number: i for i in Indicator.objects.filter(framework=framework, number__in=(11, 12))}
    set_level(assessment, indicators[11], 2, user=assessor)
    pdf = SimpleUploadedFile("dokumen.pdf", minimal_pdf(["Dokumen uji"]), content_type="application/pdf")
    attach_file(assessment, indicators[11], pdf, user=assessor, title="Dokumen Arsitektur")
    attach_url(assessment, indicators[12], "https://spbe.example.go.id/peta-rencana", user=assessor)
    rows = [["ID", "Perangkat daerah *", "Nama *"], ["", "DISKOMINFO", "Proses Baru Lewat Unggahan"]]
    start_import(upload(workbook({"Proses Bisnis": rows}), "isian.xlsx"), user=world.users["admin"],
                 institution=world.inst)
    from sia.publishing.jobs import request_document

    request_document(world.users["admin"], world.inst)  # a Dokumen Arsitektur SPBE, written (tests run jobs at once)


def sample_id(path_template: str, user) -> int | None:
    """The ID of an object ``user`` may see behind a detail path such as ``/api/x/{id}/``
    (resolved through the view's own queryset), or None."""
    from sia.core import permissions

    probe = path_template.replace("{id}", "1").replace("{institution_id}", "1")
    match = resolve(probe)
    view_class = getattr(match.func, "cls", None) or getattr(match.func, "view_class", None)
    if "{institution_id}" in path_template:
        return permissions.visible(user, world_institutions()).values_list("pk", flat=True).first()
    queryset = getattr(view_class, "queryset", None)
    model = getattr(view_class, "model", None) or (queryset.model if queryset is not None else None)
    if model is None:
        return None
    return permissions.visible(user, model._default_manager.all()).order_by("pk").values_list("pk", flat=True).first()


def world_institutions():
    from sia.organizations.models import Institution

    return Institution.objects.order_by("pk")
