"""Progress snapshots and burn-up pages at province scale (issue 17).

Builds a throwaway SQLite instansi of 40 OPDs and 20,000 objects in the six domains (``bench/architecture.py``'s
14,000 proses bisnis, layanan and data, plus 2,000 aplikasi, 2,000 server and 2,000 standar keamanan; statuses
spread over the workflow), then times:

- the daily snapshot (``sia.progress.snapshot``): reading every OPD × domain figure (one UNION query) and writing
  the day's rows, beside the raw-SQL limit (a bare ``GROUP BY department, status`` over each table);
- a year of history (365 days × 40 OPDs × 6 domains, 87,600 rows) and the burn-up series of the instansi (one
  query) beside its raw-SQL limit (the same ``SUM ... GROUP BY date`` in bare SQL);
- the progress pages with that year of history through Django's test client, signed in as the koordinator: the
  instansi's page (burn-up, targets with their late OPDs, figures per OPD), one OPD's page and a target's page.

Targets: the snapshot under 5 s; each page under 200 ms.

    .venv/bin/python bench/progress.py [--objects 20000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
from datetime import timedelta
from pathlib import Path

from _common import setup_django, timed  # bench/_common.py: the script's own directory is on sys.path

SNAPSHOT_LIMIT_MS = 5000
PAGE_LIMIT_MS = 200


def more_domains(inst, departments, per: int, seed: int = 11):
    """``per`` aplikasi, server and standar keamanan spread over the OPDs."""
    from sia.architecture.models import Application, SecurityStandard, Server

    rng = random.Random(seed)
    statuses = ["draf", "diajukan", "dikembalikan", "diverifikasi", "divalidasi"]
    for model, prefix in ((Application, "AP"), (Server, "SV"), (SecurityStandard, "SK")):
        model.objects.bulk_create(
            model(institution=inst, department=departments[i % len(departments)], status=rng.choice(statuses),
                  code=f"{prefix}-B-{i:05d}", name=f"{model._meta.verbose_name} uji {i}",
                  description="Uraian untuk uji beban." if i % 3 else "")
            for i in range(per))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--objects", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sia-bench-progress-") as tmp:
        setup_django(Path(tmp))
        from django.db import connection
        from django.test import Client
        from django.utils import timezone

        from architecture import generate
        from sia.architecture.registry import domain_models
        from sia.organizations.models import Department
        from sia.progress import burnup
        from sia.progress.models import ProgressSnapshot, Target
        from sia.progress.snapshot import current_figures, take_snapshot

        extra = args.objects * 3 // 10 // 3
        admin, _operator, processes, _services, _data = generate(args.objects - 3 * extra)
        inst = processes[0].institution
        departments = list(Department.objects.filter(institution=inst).order_by("pk"))
        more_domains(inst, departments, extra)
        objects = sum(model.objects.count() for model in domain_models())
        today = timezone.localdate()
        rows = []

        tables = [model._meta.db_table for model in domain_models()]

        def raw_snapshot():
            with connection.cursor() as cursor:
                for table in tables:
                    cursor.execute(f'SELECT department_id, status, COUNT(*) FROM "{table}" '  # noqa: S608
                                   'GROUP BY department_id, status')
                    cursor.fetchall()

        median, best, cpu, _ = timed(raw_snapshot, args.repeat)
        rows.append(("batas: GROUP BY OPD, status per tabel (SQL polos)", median, best, cpu, f"{len(tables)} tabel"))
        median, best, cpu, found = timed(current_figures, args.repeat)
        rows.append(("current_figures (1 kueri UNION)", median, best, cpu, f"{len(found)} OPD × domain"))
        median, best, cpu, written = timed(lambda: take_snapshot(today), args.repeat)
        rows.append(("take_snapshot (baca + tulis hari ini)", median, best, cpu,
                     f"{written} baris; batas {SNAPSHOT_LIMIT_MS} ms"))

        history = []
        for n in range(1, 365):
            for (i, d, slug), figures in found.items():
                values = {k: max(0, v - v * n // 400) for k, v in figures.values.items()}
                history.append(ProgressSnapshot(institution_id=i, department_id=d, domain=slug,
                                                date=today - timedelta(days=n), **values))
        ProgressSnapshot.objects.bulk_create(history, batch_size=2000)
        total = ProgressSnapshot.objects.count()

        def raw_series():
            with connection.cursor() as cursor:
                cursor.execute('SELECT date, SUM("count"), SUM(complete), SUM(submitted), SUM(validated) '
                               f'FROM "{ProgressSnapshot._meta.db_table}" WHERE institution_id = %s '  # noqa: S608
                               'GROUP BY date ORDER BY date', [inst.pk])
                return cursor.fetchall()

        median, best, cpu, _ = timed(raw_series, args.repeat)
        rows.append(("batas: deret setahun (SQL polos)", median, best, cpu, f"{total} baris potret"))
        median, best, cpu, points = timed(lambda: burnup.series(inst.pk, start=today - timedelta(days=365),
                                                                end=today), args.repeat)
        rows.append(("burnup.series instansi (1 kueri)", median, best, cpu, f"{len(points)} hari"))

        for n, (rule, domain) in enumerate((("fungsi-proses", ""), ("layanan-proses", ""),
                                            ("pengajuan", "aplikasi"), ("kelengkapan", "data"))):
            Target.objects.create(institution=inst, name=f"Target uji {n}", rule=rule, domain=domain or (
                "proses-bisnis" if rule == "fungsi-proses" else "layanan"), threshold=80 if rule == "kelengkapan"
                else None, start_date=today - timedelta(days=60), deadline=today + timedelta(days=30))
        target = Target.objects.get(name="Target uji 2")
        client = Client()
        client.force_login(admin)
        for label, url in (("halaman kemajuan instansi", "/kemajuan/"),
                           ("halaman kemajuan satu OPD", f"/kemajuan/opd/{departments[7].pk}/"),
                           ("halaman target (aplikasi diajukan)", target.get_absolute_url())):
            assert client.get(url).status_code == 200, url
            median, best, cpu, response = timed(lambda url=url: client.get(url), args.repeat)
            rows.append((label, median, best, cpu, f"{len(response.content) // 1024} KB; batas {PAGE_LIMIT_MS} ms"))

        print(f"\n{objects} objek, {len(departments)} OPD, {len(found)} OPD × domain; "
              f"beban mesin {os.getloadavg()[0]:.1f} pada {os.cpu_count()} core")
        print(f"| {'langkah':52} | median ms | terbaik ms | CPU ms | catatan |")
        print(f"|{'-' * 54}|----------:|-----------:|-------:|---|")
        for label, median, best, cpu, note in rows:
            print(f"| {label:52} | {median:9.1f} | {best:10.1f} | {cpu:6.1f} | {note} |")


if __name__ == "__main__":
    main()
