"""Times the Excel upload of 10,000 rows (three domains, with links) against the raw insert of the same rows.

Run: ``.venv/bin/python bench/exchange_import.py [rows]`` on a throwaway SQLite database in a temporary directory,
or ``... --postgres [rows]`` (or with ``DATABASE_URL`` set) on PostgreSQL: under the test command's throwaway
cluster, ``scripts/lib/with-postgres.sh .venv/bin/python bench/exchange_import.py --postgres``. The database
``DATABASE_URL`` names is created when it does not exist (the cluster script names one that does not); it must hold
no architecture object yet. It builds a province of 40 OPDs, writes a workbook as Excel would (shared strings) with
processes (a third of them with a parent process in the same file), services linked to processes and data items
linked to both, then measures:

- the preview: file checks, parse and validation of every row, the preview record;
- the commit: re-parse, re-validation, and the write with history, review events and links (the job's work);
- the raw insert of the same rows: every row the import wrote to the objects', links', audit-trail and review-event
  tables, read back, deleted and inserted again with one ``executemany`` per table (rolled back), and the ratio;
- the peak memory (resident set size) of the process.

The target is the whole upload (preview + commit) within 4x the raw insert, with memory under 300 MB.

``.venv/bin/python bench/exchange_import.py --sizes [rows]`` (default 50,000) prints instead what the
zip-bomb limits of ``sia.core.workbooks`` are measured against: the unpacked size and compression
ratio of the members of the bench upload and of an all-domain SIA export of the same rows.
"""

from __future__ import annotations

import io
import os
import platform
import resource
import shutil
import sys
import tempfile
import time

TARGET_RATIO = 4
TARGET_MB = 300


def ensure_database(url: str) -> None:
    """Creates the PostgreSQL database ``url`` names when it does not exist (connecting to ``postgres``)."""
    import psycopg
    from psycopg import sql

    name = psycopg.conninfo.conninfo_to_dict(url.replace("pgsql://", "postgres://", 1))["dbname"]
    with psycopg.connect(url.replace("pgsql://", "postgres://", 1), dbname="postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def setup(postgres: bool = False):
    workdir = tempfile.mkdtemp(prefix="sia-bench-exchange-")
    os.environ["SIA_VAR_DIR"] = workdir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sia.settings")
    url = os.environ.get("DATABASE_URL", "")
    if postgres or url.startswith(("postgres", "pgsql")):
        if not url.startswith(("postgres", "pgsql")):
            raise SystemExit("--postgres: DATABASE_URL harus menunjuk PostgreSQL (mis. lewat scripts/lib/with-postgres.sh)")
        ensure_database(url)
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return workdir


def province(opds: int = 40):
    from django.contrib.auth import get_user_model

    from sia.core.roles import Role
    from sia.organizations.models import Department, DepartmentFunction, Institution, Membership, WorkUnit

    inst = Institution.objects.create(name="Pemerintah Provinsi Uji Beban", kind="provinsi", code="99")
    departments = Department.objects.bulk_create([
        Department(institution=inst, name=f"Dinas Uji {n:02d}", abbreviation=f"DINAS{n:02d}", code=f"9.{n:02d}", kind="dinas")
        for n in range(1, opds + 1)
    ])
    DepartmentFunction.objects.bulk_create([
        DepartmentFunction(department=d, order=o, description=f"Fungsi {o} {d.abbreviation}") for d in departments for o in (1, 2, 3)
    ])
    WorkUnit.objects.bulk_create([WorkUnit(department=d, name=f"Bidang {u}") for d in departments for u in ("Data", "Layanan")])
    admin = get_user_model().objects.create_user("admin.bench", password="bench-password-123")
    Membership.objects.create(user=admin, institution=inst, role=Role.ADMIN)
    return inst, departments, admin


def reference_labels(catalog: str, level: int, count: int) -> list[str]:
    from sia.reference.models import ReferenceNode

    nodes = ReferenceNode.objects.current().national().of_catalog(catalog).filter(level=level).order_by("code")[:count]
    return [f"{n.code} {n.name}" for n in nodes]


def build_rows(departments, total: int):
    """Rows per sheet, as (headers, rows); IDs given so that links can point to rows of the file."""
    n_process = total * 4 // 10
    n_service = total * 3 // 10
    n_data = total - n_process - n_service
    rab, ral, rad = reference_labels("RAB", 3, 200), reference_labels("RAL", 3, 200), reference_labels("RAD", 3, 200)
    affairs = reference_labels("RAB", 2, 40)
    abbreviations = [d.abbreviation for d in departments]
    per_opd = {}

    def code(prefix, i):
        opd = abbreviations[i % len(abbreviations)]
        per_opd[(prefix, opd)] = per_opd.get((prefix, opd), 0) + 1
        return opd, f"{prefix}-{opd}-{per_opd[(prefix, opd)]:03d}"

    processes, process_codes = [], []
    for i in range(n_process):
        opd, pb = code("PB", i)
        parent = process_codes[i - len(abbreviations)] if i % 3 == 2 and i >= len(abbreviations) else None
        processes.append([pb, opd, f"Proses bisnis uji {i}", f"Uraian proses {i}", rab[i % len(rab)], "2025-2029",
                          "As-is (sudah ada)", parent, "1; 2", "Sasaran strategis", "IKU", "95%", "90%"])
        process_codes.append(pb)
    services, service_codes = [], []
    for i in range(n_service):
        opd, ly = code("LY", i)
        services.append([ly, opd, f"Layanan uji {i}", f"Uraian layanan {i}", ral[i % len(ral)], "2025-2029",
                         "To-be baru", process_codes[i % n_process], "Tujuan", affairs[i % len(affairs)], "Masyarakat",
                         "Elektronik", f"{opd}: Bidang Layanan", "Risiko", "Mitigasi"])
        service_codes.append(ly)
    data = []
    for i in range(n_data):
        opd, di = code("DI", i)
        data.append([di, opd, f"Data uji {i}", f"Uraian data {i}", rad[i % len(rad)], "2025-2029", "As-is (sudah ada)",
                     f"{process_codes[i % n_process]}; {process_codes[(i + 1) % n_process]}", service_codes[i % n_service],
                     opd, f"{opd}: Bidang Data", "Terbuka", "Statistik", "Tahunan", "Ya"])
    return {
        "Proses Bisnis": (["ID", "Perangkat daerah *", "Nama *", "Uraian", "Referensi", "Periode", "Kondisi", "Proses induk",
                           "Fungsi OPD", "Sasaran strategis", "Indikator kinerja (IKU)", "Target IKU", "Realisasi IKU"], processes),
        "Layanan": (["ID", "Perangkat daerah *", "Nama *", "Uraian", "Referensi", "Periode", "Kondisi", "Proses bisnis", "Tujuan",
                     "Urusan pemerintahan", "Target layanan", "Metode layanan", "Unit pelaksana", "Potensi risiko",
                     "Mitigasi risiko"], services),
        "Data dan Informasi": (["ID", "Perangkat daerah *", "Nama *", "Uraian", "Referensi", "Periode", "Kondisi",
                                "Proses bisnis penghasil", "Layanan yang memakai", "Produsen data (OPD)",
                                "Produsen data (unit kerja)", "Sifat data", "Jenis data", "Validitas data",
                                "Interoperabilitas"], data),
    }


def write_workbook(sheets) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, (headers, rows) in sheets.items():
        sheet = book.create_sheet(title)
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def raw_bulk_insert(inst, departments, sheets, *, keep: bool = False) -> float:
    """The same objects and links written with bulk_create and no checks, history or events (rolled back
    unless ``keep``)."""
    from django.db import transaction

    from sia.architecture.models import BusinessProcess, DataItem, Service
    from sia.reference.models import ReferenceNode

    by_abbreviation = {d.abbreviation: d for d in departments}
    nodes = {n.code: n.pk for n in ReferenceNode.objects.current().national()}
    start = time.perf_counter()
    with transaction.atomic():
        for model, title in ((BusinessProcess, "Proses Bisnis"), (Service, "Layanan"), (DataItem, "Data dan Informasi")):
            _headers, rows = sheets[title]
            objects = [
                model(institution=inst, department=by_abbreviation[row[1]], code=row[0], name=row[2], description=row[3],
                      reference_id=nodes[row[4].split(" ")[0]], period=row[5])
                for row in rows
            ]
            model.objects.bulk_create(objects, batch_size=1000)
            if model is not BusinessProcess:
                through = model.processes.through
                processes = dict(BusinessProcess.objects.filter(institution=inst).values_list("code", "pk"))
                field = model._meta.get_field("processes")
                source, target = field.m2m_column_name(), field.m2m_reverse_name()
                links = [through(**{source: obj.pk, target: processes[code.strip()]})
                         for obj, row in zip(objects, rows) for code in row[7].split(";")]
                through.objects.bulk_create(links, batch_size=2000)
        elapsed = time.perf_counter() - start
        transaction.set_rollback(not keep)
    return elapsed


def archive_sizes(label: str, content: bytes) -> None:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        members = archive.infolist()
    total = sum(m.file_size for m in members)
    print(f"{label}: berkas {len(content) / 2**20:.1f} MB, setelah dibuka {total / 2**20:.1f} MB")
    for member in sorted(members, key=lambda m: -m.file_size)[:5]:
        print(f"  {member.filename:<36} {member.file_size / 2**20:7.1f} MB  rasio {member.file_size / max(member.compress_size, 1):5.1f}")


def sizes(total: int = 50_000) -> int:
    """The unpacked sizes the workbook upload limits are measured against (see sia.core.workbooks)."""
    workdir = setup()
    try:
        from sia.architecture.registry import domain_models
        from sia.core import workbooks
        from sia.exchange.workbook import build_workbook

        inst, departments, admin = province()
        sheets = build_rows(departments, total)
        upload = write_workbook(sheets)
        archive_sizes(f"unggahan bench {total} baris", upload)
        raw_bulk_insert(inst, departments, sheets, keep=True)
        querysets = {m: m.objects.filter(institution=inst).order_by("code") for m in domain_models()}
        archive_sizes(f"ekspor SIA semua domain {total} baris", build_workbook(admin, inst, domain_models(), querysets=querysets))
        print(f"\nbatas: total {workbooks.DEFAULT_MAX_UNCOMPRESSED / 2**20:.0f} MB, satu lembar "
              f"{workbooks.DEFAULT_MAX_PART / 2**20:.0f} MB, rasio {workbooks.MAX_RATIO}")
        workbooks.check_archive(upload)
        return 0
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def peak_mb() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return usage / (1024 * 1024) if sys.platform == "darwin" else usage / 1024


def written_tables(models) -> list[str]:
    """The tables an import of ``models`` writes rows to: the objects', their link tables', their audit trails'
    and the review events'."""
    from sia.architecture.models import ReviewEvent

    tables = []
    for model in models:
        tables.append(model._meta.db_table)
        tables += [f.remote_field.through._meta.db_table for f in model._meta.many_to_many
                   if f.remote_field.through._meta.auto_created]
        tables.append(model.history.model._meta.db_table)
    return tables + [ReviewEvent._meta.db_table]


def raw_executemany(tables) -> tuple[float, int]:
    """Reads back every row of ``tables`` (the bench database held none before the import), deletes them and times
    inserting them again, one ``executemany`` per table, in one transaction rolled back afterwards."""
    import json

    from django.db import connection, transaction

    quote = connection.ops.quote_name
    copies = []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {quote(table)}")
            columns = [c[0] for c in cursor.description]
            rows = [tuple(json.dumps(v) if isinstance(v, (dict, list)) else v for v in row) for row in cursor.fetchall()]
            copies.append((table, columns, rows))
    with transaction.atomic():
        with connection.cursor() as cursor:
            for table in reversed(tables):
                cursor.execute(f"DELETE FROM {quote(table)}")
            started = time.perf_counter()
            for table, columns, rows in copies:
                sql = (f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "
                       f"VALUES ({', '.join(['%s'] * len(columns))})")
                cursor.executemany(sql, rows)
            elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed, sum(len(rows) for _t, _c, rows in copies)


def main(total: int = 10_000, postgres: bool = False) -> int:
    workdir = setup(postgres)
    try:
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.db import connection

        from sia.architecture.models import BusinessProcess, DataItem, Service
        from sia.exchange import uploads

        tables = written_tables((BusinessProcess, Service, DataItem))
        if BusinessProcess.objects.exists():
            raise SystemExit("Basis data ini sudah memuat objek arsitektur; bench butuh basis data kosong.")
        inst, departments, admin = province()
        sheets = build_rows(departments, total)
        content = write_workbook(sheets)
        rows = sum(len(rows) for _headers, rows in sheets.values())
        counts = ", ".join(f"{title}: {len(sheet_rows)}" for title, (_h, sheet_rows) in sheets.items())
        del sheets  # the rows are in the workbook now; free them before measuring the import's memory
        memory_before = peak_mb()

        timings = {}
        original_write = uploads.write_plan

        def timed_write(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original_write(*args, **kwargs)
            finally:
                timings["write"] = time.perf_counter() - started

        uploads.write_plan = timed_write
        upload = SimpleUploadedFile("beban.xlsx", content)
        started, cpu = time.perf_counter(), time.process_time()
        record = uploads.start_import(upload, user=admin, institution=inst)
        timings["preview"] = time.perf_counter() - started
        assert record.error_count == 0 and record.created_count == rows, (record.error_count, record.problems[:5])
        started = time.perf_counter()
        uploads.commit_import(record, user=admin)
        timings["commit"] = time.perf_counter() - started
        cpu = time.process_time() - cpu
        assert record.status == "disimpan" and record.created_count == rows
        memory = peak_mb()
        total_time = timings["preview"] + timings["commit"]
        raw, raw_rows = raw_executemany(tables)
        ratio = total_time / raw

        database = f"PostgreSQL {connection.pg_version}" if connection.vendor == "postgresql" else "SQLite"
        print(f"{rows} baris ({counts}), "
              f"berkas {len(content) / 1024:.0f} KB, {database}\n")
        print(f"{'langkah':<58} {'detik':>7} {'x mentah':>9}")
        table = [
            ("pratinjau (periksa berkas + baca + validasi + catat)", timings["preview"]),
            ("simpan: tulis saja (objek, riwayat, tautan, review)", timings["write"]),
            ("simpan: total (baca + validasi ulang + tulis)", timings["commit"]),
            ("unggah lengkap (pratinjau + simpan)", total_time),
            (f"mentah: executemany {raw_rows:,} baris yang sama", raw),
        ]
        for label, seconds in table:
            print(f"{label:<58} {seconds:7.2f} {seconds / raw:8.1f}x")
        print(f"\nunggah lengkap / mentah: {ratio:.1f}x (target <= {TARGET_RATIO}x); CPU proses {cpu:.1f} s")
        print(f"memori puncak (RSS proses): {memory:.0f} MB (sebelum impor {memory_before:.0f} MB; target < {TARGET_MB} MB)")
        print(f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPU, "
              f"beban {os.getloadavg()[0]:.1f}")
        ok = ratio <= TARGET_RATIO and memory < TARGET_MB
        print(f"target: {'tercapai' if ok else 'TIDAK tercapai'}")
        return 0 if ok else 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if set(arguments) & {"-h", "--help"}:
        print(__doc__)
        sys.exit(0)
    if arguments[:1] == ["--sizes"]:
        sys.exit(sizes(int(arguments[1]) if len(arguments) > 1 else 50_000))
    use_postgres = "--postgres" in arguments
    arguments = [a for a in arguments if a != "--postgres"]
    sys.exit(main(int(arguments[0]) if arguments else 10_000, postgres=use_postgres))
