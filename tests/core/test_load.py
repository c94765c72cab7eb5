"""The short load test (issue 18): ``bench/load.py`` with 20 simulated users for 45 s against the production server
(``sia serve``, gunicorn) on 127.0.0.1, on a fresh database of the kind this run of the suite uses (the embedded
SQLite, or a database created on the throwaway PostgreSQL server). Operators edit shared objects with their
``lock_version``, reviewers work their queue, the koordinator reads the dashboard; the script exits 1 on any error
or lost update, and this test asserts on its summary too, so that a run that did nothing cannot pass. The fresh
database is a copy of the run's migrated one (tests/migrated.py), and the static files those the run collected once,
so the server's start neither migrates nor collects again."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_twenty_users_for_45_seconds_give_no_error_and_no_lost_update(tmp_path, request):
    url = os.environ.get("DATABASE_URL", "")
    command = [sys.executable, str(ROOT / "bench" / "load.py"), "--users", "20", "--seconds", "45", "--workers", "2",
               "--static-from", str(request.getfixturevalue("collected_static"))]
    if url.startswith(("postgres://", "postgresql://")):
        command += ["--from-database", request.getfixturevalue("migrated_postgres")]
    else:
        command += ["--sqlite", "--from-database", str(request.getfixturevalue("migrated_sqlite"))]
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_XDIST_WORKER"} | {"TMPDIR": str(tmp_path)}
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=1500, cwd=ROOT)
    out = done.stdout + done.stderr
    assert done.returncode == 0, out[-4000:]
    summary = re.search(r"([\d.]+) permintaan/s; (\d+) galat; (\d+) ubahan diterima, (\d+) hilang", out)
    assert summary, out[-4000:]
    rate, errors, edits, lost = float(summary[1]), int(summary[2]), int(summary[3]), int(summary[4])
    assert errors == 0 and lost == 0, out[-4000:]
    assert edits >= 10 and rate > 1, f"too little happened to call it a load test: {summary[0]}"
