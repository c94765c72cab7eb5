"""Times the Excel upload of 10,000 rows (three domains, with links) on the embedded database (SQLite).

Run: ``.venv/bin/python bench/exchange_import.py [rows]``. It migrates a throwaway database in a
temporary directory, builds a province of 40 OPDs, writes a workbook as Excel would (shared
strings) with processes (a third of them with a parent process in the same file), services
linked to processes and data items linked to both, then measures:

- a raw ``bulk_create`` of the same objects and links (rolled back), for comparison;
- the preview: file checks, parse and validation of every row, the preview record;
- the commit: re-parse, re-validation, and the write with history and review events;
- the peak memory (resident set size) of the process.

The target is the whole upload (preview + commit) in under 15 s, with memory under 500 MB.

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

TARGET_SECONDS = 15
TARGET_MB = 500


def setup():
    workdir = tempfile.mkdtemp(prefix="sia-bench-exchange-")
    os.environ["SIA_VAR_DIR"] = workdir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sia.settings")
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


def main(total: int = 10_000) -> int:
    workdir = setup()
    try:
        from django.core.files.uploadedfile import SimpleUploadedFile

        from sia.exchange import uploads
        from sia.exchange.importer import plan_workbook

        inst, departments, admin = province()
        sheets = build_rows(departments, total)
        content = write_workbook(sheets)
        rows = sum(len(rows) for _headers, rows in sheets.values())
        memory_before = peak_mb()

        raw = raw_bulk_insert(inst, departments, sheets)

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
        started = time.perf_counter()
        record = uploads.start_import(upload, user=admin, institution=inst)
        timings["preview"] = time.perf_counter() - started
        assert record.error_count == 0 and record.created_count == rows, (record.error_count, record.problems[:5])
        started = time.perf_counter()
        plan = plan_workbook(content, user=admin, institution=inst)
        timings["plan"] = time.perf_counter() - started
        assert plan.is_clean
        del plan
        started = time.perf_counter()
        uploads.commit_import(record, user=admin)
        timings["commit"] = time.perf_counter() - started
        assert record.status == "disimpan" and record.created_count == rows
        total_time = timings["preview"] + timings["commit"]
        memory = peak_mb()

        print(f"{rows} baris ({', '.join(f'{t}: {len(r)}' for t, (_h, r) in sheets.items())}), "
              f"berkas {len(content) / 1024:.0f} KB, SQLite di {workdir}\n")
        print(f"{'langkah':<52} {'detik':>7} {'baris/detik':>12}")
        table = [
            ("baca + validasi (plan_workbook)", timings["plan"]),
            ("pratinjau (periksa berkas + baca + validasi + catat)", timings["preview"]),
            ("simpan: tulis saja (objek, riwayat, tautan, review)", timings["write"]),
            ("simpan: total (baca + validasi ulang + tulis)", timings["commit"]),
            ("unggah lengkap (pratinjau + simpan)", total_time),
            ("pembanding: bulk_create mentah objek + tautan", raw),
        ]
        for label, seconds in table:
            print(f"{label:<52} {seconds:7.2f} {rows / seconds:12,.0f}")
        print(f"\nmemori puncak (RSS proses): {memory:.0f} MB (sebelum impor {memory_before:.0f} MB)")
        print(f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPU")
        ok = total_time < TARGET_SECONDS and memory < TARGET_MB
        print(f"target < {TARGET_SECONDS} s dan < {TARGET_MB} MB: {'tercapai' if ok else 'TIDAK tercapai'}")
        return 0 if ok else 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--sizes"]:
        sys.exit(sizes(int(sys.argv[2]) if len(sys.argv) > 2 else 50_000))
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000))
