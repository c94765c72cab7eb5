"""Times the ArchiMate 3.1 exchange file of one large instansi: about 20,000 objects of every kind, with their links
(the province of ``bench/insights.py``: 40 OPDs, shared data-centre servers, integrations, keamanan standards).

    .venv/bin/python bench/archimate.py [--objects 20000] [--repeat 3] [--import]

Builds a throwaway embedded SQLite database under /tmp, then measures the export for the koordinator (every object:
read, relationships, OPD landscapes and service chains laid out, written with lxml) with its query count, the
file's size and the peak Python memory, and checks the file against the exchange-format schemas; then the same
export without the views (``views=False``: the model alone), and how each file splits into elements,
relationships, organizations and views, against the import limit ``SIA_ARCHIMATE_MAX_BYTES``. ``--import`` also
times the import preview of the file with views into the same instansi (every object matched by its SIA code,
unchanged) and reports the process's peak resident memory before and after it. Target (issue 15): the export of
20,000 objects in under 10 s.
"""

from __future__ import annotations

import argparse
import re
import resource
import tempfile
import time
import tracemalloc
from pathlib import Path

from _common import setup_django, timed  # bench/_common.py: the script's own directory is on sys.path

TARGET_SECONDS = 10


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--import", dest="read_back", action="store_true", help="also time the import preview")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sia-bench-archimate-") as tmp:
        setup_django(Path(tmp))
        from django.conf import settings
        from django.contrib.auth import get_user_model
        from django.db import connection
        from django.test.utils import CaptureQueriesContext
        from lxml import etree

        from insights import generate  # bench/insights.py
        from sia.core.roles import Role
        from sia.exchange.archimate import importer
        from sia.exchange.archimate.export import export_model
        from sia.exchange.archimate.schema import schema_errors
        from sia.exchange.problems import FileRejected
        from sia.organizations.models import Membership

        start = time.perf_counter()
        inst, _departments, objects, edges, _shared = generate(args.objects)
        built = time.perf_counter() - start
        admin = get_user_model().objects.create_user("koordinator.uji", password="sia-bench-2024")
        Membership.objects.create(user=admin, institution=inst, role=Role.ADMIN)
        print(f"instansi: {objects:,} objects, {edges:,} links, built in {built:.1f} s")

        export_model(admin, inst)  # warm: the reader's grants, Django's caches
        with CaptureQueriesContext(connection) as queries:
            median, best, cpu, (content, problems) = timed(lambda: export_model(admin, inst), args.repeat)
        tracemalloc.start()
        export_model(admin, inst)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        if args.read_back:  # first: the checks below build the whole file as one tree
            before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            begin = time.perf_counter()
            try:
                result = importer.preview(content, user=admin, institution=inst)
            except FileRejected as refused:
                raise SystemExit(f"import preview refused the file: {refused.message}")
            after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            print(f"import preview: {time.perf_counter() - begin:.1f} s, {result.counts()}, "
                  f"{len(result.problems)} problems; peak resident memory {before / 1024:.0f} MB before, "
                  f"{after / 1024:.0f} MB after")
        root = etree.fromstring(content, etree.XMLParser(huge_tree=True))
        ns = {"a": "http://www.opengroup.org/xsd/archimate/3.0/"}
        counts = {name: len(root.findall(path, ns)) for name, path in (
            ("elements", "a:elements/a:element"), ("relationships", "a:relationships/a:relationship"),
            ("views", "a:views/a:diagrams/a:view"))}
        errors = schema_errors(root)
        print(f"export: median {median / 1000:.2f} s, best {best / 1000:.2f} s, CPU {cpu / 1000:.2f} s, "
              f"{len(queries.captured_queries) // args.repeat} queries, {len(content) / 2**20:.1f} MB, "
              f"peak Python memory {peak / 2**20:.0f} MB; {counts}; omitted relationships {len(problems)}; "
              f"schema {'valid' if not errors else errors[:3]}")
        print(f"target {TARGET_SECONDS} s: {'met' if median / 1000 < TARGET_SECONDS else 'MISSED'}")
        alone, _problems = export_model(admin, inst, views=False)
        limit = settings.SIA_ARCHIMATE_MAX_BYTES
        for label, data in (("with views", content), ("model alone", alone)):
            valid = not (errors if data is content else schema_errors(etree.fromstring(data)))
            print(f"{label}: {megabytes(len(data))} ({len(data) / objects:,.0f} bytes per object), "
                  f"{'accepted' if len(data) <= limit else 'REFUSED'} by SIA_ARCHIMATE_MAX_BYTES "
                  f"({megabytes(limit)}); schema {'valid' if valid else 'INVALID'}; {split(data)}")


def megabytes(size: int) -> str:
    return f"{size / 2**20:.1f} MB"


SECTIONS = ("elements", "relationships", "organizations", "views")


def split(data: bytes) -> str:
    """The bytes of each top-level section of the file (its start and end tags found in the text)."""
    parts = []
    for name in SECTIONS:
        start = re.search(rb"<%s[ >]" % name.encode(), data)
        end = data.rfind(b"</%s>" % name.encode())
        size = end + len(name) + 3 - start.start() if start and end >= 0 else 0
        parts.append(f"{name} {megabytes(size)}")
    return ", ".join(parts)


if __name__ == "__main__":
    main()
