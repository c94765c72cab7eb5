"""``sia export_instansi <code> <file.zip> [--credentials]``: an instansi with its files as one archive."""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sia.exchange.archive import ExportError, write_archive
from sia.organizations.models import Institution


class Command(BaseCommand):
    help = ("Writes an instansi (organisation, architecture, assessments, evidence files, logo) to a .zip that "
            "restore_instansi recreates on any SIA database (SQLite or PostgreSQL).")

    def add_arguments(self, parser):
        parser.add_argument("code", help="Kode instansi, mis. 82.")
        parser.add_argument("file", help="Berkas .zip yang ditulis.")
        parser.add_argument("--credentials", action="store_true",
                            help="Sertakan hash kata sandi pengguna (simpan berkasnya seaman basis data).")

    def handle(self, *args, code, file, credentials, **options):
        institution = Institution.objects.filter(code=code).first()
        if institution is None:
            raise CommandError(_("Instansi dengan kode %(code)s tidak ada.") % {"code": code})
        target = Path(file)
        partial = target.with_name(f".{target.name}.part")
        try:
            with partial.open("wb") as output:
                summary = write_archive(institution, output, credentials=credentials)
            os.replace(partial, target)
        except ExportError as error:
            raise CommandError(str(error))
        except OSError as error:
            raise CommandError(_("Berkas %(file)s tidak dapat ditulis: %(error)s") % {"file": file, "error": error})
        finally:
            partial.unlink(missing_ok=True)
        self.stdout.write(self.style.SUCCESS(_(
            "Instansi %(code)s (%(name)s) diekspor ke %(file)s: %(rows)d baris, %(files)d berkas (%(mb).1f MB)."
        ) % {"code": institution.code, "name": institution.name, "file": target, "rows": summary.rows,
             "files": summary.files, "mb": summary.file_bytes / 2**20}))
        if credentials:
            self.stdout.write(self.style.WARNING(_(
                "Arsip ini memuat hash kata sandi: simpan dan kirim seaman cadangan basis data.")))
