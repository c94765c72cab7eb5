"""Times the ArchiMate 3.1 exchange file of one large instansi: about 20,000 objects of every kind, with their links
(the province of ``bench/insights.py``: 40 OPDs, shared data-centre servers, integrations, keamanan standards).

    .venv/bin/python bench/archimate.py [--objects 20000] [--repeat 3] [--import]

Builds a throwaway embedded SQLite database under /tmp, then measures the export for the koordinator (every object:
read, relationships, OPD landscapes and service chains laid out, written with lxml) with its query count, the
file's size and the peak Python memory, and checks the file against the exchange-format schemas. ``--import``
also times the import preview of that file into the same instansi (every object matched by its SIA code,
unchanged). Target (issue 15): the export of 20,000 objects in under 10 s.
"""

from __future__ import annotations

import argparse
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
        from django.contrib.auth import get_user_model
        from django.db import connection
        from django.test.utils import CaptureQueriesContext
        from lxml import etree

        from insights import generate  # bench/insights.py
        from sia.core.roles import Role
        from sia.exchange.archimate import importer
        from sia.exchange.archimate.export import export_model
        from sia.exchange.archimate.schema import schema_errors
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
        if args.read_back:
            begin = time.perf_counter()
            result = importer.preview(content, user=admin, institution=inst)
            print(f"import preview: {time.perf_counter() - begin:.1f} s, {result.counts()}, "
                  f"{len(result.problems)} problems")


if __name__ == "__main__":
    main()
