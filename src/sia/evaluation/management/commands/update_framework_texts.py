from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from sia.core.request_context import action_scope

from ...framework_loader import FrameworkError, load_framework_file
from ...framework_sync import apply_manifest, entry_digest, update_texts
from ...frameworks import forget_spec, manifest_entry


class Command(BaseCommand):
    help = (
        "Replaces the texts (indicators, level criteria, evidence items, aspects, bands) of an installed framework "
        "version from a corrected file with the same structure: codes, numbers, weights, hierarchy, evidence item "
        "codes and bands identical. Assessments already started keep their version and show the new texts. "
        "Refused, nothing written, when anything but texts differs. The installed version is found by the code "
        "the file's manifest entry gives (looked up by file name): a file not named like the shipped one (e.g. "
        "pemdi-resmi.yaml) needs --code permenpanrb-8-2026. --official marks the replaced texts official "
        "(texts status official, its note cleared) in the same step."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--code", default="",
            help="code of the installed version (e.g. permenpanrb-8-2026); required when the file is not named like "
                 "the shipped one (the manifest entry is looked up by code, else by file name)")
        parser.add_argument("--name", default="", help="name of the version (default: the file's or the manifest's)")
        parser.add_argument("--check", action="store_true", help="compare only; write nothing")
        parser.add_argument("--official", action="store_true",
                            help="mark the replaced texts as the official ones (texts status official, note cleared)")

    def handle(self, *args, **options):
        from ...models import FrameworkVersion

        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Berkas tidak ditemukan: {path}")
        overlay = manifest_entry(code=options["code"]) or manifest_entry(file=path.name)
        try:
            spec = load_framework_file(path, code=options["code"] or overlay.get("code", ""), name=options["name"] or overlay.get("name", ""),
                                       overlay=overlay)
        except FrameworkError as error:
            raise CommandError("Kerangka ditolak:\n- " + "\n- ".join(error.errors))
        version = FrameworkVersion.objects.filter(code=spec.code).first()
        if version is None:
            raise CommandError(f"Kerangka “{spec.code}” belum terpasang; muat dengan `sia load_framework {path}`.")
        try:
            with action_scope():
                if options["check"]:
                    from ...framework_sync import structure_differences
                    from ...frameworks import _build_spec

                    differences = structure_differences(_build_spec(version), spec)
                    if differences:
                        raise FrameworkError(differences)
                    self.stdout.write(self.style.SUCCESS(f"Sah: hanya teks {spec.code} yang berbeda."))
                    return
                with transaction.atomic():
                    changed = update_texts(version, spec, source_file=path.name)
                    if overlay:
                        apply_manifest(version, spec, entry_digest(overlay), report=self.stdout.write)
                    if options["official"] and (version.texts_status, version.texts_note) != ("official", ""):
                        version.texts_status, version.texts_note = "official", ""
                        version.full_clean()
                        version.save()
                        forget_spec(version)
        except FrameworkError as error:
            raise CommandError("Teks tidak diganti:\n- " + "\n- ".join(error.errors))
        self.stdout.write(self.style.SUCCESS(
            f"Teks {version.name} ({version.code}) diganti dari {path.name}: {changed} baris berubah; "
            f"status teks: {version.get_texts_status_display()}."
        ))
