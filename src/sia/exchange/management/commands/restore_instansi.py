"""``sia restore_instansi <file.zip> [--code NEW] [--name NEW] [--accept-password-hashes] [--confirm-users]``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sia.exchange.archive import restore_archive
from sia.exchange.snapshot import RestoreError
from sia.exchange.snapshot_restore import UsersNeedConfirmation


class Command(BaseCommand):
    help = ("Recreates an instansi from an export_instansi .zip (rows and files) in one transaction. Existing "
            "accounts with the same usernames are listed and need --confirm-users; nothing is written otherwise.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="Arsip .zip dari export_instansi atau dari API.")
        parser.add_argument("--code", help="Pulihkan dengan kode instansi lain.")
        parser.add_argument("--name", help="Pulihkan dengan nama instansi lain.")
        parser.add_argument("--accept-password-hashes", action="store_true",
                            help="Pakai hash kata sandi dari arsip (ekspor --credentials) untuk akun yang dibuat; "
                                 "tanpa ini akun baru dibuat tanpa kata sandi yang dapat dipakai.")
        parser.add_argument("--confirm-users", action="store_true",
                            help="Akun yang sudah ada di sini dengan nama pengguna yang sama memang orang yang sama: "
                                 "beri mereka peran seperti di arsip.")

    def handle(self, *args, file, code, name, accept_password_hashes, confirm_users, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("Berkas %(file)s tidak ada.") % {"file": file})
        try:
            result = restore_archive(path, code=code, name=name, accept_password_hashes=accept_password_hashes,
                                     confirm_users=confirm_users)
        except UsersNeedConfirmation as refused:
            self.stderr.write(_("Pengguna yang sudah ada di sini dan akan dicocokkan menurut nama pengguna:"))
            for user in refused.users:
                self.stderr.write(f"  {user}")
            raise CommandError(_(
                "Tidak ada yang dipulihkan. Periksa akun di atas, lalu ulangi dengan --confirm-users."))
        except RestoreError as error:
            raise CommandError(str(error))
        institution = result.institution
        self.stdout.write(self.style.SUCCESS(_(
            "Instansi %(code)s (%(name)s) dipulihkan; %(files)d berkas ditulis ke penyimpanan."
        ) % {"code": institution.code, "name": institution.name, "files": result.files_written}))
        if result.matched_users:
            self.stdout.write(_("Akun yang sudah ada dan kini dipakai instansi ini:"))
            for user in result.matched_users:
                self.stdout.write(f"  {user}")
        if result.created_users:
            self.stdout.write(_("Akun yang dibuat: %(users)s.") % {"users": ", ".join(result.created_users)})
            if not accept_password_hashes:
                self.stdout.write(_(
                    "Akun itu belum punya kata sandi yang dapat dipakai (tautan “Lupa kata sandi?” tidak berlaku "
                    "untuknya): tetapkan dengan “sia changepassword <nama pengguna>” atau di halaman admin."))
