from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from sia.core.request_context import action_scope

from ...framework_hierarchy import groups_of
from ...framework_loader import FrameworkError, load_framework_file
from ...frameworks import install_framework, manifest_entry


class Command(BaseCommand):
    help = (
        "Checks an evaluation instrument (framework) YAML file and, unless --check, stores it as a new "
        "framework version. A new instrument is a new file, not new code."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--code", default="", help="stable identifier, e.g. pemdi-2025 (default: framework.code)")
        parser.add_argument("--name", default="", help="name users see (default: framework.name in the file)")
        parser.add_argument("--first-year", type=int, default=None)
        parser.add_argument("--last-year", type=int, default=None, help="last assessment year it is in force for")
        parser.add_argument("--check", action="store_true", help="validate only; store nothing")

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Berkas tidak ditemukan: {path}")
        try:
            # a file listed in data/frameworks.yaml brings SIA's data about it (terms, conversions, years)
            overlay = manifest_entry(file=path.name)
            spec = load_framework_file(
                path, code=options["code"] or overlay.get("code", ""), name=options["name"] or overlay.get("name", ""),
                overlay=overlay,
            )
        except FrameworkError as error:
            raise CommandError("Kerangka ditolak:\n- " + "\n- ".join(error.errors))
        levels, groups = groups_of(spec)
        shape = "".join(f"{len(groups[level.key])} {level.name.lower()}, " for level in levels[:-1])
        summary = f"{spec.name} ({spec.code}): {shape}" \
                  f"{len(spec.indicators)} indikator, {len(spec.bands)} predikat, " \
                  f"{len(spec.evidence_item_map)} butir bukti dukung, " \
                  f"{'nilai 1,00-5,00' if spec.continuous else 'tingkat bulat 1-5'}"
        if options["check"]:
            self.stdout.write(self.style.SUCCESS(f"Sah: {summary}"))
            return
        try:
            with action_scope(), transaction.atomic():
                version = install_framework(
                    spec, source_file=path.name, first_year=options["first_year"], last_year=options["last_year"]
                )
        except FrameworkError as error:
            raise CommandError("\n".join(error.errors))
        self.stdout.write(self.style.SUCCESS(f"Dimuat: {summary} (id {version.pk})"))
