"""What every benchmark script shares: a throwaway SQLite database under a temporary directory, and timing
that reports the CPU time beside the wall time (on a shared machine the CPU time is the work itself)."""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

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


def ensure_database(url: str):
    """Creates the database ``url`` names when it does not exist, through the server's ``postgres`` database."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    if "postgresql" not in config["ENGINE"]:
        sys.exit("DATABASE_URL harus menyebut basis data PostgreSQL (mis. lewat scripts/lib/with-postgres.sh).")
    parts = urlsplit(url)
    server = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))  # the same server, its own database
    with psycopg.connect(server, autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone():
            admin.execute(f'CREATE DATABASE "{config["NAME"]}"')
            print(f"Basis data {config['NAME']} dibuat.")


def timed(func, repeat: int):
    """Median and best wall time, and median CPU time of this process (ms), and the last result."""
    timings, cpu, result = [], [], None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = func()
        timings.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(timings), min(timings), statistics.median(cpu), result
