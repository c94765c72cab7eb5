import pytest

from sia.architecture.models import BusinessProcess, DataItem, Service
from sia.architecture.values import seed_value_lists
from sia.reference.loader import ensure_default_catalogs
from sia.reference.models import ReferenceNode
from tests.browser.conftest import browser, new_page, page  # noqa: F401

from .. import factories as f


def node(code):
    return ReferenceNode.objects.current().national().get(code=code)


@pytest.fixture
def arch(world):
    """Reference catalogs, value lists and one object of each domain owned by DISKOMINFO."""
    ensure_default_catalogs()
    seed_value_lists(world.inst)
    seed_value_lists(world.other)
    fn = f.function(world.kominfo, 1, "Perumusan kebijakan teknis di bidang informatika")
    process = BusinessProcess.objects.create(
        department=world.kominfo, name="Pengelolaan Data Statistik", reference=node("RAB.09.03.04")
    )
    process.functions.set([fn])
    service = Service.objects.create(department=world.kominfo, name="Layanan Data Statistik")
    service.processes.set([process])
    data = DataItem.objects.create(department=world.kominfo, name="Data Statistik Sektoral", reference=node("RAD.09.03.04"))
    data.processes.set([process])

    class Arch:
        pass

    a = Arch()
    a.process, a.service, a.data, a.function = process, service, data, fn
    a.node = node
    return a
