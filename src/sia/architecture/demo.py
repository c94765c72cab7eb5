"""Demo architecture: processes, services and data of ten OPDs, mapped to real reference codes and
spread over every review status, with the review conversation that got them there."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import F

from sia.core.demo import register_demo
from sia.organizations.models import Department, Institution
from sia.reference.crosswalk import propose
from sia.reference.models import ReferenceNode

from . import workflow
from .choices import ArchitectureState, ValueListKind
from .models import BusinessProcess, DataItem, ReviewEvent, Service
from .values import seed_value_lists, value

# OPD -> the RAB level-2 urusan whose level-3 sub-urusan it carries out.
OPD_URUSAN = {
    "DISKOMINFOSAN": ["RAB.09.03", "RAB.09.04"],
    "BAPPEDA": ["RAB.09.05"],
    "DINKES": ["RAB.04.01"],
    "BPKAD": ["RAB.09.02"],
    "DIKBUD": ["RAB.06.01"],
    "DKP": ["RAB.02.06", "RAB.07.04"],
    "DISHUB": ["RAB.03.03"],
    "DINSOS": ["RAB.04.02"],
    "DISPUSIP": ["RAB.09.06"],
    "DLH": ["RAB.07.05"],
}
PER_OPD = 5
# Where each object of an OPD ends up, in order: a realistic spread over the workflow.
STATUS_PLAN = ["validated", "verified", "submitted", "returned", "draft"]
RETURN_COMMENT = "Uraian belum menjelaskan keluaran proses; lengkapi target IKU dan unit pelaksana."


def _user(username):
    return get_user_model().objects.filter(username=username).first()


def _backdate(obj, days: int):
    """Moves an object's review conversation ``days`` back, so that queues show realistic ages."""
    ReviewEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
    ).update(created=F("created") - timedelta(days=days))
    workflow.restamp(type(obj), [obj.pk])


def _advance(obj, plan, operator, verifier, admin):
    """Walks an object through the workflow as the real people would."""
    if plan == "draft":
        return
    workflow.apply(obj, workflow.A.SUBMIT, operator)
    if plan == "submitted":
        return
    if plan == "returned":
        workflow.apply(obj, workflow.A.RETURN, verifier, RETURN_COMMENT)
        return
    workflow.apply(obj, workflow.A.VERIFY, verifier)
    if plan == "validated":
        workflow.apply(obj, workflow.A.VALIDATE, admin)


@register_demo(30, "Arsitektur (proses bisnis, layanan, data)")
def load_architecture() -> str:
    institution = Institution.objects.filter(code="82").first()
    if institution is None:
        return "dilewati (instansi contoh belum ada)"
    seed_value_lists(institution)
    if BusinessProcess.objects.filter(institution=institution).exists():
        return "sudah ada"
    verifier, admin = _user("verifikator"), _user("koordinator")
    walidata = Department.objects.get(institution=institution, abbreviation="DISKOMINFOSAN")
    walidata_unit = walidata.work_units.filter(name="Bidang Statistik").first()
    rab = ReferenceNode.objects.current().national().of_catalog("RAB")
    targets = {name: value(institution, ValueListKind.SERVICE_TARGET, name) for name in ("Masyarakat", "Pemerintah")}
    method = value(institution, ValueListKind.SERVICE_METHOD, "Elektronik")
    nature = value(institution, ValueListKind.DATA_NATURE, "Terbuka")
    kind = value(institution, ValueListKind.DATA_KIND, "Statistik")
    validity = value(institution, ValueListKind.DATA_VALIDITY, "Tahunan")
    counts = {"process": 0, "service": 0, "data": 0}

    for abbreviation, urusan_codes in OPD_URUSAN.items():
        department = Department.objects.get(institution=institution, abbreviation=abbreviation)
        operator = _user(f"operator.{abbreviation.lower()}") or admin
        functions = list(department.functions.all())
        unit = department.work_units.filter(parent__isnull=True).exclude(name__in=["Sekretariat", "Bagian Umum"]).first()
        urusan = list(rab.filter(code__in=urusan_codes).order_by("code"))
        sub_urusan = list(rab.filter(parent__in=urusan).select_related("parent").order_by("code")[:PER_OPD])
        root = BusinessProcess.objects.create(
            department=department, name=f"Penyelenggaraan Urusan {urusan[0].name}", reference=sub_urusan[0],
            description=f"Proses level 0 {department.name}: menjalankan urusan {urusan[0].name.lower()}.",
            strategic_goal=f"Meningkatnya kualitas penyelenggaraan urusan {urusan[0].name.lower()}",
            kpi="Indeks kepuasan masyarakat", kpi_target="85", kpi_actual="81,4", period="2025-2029",
        )
        root.functions.set(functions[:1])
        workflow.record_creation(root, operator)
        _advance(root, "validated", operator, verifier, admin)
        counts["process"] += 1
        as_is: dict = {}  # the OPD's latest as-is object of each kind: what a to-be upgrade develops
        for position, node in enumerate(sub_urusan):
            plan = STATUS_PLAN[position % len(STATUS_PLAN)]
            state = [ArchitectureState.AS_IS, ArchitectureState.AS_IS, ArchitectureState.TO_BE_UPGRADE,
                     ArchitectureState.TO_BE_NEW][position % 4]
            upgrade = state == ArchitectureState.TO_BE_UPGRADE
            process = BusinessProcess.objects.create(
                department=department, parent=root, name=node.name, reference=node, state=state, period="2025-2029",
                upgrades=as_is.get(BusinessProcess) if upgrade else None,
                description=f"{node.name} oleh {department.name} sesuai kewenangan provinsi.",
                strategic_goal=f"Terselenggaranya {node.name.lower()} yang efektif",
                kpi=f"Persentase capaian {node.name.lower()}", kpi_target="90%", kpi_actual="86%",
            )
            process.functions.set(functions[1:3])
            ral = propose(node, "RAL")
            service = Service.objects.create(
                department=department, name=f"Layanan {node.name}", reference=ral[0] if ral else None, state=state,
                upgrades=as_is.get(Service) if upgrade else None,
                period="2025-2029", purpose=f"Memberikan layanan {node.name.lower()} kepada pemangku kepentingan.",
                function_description=f"Pelaksanaan {node.name.lower()}", government_affair=node.parent,
                target=targets["Masyarakat" if position % 2 == 0 else "Pemerintah"], method=method,
                benefit="Pelayanan lebih cepat dan terukur", executing_unit=unit,
                risk="Gangguan jaringan di pulau terluar" if position == 1 else "",
                mitigation="Mode luring dan sinkronisasi berkala" if position == 1 else "",
                description=f"Layanan yang dihasilkan proses {node.name.lower()}.",
            )
            service.processes.set([process])
            rad = propose(node, "RAD")
            data = DataItem.objects.create(
                department=department, name=f"Data {node.name}", reference=rad[0] if rad else None, state=state,
                upgrades=as_is.get(DataItem) if upgrade else None,
                period="2025-2029", purpose=f"Mendukung perencanaan dan evaluasi {node.name.lower()}.",
                producer_department=department, producer_unit=unit, custodian_department=walidata,
                custodian_unit=walidata_unit,
                information_input="Laporan kegiatan bidang", information_output="Rekapitulasi tahunan",
                nature=nature, kind=kind, validity=validity, interoperable=position % 2 == 0,
                description=f"Data yang dihasilkan proses {node.name.lower()}.",
            )
            data.processes.set([process])
            data.services.set([service])
            for obj in (process, service, data):
                if state == ArchitectureState.AS_IS:
                    as_is[type(obj)] = obj
                workflow.record_creation(obj, operator)
                if obj.reference_id:
                    _advance(obj, plan, operator, verifier, admin)
                _backdate(obj, days=2 + (counts["process"] * 3 + position) % 40)
            counts["process"] += 1
            counts["service"] += 1
            counts["data"] += 1
    counts["process"] += _starters(institution, rab)
    return "{process} proses bisnis, {service} layanan, {data} data".format(**counts)


# OPDs that have only begun: two draft processes each, filled to different depths, so that the
# completeness heat map shows more than full rows and empty ones.
STARTERS = {"DISPAR": ("RAB.02.11", 1), "DISTAN": ("RAB.02.03", 3), "BKD": ("RAB.09.06", 5)}


def _starters(institution, rab) -> int:
    created = 0
    for abbreviation, (urusan, depth) in STARTERS.items():
        department = Department.objects.filter(institution=institution, abbreviation=abbreviation).first()
        if department is None:
            continue
        operator = _user(f"operator.{abbreviation.lower()}") or _user("koordinator")
        for node in rab.filter(parent__code=urusan).order_by("code")[:2]:
            text = node.name.lower()
            filled = {
                "description": f"{node.name} oleh {department.name}.",
                "strategic_goal": f"Terselenggaranya {text} yang efektif",
                "kpi": f"Persentase capaian {text}",
                "kpi_target": "80%",
            }
            process = BusinessProcess.objects.create(
                department=department, name=node.name, reference=node, period="2025-2029",
                **dict(list(filled.items())[: max(depth - 1, 0)]),
            )
            if depth >= 6:
                process.functions.set(department.functions.all()[:1])
            workflow.record_creation(process, operator)
            _backdate(process, days=3 + created)
            created += 1
    return created


from . import demo_applications  # noqa: E402,F401 (registers the Aplikasi demo step)
from . import demo_infrastructure  # noqa: E402,F401 (registers the Infrastruktur demo step)
from . import demo_security  # noqa: E402,F401 (registers the Keamanan demo step)
