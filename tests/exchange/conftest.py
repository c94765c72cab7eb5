"""Exchange tests: a small instansi with one object of each domain, and workbook helpers."""

import pytest

from sia.architecture.models import Application, BusinessProcess, DataItem, Service
from sia.architecture.values import seed_value_lists, value
from sia.reference.loader import ensure_default_catalogs
from sia.reference.models import ReferenceNode
from tests.browser.conftest import browser, new_page, page  # noqa: F401

from .. import factories as f


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Uploaded workbooks are stored under MEDIA_ROOT/imports: a fresh directory per test."""
    settings.MEDIA_ROOT = tmp_path / "media"


def node(code):
    return ReferenceNode.objects.current().national().get(code=code)


@pytest.fixture
def ex(world):
    """DISKOMINFO has a process, a service and a data item linked together; DINKES a draft process;
    the other instansi a process of its own."""
    ensure_default_catalogs()
    for inst in (world.inst, world.other):
        seed_value_lists(inst)
    fn1 = f.function(world.kominfo, 1, "Perumusan kebijakan teknis di bidang statistik")
    fn2 = f.function(world.kominfo, 2, "Pelaksanaan kebijakan di bidang informatika")
    f.function(world.dinkes, 1, "Perumusan kebijakan kesehatan")
    unit = f.work_unit(world.kominfo, name="Bidang Statistik")
    f.work_unit(world.dinkes, name="Bidang Pelayanan Kesehatan")
    process = BusinessProcess.objects.create(
        department=world.kominfo, name="Pengelolaan Data Statistik", reference=node("RAB.09.03.04"),
        kpi_target="95%",
    )
    process.functions.set([fn1])
    service = Service.objects.create(
        department=world.kominfo, name="Layanan Data Statistik", reference=node("RAL.01.43.04"),
        target=value(world.inst, "target-layanan", "Masyarakat"), method=value(world.inst, "metode-layanan", "Elektronik"),
        executing_unit=unit,
    )
    service.processes.set([process])
    data = DataItem.objects.create(
        department=world.kominfo, name="Data Statistik Sektoral", reference=node("RAD.09.03.04"),
        nature=value(world.inst, "sifat-data", "Terbuka"), interoperable=True,
    )
    data.processes.set([process])
    data.services.set([service])
    dinkes_process = BusinessProcess.objects.create(department=world.dinkes, name="Pelayanan Kesehatan Dasar")
    far_process = BusinessProcess.objects.create(department=world.far, name="Proses Kota Lain")

    class Ex:
        pass

    e = Ex()
    e.process, e.service, e.data, e.functions, e.unit = process, service, data, (fn1, fn2), unit
    e.dinkes_process, e.far_process = dinkes_process, far_process
    e.node = node
    return e


@pytest.fixture
def app(ex, world):
    """An Aplikasi of DISKOMINFO linked to the fixture's process, service and data, on two platforms, also used
    by DINKES."""
    application = Application.objects.create(
        department=world.kominfo, name="Sistem Informasi Statistik", reference=node("RAA.01.01"),
        function="Mengelola data statistik sektoral", license_type=value(world.inst, "lisensi-aplikasi", "Open Source"),
        managing_unit=ex.unit, production_year=2021, web_address="https://statistik.example.go.id",
    )
    application.processes.set([ex.process])
    application.services.set([ex.service])
    application.reads.set([ex.data])
    application.writes.set([ex.data])
    application.platforms.set([value(world.inst, "basis-aplikasi", "Web"), value(world.inst, "basis-aplikasi", "Mobile")])
    application.languages.set([value(world.inst, "bahasa-pemrograman", "Python")])
    application.user_departments.set([world.dinkes])
    return application
