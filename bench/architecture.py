"""Architecture at province scale: fills a throwaway embedded database with 40 OPDs and 20,000
linked objects, then prints p50/p95 latency of the list, detail and dashboard pages and of the
list API, as the koordinator (who sees everything) and as the operator of one OPD (whose queries filter by OPD and status).

    .venv/bin/python bench/architecture.py [--objects 20000] [--requests 30]
"""

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from _common import setup_django  # bench/_common.py: the script's own directory is on sys.path


def generate(total: int, departments_n: int = 40, seed: int = 7):
    from django.contrib.auth import get_user_model

    from sia.architecture.models import BusinessProcess, DataItem, Service, ValueListItem
    from sia.architecture.values import seed_value_lists
    from sia.core.roles import Role
    from sia.organizations.models import Department, DepartmentFunction, Institution, Membership
    from sia.reference.loader import ensure_default_catalogs
    from sia.reference.models import ReferenceNode

    rng = random.Random(seed)
    ensure_default_catalogs()
    inst = Institution.objects.create(name="Provinsi Uji Beban", kind="provinsi", code="99")
    seed_value_lists(inst)
    departments = Department.objects.bulk_create(
        Department(institution=inst, name=f"Dinas Uji {i:02d}", abbreviation=f"DU{i:02d}", code=f"9.{i:02d}", kind="dinas")
        for i in range(departments_n)
    )
    functions = DepartmentFunction.objects.bulk_create(
        DepartmentFunction(department=d, order=j, description=f"Fungsi {j} {d.abbreviation}")
        for d in departments for j in range(1, 6)
    )
    admin = get_user_model().objects.create_user("koordinator", password="sia-bench-2024")
    Membership.objects.create(user=admin, institution=inst, role=Role.ADMIN)
    operator = get_user_model().objects.create_user("operator.du07", password="sia-bench-2024")
    Membership.objects.create(user=operator, institution=inst, role=Role.OPERATOR, department=departments[7])
    nodes = {c: list(ReferenceNode.objects.current().national().of_catalog(c).filter(level=3)) for c in ("RAB", "RAL", "RAD")}
    values = {k: list(ValueListItem.objects.filter(institution=inst, kind=k)) for k in
              ("target-layanan", "metode-layanan", "sifat-data", "jenis-data", "validitas-data")}
    statuses = ["draf", "diajukan", "dikembalikan", "diverifikasi", "divalidasi"]
    per = total // 3
    processes = BusinessProcess.objects.bulk_create(
        BusinessProcess(
            institution=inst, department=departments[i % departments_n], code=f"PB-DU{i % departments_n:02d}-{i:05d}",
            name=f"Proses bisnis uji {i}", description="Uraian proses bisnis untuk uji beban.",
            reference=rng.choice(nodes["RAB"]), status=rng.choice(statuses), strategic_goal="Sasaran", kpi="IKU",
        )
        for i in range(per)
    )
    through = BusinessProcess.functions.through
    through.objects.bulk_create(
        through(businessprocess=p, departmentfunction=functions[(i % departments_n) * 5 + i % 5])
        for i, p in enumerate(processes)
    )
    services = Service.objects.bulk_create(
        Service(
            institution=inst, department=departments[i % departments_n], code=f"LY-DU{i % departments_n:02d}-{i:05d}",
            name=f"Layanan uji {i}", reference=rng.choice(nodes["RAL"]), status=rng.choice(statuses),
            target=rng.choice(values["target-layanan"]), method=rng.choice(values["metode-layanan"]),
            category="publik", purpose="Tujuan",
        )
        for i in range(per)
    )
    link = Service.processes.through
    link.objects.bulk_create(link(service=s, businessprocess=processes[i]) for i, s in enumerate(services))
    data = DataItem.objects.bulk_create(
        DataItem(
            institution=inst, department=departments[i % departments_n], code=f"DI-DU{i % departments_n:02d}-{i:05d}",
            name=f"Data uji {i}", reference=rng.choice(nodes["RAD"]), status=rng.choice(statuses),
            nature=rng.choice(values["sifat-data"]), kind=rng.choice(values["jenis-data"]),
            validity=rng.choice(values["validitas-data"]), producer_department=departments[i % departments_n],
        )
        for i in range(total - 2 * per)
    )
    DataItem.processes.through.objects.bulk_create(
        DataItem.processes.through(dataitem=d, businessprocess=processes[i % per]) for i, d in enumerate(data)
    )
    DataItem.services.through.objects.bulk_create(
        DataItem.services.through(dataitem=d, service=services[i % per]) for i, d in enumerate(data)
    )
    return admin, operator, processes, services, data


def measure(client, url, n):
    client.get(url)  # warm up
    timings = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    timings.sort()
    return statistics.median(timings), timings[max(0, int(round(0.95 * len(timings))) - 1)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--objects", type=int, default=20000)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sia-bench-") as tmp:
        setup_django(Path(tmp))
        start = time.perf_counter()
        admin, operator, processes, services, data = generate(args.objects)
        built = time.perf_counter() - start
        from django.test import Client

        client = Client()
        client.force_login(admin)
        process, service, item = processes[len(processes) // 2], services[len(services) // 2], data[len(data) // 2]
        cases = [
            ("daftar proses bisnis (hal. 1)", "/arsitektur/proses-bisnis/"),
            ("daftar layanan, disaring", "/arsitektur/layanan/?status=diajukan&q=uji&page=3"),
            ("daftar data (hal. 100)", "/arsitektur/data/?page=100"),
            ("rincian proses bisnis", process.get_absolute_url()),
            ("rincian layanan", service.get_absolute_url()),
            ("rincian data", item.get_absolute_url()),
            ("dasbor (beranda)", "/"),
            ("API daftar proses bisnis", "/api/architecture/business-processes/"),
            ("API daftar layanan, offset 5000", "/api/architecture/services/?offset=5000"),
            ("API daftar data", "/api/architecture/data-items/"),
        ]
        own = processes[7]  # a process of the operator's OPD (departments are assigned round-robin)
        operator_client = Client()
        operator_client.force_login(operator)
        operator_cases = [
            ("operator: daftar proses bisnis", "/arsitektur/proses-bisnis/"),
            ("operator: daftar data, disaring", "/arsitektur/data/?status=draf&q=uji"),
            ("operator: rincian proses bisnis", own.get_absolute_url()),
            ("operator: pohon proses bisnis", "/arsitektur/proses-bisnis/pohon/"),
            ("operator: dasbor", "/"),
            ("operator: API daftar data", "/api/architecture/data-items/"),
        ]
        print(f"{args.objects} objek, 40 OPD; pembuatan data {built:.1f} s; {args.requests} permintaan per baris")
        print(f"{'halaman':40} {'p50 ms':>8} {'p95 ms':>8}")
        for who, rows in ((client, cases), (operator_client, operator_cases)):
            for label, url in rows:
                p50, p95 = measure(who, url, args.requests)
                print(f"{label:40} {p50:8.1f} {p95:8.1f}")


if __name__ == "__main__":
    main()
