"""Times reference-node search over every shipped node on the embedded database (SQLite).

Run: ``.venv/bin/python bench/reference_search.py [repetitions]``. It migrates a throwaway
database in a temporary directory (the post_migrate loader fills the catalogs), then prints
p50/p95 in milliseconds for a few searches as the tree page and the picker run them: the
filtered query plus the paths of the results (two queries). The target is well under 50 ms.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time

SEARCHES = [
    ("kata: kearsipan", "kearsipan", None),
    ("kata tanpa aksen/huruf besar: PENGELOLAAN", "PENGELOLAAN", None),
    ("dua kata: pelayanan kesehatan", "pelayanan kesehatan", None),
    ("awalan kode: RAB.09", "RAB.09", "RAB"),
    ("awalan kode: RAD.03.04", "RAD.03.04", "RAD"),
    ("tidak ada: zzzz", "zzzz", None),
]


def main(repetitions: int = 200) -> None:
    workdir = tempfile.mkdtemp(prefix="sia-bench-")
    os.environ["SIA_VAR_DIR"] = workdir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sia.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from sia.reference import tree
    from sia.reference.models import ReferenceNode

    total = ReferenceNode.objects.count()
    print(f"{total} simpul dimuat; {repetitions} pengulangan per pencarian (SQLite, {workdir})\n")
    print(f"{'pencarian':<45} {'hasil':>6} {'p50 ms':>8} {'p95 ms':>8}")
    worst = 0.0
    for label, text, catalog in SEARCHES:
        queryset = ReferenceNode.objects.current()
        if catalog:
            queryset = queryset.of_catalog(catalog)
        timings, found = [], 0
        for _ in range(repetitions):
            start = time.perf_counter()
            nodes = list(tree.search(queryset, text).order_by("version_id", "code")[:50])
            tree.attach_paths(nodes)
            timings.append((time.perf_counter() - start) * 1000)
            found = len(nodes)
        timings.sort()
        p50 = statistics.median(timings)
        p95 = timings[int(len(timings) * 0.95) - 1]
        worst = max(worst, p95)
        print(f"{label:<45} {found:>6} {p50:>8.2f} {p95:>8.2f}")
    print(f"\np95 terburuk: {worst:.2f} ms (sasaran: jauh di bawah 50 ms)")
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
