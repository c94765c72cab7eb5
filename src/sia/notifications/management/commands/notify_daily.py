"""``sia notify_daily``: the day's notices of every registered source (deadlines, invitations), then the daily
e-mail digest. Run by the system scheduler each morning (docs/deployment.md) and on demand; a second run of the same
day does nothing (``--force`` runs it again)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sia.core.request_context import action_scope

from ...mail import send_digests
from ...services import run_sources


class Command(BaseCommand):
    help = "Menjalankan sumber notifikasi harian lalu mengirim ringkasan surel harian (sekali per hari)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Tanggal yang dijalankan (YYYY-MM-DD); bawaan: hari ini.")
        parser.add_argument("--force", action="store_true", help="Jalankan lagi walaupun hari itu sudah dijalankan.")
        parser.add_argument("--no-email", action="store_true", help="Hanya notifikasi, tanpa ringkasan surel.")

    def handle(self, *args, **options):
        day = timezone.localdate()
        if options["date"]:
            try:
                day = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"Tanggal tidak valid: {options['date']!r} (pakai YYYY-MM-DD).")
        with action_scope():
            for name, written in run_sources(day, force=options["force"]).items():
                self.stdout.write(f"- {name}: " + ("sudah dijalankan hari ini" if written is None
                                                   else f"{written} notifikasi"))
            if options["no_email"]:
                return
            sent = send_digests(day, force=options["force"])
        self.stdout.write("- ringkasan surel: " + ("sudah dikirim hari ini" if sent is None else f"{sent} surel"))
