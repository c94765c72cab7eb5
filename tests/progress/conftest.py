from datetime import timedelta

import pytest
from django.utils import timezone

from sia.architecture.choices import ReviewStatus
from sia.architecture.models import Application, BusinessProcess, Service
from sia.progress.models import Target

from .. import factories as f



def today():
    """The instansi's date when the test runs (a date taken at import went stale in a run that crossed midnight in
    Jakarta, 17:00 UTC, between collecting the tests and running them)."""
    return timezone.localdate()


@pytest.fixture
def programme(world):
    """DISKOMINFO: two fungsi (one with a process), two services (one linked), three applications (one draft, one
    submitted, one validated); DINKES: one fungsi without process, one draft application."""
    w = world
    f1, f2 = f.function(w.kominfo, 1, "Perumusan kebijakan"), f.function(w.kominfo, 2, "Pelaksanaan kebijakan")
    f.function(w.dinkes, 1, "Pelayanan kesehatan")
    process = BusinessProcess.objects.create(department=w.kominfo, name="Pengelolaan Aplikasi")
    process.functions.add(f1)
    linked = Service.objects.create(department=w.kominfo, name="Layanan Aduan")
    linked.processes.add(process)
    Service.objects.create(department=w.kominfo, name="Layanan Domain")
    for name, status in (("SIMPEG", ReviewStatus.DRAFT), ("SIKD", ReviewStatus.SUBMITTED),
                         ("e-Office", ReviewStatus.VALIDATED)):
        Application.objects.create(department=w.kominfo, name=name, status=status)
    Application.objects.create(department=w.dinkes, name="SIMRS", status=ReviewStatus.DRAFT)
    w.functions = (f1, f2)
    return w


def target(world, **values) -> Target:
    values = {"institution": world.inst, "name": "Target uji", "rule": "fungsi-proses",
              "start_date": today() - timedelta(days=10), "deadline": today() + timedelta(days=10), **values}
    obj = Target(**values)
    obj.full_clean()
    obj.save()
    return obj
