"""The production WSGI server of ``sia serve``: gunicorn, run through its Python API on ``sia.wsgi.application``.

Workers are processes, each with ``threads`` threads (gunicorn's ``gthread`` worker). By default:

    workers = min(cores + 1, memory // 2 // per_worker), at least 1
    per_worker = 160 MiB (Django with SIA loaded) + SIA_INSIGHTS_GRAPHS x 40 MiB (the graphs a process keeps)
    threads = 4

``cores + 1`` keeps every core busy while one process waits on the database or the disk (measured: three
workers on two cores served 2.5x the requests of the development server, issue 18); the memory bound keeps the
processes within half the machine's memory (or its container's limit), the graph cache of ``sia.insights`` being
per process. Threads let a process overlap its waits on the database: on PostgreSQL each thread holds its own
connection (``workers x threads`` must stay under the server's ``max_connections``; SIA_DB_CONN_MAX_AGE keeps
them open); on the embedded SQLite in WAL mode readers never block, and writers queue on the file's one write
lock (``transaction_mode=IMMEDIATE``, 20 s timeout), which few threads per process keep short.
"""

from __future__ import annotations

import gc
import os
from pathlib import Path

MIB = 1024 * 1024
BASE_WORKER_BYTES = 160 * MIB
GRAPH_BYTES = 40 * MIB
DEFAULT_THREADS = 4
DEFAULT_TIMEOUT = 120
GRACEFUL_TIMEOUT = 30
MAX_REQUESTS = 25000


def machine_memory() -> int | None:
    """Bytes of memory this process may use: its container's limit (cgroup v2 or v1) when lower than the machine's."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        total = None
    for limit_file in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            text = Path(limit_file).read_text().strip()
        except OSError:
            continue
        if text.isdigit() and (total is None or int(text) < total):
            total = int(text)
        break
    return total


def default_workers(cores: int | None = None, memory: int | None = None, graphs: int | None = None) -> int:
    """The number of worker processes for this machine (the formula of the module's docstring)."""
    if cores is None:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if graphs is None:
        from django.conf import settings

        graphs = int(getattr(settings, "SIA_INSIGHTS_GRAPHS", 6))
    if memory is None:
        memory = machine_memory()
    workers = cores + 1
    if memory:
        workers = min(workers, memory // 2 // (BASE_WORKER_BYTES + max(graphs, 0) * GRAPH_BYTES))
    return max(1, workers)


def freeze_before_fork(server, worker) -> None:
    """gunicorn's ``pre_fork`` hook: what the master loaded (Django, SIA, its URL patterns: some 190,000 objects)
    is moved out of the collector's generations before each fork (``gc.freeze``). A worker's full collections
    then scan only what the worker made, and never write to the inherited objects' headers, so the pages they sit
    on stay shared with the master (Python's advice for a server that forks without exec)."""
    gc.freeze()


def server_options(bind: str, *, workers: int, threads: int, timeout: int) -> dict:
    """gunicorn's settings: ``gthread`` workers, the application loaded once in the master (copy-on-write memory),
    access log on standard output, graceful stop on SIGTERM within GRACEFUL_TIMEOUT seconds."""
    return {
        "bind": [bind],
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "timeout": timeout,
        "graceful_timeout": GRACEFUL_TIMEOUT,
        "keepalive": 5,
        "preload_app": True,
        "pre_fork": freeze_before_fork,
        # A worker is replaced after this many requests (spread), so that no process grows without bound. Not much
        # more often than every ten minutes at 100 requests/s on three workers: a new worker starts with empty
        # caches (compiled SQL, kept figures, templates), which at 2,000 requests cost every worker a cold start
        # each minute under load (issue 18).
        "max_requests": MAX_REQUESTS,
        "max_requests_jitter": MAX_REQUESTS // 10,
        "accesslog": os.environ.get("SIA_ACCESS_LOG", "-") or None,
        "errorlog": "-",
        "proc_name": "sia",
        "control_socket_disable": True,  # gunicorn >= 25's control socket (under $HOME): not used by SIA
        # Addresses whose X-Forwarded-* headers are believed (the proxy in front; gunicorn's default 127.0.0.1).
        "forwarded_allow_ips": os.environ.get("SIA_FORWARDED_ALLOW_IPS", "127.0.0.1"),
    }


def run(bind: str, *, workers: int, threads: int, timeout: int) -> None:
    """Serves ``sia.wsgi.application`` with gunicorn until stopped (SIGTERM: graceful; SIGINT: at once)."""
    from django.db import connections
    from gunicorn.app.base import BaseApplication

    options = server_options(bind, workers=workers, threads=threads, timeout=timeout)

    class SiaApplication(BaseApplication):
        def load_config(self):
            for key, value in options.items():
                if value is not None and key in self.cfg.settings:  # a setting this gunicorn knows
                    self.cfg.set(key, value)

        def load(self):
            from sia.wsgi import application

            return application

    # The master migrated and collected static files: its connections must not be shared with forked workers.
    connections.close_all()
    SiaApplication(prog="sia serve").run()
