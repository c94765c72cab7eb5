"""What every benchmark script shares: a throwaway SQLite database under a temporary directory, and timing
that reports the CPU time beside the wall time (on a shared machine the CPU time is the work itself)."""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(workdir: Path):
    """Django on a fresh SQLite database in ``workdir``, migrated."""
    os.environ["SIA_VAR_DIR"] = str(workdir)
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["SIA_ENV"] = "test"  # plain static storage: no collectstatic needed
    os.environ["DJANGO_SETTINGS_MODULE"] = "sia.settings"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def timed(func, repeat: int):
    """Median and best wall time, and median CPU time of this process (ms), and the last result."""
    timings, cpu, result = [], [], None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = func()
        timings.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(timings), min(timings), statistics.median(cpu), result
