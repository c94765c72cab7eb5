"""Graph load and impact analysis over one large instansi: about 20,000 objects of every kind, with their links.

    .venv/bin/python bench/insights.py [--objects 20000] [--repeat 5]

Builds a throwaway embedded SQLite database under /tmp (migrated, catalogs loaded), one instansi with 40 OPDs.
Each OPD holds business processes (a third of them sub-processes), services realized by them, data produced
by them, applications supporting them (reading and writing data, some integrated with another OPD's), and a
few servers and platform software of its own; Diskominfo (the first OPD) runs the provincial data centre
whose shared servers host a quarter of every OPD's applications, and keamanan standards protecting some
servers and applications. One object in five is a draft (an operator does not see other OPDs' drafts).

Prints the median and best of ``--repeat`` runs of each step, with its query count: the graph load for the
coordinator and for an operator, the impact set of the busiest shared server (the largest one), of 200
objects drawn at random (median and slowest), a traceability chain, the gaps and the single points of
failure. Target (issue 13): the impact set of any object under 200 ms; the graph loaded with a constant
number of queries.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

from _common import setup_django, timed  # bench/_common.py: the script's own directory is on sys.path

OPDS = 40
# Objects per OPD of each kind, per 500 (scaled to --objects).
SHARE = {"process": 120, "service": 60, "data": 90, "application": 110, "server": 40, "software": 40, "security": 40}


def generate(total: int, seed: int = 13):
    from sia.architecture.choices import IntegrationDirection, ServerType
    from sia.architecture.models import (
        Application, ApplicationIntegration, BusinessProcess, ComputingFacility, DataItem, PlatformSoftware,
        SecurityStandard, Server, Service,
    )
    from sia.architecture.values import seed_value_lists
    from sia.organizations.models import Department, Institution
    from sia.reference.loader import ensure_default_catalogs

    rng = random.Random(seed)
    ensure_default_catalogs()
    inst = Institution.objects.create(name="Provinsi Uji Analisis", kind="provinsi", code="96")
    seed_value_lists(inst)
    departments = Department.objects.bulk_create(
        Department(institution=inst, name=f"Dinas Uji {i:02d}", abbreviation=f"D{i:02d}", code=f"9.{i:02d}",
                   kind="dinas") for i in range(OPDS))
    per = {kind: max(1, round(n * total / 500 / OPDS)) for kind, n in SHARE.items()}
    counter = iter(range(10**9))

    def many(model, prefix, count, **values):
        rows = []
        for d in departments:
            for _ in range(count):
                n = next(counter)
                rows.append(model(institution=inst, department=d, code=f"{prefix}-{d.abbreviation}-{n:06d}",
                                  name=f"{model._meta.verbose_name} {n}", status=status(), **values))
        return model.objects.bulk_create(rows, batch_size=2000)

    def status():
        return "draf" if rng.random() < 0.2 else "divalidasi"

    def by_opd(objects):
        found: dict = {}
        for obj in objects:
            found.setdefault(obj.department_id, []).append(obj)
        return found

    def link(field, pairs):
        through = field.through
        own, other = field.field.m2m_field_name(), field.field.m2m_reverse_field_name()
        rows = {(a.pk, b.pk) for a, b in pairs}
        through.objects.bulk_create((through(**{f"{own}_id": a, f"{other}_id": b}) for a, b in rows),
                                    batch_size=5000)
        return len(rows)

    kominfo = departments[0]
    dc = ComputingFacility.objects.create(institution=inst, department=kominfo, code="FK-D00-PUSAT",
                                          name="Pusat Data Provinsi", status="divalidasi")
    shared = Server.objects.bulk_create(
        Server(institution=inst, department=kominfo, code=f"SV-D00-BERSAMA-{i:03d}", name=f"Server Bersama {i}",
               server_type=ServerType.PHYSICAL, facility=dc, status="divalidasi") for i in range(20))
    processes = many(BusinessProcess, "PB", per["process"])
    process_by = by_opd(processes)
    parents = []
    for own in process_by.values():  # a third are sub-processes of one of the first ten
        for child in own[len(own) * 2 // 3:]:
            child.parent = rng.choice(own[:10])
            parents.append(child)
    BusinessProcess.objects.bulk_update(parents, ["parent"], batch_size=2000)
    services = many(Service, "LY", per["service"])
    data = many(DataItem, "DI", per["data"])
    apps = many(Application, "AP", per["application"])
    servers = many(Server, "SV", per["server"], server_type=ServerType.VIRTUAL)
    software = many(PlatformSoftware, "PL", per["software"])
    standards = many(SecurityStandard, "SK", per["security"])
    edges = 0
    service_by, data_by, server_by, software_by = by_opd(services), by_opd(data), by_opd(servers), by_opd(software)
    edges += link(Service.processes, [(s, p) for s in services for p in rng.sample(process_by[s.department_id], 2)])
    edges += link(DataItem.processes, [(d, rng.choice(process_by[d.department_id])) for d in data])
    edges += link(DataItem.services, [(d, rng.choice(service_by[d.department_id])) for d in data])
    edges += link(Application.processes,
                  [(a, p) for a in apps for p in rng.sample(process_by[a.department_id], rng.randint(1, 3))])
    edges += link(Application.services, [(a, rng.choice(service_by[a.department_id])) for a in apps])
    edges += link(Application.writes, [(a, rng.choice(data_by[a.department_id])) for a in apps])
    edges += link(Application.reads, [(a, rng.choice(data)) for a in apps])
    edges += link(Application.servers, [
        (a, rng.choice(shared) if rng.random() < 0.25 else rng.choice(server_by[a.department_id])) for a in apps])
    edges += link(Application.platform_software, [(a, rng.choice(software_by[a.department_id])) for a in apps])
    edges += link(Server.platform_software, [(s, rng.choice(software_by[s.department_id])) for s in servers])
    hosts = [(s, rng.choice(shared)) for s in servers]
    for server, host in hosts:
        server.host = host
    Server.objects.bulk_update(servers, ["host"], batch_size=2000)
    edges += len(hosts) + len(shared)
    edges += link(SecurityStandard.protected_servers, [(s, rng.choice(servers + shared)) for s in standards])
    edges += link(SecurityStandard.protected_applications, [(s, rng.choice(apps)) for s in standards])
    integrations = {(a.pk, rng.choice(apps).pk) for a in rng.sample(apps, len(apps) // 5)}
    ApplicationIntegration.objects.bulk_create(
        ApplicationIntegration(institution=inst, source_id=a, target_id=b, data_exchanged="Data",
                               direction=rng.choice(list(IntegrationDirection.values)))
        for a, b in integrations if a != b)
    edges += len(integrations)
    objects = 1 + len(shared) + sum(len(x) for x in (processes, services, data, apps, servers, software, standards))
    return inst, departments, objects, edges, shared


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sia-bench-insights-") as tmp:
        setup_django(Path(tmp))
        from django.contrib.auth import get_user_model
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from sia.core.roles import Role
        from sia.insights.gaps import gaps
        from sia.insights.graph import load_graph
        from sia.insights.impact import cycle_members, impact, single_points_of_failure
        from sia.insights.trace import trace
        from sia.organizations.models import Membership

        start = time.perf_counter()
        inst, departments, objects, edges, shared = generate(args.objects)
        built = time.perf_counter() - start
        users = get_user_model().objects
        admin = users.create_user("koordinator.uji", password="sia-bench-2024")
        Membership.objects.create(user=admin, institution=inst, role=Role.ADMIN)
        operator = users.create_user("operator.d07", password="sia-bench-2024")
        Membership.objects.create(user=operator, institution=inst, role=Role.OPERATOR, department=departments[7])

        def counted(func):
            with CaptureQueriesContext(connection) as queries:
                func()
            return len(queries.captured_queries)

        rows = []
        for label, user in (("koordinator", admin), ("operator 1 OPD", operator)):
            load_graph(user, inst)  # memberships read once per user
            queries = counted(lambda: load_graph(user, inst))
            median, best, cpu, graph = timed(lambda: load_graph(user, inst), args.repeat)
            rows.append((f"load_graph ({label})", median, best, cpu,
                         f"{len(graph)} objek, {graph.edge_count} tautan, {queries} kueri"))
        tracemalloc.start()
        graph = load_graph(admin, inst)
        memory = tracemalloc.get_traced_memory()[0] / 2**20
        tracemalloc.stop()
        median, best, cpu, members = timed(lambda: cycle_members(graph), 1)
        rows.append(("siklus graf (Tarjan, sekali per graf)", median, best, cpu,
                     f"{len(set(members.values()))} siklus, {len(members)} objek di siklus"))
        busiest = max((("server", s.pk) for s in shared), key=lambda k: len(impact(graph, k, depth=1).hits))
        median, best, cpu, found = timed(lambda: impact(graph, busiest), args.repeat)
        rows.append(("impact: server bersama tersibuk", median, best, cpu,
                     f"{len(found.hits)} terdampak, {len(found.failing)} gagal, {len(found.cycles)} siklus, "
                     f"{len(found.departments())} OPD"))
        rng = random.Random(5)
        sample = rng.sample(sorted(graph.nodes), 200)
        each, each_cpu, sizes = [], [], []
        for key in sample:
            started, started_cpu = time.perf_counter(), time.process_time()
            sizes.append(len(impact(graph, key).hits))
            each.append((time.perf_counter() - started) * 1000)
            each_cpu.append((time.process_time() - started_cpu) * 1000)
        rows.append(("impact: 200 objek acak (median / terlama)", statistics.median(each), max(each), max(each_cpu),
                     f"{statistics.mean(sizes):.0f} terdampak rata-rata, terbanyak {max(sizes)}; CPU = terlama"))
        application = next(k for k in sample if k[0] == "aplikasi")
        median, best, cpu, chain = timed(lambda: trace(graph, application), args.repeat)
        rows.append(("trace: satu aplikasi (naik dan turun)", median, best, cpu,
                     f"{len(chain.up)} naik, {len(chain.down)} turun"))
        median, best, cpu, found_gaps = timed(lambda: gaps(graph), args.repeat)
        rows.append(("gaps (seluruh instansi)", median, best, cpu,
                     ", ".join(f"{gap.slug} {gap.count}" for gap in found_gaps[:3]) + ", ..."))
        median, best, cpu, points = timed(lambda: single_points_of_failure(graph), args.repeat)
        rows.append(("single_points_of_failure (seluruh instansi)", median, best, cpu,
                     f"{len(points)} titik; terbesar {points[0].count if points else 0} layanan"))

        print(f"{objects} objek, ±{edges} tautan dibuat, {len(departments)} OPD; pembuatan data {built:.1f} s; "
              f"{args.repeat} ulangan per baris (median / terbaik); graf koordinator di memori {memory:.0f} MiB\n")
        print(f"{'langkah':<44} {'median ms':>10} {'best ms':>8} {'CPU ms':>7}  keterangan")
        for label, median, best, cpu, note in rows:
            print(f"{label:<44} {median:>10.1f} {best:>8.1f} {cpu:>7.1f}  {note}")
        slowest, slowest_cpu = max(max(each), rows[3][1]), max(max(each_cpu), rows[3][3])
        verdict = "di bawah" if slowest_cpu < 200 else "MELEWATI"
        print(f"\nimpact terlama {slowest:.0f} ms, CPU {slowest_cpu:.0f} ms: {verdict} sasaran 200 ms "
              f"(beban mesin {os.getloadavg()[0]:.1f} pada {os.cpu_count()} core)")


if __name__ == "__main__":
    main()
