"""Duplicate detection over one large instansi: 5,000 applications in 50 OPDs.

    .venv/bin/python bench/duplicates.py [--applications 5000] [--repeat 7]

Builds a throwaway embedded SQLite database under /tmp (migrated, catalogs loaded), one instansi with
50 OPDs, 20 business processes per OPD mapped to RAB nodes, and ``--applications`` applications: about
one in ten is one of the common kinds every OPD reinvents (staff, mail, attendance, finance, assets,
planning, monitoring, website, complaints, archives), written the many ways OPDs write them ("SIMPEG",
"Sistem Informasi Kepegawaian Dinkes", "e-Pegawai"); the rest are the OPD's own applications, named from
a vocabulary of 1,500 domain words (those of the RAB catalog's process names, then made-up ones) drawn
with Zipf-like frequencies (the word of rank r with weight 1/r^0.8: a few words in hundreds of names, most
in a handful), the way words spread over a real portfolio. Each application supports one to three
processes of its OPD and has a RAA node; one in five is a draft (operators do not see other OPDs' drafts).

Prints the median and best of ``--repeat`` runs of each step, and beside each figure its raw limit:
the same rows read with one bare SQL statement (the floor any Python code on top of the database
has), or the number of pairs an all-against-all comparison would score. Target: the whole
``duplicate_candidates`` under 1 s.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from pathlib import Path

from _common import setup_django, timed  # bench/_common.py: the script's own directory is on sys.path


COMMON = [
    (("SIMPEG", "Sistem Informasi Kepegawaian {opd}", "Aplikasi Kepegawaian", "e-Pegawai", "SIMPEG {abbr}"),
     "Pengelolaan data pegawai, riwayat pangkat, mutasi dan cuti", "RAB.09.06.03"),
    (("e-Surat", "Persuratan Elektronik {abbr}", "e-Office {abbr}", "Aplikasi Surat Masuk dan Keluar", "Tata Naskah Dinas Elektronik"),
     "Surat masuk, surat keluar dan disposisi pimpinan", "RAB.09.06.06"),
    (("e-Presensi", "Aplikasi Absensi Pegawai {abbr}", "Presensi Online {opd}"),
     "Pencatatan kehadiran pegawai harian", "RAB.09.06.03"),
    (("Sistem Informasi Keuangan {abbr}", "Aplikasi Penatausahaan Keuangan", "SIPKD {abbr}"),
     "Penatausahaan keuangan, SPP, SPM dan laporan keuangan", "RAB.09.01.06"),
    (("SIMBADA", "Aplikasi Aset {abbr}", "Inventaris Barang Milik Daerah {abbr}"),
     "Inventarisasi aset dan barang milik daerah", "RAB.09.02.06"),
    (("e-Planning {abbr}", "Aplikasi Perencanaan Kegiatan {opd}"),
     "Penyusunan rencana kerja dan program kegiatan", "RAB.09.05.01"),
    (("e-Monev", "Monitoring dan Evaluasi Kegiatan {abbr}"),
     "Pemantauan realisasi fisik dan keuangan kegiatan", "RAB.09.05.03"),
    (("Website {opd}", "Portal Berita {abbr}"), "Publikasi berita dan informasi kegiatan", "RAB.09.04.02"),
    (("Aplikasi Pengaduan {abbr}", "Layanan Aduan Masyarakat {opd}"),
     "Menerima dan menindaklanjuti aduan masyarakat", "RAB.09.06.05"),
    (("e-Arsip {abbr}", "Aplikasi Pengelolaan Arsip"), "Digitalisasi dan penyimpanan arsip", "RAB.09.06.06"),
]
PREFIXES = ("Sistem Informasi", "Aplikasi", "SI", "Portal", "e-", "Layanan", "Database", "Dashboard")


def vocabulary(rng: random.Random, size: int = 1500) -> list[str]:
    """Domain words: the real ones of the RAB catalog's process names, then made-up ones to ``size``."""
    from sia.portfolio.text import GENERIC, STOP_WORDS, stem, words
    from sia.reference.models import ReferenceNode

    found = []
    for name in ReferenceNode.objects.national().of_catalog("RAB").values_list("name", flat=True):
        for word in words(name):
            if len(word) > 3 and word not in STOP_WORDS and stem(word) not in GENERIC and word not in found:
                found.append(word)
    rng.shuffle(found)
    syllables = ["ka", "ri", "ta", "mu", "se", "lo", "pa", "ni", "da", "ru", "go", "be"]
    while len(found) < size:
        found.append("".join(rng.choice(syllables) for _ in range(3)))
    return found[:size]


def generate(total: int, seed: int = 11):
    from sia.architecture.models import Application, BusinessProcess
    from sia.architecture.values import seed_value_lists
    from sia.organizations.models import Department, Institution
    from sia.reference.loader import ensure_default_catalogs
    from sia.reference.models import ReferenceNode

    rng = random.Random(seed)
    ensure_default_catalogs()
    inst = Institution.objects.create(name="Provinsi Uji Duplikat", kind="provinsi", code="97")
    seed_value_lists(inst)
    departments = Department.objects.bulk_create(
        Department(institution=inst, name=f"Dinas {w.title()}", abbreviation=f"D{i:02d}", code=f"9.{i:02d}", kind="dinas")
        for i, w in enumerate(["Uji %02d" % i for i in range(50)])
    )
    rab = {n.code: n for n in ReferenceNode.objects.current().national().of_catalog("RAB").filter(level=3)}
    raa = list(ReferenceNode.objects.current().national().of_catalog("RAA").filter(level=2))
    common_codes = sorted({code for _names, _function, code in COMMON})
    other_codes = [code for code in rab if code not in common_codes]
    processes = []
    for d in departments:
        for k, code in enumerate(common_codes + rng.sample(other_codes, 20 - len(common_codes))):
            processes.append(BusinessProcess(
                institution=inst, department=d, code=f"PB-{d.abbreviation}-{k:03d}", name=f"Proses {rab[code].name}",
                reference=rab[code], status="divalidasi",
            ))
    processes = BusinessProcess.objects.bulk_create(processes)
    by_dept: dict = {}
    for p in processes:
        by_dept.setdefault(p.department_id, []).append(p)
    words = vocabulary(rng)
    frequencies = [1 / (rank + 1) ** 0.8 for rank in range(len(words))]
    apps, links = [], []
    for i in range(total):
        d = departments[i % len(departments)]
        own = by_dept[d.pk]
        if rng.random() < 0.1:
            names, function, code = rng.choice(COMMON)
            name = rng.choice(names).format(opd=d.name, abbr=d.abbreviation)
            supported = [p for p in own if p.reference_id == rab[code].pk][:1]
        else:
            a, b, c = rng.choices(words, frequencies, k=3)
            name = f"{rng.choice(PREFIXES)} {a.title()} {b.title()}".replace("e- ", "e-")
            function = f"Pengelolaan data {a} dan {b} untuk {c}"
            supported = rng.sample(own[len(common_codes):], rng.randint(1, 3))
        apps.append(Application(
            institution=inst, department=d, code=f"AP-{d.abbreviation}-{i:05d}", name=name, function=function,
            reference=rng.choice(raa), status="draf" if rng.random() < 0.2 else "divalidasi",
        ))
        links.append(supported)
    apps = Application.objects.bulk_create(apps)
    through = Application.processes.through
    through.objects.bulk_create(
        through(application=app, businessprocess=p) for app, supported in zip(apps, links) for p in supported
    )
    return inst, departments


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sia-bench-dup-") as tmp:
        setup_django(Path(tmp))
        from django.contrib.auth import get_user_model
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from sia.core.roles import Role
        from sia.organizations.models import Membership
        from sia.portfolio.duplicates import Portfolio, attach, duplicate_candidates, similar_applications

        start = time.perf_counter()
        inst, departments = generate(args.applications)
        built = time.perf_counter() - start
        operator = get_user_model().objects.create_user("operator.d07", password="sia-bench-2024")
        Membership.objects.create(user=operator, institution=inst, role=Role.OPERATOR, department=departments[7])
        n = args.applications

        def raw_read():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT a.id, a.name, a.function, a.department_id, d.name, d.abbreviation, r.code, r.name, "
                    "a.national_application_id FROM architecture_application a JOIN organizations_department d "
                    "ON d.id = a.department_id LEFT JOIN reference_referencenode r ON r.id = a.reference_id "
                    "WHERE a.institution_id = %s", [inst.pk])
                rows = cursor.fetchall()
                cursor.execute(
                    "SELECT t.application_id, t.businessprocess_id, p.name, r.code, r.name FROM "
                    "architecture_application_processes t JOIN architecture_application a ON a.id = t.application_id "
                    "JOIN architecture_businessprocess p ON p.id = t.businessprocess_id LEFT JOIN "
                    "reference_referencenode r ON r.id = p.reference_id WHERE a.institution_id = %s", [inst.pk])
                return rows, cursor.fetchall()

        raw_ms, raw_best, raw_cpu, (rows, links) = timed(raw_read, args.repeat)
        build_ms, build_best, build_cpu, portfolio = timed(lambda: Portfolio(inst.pk), args.repeat)
        block_ms, block_best, block_cpu, pairs = timed(lambda: portfolio.scored_pairs(), args.repeat)
        all_ms, all_best, all_cpu, found = timed(lambda: duplicate_candidates(inst.pk, attach_objects=False), args.repeat)
        with CaptureQueriesContext(connection) as queries:
            duplicate_candidates(inst.pk, attach_objects=False)
        op_ms, op_best, op_cpu, op_found = timed(
            lambda: duplicate_candidates(inst.pk, operator, attach_objects=False), args.repeat)
        page_ms, page_best, page_cpu, _ = timed(lambda: attach(found[:50]), args.repeat)
        similar_ms, similar_best, similar_cpu, similar = timed(lambda: similar_applications(
            inst.pk, name="Sistem Informasi Kepegawaian", function="data pegawai, mutasi dan cuti"), args.repeat)

        print(f"{n} aplikasi, {len(departments)} OPD, {len(links)} tautan proses; pembuatan data {built:.1f} s; "
              f"{args.repeat} ulangan per baris (median / terbaik)\n")
        print(f"{'langkah':<52} {'median ms':>10} {'best ms':>8} {'CPU ms':>7}  batas mentah")
        rows_out = [
            ("baca baris (SQL mentah, 2 pernyataan)", raw_ms, raw_best, raw_cpu,
             f"{len(rows)} aplikasi + {len(links)} tautan"),
            ("Portfolio(): baca + normalisasi + bobot", build_ms, build_best, build_cpu, f"SQL mentah {raw_ms:.0f} ms"),
            ("pasangan diskor (indeks terbalik + batas atas)", block_ms, block_best, block_cpu,
             f"{len(pairs)} pasangan ≥ ambang dari {n * (n - 1) // 2:,} semua-lawan-semua"),
            ("duplicate_candidates (koordinator)", all_ms, all_best, all_cpu,
             f"{len(found)} kandidat, {len(queries.captured_queries)} kueri"),
            ("duplicate_candidates (operator 1 OPD)", op_ms, op_best, op_cpu, f"{len(op_found)} kandidat"),
            ("attach: 50 kandidat satu halaman", page_ms, page_best, page_cpu, "2 kueri"),
            ("similar_applications (aplikasi baru)", similar_ms, similar_best, similar_cpu, f"{len(similar)} mirip"),
        ]
        for label, median, best, cpu, raw in rows_out:
            print(f"{label:<52} {median:>10.1f} {best:>8.1f} {cpu:>7.1f}  {raw}")
        load = os.getloadavg()[0]
        verdict = "di bawah" if all_best < 1000 else "MELEWATI"
        print(f"\nduplicate_candidates terbaik {all_best:.0f} ms, CPU {all_cpu:.0f} ms: {verdict} sasaran 1 s "
              f"(beban mesin {load:.1f} pada {os.cpu_count()} core)")


if __name__ == "__main__":
    main()
