import getpass
import os

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Creates a superuser who administers every instansi (reads SIA_ADMIN_USERNAME/SIA_ADMIN_PASSWORD when set)."

    def add_arguments(self, parser):
        parser.add_argument("--username", default=os.environ.get("SIA_ADMIN_USERNAME"))
        parser.add_argument("--email", default=os.environ.get("SIA_ADMIN_EMAIL", ""))

    def handle(self, *args, username, email, **options):
        User = get_user_model()
        username = username or input("Nama pengguna: ").strip()
        if not username:
            raise CommandError("Nama pengguna wajib diisi.")
        if User.objects.filter(username=username).exists():
            raise CommandError(f"Pengguna {username} sudah ada.")
        password = os.environ.get("SIA_ADMIN_PASSWORD") or getpass.getpass("Kata sandi: ")
        user = User(username=username, email=email, is_staff=True, is_superuser=True)
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages))
        user.set_password(password)
        user.save()
        self.stdout.write(self.style.SUCCESS(f"Superuser {username} dibuat."))
