import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from sia.core import wsgi_server
from sia.core.static_sources import collect_static

DATABASE_TASKS = "django_tasks_db.DatabaseBackend"


def positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = ("Migrates the database, collects static files and serves SIA (default 127.0.0.1:8000) with the "
            "production WSGI server (gunicorn); --dev: Django's development server.")

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--demo", action="store_true", help="Load the demo data when the database is empty (no account yet).")
        parser.add_argument("--no-worker", action="store_true",
                            help="Start no background worker (run `sia db_worker` separately, as in production).")
        parser.add_argument("--dev", action="store_true",
                            help="Django's development server instead of gunicorn (never in production).")
        parser.add_argument("--workers", type=positive, default=os.environ.get("SIA_WEB_WORKERS") or None,
                            help="Worker processes (default SIA_WEB_WORKERS, else min(cores + 1, memory / 2 / "
                                 "per-worker memory); see sia.core.wsgi_server).")
        parser.add_argument("--threads", type=positive,
                            default=os.environ.get("SIA_WEB_THREADS") or wsgi_server.DEFAULT_THREADS,
                            help="Threads per worker process (default SIA_WEB_THREADS, else 4).")
        parser.add_argument("--timeout", type=positive,
                            default=os.environ.get("SIA_WEB_TIMEOUT") or wsgi_server.DEFAULT_TIMEOUT,
                            help="Seconds a request may run before its worker is restarted (default 120).")

    def handle(self, *args, addrport, demo, no_worker, dev, workers, threads, timeout, **options):
        if dev and settings.PRODUCTION:
            raise CommandError("--dev (server pengembangan Django) tidak boleh dipakai dengan pengaturan produksi.")
        if addrport.isdigit():  # a port alone, as runserver takes it
            addrport = f"127.0.0.1:{addrport}"
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Basis data siap.")
        if not collect_static():
            self.stdout.write("Berkas statis tidak berubah sejak dikumpulkan.")
        if demo:
            from django.contrib.auth import get_user_model

            if get_user_model().objects.exists():  # an account exists: the database is in use
                self.stdout.write("Data sudah ada; data contoh tidak dimuat ulang.")
            else:
                call_command("demo")
        worker = None if no_worker else self.start_worker()
        master = os.getpid()
        if dev and worker is not None:  # a SIGTERM (service manager, kill) ends the server through the finally below
            signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        try:
            if dev:
                self.stdout.write(f"SIA (server pengembangan) berjalan di http://{addrport}/ (Ctrl+C untuk berhenti)")
                call_command("runserver", addrport, use_reloader=False, use_threading=True)
            else:
                workers = int(workers or wsgi_server.default_workers())
                self.stdout.write(f"SIA berjalan di http://{addrport}/ ({workers} proses x {threads} thread; "
                                  "Ctrl+C untuk berhenti)")
                self.stdout.flush()
                wsgi_server.run(addrport, workers=workers, threads=int(threads), timeout=int(timeout))
        finally:
            # gunicorn's workers are forked from this process and leave through here too: only the master stops
            # the background worker.
            if worker is not None and os.getpid() == master:
                worker.terminate()
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()

    def start_worker(self):
        """The worker of background jobs (Dokumen Arsitektur SPBE) as a child process polling the same database,
        so that the embedded setup stays one command; ended with the server."""
        if settings.TASKS["default"]["BACKEND"] != DATABASE_TASKS:
            return None
        self.stdout.write("Pekerja latar belakang berjalan (sia db_worker).")
        return subprocess.Popen([sys.executable, "-m", "sia.cli", "db_worker", "--interval", "2"])
