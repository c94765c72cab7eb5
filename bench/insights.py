"""Graph load and impact analysis over one large instansi: about 20,000 objects of every kind, with their links.

    .venv/bin/python bench/insights.py [--objects 20000] [--repeat 5]

Builds a throwaway embedded SQLite database under /tmp (migrated, catalogs loaded), one instansi with 40 OPDs.
Each OPD holds business processes (a third of them sub-processes), services realized by them, data produced
by them, applications supporting them (reading and writing data, some integrated with another OPD's), and a
few servers and platform software of its own; Diskominfo (the first OPD) runs the provincial data centre
whose shared servers host a quarter of every OPD's applications, and keamanan standards protecting some
servers and applications. One object in five is a draft (an operator does not see other OPDs' drafts).

``--requests`` times whole requests of the impact-set API instead, with the graph kept between requests and after
a change (``requests_bench``); ``--diagrams`` and ``--matrices`` the diagrams and the XLSX matrices.

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
    parser.add_argument("--diagrams", action="store_true",
                        help="only the diagrams: the largest OPD's landscape diagram (see diagrams_bench())")
    parser.add_argument("--matrices", action="store_true",
                        help="only the matrices: 2,000 aplikasi × 2,200 proses bisnis as XLSX (see matrices())")
    parser.add_argument("--requests", action="store_true",
                        help="only whole requests: the impact-set API with the graph kept and after a change "
                             "(see requests_bench())")
    args = parser.parse_args()
    if args.requests:
        return requests_bench(args.objects, args.repeat)
    if args.diagrams:
        return diagrams_bench(args.objects, args.repeat)
    if args.matrices:
        return matrices(MATRIX_OBJECTS if args.objects == 20000 else args.objects, args.repeat)
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



# --- Matrices (issue 13) ---------------------------------------------------------------------------------------
# ``--matrices``: an instansi built by ``generate`` with about 9,100 objects, so that it holds 2,000 applications
# and 2,200 business processes (SHARE: 50 and 55 per OPD), their realistic links as above. Times the whole
# download of the aplikasi × proses bisnis matrix (graph load + matrix + workbook bytes; target 5 s), each step
# alone, the other three matrices, and the same download through the view with Django's test client.
MATRIX_OBJECTS = 9100
MATRIX_LIMIT_S = 5.0


def matrices(total: int, repeat: int):
    with tempfile.TemporaryDirectory(prefix="sia-bench-matrices-") as tmp:
        setup_django(Path(tmp))
        from django.contrib.auth import get_user_model
        from django.test import Client
        from django.urls import reverse

        from sia.core.roles import Role
        from sia.insights.graph import load_graph
        from sia.insights.matrices import MATRICES, build, matrix_workbook
        from sia.organizations.models import Membership

        start = time.perf_counter()
        inst, departments, objects, edges, _shared = generate(total)
        built = time.perf_counter() - start
        admin = get_user_model().objects.create_user("koordinator.uji", password="sia-bench-2024")
        Membership.objects.create(user=admin, institution=inst, role=Role.ADMIN)
        load_graph(admin, inst)  # memberships read once
        slug = "aplikasi-proses-bisnis"

        def download():
            graph = load_graph(admin, inst)
            return matrix_workbook(build(graph, slug), graph, inst)

        rows = []
        graph = load_graph(admin, inst)
        median, best, cpu, found = timed(lambda: build(graph, slug), repeat)
        size = f"{len(found.rows)} × {len(found.columns)}"
        median, best, cpu, content = timed(download, repeat)
        rows.append((f"unduh {slug} (graf + matriks + XLSX)", median, best, cpu,
                     f"{size}, {len(found.cells)} sel bertanda, {len(content) / 1024:.0f} KiB"))
        whole = (median, cpu)
        median, best, cpu, _graph = timed(lambda: load_graph(admin, inst), repeat)
        rows.append(("  load_graph (koordinator)", median, best, cpu, f"{len(graph)} objek, {graph.edge_count} tautan"))
        median, best, cpu, found = timed(lambda: build(graph, slug), repeat)
        rows.append((f"  matriks {slug}", median, best, cpu, size))
        median, best, cpu, content = timed(lambda: matrix_workbook(found, graph, inst), repeat)
        rows.append(("  matrix_workbook (XLSX write-only)", median, best, cpu, f"{len(content) / 1024:.0f} KiB"))
        for spec in MATRICES[1:]:
            median, best, cpu, other = timed(lambda spec=spec: build(graph, spec), repeat)
            wb_median, _wb_best, wb_cpu, other_content = timed(lambda: matrix_workbook(other, graph, inst), repeat)
            rows.append((f"matriks + XLSX {spec.slug}", median + wb_median, best + _wb_best, cpu + wb_cpu,
                         f"{len(other.rows)} × {len(other.columns)}, {len(other.cells)} sel bertanda, "
                         f"{len(other_content) / 1024:.0f} KiB"))
        client = Client()
        client.force_login(admin)
        url = reverse("insights:matrix_xlsx", args=[slug])
        assert client.get(url).status_code == 200
        median, best, cpu, response = timed(lambda: client.get(url), repeat)
        rows.append(("unduhan lewat view (Django test client)", median, best, cpu,
                     f"{len(response.content) / 1024:.0f} KiB"))
        view = (median, cpu)
        page = reverse("insights:matrix", args=[slug])
        median, best, cpu, response = timed(lambda: client.get(page), repeat)
        rows.append(("halaman matriks (100 × 60 sel)", median, best, cpu,
                     f"{len(response.content) / 1024:.0f} KiB HTML"))

        print(f"{objects} objek, ±{edges} tautan dibuat, {len(departments)} OPD; pembuatan data {built:.1f} s; "
              f"{repeat} ulangan per baris (median / terbaik)\n")
        print(f"{'langkah':<48} {'median ms':>10} {'best ms':>8} {'CPU ms':>7}  keterangan")
        for label, median, best, cpu, note in rows:
            print(f"{label:<48} {median:>10.1f} {best:>8.1f} {cpu:>7.1f}  {note}")
        slowest = max(whole[0], view[0]) / 1000
        verdict = "di bawah" if slowest < MATRIX_LIMIT_S else "MELEWATI"
        print(f"\nunduhan matriks {size}: {whole[0] / 1000:.2f} s (CPU {whole[1] / 1000:.2f} s), lewat view "
              f"{view[0] / 1000:.2f} s (CPU {view[1] / 1000:.2f} s): {verdict} batas {MATRIX_LIMIT_S:.0f} s "
              f"(beban mesin {os.getloadavg()[0]:.1f} pada {os.cpu_count()} core)")


# --- Diagrams (issue 13) -----------------------------------------------------------------------------------------
# ``--diagrams``: the instansi of ``generate`` (20,000 objects by default). Times the landscape diagram of the largest
# OPD as its page gets it: graph load + landscape + DOT + dot rendering to SVG (target 2 s), each step alone, the
# same through the view (HTML fragment with the inline SVG, and the PNG) with Django's test client, and the other
# diagrams at their hardest (the impact of the busiest shared server, the application landscape of the instansi).
# dot runs in a child process: its CPU time is added to the CPU column (``timed_with_children``).
DIAGRAM_LIMIT_S = 2.0


def timed_with_children(func, repeat: int):
    """``timed``, with the CPU time of child processes (dot) added to the CPU column (their mean per run)."""
    before = os.times()
    median, best, cpu, result = timed(func, repeat)
    after = os.times()
    children = (after.children_user + after.children_system - before.children_user - before.children_system)
    return median, best, cpu + children * 1000 / repeat, result


def diagrams_bench(total: int, repeat: int):
    with tempfile.TemporaryDirectory(prefix="sia-bench-diagrams-") as tmp:
        setup_django(Path(tmp))
        from collections import Counter

        from django.contrib.auth import get_user_model
        from django.test import Client
        from django.urls import reverse

        from sia.core.roles import Role
        from sia.insights.diagrams import (
            MAX_NODES, application_landscape_diagram, impact_diagram, inline_svg, landscape_diagram, render,
        )
        from sia.insights.graph import load_graph
        from sia.insights.impact import impact
        from sia.insights.trace import landscape
        from sia.organizations.models import Membership

        start = time.perf_counter()
        inst, departments, objects, edges, shared = generate(total)
        built = time.perf_counter() - start
        admin = get_user_model().objects.create_user("koordinator.uji", password="sia-bench-2024")
        Membership.objects.create(user=admin, institution=inst, role=Role.ADMIN)
        graph = load_graph(admin, inst)  # memberships read once
        sizes = Counter(node.department_id for node in graph.nodes.values())
        largest = max(sizes, key=lambda pk: (sizes[pk], -pk))
        opd = graph.department_label(largest)

        def whole():
            loaded = load_graph(admin, inst)
            source = landscape_diagram(landscape(loaded, largest))
            return source, render(source, "svg")

        rows = []
        median, best, cpu, (source, svg) = timed_with_children(whole, repeat)
        rows.append((f"diagram lanskap {opd} (graf + lanskap + DOT + SVG)", median, best, cpu,
                     f"{sizes[largest]} objek OPD; {source.shown} kotak, {source.omitted} tidak digambar, "
                     f"{len(svg) / 1024:.0f} KiB; batas {DIAGRAM_LIMIT_S * 1000:.0f} ms"))
        result = (median, cpu)
        median, best, cpu, graph = timed_with_children(lambda: load_graph(admin, inst), repeat)
        rows.append(("  load_graph (koordinator)", median, best, cpu, f"{len(graph)} objek, {graph.edge_count} tautan"))
        median, best, cpu, found = timed_with_children(lambda: landscape(graph, largest), repeat)
        rows.append(("  landscape", median, best, cpu, f"{len(found.own)} milik OPD, {len(found.used)} dari OPD lain"))
        median, best, cpu, source = timed_with_children(lambda: landscape_diagram(found), repeat)
        rows.append(("  landscape_diagram (DOT)", median, best, cpu,
                     f"{len(source.splitlines())} baris, paling banyak {MAX_NODES} kotak"))
        median, best, cpu, svg = timed_with_children(lambda: render(source, "svg"), repeat)
        rows.append(("  dot -Tsvg", median, best, cpu, f"{len(svg) / 1024:.0f} KiB"))
        median, best, cpu, png = timed_with_children(lambda: render(source, "png"), repeat)
        rows.append(("  dot -Tpng", median, best, cpu, f"{len(png) / 1024:.0f} KiB"))
        client = Client()
        client.force_login(admin)
        view = None
        for fmt in ("html", "png"):
            url = reverse("insights:landscape_diagram", args=[largest, fmt])
            assert client.get(url).status_code == 200
            median, best, cpu, response = timed_with_children(lambda url=url: client.get(url), repeat)
            rows.append((f"lewat view: diagram.{fmt} (Django test client)", median, best, cpu,
                         f"{len(response.content) / 1024:.0f} KiB; batas {DIAGRAM_LIMIT_S * 1000:.0f} ms"))
            view = (median, cpu) if fmt == "html" else view
        busiest = max((("server", s.pk) for s in shared), key=lambda k: len(graph.dependents.get(k, ())))
        hits = impact(graph, busiest)
        median, best, cpu, source = timed_with_children(
            lambda: inline_svg(impact_diagram(impact(graph, busiest))), repeat)
        rows.append(("diagram dampak server bersama tersibuk", median, best, cpu,
                     f"impact + DOT + SVG inline; {len(hits.hits)} terdampak"))
        median, best, cpu, source = timed_with_children(
            lambda: render(application_landscape_diagram(graph), "svg"), repeat)
        apps = application_landscape_diagram(graph)
        rows.append(("diagram lanskap aplikasi instansi", median, best, cpu,
                     f"DOT + SVG; {apps.shown} aplikasi digambar, {apps.omitted} tidak"))

        print(f"{objects} objek, ±{edges} tautan dibuat, {len(departments)} OPD; pembuatan data {built:.1f} s; "
              f"{repeat} ulangan per baris (median / terbaik); CPU termasuk proses dot (rata-rata)\n")
        print(f"{'langkah':<52} {'median ms':>10} {'best ms':>8} {'CPU ms':>7}  keterangan")
        for label, median, best, cpu, note in rows:
            print(f"{label:<52} {median:>10.1f} {best:>8.1f} {cpu:>7.1f}  {note}")
        slowest = max(result[0], view[0]) / 1000
        verdict = "di bawah" if slowest < DIAGRAM_LIMIT_S else "MELEWATI"
        print(f"\ndiagram lanskap OPD terbesar: {result[0] / 1000:.2f} s, lewat view {view[0] / 1000:.2f} s: {verdict} "
              f"batas {DIAGRAM_LIMIT_S:.0f} s (beban mesin {os.getloadavg()[0]:.1f} pada {os.cpu_count()} core)")


# --- Whole requests (issue 13) -----------------------------------------------------------------------------------
# ``--requests``: ``GET /api/insights/impact-sets/`` through Django's test client on the instansi of ``generate``,
# for the koordinator and an operator of one OPD: with the graph kept between requests (sia.insights.graph_cache:
# the request reads the generation token, the object, and walks), and as the first request after a change to the
# architecture (the whole graph read, restricted to the reader, its cycles found). Raw limit: the rows the graph
# is made of, read with bare SQL.
IMPACT_LIMIT_MS = 200


def requests_bench(total: int, repeat: int):
    with tempfile.TemporaryDirectory(prefix="sia-bench-requests-") as tmp:
        setup_django(Path(tmp))
        from django.contrib.auth import get_user_model
        from django.db import connection
        from django.test import Client

        from sia.architecture import generation
        from sia.architecture.linkspec import declared_links
        from sia.architecture.registry import domain_models
        from sia.core import generations
        from sia.core.roles import Role
        from sia.insights import graph_cache
        from sia.insights.graph import load_whole_graph
        from sia.organizations.models import Membership

        inst, departments, objects, edges, shared = generate(total)
        users = get_user_model().objects
        admin = users.create_user("koordinator.uji", password="sia-bench-2024")
        Membership.objects.create(user=admin, institution=inst, role=Role.ADMIN)
        operator = users.create_user("operator.d07", password="sia-bench-2024")
        Membership.objects.create(user=operator, institution=inst, role=Role.OPERATOR, department=departments[7])
        whole = load_whole_graph(inst)
        busiest = max((("server", s.pk) for s in shared), key=lambda k: len(whole.dependents.get(k, ())))
        application = random.Random(5).choice(sorted(key for key in whole.nodes if key[0] == "aplikasi"))

        tables = [model._meta.db_table for model in domain_models()]
        tables += [holder._meta.get_field(spec.field).remote_field.through._meta.db_table
                   for holder, spec in declared_links()
                   if not spec.through and holder._meta.get_field(spec.field).many_to_many]

        def raw():
            with connection.cursor() as cursor:
                for table in tables:
                    cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (table names from the models)
                    cursor.fetchall()

        rows = []
        median, best, cpu, _ = timed(raw, repeat)
        rows.append(("batas: baris graf dengan SQL polos", median, best, cpu, f"{len(tables)} tabel"))
        median, best, cpu, _ = timed(lambda: load_whole_graph(inst), repeat)
        rows.append(("load_whole_graph (seluruh instansi)", median, best, cpu,
                     f"{len(whole)} objek, {whole.edge_count} tautan"))
        scope = graph_cache.view_scope(operator, inst.pk)
        median, best, cpu, mine = timed(
            lambda: whole.restricted(lambda node: scope.admits(node.department_id, node.status)), repeat)
        rows.append(("restricted (operator 1 OPD)", median, best, cpu, f"{len(mine)} objek, {mine.edge_count} tautan"))
        kept = []
        for label, user in (("koordinator", admin), ("operator 1 OPD", operator)):
            client = Client()
            client.force_login(user)
            for what, key in (("server bersama tersibuk", busiest), ("aplikasi acak", application)):
                url = f"/api/insights/impact-sets/?kind={key[0]}&id={key[1]}"
                assert client.get(url).status_code == 200  # the graph is kept from here on
                median, best, cpu, response = timed(lambda url=url, client=client: client.get(url), repeat)
                kept.append(median)
                rows.append((f"impact-sets, graf tersimpan: {what} ({label})", median, best, cpu,
                             f"{response.json()['count']} terdampak; batas {IMPACT_LIMIT_MS} ms"))

                def changed(url=url, client=client):
                    generations.bump(generation.NAME)  # as any save would
                    return client.get(url)

                median, best, cpu, response = timed(changed, repeat)
                rows.append((f"impact-sets, sesudah perubahan: {what} ({label})", median, best, cpu,
                             "graf dibaca ulang, dibatasi, siklus dicari"))

        print(f"{objects} objek, ±{edges} tautan dibuat, {len(departments)} OPD; {repeat} ulangan per baris "
              f"(median / terbaik), lewat Django test client\n")
        print(f"{'langkah':<74} {'median ms':>10} {'best ms':>8} {'CPU ms':>7}  keterangan")
        for label, median, best, cpu, note in rows:
            print(f"{label:<74} {median:>10.1f} {best:>8.1f} {cpu:>7.1f}  {note}")
        verdict = "di bawah" if max(kept) < IMPACT_LIMIT_MS else "MELEWATI"
        print(f"\nimpact-sets dengan graf tersimpan paling lama {max(kept):.0f} ms: {verdict} sasaran "
              f"{IMPACT_LIMIT_MS} ms (beban mesin {os.getloadavg()[0]:.1f} pada {os.cpu_count()} core)")


if __name__ == "__main__":
    main()
