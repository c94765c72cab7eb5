import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

DATABASE_TASKS = "django_tasks_db.DatabaseBackend"


class Command(BaseCommand):
    help = "Migrates the database, collects static files and serves SIA (default 127.0.0.1:8000)."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--demo", action="store_true", help="Load the demo data when the database is empty (no account yet).")
        parser.add_argument("--no-worker", action="store_true",
                            help="Start no background worker (run `sia db_worker` separately, as in production).")

    def handle(self, *args, addrport, demo, no_worker, **options):
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Basis data siap.")
        call_command("collectstatic", interactive=False, verbosity=0)
        if demo:
            from django.contrib.auth import get_user_model

            if get_user_model().objects.exists():  # an account exists: the database is in use
                self.stdout.write("Data sudah ada; data contoh tidak dimuat ulang.")
            else:
                call_command("demo")
        worker = None if no_worker else self.start_worker()
        if worker is not None:  # a SIGTERM (service manager, kill) ends the server through the finally below too
            signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        self.stdout.write(f"SIA berjalan di http://{addrport}/ (Ctrl+C untuk berhenti)")
        try:
            call_command("runserver", addrport, use_reloader=False, use_threading=True)
        finally:
            if worker is not None:
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
