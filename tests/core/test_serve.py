"""`sia serve`: the production server (gunicorn) started as a deployment starts it, on SQLite in a fresh directory,
answering pages and static files and stopping cleanly on SIGTERM; `--dev` still runs Django's development server.

The directory's database is a copy of the run's migrated one (tests/migrated.py; tests/core/test_migrations.py
checks that migrating builds it): `sia serve` still runs `migrate` at its start, which finds nothing left to do
(migrating anew here took over two minutes of the suite)."""

import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from sia.core import wsgi_server
from tests.migrated import development_environment

MIB = 1024 * 1024
# Collecting and compressing the static files takes a while on a loaded 2-core machine.
START_SECONDS = 600


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(var_dir) -> dict:
    # Development settings: the hashed, compressed static files of a deployment (the test settings use plain ones).
    return development_environment(var_dir)


def start(var_dir, *args):
    port = free_port()
    log = open(var_dir / f"serve-{port}.log", "w+")
    process = subprocess.Popen([sys.executable, "-m", "sia.cli", "serve", *args, f"127.0.0.1:{port}"],
                               env=environment(var_dir), stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            pytest.fail(f"sia serve ended with {process.returncode}:\n{log.read()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/akun/login/", timeout=5):
                return process, f"http://127.0.0.1:{port}", log
        except (urllib.error.URLError, OSError):
            time.sleep(1)
    process.kill()
    pytest.fail("sia serve did not answer in time")


def output(log) -> str:
    log.flush()
    log.seek(0)
    return log.read()


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory, migrated_sqlite, collected_static):
    from tests.migrated import copy_sqlite

    folder = tmp_path_factory.mktemp("serve")
    copy_sqlite(migrated_sqlite, folder / "sia.sqlite3")  # where the development settings keep the database
    # The run's static files as a previous start collected them: `sia serve` finds them up to date.
    shutil.copytree(collected_static, folder / "static")
    return folder


@pytest.fixture(scope="module")
def server(var_dir):
    process, url, log = start(var_dir, "--no-worker", "--workers", "2", "--threads", "2")
    yield process, url, log
    if process.poll() is None:
        process.kill()
        process.wait()


def test_the_production_server_answers_the_login_page(server):
    process, url, log = server
    with urllib.request.urlopen(f"{url}/akun/login/") as response:
        assert response.status == 200
        assert response.headers["Server"].startswith("gunicorn")
        assert b'name="password"' in response.read()
    assert "2 proses x 2 thread" in output(log)
    # A restart over files collected from the same sources does not hash and compress them again.
    assert "Berkas statis tidak berubah sejak dikumpulkan." in output(log)
    assert re.search(r"Using worker: gthread", output(log))


def test_static_files_come_compressed_with_a_long_cache_header(server):
    _, url, _ = server
    with urllib.request.urlopen(f"{url}/akun/login/") as response:
        page = response.read().decode()
    stylesheet = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, "the page links a hashed stylesheet (CompressedManifestStaticFilesStorage)"
    request = urllib.request.Request(url + stylesheet.group(1), headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request) as response:
        assert response.status == 200
        assert response.headers["Content-Encoding"] == "gzip"
        cache = response.headers["Cache-Control"]
        assert "immutable" in cache and int(re.search(r"max-age=(\d+)", cache).group(1)) >= 365 * 24 * 3600


def test_sigterm_stops_the_server_cleanly(server):
    process, url, log = server
    process.send_signal(signal.SIGTERM)
    # gunicorn lets running requests end within its graceful timeout (30 s), then stops the workers.
    assert process.wait(timeout=wsgi_server.GRACEFUL_TIMEOUT + 30) == 0
    text = output(log)
    assert "Handling signal: term" in text and "Shutting down: Master" in text
    with pytest.raises((urllib.error.URLError, OSError)):
        urllib.request.urlopen(f"{url}/akun/login/", timeout=5)


def test_dev_runs_djangos_development_server(server, var_dir):
    process, url, log = start(var_dir, "--dev", "--no-worker")  # the database is migrated already
    try:
        with urllib.request.urlopen(f"{url}/akun/login/") as response:
            assert response.status == 200
            assert response.headers["Server"].startswith("WSGIServer")
        assert "server pengembangan" in output(log)
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_workers_are_sized_to_the_cores_and_the_memory():
    assert wsgi_server.default_workers(cores=2, memory=16 * 1024 * MIB, graphs=6) == 3
    assert wsgi_server.default_workers(cores=16, memory=64 * 1024 * MIB, graphs=6) == 17
    # 2 GiB: half of it over 160 + 6 x 40 = 400 MiB per worker gives 2, below cores + 1
    assert wsgi_server.default_workers(cores=8, memory=2048 * MIB, graphs=6) == 2
    assert wsgi_server.default_workers(cores=8, memory=2048 * MIB, graphs=0) == 6
    assert wsgi_server.default_workers(cores=4, memory=256 * MIB, graphs=6) == 1
    assert wsgi_server.default_workers(cores=4, memory=None, graphs=6) == 5


def test_the_server_options_suit_sqlite_and_postgresql():
    options = wsgi_server.server_options("127.0.0.1:8000", workers=3, threads=4, timeout=120)
    assert options["worker_class"] == "gthread" and options["threads"] == 4 and options["preload_app"] is True
    assert options["graceful_timeout"] == wsgi_server.GRACEFUL_TIMEOUT and options["timeout"] == 120
    # replaced for memory's sake, but not so often that workers keep starting cold under load: at 100 requests/s
    # spread over three workers, each lives at least ten minutes
    assert options["max_requests"] - options["max_requests_jitter"] >= 600 * 100 / 3


def test_the_master_freezes_what_it_loaded_before_each_fork():
    """gunicorn calls ``pre_fork`` in the master before forking each worker; the objects then alive leave the
    collector's generations (``gc.freeze``), which the worker's collections then leave alone."""
    import gc

    options = wsgi_server.server_options("127.0.0.1:8000", workers=3, threads=4, timeout=120)
    from gunicorn.config import Config

    config = Config()
    config.set("pre_fork", options["pre_fork"])  # gunicorn accepts it as its hook (two arguments)
    before = gc.get_freeze_count()
    try:
        config.pre_fork(None, None)
        assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()
