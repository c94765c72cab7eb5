"""One database migrated by ``sia migrate`` per run of the suite, shared by the tests that need a migrated database
of their own (tests/core/test_migrations.py checks it; `sia serve`, `sia createadmin` and the load test start from
a copy of it). Migrating from nothing in a fresh process takes one to two minutes, which each of those tests used
to spend again.

The xdist workers of a run share it: the first one to ask migrates under a file lock in the run's temporary
directory; the others wait for it and copy the result.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]


def shared_dir(tmp_path_factory) -> Path:
    """The temporary directory every worker of this run sees (pytest's base temp of the run), or the one
    SIA_TEST_SHARED_DIR names: scripts/test makes a new empty one for its two runs of the same code, so the
    PostgreSQL run copies the SQLite file the SQLite run migrated (`sia serve` and `sia createadmin` start from it)
    instead of migrating SQLite from nothing again (1-2 minutes)."""
    if os.environ.get("SIA_TEST_SHARED_DIR"):
        return Path(os.environ["SIA_TEST_SHARED_DIR"])
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextmanager
def locked(path: Path):
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def run_migrate(database_url: str, var_dir: Path) -> None:
    """``sia migrate`` in a new process, as a deployment runs it, on ``database_url``."""
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "PYTEST_CURRENT_TEST")}
    env |= {"DATABASE_URL": database_url, "SIA_ENV": "test", "SIA_VAR_DIR": str(var_dir),
            "DJANGO_SETTINGS_MODULE": "sia.settings"}
    done = subprocess.run([sys.executable, "-m", "sia.cli", "migrate", "-v0", "--no-input"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        raise AssertionError(f"sia migrate ended with {done.returncode}:\n{done.stderr[-3000:]}")


def migrated_sqlite(shared: Path) -> Path:
    """The path of this run's SQLite file migrated from nothing (made on the first call of the run)."""
    folder = shared / "sia-migrated"
    folder.mkdir(exist_ok=True)
    path = folder / "migrated.sqlite3"
    with locked(folder / "lock"):
        if not path.exists():
            partial = folder / "migrating.sqlite3"
            partial.unlink(missing_ok=True)
            run_migrate(f"sqlite:///{partial}", folder)
            partial.rename(path)
    return path


def copy_sqlite(source: Path, target: Path) -> Path:
    """A copy of the migrated file (SQLite's backup API: whole pages, whatever its journal mode)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()
    return target


def migrated_postgres(shared: Path, server_url: str) -> str:
    """The name of this run's PostgreSQL database migrated from nothing on the server ``server_url`` names (the
    suite's throwaway cluster, which is removed with it). Copy it with ``CREATE DATABASE ... TEMPLATE``."""
    folder = shared / "sia-migrated"
    folder.mkdir(exist_ok=True)
    marker = folder / "postgres-template"
    with locked(folder / "lock-postgres"):
        if not marker.exists():
            import psycopg

            name = f"sia_migrated_{uuid.uuid4().hex[:12]}"
            admin_url = urlunsplit(urlsplit(server_url)._replace(scheme="postgresql", path="/postgres"))
            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{name}"')
            run_migrate(urlunsplit(urlsplit(server_url)._replace(path=f"/{name}")), folder)
            marker.write_text(name)
    return marker.read_text()


def development_environment(var_dir: Path) -> dict:
    """The environment of a `sia` command run as on a developer's machine (development settings: hashed,
    compressed static files), its data under ``var_dir``."""
    drop = {"DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "SIA_ENV", "DJANGO_SETTINGS_MODULE", "SIA_WEB_WORKERS",
            "SIA_STATIC_ROOT", "PYTEST_CURRENT_TEST"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    return env | {"SIA_ENV": "development", "SIA_VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "sia.settings",
                  "PYTHONUNBUFFERED": "1"}


def collected_static(shared: Path) -> Path:
    """This run's static files collected once as `sia serve` collects them (the production storage: hashed names,
    gzip and brotli copies; about 10 s of CPU): the folder, with the fingerprint of the sources `sia serve` compares
    (sia.core.static_sources). Read it or copy it, never write it."""
    folder = shared / "sia-static"
    folder.mkdir(exist_ok=True)
    collected = folder / "var" / "static"
    with locked(folder / "lock"):
        if not (folder / "done").exists():
            code = "from sia.core.static_sources import collect_static; collect_static()"
            done = subprocess.run([sys.executable, "-m", "sia.cli", "shell", "-c", code], cwd=ROOT,
                                  env=development_environment(folder / "var"), capture_output=True, text=True,
                                  timeout=900)
            if done.returncode != 0:
                raise AssertionError(
                    f"collecting the static files ended with {done.returncode}:\n{done.stderr[-3000:]}")
            (folder / "done").write_text("")
    return collected
