"""National scale on PostgreSQL: N instansi x 20,000 linked architecture objects in one database, and what one
instansi's users (koordinator, operator) see of it, at 1 instansi and again at N, so that growth shows.

For every page and list API: p50/p95 of the whole request through Django's test client, the raw SQL of one
request (every SELECT it ran, re-run on the same connection: execute and fetch, best of three), and the
ratio page/SQL; the targets of issue 18 beside. CPU: the median process time of one request (Python's share,
less disturbed than wall time when other work shares the machine). Then the physical limit of the same database: a 50-row page of
a filtered, ordered 2-million-row table and its count.

    scripts/lib/with-postgres.sh /work/main/.venv/bin/python bench/national.py [--institutions 50]
        [--objects 20000] [--requests 30] [--quick] [--only REGEX] [--profile LINES] [--explain QUERIES]

``DATABASE_URL`` must name a PostgreSQL database that is empty or missing: it is created when missing (the
throwaway cluster of scripts/lib/with-postgres.sh names one that does not exist), then migrated and filled.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, ensure_database  # bench/_common.py: the script's own directory is on sys.path

STATUSES = ["draf", "diajukan", "dikembalikan", "diverifikasi", "divalidasi"]
DEPARTMENTS = 40
TARGET_PAGE, TARGET_DASHBOARD, TARGET_RATIO, TARGET_GROWTH = 25.0, 100.0, 3.0, 1.20
PASSWORD = "sia-bench-2024"


def setup_django(workdir: Path):
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        sys.exit("DATABASE_URL tidak disetel: jalankan lewat scripts/lib/with-postgres.sh.")
    sys.path.insert(0, str(ROOT / "src"))
    ensure_database(url)
    os.environ["SIA_VAR_DIR"] = str(workdir)
    os.environ["SIA_ENV"] = "test"
    os.environ["DJANGO_SETTINGS_MODULE"] = "sia.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


class World:
    """The instansi built so far, and the users and sample objects of the first (the one measured)."""

    def __init__(self):
        from sia.reference.loader import ensure_default_catalogs
        from sia.reference.models import ReferenceNode

        ensure_default_catalogs()
        self.nodes = {c: list(ReferenceNode.objects.current().national().of_catalog(c).filter(level=3))
                      for c in ("RAB", "RAL", "RAD")}
        self.nodes["RAA"] = list(ReferenceNode.objects.current().national().of_catalog("RAA").filter(level=2))
        self.count = 0
        self.first = None

    def add(self, objects: int, seed: int):
        """One more instansi with ``objects`` objects: a quarter each process, service, data and application,
        each linked (process-function, service-process, data-process, data-service, application-process)."""
        from django.contrib.auth import get_user_model

        from sia.architecture.models import Application, BusinessProcess, DataItem, Service, ValueListItem
        from sia.architecture.values import seed_value_lists
        from sia.core.roles import Role
        from sia.organizations.models import Department, DepartmentFunction, Institution, Membership

        k, rng, batch = self.count, random.Random(seed), 5000
        inst = Institution.objects.create(name=f"Instansi Uji {k:03d}", kind="provinsi", code=f"9{k:03d}")
        seed_value_lists(inst)
        departments = Department.objects.bulk_create(
            Department(institution=inst, name=f"Dinas Uji {i:02d}", abbreviation=f"DU{i:02d}", code=f"9.{i:02d}",
                       kind="dinas") for i in range(DEPARTMENTS))
        functions = DepartmentFunction.objects.bulk_create(
            DepartmentFunction(department=d, order=j, description=f"Fungsi {j} {d.abbreviation}")
            for d in departments for j in range(1, 6))
        values = {kind: list(ValueListItem.objects.filter(institution=inst, kind=kind)) for kind in
                  ("target-layanan", "metode-layanan", "sifat-data", "jenis-data", "validitas-data")}
        per = objects // 4

        def common(i, prefix, catalog):
            d = i % DEPARTMENTS
            return dict(institution=inst, department=departments[d], code=f"{prefix}-DU{d:02d}-{i:05d}",
                        reference=rng.choice(self.nodes[catalog]), status=rng.choice(STATUSES))

        processes = BusinessProcess.objects.bulk_create(
            (BusinessProcess(name=f"Proses bisnis uji {i}", description="Uraian proses bisnis untuk uji beban.",
                             strategic_goal="Sasaran", kpi="IKU", **common(i, "PB", "RAB")) for i in range(per)),
            batch_size=batch)
        link = BusinessProcess.functions.through
        link.objects.bulk_create((link(businessprocess=p, departmentfunction=functions[(i % DEPARTMENTS) * 5 + i % 5])
                                  for i, p in enumerate(processes)), batch_size=batch)
        services = Service.objects.bulk_create(
            (Service(name=f"Layanan uji {i}", target=rng.choice(values["target-layanan"]),
                     method=rng.choice(values["metode-layanan"]), category="publik", purpose="Tujuan",
                     **common(i, "LY", "RAL")) for i in range(per)), batch_size=batch)
        link = Service.processes.through
        link.objects.bulk_create((link(service=s, businessprocess=processes[i]) for i, s in enumerate(services)),
                                 batch_size=batch)
        data = DataItem.objects.bulk_create(
            (DataItem(name=f"Data uji {i}", nature=rng.choice(values["sifat-data"]), kind=rng.choice(values["jenis-data"]),
                      validity=rng.choice(values["validitas-data"]), producer_department=departments[i % DEPARTMENTS],
                      **common(i, "DI", "RAD")) for i in range(per)), batch_size=batch)
        for field, targets in (("processes", processes), ("services", services)):
            link = getattr(DataItem, field).through
            target = "businessprocess" if field == "processes" else "service"
            link.objects.bulk_create((link(dataitem=d, **{target: targets[i]}) for i, d in enumerate(data)),
                                     batch_size=batch)
        applications = Application.objects.bulk_create(
            (Application(name=f"Aplikasi uji {i}", function="Fungsi aplikasi", **common(i, "AP", "RAA"))
             for i in range(objects - 3 * per)), batch_size=batch)
        link = Application.processes.through
        link.objects.bulk_create((link(application=a, businessprocess=processes[i % per])
                                  for i, a in enumerate(applications)), batch_size=batch)
        if self.first is None:
            users = get_user_model().objects
            koordinator = users.create_user("koordinator", password=PASSWORD)
            Membership.objects.create(user=koordinator, institution=inst, role=Role.ADMIN)
            operator = users.create_user("operator.du07", password=PASSWORD)
            Membership.objects.create(user=operator, institution=inst, role=Role.OPERATOR, department=departments[7])
            middle = per // 2 // DEPARTMENTS * DEPARTMENTS + 7  # an object of department 7: the operator's
            self.first = {"koordinator": koordinator, "operator": operator, "objects": {
                model: rows[middle] for model, rows in ((BusinessProcess, processes), (Service, services),
                                                        (DataItem, data), (Application, applications))}}
        self.count += 1

    def change(self):
        """An operator's edit of an object of their OPD (signals and all, as the edit page saves it): what the
        rows "... setelah perubahan" write before each request, so that every request of theirs follows a change."""
        from sia.architecture.models import BusinessProcess

        obj = BusinessProcess.objects.get(pk=self.first["objects"][BusinessProcess].pk)
        self.changes = getattr(self, "changes", 0) + 1
        obj.kpi = f"IKU perubahan {self.changes}"
        obj.save()


AFTER_CHANGE = " setelah perubahan"


def cases(world) -> list[tuple[str, str, str]]:
    """(user, label, url): every list page, detail page and list API of the four populated domains, the
    dashboard, the process tree, the review queue and completeness."""
    rows = [("koordinator", "dasbor", "/"), ("operator", "dasbor", "/")]
    for model, obj in world.first["objects"].items():
        spec = model.spec
        rows += [
            ("koordinator", f"daftar {spec.slug}", f"/arsitektur/{spec.slug}/"),
            ("koordinator", f"daftar {spec.slug}, disaring", f"/arsitektur/{spec.slug}/?status=diajukan&q=uji&page=3"),
            ("koordinator", f"rincian {spec.slug}", obj.get_absolute_url()),
            ("koordinator", f"API daftar {spec.api_name}", f"/api/architecture/{spec.api_name}/"),
            ("operator", f"daftar {spec.slug}", f"/arsitektur/{spec.slug}/"),
            ("operator", f"daftar {spec.slug}, draf", f"/arsitektur/{spec.slug}/?status=draf&q=uji"),
            ("operator", f"rincian {spec.slug}", obj.get_absolute_url()),
            ("operator", f"API daftar {spec.api_name}", f"/api/architecture/{spec.api_name}/"),
        ]
    rows += [("operator", "pohon proses bisnis", "/arsitektur/proses-bisnis/pohon/"),
             ("koordinator", "perlu tindakan", "/arsitektur/perlu-tindakan/"),
             ("koordinator", "kelengkapan", "/arsitektur/kelengkapan/")]
    # The same pages with an edit of an object of the operator's OPD before each request (a workshop: something
    # changes every few seconds): what a request pays for the figures the change made stale.
    rows += [(who, label + AFTER_CHANGE, url) for who, label, url in (
        ("koordinator", "dasbor", "/"), ("operator", "dasbor", "/"), ("koordinator", "perlu tindakan", "/arsitektur/perlu-tindakan/"),
        ("koordinator", "kelengkapan", "/arsitektur/kelengkapan/"))]
    return rows


def percentile(sorted_values, q):
    return sorted_values[max(0, int(round(q * len(sorted_values))) - 1)]


def sql_time(queries) -> float:
    """ms of the request's SELECTs re-run on the same connection (execute and fetch), best of three each."""
    from django.db import connection

    total = 0.0
    with connection.cursor() as cursor:
        for query in queries:
            sql = query["sql"]
            if not sql.lstrip("( \n").upper().startswith(("SELECT", "WITH")):  # a UNION starts with "("
                continue
            best = None
            for _ in range(3):
                start = time.perf_counter()
                cursor.execute(sql)
                cursor.fetchall()
                elapsed = (time.perf_counter() - start) * 1000
                best = elapsed if best is None else min(best, elapsed)
            total += best
    return total


def measure(clients, rows, n, world) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    results = {}
    for who, label, url in rows:
        client = clients[who]
        assert client.get(url).status_code == 200, (who, url)  # warm up
        timings, cpu = [], []
        for _ in range(n):
            if label.endswith(AFTER_CHANGE):
                world.change()  # not timed
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        if label.endswith(AFTER_CHANGE):
            world.change()
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        timings.sort()
        results[(who, label)] = (statistics.median(timings), percentile(timings, 0.95), sql_time(captured.captured_queries),
                                 len(captured.captured_queries), statistics.median(cpu))
    return results


def target(label) -> float:
    return TARGET_DASHBOARD if label.startswith("dasbor") else TARGET_PAGE


def physical_limit(rows: int, n: int) -> tuple[float, float]:
    """p50 ms of a 50-row page of a filtered, ordered table of ``rows`` rows (the filter keeps a 250th: one
    instansi's drafts of one kind at national scale), and of its count, through an index that matches both."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_limit")
        cursor.execute("CREATE TABLE bench_limit AS SELECT g AS id, g %% 50 AS institution_id, (g / 50) %% 5 AS status, "
                       "md5(g::text) AS name, repeat('x', 100) AS description FROM generate_series(1, %s) g", [rows])
        cursor.execute("CREATE INDEX bench_limit_filter ON bench_limit (institution_id, status, name, id)")
        cursor.execute("VACUUM ANALYZE bench_limit")  # the count reads the index alone (visibility map)
        page = ("SELECT id, name, description FROM bench_limit WHERE institution_id = 7 AND status = 2 "
                "ORDER BY name, id LIMIT 50 OFFSET 100")
        count = "SELECT count(*) FROM bench_limit WHERE institution_id = 7 AND status = 2"
        out = []
        for sql in (page, count):
            timings = []
            for _ in range(n):
                start = time.perf_counter()
                cursor.execute(sql)
                cursor.fetchall()
                timings.append((time.perf_counter() - start) * 1000)
            out.append(statistics.median(timings))
        cursor.execute("DROP TABLE bench_limit")
    return out[0], out[1]


def report(at_one, at_n, n_institutions):
    print(f"\n{'pengguna / halaman':46} {'p50@1':>7} {'p95@1':>7} {'SQL@1':>7} {'p50@N':>7} {'p95@N':>7} "
          f"{'SQL@N':>7} {'CPU@N':>7} {'q':>4} {'hal/SQL':>7} {'N/1':>5} {'target p95':>10}  memenuhi")
    misses = 0
    for key, (p50n, p95n, sqln, queries, cpun) in at_n.items():
        p50a, p95a, sqla, _, _ = at_one[key]
        ratio, growth, goal = p50n / max(sqln, 0.001), p95n / max(p95a, 0.001), target(key[1])
        met = [p95n <= goal, ratio <= TARGET_RATIO, growth <= TARGET_GROWTH]
        misses += not all(met)
        verdict = " ".join(("ya" if ok else "TIDAK") for ok in met)
        print(f"{key[0] + ': ' + key[1]:46} {p50a:7.1f} {p95a:7.1f} {sqla:7.1f} {p50n:7.1f} {p95n:7.1f} {sqln:7.1f} "
              f"{cpun:7.1f} {queries:4d} {ratio:7.1f} {growth:5.2f} {goal:10.0f}  {verdict}")
    print(f"\nTarget: p95 halaman daftar/rincian <= {TARGET_PAGE:.0f} ms, dasbor <= {TARGET_DASHBOARD:.0f} ms; "
          f"halaman <= {TARGET_RATIO:.0f}x SQL-nya (p50); p95 pada {n_institutions} instansi <= "
          f"{TARGET_GROWTH:.2f}x p95 pada 1 instansi. Kolom 'memenuhi': p95, hal/SQL, N/1. "
          f"{misses} dari {len(at_n)} baris tidak memenuhi semua target.")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--institutions", type=int, default=50)
    parser.add_argument("--objects", type=int, default=20000, help="objects per instansi")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--limit-rows", type=int, default=2_000_000)
    parser.add_argument("--quick", action="store_true", help="5 instansi x 2,000 objects, 10 requests, 200k rows")
    parser.add_argument("--limit-only", action="store_true", help="only the physical limit")
    parser.add_argument("--only", default="", help="time only the rows whose 'user: page' matches this regex")
    parser.add_argument("--profile", type=int, default=0, metavar="LINES",
                        help="profile the rows (--only) at 1 instansi with cProfile instead of timing them: the "
                             "LINES functions of most own time and of most cumulative time")
    parser.add_argument("--explain", type=int, default=0, metavar="QUERIES",
                        help="instead of timing: the QUERIES slowest SELECTs of one request of each row (--only) "
                             "with their plans (EXPLAIN ANALYZE, BUFFERS), at 1 instansi and again at N")
    args = parser.parse_args()
    if args.quick:
        args.institutions, args.objects, args.requests, args.limit_rows = 5, 2000, 10, 200_000
    with tempfile.TemporaryDirectory(prefix="sia-national-") as tmp:
        setup_django(Path(tmp))
        from django.db import connection
        from django.test import Client

        print(f"PostgreSQL {connection.cursor().connection.info.server_version}; nproc {os.cpu_count()}")
        if args.limit_only:
            return print_limit(args)
        world = World()
        start = time.perf_counter()
        world.add(args.objects, seed=0)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"1 instansi x {args.objects} objek dibangun dalam {time.perf_counter() - start:.1f} s")
        clients = {}
        for who in ("koordinator", "operator"):
            clients[who] = Client()
            clients[who].force_login(world.first[who])
        rows = [row for row in cases(world) if re.search(args.only, f"{row[0]}: {row[1]}")]
        if args.profile:
            return profile(clients, rows, args.requests, world, args.profile)
        if args.explain:
            explain(clients, rows, world, args.explain, "1 instansi")
        else:
            at_one = measure(clients, rows, args.requests, world)
        start = time.perf_counter()
        for k in range(1, args.institutions):
            world.add(args.objects, seed=k)
            if k % 10 == 0:
                print(f"  {k + 1} instansi ({time.perf_counter() - start:.0f} s)", flush=True)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(f"{args.institutions} instansi x {args.objects} objek ({args.institutions * args.objects:,} objek) "
              f"dibangun dalam {time.perf_counter() - start:.1f} s; {args.requests} permintaan per baris")
        if args.explain:
            return explain(clients, rows, world, args.explain, f"{args.institutions} instansi")
        at_n = measure(clients, rows, args.requests, world)
        report(at_one, at_n, args.institutions)
        print_limit(args)


def profile(clients, rows, n, world, lines):
    """cProfile over ``n`` requests of each row (after one warm-up request each), printed by own and by
    cumulative time."""
    import cProfile
    import pstats

    for who, label, url in rows:
        clients[who].get(url)
    profiler = cProfile.Profile()
    for who, label, url in rows:
        for _ in range(n):
            if label.endswith(AFTER_CHANGE):
                world.change()
            profiler.enable()
            response = clients[who].get(url)
            profiler.disable()
            assert response.status_code == 200, (who, url, response.status_code)
    stats = pstats.Stats(profiler)
    if os.environ.get("SIA_BENCH_PROFILE_OUT"):  # for pstats' callers/callees: python -m pstats FILE
        stats.dump_stats(os.environ["SIA_BENCH_PROFILE_OUT"])
    print(f"{len(rows)} baris x {n} permintaan")
    stats.sort_stats("tottime").print_stats(lines)
    stats.sort_stats("cumulative").print_stats(lines)


def explain(clients, rows, world, top, where):
    """The ``top`` slowest SELECTs of one request of each row (after a warm-up request), each with its plan."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for who, label, url in rows:
        clients[who].get(url)
        if label.endswith(AFTER_CHANGE):
            world.change()
        with CaptureQueriesContext(connection) as captured:
            clients[who].get(url)
        timed = []
        with connection.cursor() as cursor:
            for query in captured.captured_queries:
                sql = query["sql"]
                if not sql.lstrip("( \n").upper().startswith(("SELECT", "WITH")):
                    continue
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = [line for (line,) in cursor.fetchall()]
                elapsed = float(re.search(r"Execution Time: ([\d.]+)", plan[-1]).group(1))
                timed.append((elapsed, sql, plan))
        print(f"\n=== {where}: {who}: {label} ({len(captured.captured_queries)} kueri)")
        for elapsed, sql, plan in sorted(timed, key=lambda t: -t[0])[:top]:
            print(f"--- {elapsed:.2f} ms: {sql[:400]}")
            print("\n".join(plan))


def print_limit(args):
    page, count = physical_limit(args.limit_rows, max(args.requests, 20))
    print(f"\nBatas fisik ({args.limit_rows:,} baris, disaring dan diurutkan lewat indeks): halaman 50 baris "
          f"{page:.2f} ms, hitungannya ({args.limit_rows // 250:,} baris) {count:.2f} ms (p50).")


if __name__ == "__main__":
    main()
