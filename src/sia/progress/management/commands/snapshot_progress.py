from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sia.organizations.models import Institution
from sia.progress.snapshot import take_snapshot


class Command(BaseCommand):
    help = ("Takes the daily progress snapshot (per OPD and domain: objects, complete, review statuses). "
            "Run once a day by the system scheduler; running it again on a day replaces that day's rows.")

    def add_arguments(self, parser):
        parser.add_argument("--date", help="The day to record (YYYY-MM-DD): only today, the default; the "
                                           "snapshot reads the objects as they are now, so it cannot record "
                                           "another day.")
        parser.add_argument("--instansi", help="The code of one instansi; every instansi by default.")

    def handle(self, *args, **options):
        today = timezone.localdate()
        day = today
        if options["date"]:
            try:
                day = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"--date {options['date']!r}: tanggal harus berbentuk YYYY-MM-DD.")
        if day != today:
            # The figures are today's objects as they are now: written under another date they would replace that
            # day's real row with today's figures (``history.backfill`` only estimates a past, for the demo and a
            # late start, and is no record of it either).
            raise CommandError(
                f"--date {day.isoformat()}: potret hanya dapat diambil untuk hari ini ({today.isoformat()}), "
                "karena angkanya dibaca dari data saat ini; tidak ada yang ditulis.")
        institution_id = None
        if options["instansi"]:
            institution = Institution.objects.filter(code=options["instansi"]).first()
            if institution is None:
                raise CommandError(f"--instansi {options['instansi']!r}: tidak ada instansi dengan kode ini.")
            institution_id = institution.pk
        rows = take_snapshot(day, institution_id)
        self.stdout.write(f"Potret kemajuan {day.isoformat()}: {rows} baris (OPD × domain).")
