from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Migrates the database, collects static files and serves SIA (default 127.0.0.1:8000)."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--demo", action="store_true", help="Load the demo data when the database is empty.")

    def handle(self, *args, addrport, demo, **options):
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Basis data siap.")
        call_command("collectstatic", interactive=False, verbosity=0)
        if demo:
            from sia.organizations.models import Institution

            if Institution.objects.exists():
                self.stdout.write("Data sudah ada; data contoh tidak dimuat ulang.")
            else:
                call_command("demo")
        self.stdout.write(f"SIA berjalan di http://{addrport}/ (Ctrl+C untuk berhenti)")
        call_command("runserver", addrport, use_reloader=False, use_threading=True)
