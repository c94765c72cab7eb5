"""Times the Dokumen Arsitektur SPBE of one large instansi: about 20,000 objects of every kind, with their links (the
province of ``bench/insights.py``: 40 OPDs, shared data-centre servers, integrations, keamanan standards; 80 %
validated), and a Peta Rencana of ``--kegiatan`` kegiatan over the seven areas, each with its years and pagu, a
third of them linked to a gap (the timeline pictures and tables of its chapter).

    .venv/bin/python bench/document.py [--objects 20000] [--kegiatan 600] [--all]

Builds a throwaway embedded SQLite database under /tmp, then runs the background job as the worker does
(``jobs.generate_document`` for a queued document of the koordinator: every table, the diagrams rendered by
Graphviz, the gaps, the annexes, the file kept) and reports its wall and CPU time, the peak resident memory of the
process during the job, the file's size and its tables, pictures and sections. ``--all`` writes every object with
its status (the DRAF document) instead of the validated ones. Target (issue 15): under 60 s and 500 MB.
"""

from __future__ import annotations

import argparse
import io
import resource
import tempfile
import time
from pathlib import Path

from _common import setup_django  # bench/_common.py: the script's own directory is on sys.path

TARGET_SECONDS, TARGET_MB = 60, 500


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_roadmap(inst, departments, count: int) -> int:
    """``count`` validated kegiatan of the period 2025-2029 spread over the areas and OPDs, in bulk."""
    import random
    from decimal import Decimal

    from django.contrib.contenttypes.models import ContentType

    from sia.architecture.models import Application
    from sia.roadmap.choices import ActivityStatus, Area
    from sia.roadmap.models import Activity, ActivityGap, ActivityYear, Initiative, Program, StrategicTarget

    rng = random.Random(15)
    target = StrategicTarget.objects.create(institution=inst, period="2025-2029", code="SS-01",
                                            name="Pemerintahan digital yang terpadu")
    initiative = Initiative.objects.create(target=target, code="IN-01", name="Transformasi layanan digital")
    programs = [Program.objects.create(initiative=initiative, area=area, code=f"PR-{n:02d}", name=f"Program {label}")
                for n, (area, label) in enumerate(Area.choices, 1)]
    activities = []
    for n in range(count):
        start = rng.randint(2025, 2028)
        activities.append(Activity(
            institution=inst, program=programs[n % len(programs)], department=departments[n % len(departments)],
            code=f"KG-BENCH-{n + 1:04d}", name=f"Kegiatan pengembangan {n + 1}", start_year=start,
            end_year=min(2029, start + rng.randint(0, 2)), status="divalidasi",
            progress=rng.choice([ActivityStatus.NOT_STARTED, ActivityStatus.RUNNING, ActivityStatus.DONE])))
    Activity.objects.bulk_create(activities, batch_size=500)
    years = [ActivityYear(activity=a, year=y, budget=Decimal(rng.randint(50, 2000)) * 1_000_000)
             for a in activities for y in range(a.start_year, a.end_year + 1)]
    ActivityYear.objects.bulk_create(years, batch_size=1000)
    kind = ContentType.objects.get_for_model(Application)
    apps = list(Application.objects.filter(institution=inst).values_list("pk", flat=True)[: count // 3])
    ActivityGap.objects.bulk_create([ActivityGap(activity=a, content_type=kind, object_id=pk)
                                     for a, pk in zip(activities, apps)], batch_size=1000)
    return len(activities)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, default=20000)
    parser.add_argument("--kegiatan", type=int, default=600)
    parser.add_argument("--all", action="store_true", help="every object with its status, not only the validated")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sia-bench-document-") as tmp:
        setup_django(Path(tmp))
        from django.conf import settings
        from django.contrib.auth import get_user_model
        from docx import Document

        from insights import generate  # bench/insights.py
        from sia.core.roles import Role
        from sia.publishing.choices import DocumentContent
        from sia.publishing.jobs import generate_document
        from sia.publishing.models import GeneratedDocument
        from sia.organizations.models import Membership

        settings.MEDIA_ROOT = Path(tmp) / "media"
        start = time.perf_counter()
        inst, departments, objects, edges, _shared = generate(args.objects)
        kegiatan = make_roadmap(inst, departments, args.kegiatan)
        print(f"instansi: {objects:,} objects, {edges:,} links, {kegiatan:,} kegiatan, "
              f"built in {time.perf_counter() - start:.1f} s; "
              f"peak memory so far {peak_mb():.0f} MB")
        admin = get_user_model().objects.create_user("koordinator.uji", password="sia-bench-2024")
        Membership.objects.create(user=admin, institution=inst, role=Role.ADMIN)
        document = GeneratedDocument.objects.create(
            institution=inst, requested_by=admin, period="2025-2029",
            content=DocumentContent.ALL if args.all else DocumentContent.VALIDATED)
        before = peak_mb()
        start, start_cpu = time.perf_counter(), time.process_time()
        outcome = generate_document.call(document.pk)  # the job's function, as the worker calls it
        wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
        peak = peak_mb()  # before the file is read back below
        document.refresh_from_db()
        assert outcome == "done", document.error
        with document.file.open("rb") as handle:
            data = handle.read()
        doc = Document(io.BytesIO(data))
        rows = sum(len(table.rows) for table in doc.tables)
        print(f"document ({document.get_content_display()}): {wall:.1f} s wall, {cpu:.1f} s CPU, "
              f"{len(data) / 2**20:.1f} MB .docx, {len(doc.tables)} tables ({rows:,} rows), "
              f"{len(doc.inline_shapes)} pictures, {len(doc.sections)} sections, draft={document.draft}; "
              f"peak memory of the process {peak:.0f} MB (before the job, with the generated instansi: {before:.0f} MB)")
        met = wall < TARGET_SECONDS and peak < TARGET_MB
        print(f"target {TARGET_SECONDS} s, {TARGET_MB} MB: {'met' if met else 'MISSED'}")


if __name__ == "__main__":
    main()
