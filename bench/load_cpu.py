"""Where the CPU of the load test goes: runs bench/load.py (same arguments) and samples the process time of Locust,
of the gunicorn server (master and workers) and of this run's PostgreSQL cluster (every backend) while Locust runs,
then prints each one's CPU seconds and CPU milliseconds per request next to load.py's own report.

    scripts/lib/with-postgres.sh /work/main/.venv/bin/python bench/load_cpu.py --users 40 --seconds 60

The machine is shared: the process times are this run's own (unlike wall times and requests/s, which other work
slows). PostgreSQL is found from DATABASE_URL's socket directory (the cluster scripts/lib/with-postgres.sh started);
processes that end between two samples (a gunicorn worker replaced after its max_requests, a PostgreSQL backend of
a closed connection) count with their last sample, so the figures are a little low, by at most one interval each.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import psutil

INTERVAL = 0.5


def postmaster() -> psutil.Process | None:
    host = parse_qs(urlsplit(os.environ.get("DATABASE_URL", "")).query).get("host", [""])[0]
    if not host:
        return None
    for process in psutil.process_iter(["cmdline"]):
        cmdline = process.info["cmdline"] or []
        if cmdline and cmdline[0].endswith("postgres") and f"{host}/data" in " ".join(cmdline):
            return process
    return None


def kind_of(process: psutil.Process) -> str | None:
    try:
        cmdline = " ".join(process.cmdline())
    except psutil.Error:
        return None
    if "-m locust" in cmdline:
        return "locust"
    if "sia.cli serve" in cmdline or "gunicorn" in cmdline:
        return "gunicorn"
    return None


class Sampler(threading.Thread):
    def __init__(self, root: psutil.Process):
        super().__init__(daemon=True)
        self.root, self.pg = root, postmaster()
        self.seen: dict[int, tuple[str, float]] = {}  # pid -> (kind, cpu seconds at the last sample)
        self.start_cpu: dict[int, float] = {}  # pid -> cpu seconds when Locust started
        self.started = self.ended = None
        self.done = threading.Event()

    def sample(self) -> bool:
        processes = []
        try:
            for child in self.root.children(recursive=True):
                kind = kind_of(child)
                if kind == "gunicorn":
                    processes.append((kind, child))
                elif kind == "locust":
                    processes += [(kind, child)] + [(kind, c) for c in child.children(recursive=True)]
        except psutil.Error:
            pass
        if self.pg is not None:
            try:
                processes += [("postgres", self.pg)] + [("postgres", c) for c in self.pg.children(recursive=True)]
            except psutil.Error:
                pass
        locust_running = False
        for kind, process in processes:
            try:
                times = process.cpu_times()
            except psutil.Error:
                continue
            # Each process's own time, its last sample kept after it exits. Not its reaped children's: the master's
            # children_* takes a worker's whole time when it is reaped, and the server stops (every worker reaped) in
            # the moments after Locust ends, so the workers' time was at times counted twice (gunicorn at 3.3 cores
            # of two). A worker replaced during the run loses at most the last INTERVAL of its time.
            total = times.user + times.system
            if self.started is None and kind == "locust":
                locust_running = True
            elif kind == "locust":
                locust_running = True
            self.seen[process.pid] = (kind, total)
        return locust_running

    def run(self):
        while not self.done.is_set():
            running = self.sample()
            if running and self.started is None:
                self.started = time.monotonic()
                self.start_cpu = {pid: cpu for pid, (kind, cpu) in self.seen.items() if kind != "locust"}
            elif not running and self.started is not None and self.ended is None:
                self.ended = time.monotonic()
                self.end_cpu = dict(self.seen)
            time.sleep(INTERVAL)

    def split(self) -> dict[str, float]:
        end = getattr(self, "end_cpu", self.seen)
        totals: dict[str, float] = {}
        for pid, (kind, cpu) in end.items():
            totals[kind] = totals.get(kind, 0.0) + cpu - self.start_cpu.get(pid, 0.0)
        return totals


def main():
    command = [sys.executable, str(Path(__file__).resolve().with_name("load.py")), *sys.argv[1:]]
    load = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    sampler = Sampler(psutil.Process(load.pid))
    sampler.start()
    output = []
    for line in load.stdout:
        sys.stdout.write(line)
        output.append(line)
    code = load.wait()
    sampler.done.set()
    sampler.join()
    requests = 0
    for line in output:
        match = re.match(r"SEMUA\s+(\d+)", line)
        if match:
            requests = int(match.group(1))
    seconds = (sampler.ended or time.monotonic()) - (sampler.started or time.monotonic())
    split = sampler.split()
    total = sum(split.values())
    print(f"\nCPU selama Locust berjalan ({seconds:.0f} s, {requests} permintaan; PostgreSQL "
          f"{'ditemukan' if sampler.pg else 'TIDAK ditemukan'}):")
    for kind in ("locust", "gunicorn", "postgres"):
        cpu = split.get(kind, 0.0)
        per = 1000 * cpu / requests if requests else 0.0
        print(f"  {kind:9} {cpu:8.1f} s CPU  {per:6.2f} ms/permintaan")
    print(f"  {'jumlah':9} {total:8.1f} s CPU  {1000 * total / requests if requests else 0.0:6.2f} ms/permintaan; "
          f"{total / seconds if seconds else 0.0:.2f} inti rata-rata")
    sys.exit(code)


if __name__ == "__main__":
    main()
