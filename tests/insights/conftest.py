"""A hand-built architecture with known answers: Diskominfo's data centre and server host the applications of
Dinkes, Bappeda and Diskominfo; a two-way integration and shared data make a cycle; a keamanan standard
protects the server and one application (protection, no dependency)."""

import datetime
from types import SimpleNamespace

import pytest

from sia.architecture.choices import IntegrationDirection, ReviewStatus, ServerType
from sia.architecture.models import (
    Application, ApplicationIntegration, BusinessProcess, ComputingFacility, DataItem, Peripheral, PlatformSoftware,
    SecurityStandard, Server, Service,
)
from tests import factories as f

VALID = ReviewStatus.VALIDATED


def make(model, department, name, **values):
    many = {k: values.pop(k) for k in list(values) if model._meta.get_field(k).many_to_many}
    obj = model.objects.create(department=department, name=name, status=values.pop("status", VALID), **values)
    for name, targets in many.items():
        getattr(obj, name).set(targets)
    return obj


@pytest.fixture
def count_cold_queries(count_queries):
    """Queries of ``func`` when no graph is kept (``sia.insights.graph_cache``): as after any change to the
    architecture, the graph is read, in a number of queries that must not grow with the objects."""
    from sia.insights import graph_cache

    def run(func):
        graph_cache.clear()
        return count_queries(func)

    return run


@pytest.fixture
def landscape(world):
    kominfo, dinkes = world.kominfo, world.dinkes
    bappeda = f.department(world.inst, name="Badan Perencanaan Pembangunan Daerah", abbreviation="BAPPEDA")
    o = SimpleNamespace(kominfo=kominfo, dinkes=dinkes, bappeda=bappeda)
    o.dc = make(ComputingFacility, kominfo, "Pusat Data Provinsi")
    o.sv1 = make(Server, kominfo, "Server Aplikasi 1", server_type=ServerType.PHYSICAL, facility=o.dc)
    o.sv2 = make(Server, kominfo, "Server Aplikasi 2", server_type=ServerType.PHYSICAL, facility=o.dc)
    o.os = make(PlatformSoftware, kominfo, "CentOS 7", end_of_support=datetime.date(2024, 6, 30))
    o.printer = make(Peripheral, kominfo, "Printer Ruang Server")  # serves nothing: unused
    o.app_dinkes = make(Application, dinkes, "SIMKES", servers=[o.sv1])
    o.app_bappeda = make(Application, bappeda, "e-Planning", servers=[o.sv1], platform_software=[o.os])
    o.app_kominfo = make(Application, kominfo, "Portal Provinsi", servers=[o.sv1, o.sv2])  # an alternative
    o.app_orphan = make(Application, kominfo, "Aplikasi Lama")  # supports no process
    o.p_dinkes = make(BusinessProcess, dinkes, "Pelayanan Kesehatan")
    o.p_sub = make(BusinessProcess, dinkes, "Pendaftaran Pasien", parent=o.p_dinkes)
    o.p_bappeda = make(BusinessProcess, bappeda, "Penyusunan RKPD")
    o.p_kominfo = make(BusinessProcess, kominfo, "Publikasi Informasi")
    o.p_manual = make(BusinessProcess, bappeda, "Musrenbang Manual")
    o.p_alone = make(BusinessProcess, dinkes, "Rapat Internal")  # realizes no service
    o.app_dinkes.processes.set([o.p_sub])
    o.app_bappeda.processes.set([o.p_bappeda])
    o.app_kominfo.processes.set([o.p_kominfo])
    o.s_dinkes = make(Service, dinkes, "Layanan Puskesmas", processes=[o.p_dinkes])
    o.s_bappeda = make(Service, bappeda, "Layanan Perencanaan", processes=[o.p_bappeda])
    o.s_kominfo = make(Service, kominfo, "Layanan Informasi Publik", processes=[o.p_kominfo])
    o.s_manual = make(Service, bappeda, "Layanan Musrenbang", processes=[o.p_manual])  # no application
    o.app_bappeda.services.set([o.s_bappeda])
    o.data = make(DataItem, dinkes, "Data Kunjungan Pasien", services=[o.s_dinkes], custodian_department=dinkes)
    o.data_alone = make(DataItem, bappeda, "Data Tanpa Sumber")  # no producer, no walidata
    o.app_dinkes.writes.set([o.data])
    o.app_bappeda.reads.set([o.data])
    ApplicationIntegration.objects.create(source=o.app_bappeda, target=o.app_dinkes, data_exchanged="Kunjungan",
                                          direction=IntegrationDirection.TWO_WAY)
    o.standard = make(SecurityStandard, kominfo, "Standar Keamanan Server",
                      protected_servers=[o.sv1], protected_applications=[o.app_dinkes])
    return o


def key(obj):
    return (type(obj).spec.slug, obj.pk)


def keys(*objects):
    return {key(obj) for obj in objects}
