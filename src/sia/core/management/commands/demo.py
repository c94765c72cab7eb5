from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from sia.core.demo import DEMO_PASSWORD, loaders
from sia.core.request_context import action_scope


class Command(BaseCommand):
    help = "Loads the demo province with its OPDs, accounts and sample data (refused in production)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Data contoh tidak boleh dimuat pada pengaturan produksi (SIA_ENV=production).")
        with action_scope(), transaction.atomic():
            for _order, label, loader in loaders():
                summary = loader()
                self.stdout.write(f"- {label}: {summary}")
        self.stdout.write(self.style.SUCCESS("Data contoh dimuat."))
        self.stdout.write(
            "Akun contoh (kata sandi %s): koordinator, verifikator, asesor, pimpinan, "
            "operator.diskominfosan, operator.bappeda, operator.dinkes, ... (operator.<singkatan OPD>)"
            % DEMO_PASSWORD
        )
