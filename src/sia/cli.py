"""The ``sia`` console script: ``sia serve``, ``sia demo``, ``sia createadmin`` and every Django command."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sia.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help"}:
        print(
            "Pemakaian: sia <perintah> [opsi]\n\n"
            "  serve        migrasi, kumpulkan berkas statis, lalu jalankan SIA di http://127.0.0.1:8000\n"
            "  demo         isi data contoh (ditolak pada pengaturan produksi)\n"
            "  createadmin  buat akun superuser\n\n"
            "Semua perintah Django juga tersedia (mis. sia migrate, sia check --deploy, sia shell).\n"
        )
        if not args:
            return
    execute_from_command_line(["sia", *args])


if __name__ == "__main__":
    main()
