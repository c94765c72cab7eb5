"""Load test: the production server (`sia serve`, gunicorn) on 127.0.0.1 under simulated users driven by Locust
(headless, bounded in time), on a fresh database: PostgreSQL by default, the embedded SQLite with --sqlite.

    scripts/lib/with-postgres.sh /work/main/.venv/bin/python bench/load.py [--users 100] [--seconds 600]
    /work/main/.venv/bin/python bench/load.py --sqlite --users 20 --seconds 60

The users (bench/locustfile.py): operators editing their OPD's objects (two per OPD, sharing them, each edit
with the ``lock_version`` it read), reviewers working their review queue (verify, return), a koordinator on the
dashboard. Afterwards every edit the server accepted is looked for in the database (each appended a marker of
its own to the object's description): one missing is a lost update. Prints p95 per request type, errors and
lost updates; exits 1 on any error or lost update.

PostgreSQL: a database ``sia_load_<pid>`` is created on the server DATABASE_URL names and dropped at the end.
``--from-database`` starts from a copy of a migrated database instead of migrating a new one (the test suite's,
migrated once per run): an SQLite file with --sqlite, else the name of a database on the same server (copied with
``CREATE DATABASE ... TEMPLATE``). ``--static-from`` starts from static files an earlier `sia serve` collected (a
STATIC_ROOT folder, copied): the server finds them up to date instead of collecting and compressing them again.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from _common import ROOT, ensure_database  # bench/_common.py: the script's own directory is on sys.path

PASSWORD = "sia-load-2024!"
OBJECTS_PER_DEPARTMENT = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url(sqlite: bool, var_dir: Path, source: str | None = None) -> tuple[str, callable]:
    """A fresh database (a copy of ``source`` when given) and how to drop it afterwards."""
    if sqlite:
        path = var_dir / "load.sqlite3"
        if source:
            import sqlite3

            with sqlite3.connect(source) as src, sqlite3.connect(path) as dst:
                src.backup(dst)
            src.close()
            dst.close()
        return f"sqlite:///{path}", lambda: None
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL harus menyebut server PostgreSQL (scripts/lib/with-postgres.sh), atau pakai --sqlite.")
    name = f"sia_load_{os.getpid()}"
    url = urlunsplit(urlsplit(base)._replace(path=f"/{name}"))
    if source:
        import psycopg

        server = urlunsplit(urlsplit(base)._replace(scheme="postgresql", path="/postgres"))
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
    else:
        ensure_database(url)

    def drop():
        import psycopg

        server = urlunsplit(urlsplit(base)._replace(scheme="postgresql", path="/postgres"))
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return url, drop


def server_environment(var_dir: Path, url: str) -> dict:
    drop = {"DJANGO_ALLOW_ASYNC_UNSAFE", "SIA_ENV", "DJANGO_SETTINGS_MODULE", "SIA_WEB_WORKERS", "PYTEST_CURRENT_TEST"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    # Development settings without DEBUG: production's apart from HTTPS (plain HTTP on 127.0.0.1 here).
    return env | {"SIA_ENV": "development", "SIA_VAR_DIR": str(var_dir), "DATABASE_URL": url,
                  "DJANGO_SETTINGS_MODULE": "sia.settings", "SIA_ACCESS_LOG": "", "SIA_DEBUG": "0",
                  "PYTHONPATH": str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", ""), "PYTHONUNBUFFERED": "1"}


def start_server(env: dict, log_path: Path, workers: int | None, start_seconds: int = 900):
    port = free_port()
    log = open(log_path, "w+")
    command = [sys.executable, "-m", "sia.cli", "serve", "--no-worker", f"127.0.0.1:{port}"]
    if workers:
        command[4:4] = ["--workers", str(workers)]
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + start_seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            sys.exit(f"sia serve berhenti dengan kode {process.returncode}:\n{log.read()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/akun/login/", timeout=5):
                return process, f"http://127.0.0.1:{port}"
        except (urllib.error.URLError, OSError):
            time.sleep(1)
    process.kill()
    sys.exit("sia serve tidak menjawab pada waktunya")


def setup_django(env: dict):
    os.environ.update({k: env[k] for k in ("SIA_ENV", "SIA_VAR_DIR", "DATABASE_URL", "DJANGO_SETTINGS_MODULE")})
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def prepare(operators: int, reviewers: int) -> dict:
    """An instansi with one OPD per two operators, OBJECTS_PER_DEPARTMENT business processes in each (a third
    submitted, for the reviewers' queue), the accounts; returns what the users need (operators' API tokens)."""
    import random

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from sia.architecture.models import BusinessProcess
    from sia.architecture.values import seed_value_lists
    from sia.core.roles import Role
    from sia.core.tokens import issue_token
    from sia.organizations.models import Department, Institution, Membership
    from sia.reference.loader import ensure_default_catalogs
    from sia.reference.models import ReferenceNode

    rng = random.Random(18)
    ensure_default_catalogs()
    inst = Institution.objects.create(name="Provinsi Uji Beban", kind="provinsi", code="98")
    seed_value_lists(inst)
    departments = Department.objects.bulk_create(
        Department(institution=inst, name=f"Dinas Uji Beban {i:02d}", abbreviation=f"UB{i:02d}", code=f"8.{i:02d}",
                   kind="dinas") for i in range((operators + 1) // 2))
    nodes = list(ReferenceNode.objects.current().national().of_catalog("RAB").filter(level=3))
    BusinessProcess.objects.bulk_create(
        BusinessProcess(institution=inst, department=d, code=f"PB-{d.abbreviation}-{j:03d}",
                        name=f"Proses bisnis {d.abbreviation} {j}", description="Uraian awal.",
                        reference=rng.choice(nodes), status="diajukan" if j % 3 == 0 else "draf")
        for d in departments for j in range(OBJECTS_PER_DEPARTMENT))
    hashed = make_password(PASSWORD)  # once: the same password for every account
    User = get_user_model()

    def account(username, role, department=None):
        user = User.objects.create(username=username, password=hashed)
        Membership.objects.create(user=user, institution=inst, role=role, department=department)
        return user

    accounts = {"password": PASSWORD, "koordinator": account("koordinator", Role.ADMIN).username,
                "reviewers": [account(f"verifikator.{i:02d}", Role.VERIFIER).username for i in range(reviewers)],
                "operators": []}
    for i in range(operators):
        department = departments[i // 2]
        user = account(f"operator.{i:03d}", Role.OPERATOR, department)
        accounts["operators"].append({"username": user.username, "department": department.pk,
                                      "token": issue_token(user, "uji beban")[1]})
    return accounts


def run_locust(url, users, seconds, accounts_path, journal_path, csv_prefix, reviewers) -> int:
    env = os.environ | {"SIA_LOAD_ACCOUNTS": str(accounts_path), "SIA_LOAD_JOURNAL": str(journal_path),
                        "SIA_LOAD_RESENDS": str(Path(journal_path).with_name("resends.txt")),
                        "SIA_LOAD_REVIEWERS": str(reviewers)}
    command = [sys.executable, "-m", "locust", "-f", str(Path(__file__).with_name("locustfile.py")), "--headless",
               "-u", str(users), "-r", str(max(1, users // 10)), "-t", f"{seconds}s", "--host", url,
               "--csv", str(csv_prefix), "--only-summary", "--stop-timeout", "15", "--loglevel", "WARNING"]
    return subprocess.run(command, env=env).returncode


def read_stats(csv_prefix) -> list[dict]:
    with open(f"{csv_prefix}_stats.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def lost_updates(journal_path) -> tuple[int, int]:
    """(accepted edits, edits whose marker is missing from their object's description)."""
    from sia.architecture.models import BusinessProcess

    edits = [line.split(" ", 1) for line in Path(journal_path).read_text().splitlines() if line.strip()]
    descriptions = dict(BusinessProcess.objects.filter(pk__in={int(i) for i, _ in edits})
                        .values_list("pk", "description"))
    return len(edits), sum(1 for i, marker in edits if marker not in descriptions.get(int(i), ""))


def report(stats, edits, lost) -> int:
    print(f"\n{'jenis permintaan':42} {'jumlah':>7} {'galat':>6} {'p50 ms':>7} {'p95 ms':>7} {'maks ms':>8}")
    errors = 0
    for row in stats:
        label = row["Name"] if row["Name"] != "Aggregated" else "SEMUA"
        errors += int(row["Failure Count"]) if row["Name"] != "Aggregated" else 0
        print(f"{label:42} {row['Request Count']:>7} {row['Failure Count']:>6} {row['50%']:>7} {row['95%']:>7} "
              f"{float(row['Max Response Time']):8.0f}")
    total = next((r for r in stats if r["Name"] == "Aggregated"), None)
    if total:
        print(f"\n{float(total['Requests/s']):.1f} permintaan/s; {errors} galat; {edits} ubahan diterima, "
              f"{lost} hilang (lost update)")
    return errors


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=600)
    parser.add_argument("--sqlite", action="store_true", help="the embedded SQLite instead of PostgreSQL")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: sized to the machine)")
    parser.add_argument("--from-database", default=None,
                        help="start from a copy of this migrated database: an SQLite file with --sqlite, else the "
                             "name of a PostgreSQL database on DATABASE_URL's server")
    parser.add_argument("--static-from", default=None,
                        help="static files collected before by `sia serve` (a STATIC_ROOT folder) to start with: "
                             "the server finds them up to date instead of collecting and compressing them again")
    args = parser.parse_args()
    reviewers = max(1, args.users // 10)
    operators = max(2, args.users - reviewers - 1)
    with tempfile.TemporaryDirectory(prefix="sia-load-") as tmp:
        var_dir = Path(tmp)
        url, drop = database_url(args.sqlite, var_dir, args.from_database)
        if args.static_from:
            shutil.copytree(args.static_from, var_dir / "static")
        server = None
        try:
            env = server_environment(var_dir, url)
            started = time.perf_counter()
            server, address = start_server(env, var_dir / "serve.log", args.workers)
            print(f"sia serve menjawab di {address} setelah {time.perf_counter() - started:.0f} s "
                  f"({'SQLite' if args.sqlite else 'PostgreSQL'})", flush=True)
            setup_django(env)
            accounts = prepare(operators, reviewers)
            (var_dir / "accounts.json").write_text(json.dumps(accounts))
            print(f"{args.users} pengguna ({operators} operator, {reviewers} verifikator, 1 koordinator) selama "
                  f"{args.seconds} s", flush=True)
            code = run_locust(address, args.users, args.seconds, var_dir / "accounts.json", var_dir / "journal.txt",
                              var_dir / "locust", reviewers)
            (var_dir / "journal.txt").touch()
            edits, lost = lost_updates(var_dir / "journal.txt")
            errors = report(read_stats(var_dir / "locust"), edits, lost)
            resends = var_dir / "resends.txt"
            resent = resends.read_text().splitlines() if resends.exists() else []
            print(f"{len(resent)} permintaan dikirim ulang karena server menutup koneksi keep-alive sebelum menjawab "
                  f"(seperti peramban; bukan galat)")
            for line in resent[:10]:
                print(f"  {line}")
        finally:
            if server is not None and server.poll() is None:
                server.send_signal(signal.SIGTERM)
                try:
                    server.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    server.kill()
            if "django.db" in sys.modules:
                from django.db import connections

                connections.close_all()
            drop()
    if errors or lost or code or not edits:
        print("GAGAL: galat, ubahan yang hilang, atau tidak ada ubahan sama sekali.")
        sys.exit(1)
    print("Lulus: 0 galat, 0 ubahan hilang.")


if __name__ == "__main__":
    main()
