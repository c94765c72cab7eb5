"""Django's ``migrate`` under SIA's migration lock (sia.core.migration_lock): application servers starting at
once migrate one after the other, the later ones finding nothing left to do."""

from django.core.management.commands.migrate import Command as DjangoMigrate

from sia.core.migration_lock import migration_lock


class Command(DjangoMigrate):
    help = DjangoMigrate.help + " Waits while another process migrates the same database."

    def handle(self, *args, **options):
        def waiting():
            self.stderr.write("Server lain sedang memigrasi basis data ini; menunggu hingga selesai ...")

        with migration_lock(options["database"], waiting=waiting):
            return super().handle(*args, **options)
