"""Loads the shipped national catalogs (``data/``, see its README) as the default published version.

``ensure_default_catalogs()`` is idempotent: it runs after every ``migrate`` (post_migrate) and
from ``sia demo``, and writes only what is missing. A shipped version already loaded takes the
corrected names and descriptions of the shipped files (``refresh_shipped_nodes``: a source typo
fixed in ``data/``), by code; it gains or loses no node (a fuller list is a new version).
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sia.core.request_context import current_request_id

from .choices import Completeness, VersionStatus
from .codes import parse_code
from .models import Catalog, CatalogVersion, ReferenceNode

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_VERSION = "Perpres 132/2022"
DEFAULT_SOURCE = (
    "Peraturan Presiden Nomor 132 Tahun 2022 tentang Arsitektur SPBE Nasional; daftar kode dihimpun dari "
    "salinan publik (lihat kolom sumber tiap simpul dan src/sia/reference/data/README.md)."
)


@dataclass(frozen=True)
class CatalogDefinition:
    code: str
    name: str
    domain: str
    level_names: str
    description: str
    file: str | None
    completeness: str
    notes: str


CATALOGS = [
    CatalogDefinition(
        "RAB", "Referensi Arsitektur Proses Bisnis", "Proses Bisnis", "Sektor pemerintahan; Urusan pemerintahan; Sub-urusan",
        "Klasifikasi proses bisnis pemerintah: sektor, urusan dan sub-urusan.", "rab_perpres132_levels1-3.csv",
        Completeness.COMPLETE,
        "Tingkat 1-3 lengkap (9 sektor, 45 urusan, 304 sub-urusan) dari satu daftar publik. Daftar lain yang beredar "
        "memuat RAB.09.05.06 tambahan, jadi tingkat 3 dapat berbeda antarversi. Salah ketik sumber dipertahankan dan "
        "ditandai dalam uraian.",
    ),
    CatalogDefinition(
        "RAL", "Referensi Arsitektur Layanan", "Layanan", "Jenis layanan; Bidang layanan; Sub-bidang layanan",
        "Layanan publik dan layanan administrasi pemerintahan.", "ral_perpres132_levels1-3.csv", Completeness.COMPLETE,
        "Tingkat 1-3 dari sumber yang sama dengan RAB (2 jenis, 53 bidang, 302 sub-bidang); delapan bidang tingkat 2 "
        "tidak memiliki anak tingkat 3.",
    ),
    CatalogDefinition(
        "RAD", "Referensi Arsitektur Data dan Informasi", "Data dan Informasi", "Data pokok; Data tematik; Sub-data",
        "Klasifikasi data dan informasi pemerintah.", "rad_perpres132_levels1-3.csv", Completeness.COMPLETE,
        "Tingkat 1-3 dari sumber yang sama dengan RAB (10, 49, 305 simpul). Enam kode tingkat 3 bernomor berbeda dari "
        "kembarannya di RAB (ditandai); RAD.10.03.01 tampaknya baris contoh setempat.",
    ),
    CatalogDefinition(
        "RAA", "Referensi Arsitektur Aplikasi", "Aplikasi", "Jenis aplikasi; Kelompok aplikasi; Sub-kelompok",
        "Aplikasi umum dan aplikasi khusus.", "raa_partial.csv", Completeness.PARTIAL,
        "Hanya tingkat 1-2 yang diketahui publik (RAA.01 Aplikasi Umum, RAA.02 Aplikasi Khusus dan empat kelompok); "
        "tingkat 3 belum ada.",
    ),
    CatalogDefinition(
        "RAI", "Referensi Arsitektur Infrastruktur", "Infrastruktur", "Kategori; Kelompok; Sub-kelompok",
        "Fasilitas komputasi, sistem integrasi dan platform.", "rai_partial.csv", Completeness.PARTIAL,
        "Penggalan delapan simpul di bawah RAI.03 Platform; awalan \"RAI.\" ditambahkan (sumber menulis 03.01.01 Server).",
    ),
    CatalogDefinition(
        "RAK", "Referensi Arsitektur Keamanan", "Keamanan", "Standar Keamanan; Penerapan Keamanan; Kelaikan Keamanan",
        "Tingkat: Standar Keamanan, Penerapan Keamanan dan Kelaikan Keamanan, masing-masing untuk Data dan Informasi, "
        "Aplikasi SPBE dan Infrastruktur SPBE.", None, Completeness.NO_PUBLIC_CODES,
        "Tidak ada kode RAK yang dipublikasikan; hanya nama tingkatnya yang diketahui. Impor daftar resmi bila tersedia.",
    ),
]


@lru_cache(maxsize=None)
def _shipped(filename: str) -> tuple[tuple[dict, ...], str]:
    """The rows of a shipped file and their ``content_hash`` (read once per process: the files do not change)."""
    rows = read_shipped_rows(filename)
    return tuple(rows), content_hash(rows)


def read_shipped_rows(filename: str) -> list[dict]:
    with open(DATA_DIR / filename, encoding="utf-8", newline="") as handle:
        return [
            {
                "code": row["code"].strip(),
                "name": row["name"].strip(),
                "description": (row.get("description") or "").strip(),
                "source": (row.get("source_url") or "").strip(),
            }
            for row in csv.DictReader(handle)
        ]


def content_hash(rows) -> str:
    """Identity of a list of national nodes: code, name and description, order-independent."""
    digest = hashlib.sha256()
    for code, name, description in sorted((r["code"], r["name"], r["description"]) for r in rows):
        digest.update(f"{code}\x1f{name}\x1f{description}\x1e".encode())
    return digest.hexdigest()


ROW_FIELDS = ("code", "name", "description", "source")


def field_limits() -> dict[str, int]:
    """The longest value each column of a node row may hold, from the model (fields without a limit left out)."""
    limits = {}
    for name in ROW_FIELDS:
        max_length = ReferenceNode._meta.get_field(name).max_length
        if max_length:
            limits[name] = max_length
    return limits


def create_nodes(version: CatalogVersion, rows, *, user=None) -> list[ReferenceNode]:
    """Bulk-creates national nodes level by level (parents first), with their audit records; a node no
    row names as parent is stored as a national leaf (``is_national_leaf``).

    ``bulk_create`` skips model validation, so the rows are checked against the column lengths
    first: SQLite would store a longer value and PostgreSQL would fail half-way. The importer
    reports these per line and column before it gets here.
    """
    rows = list(rows)
    limits = field_limits()
    for row in rows:
        for name, limit in limits.items():
            if len(row.get(name) or "") > limit:
                raise ValidationError(
                    _("Nilai %(field)s simpul %(code)s terlalu panjang (%(length)d karakter; paling banyak %(limit)d).")
                    % {"field": name, "code": str(row.get("code", ""))[:40], "length": len(row[name]), "limit": limit}
                )
    by_level: dict[int, list[dict]] = {}
    for row in rows:
        by_level.setdefault(parse_code(row["code"]).level, []).append(row)
    parents = {parse_code(row["code"]).parent for row in rows}
    ids: dict[str, int] = {}
    created: list[ReferenceNode] = []
    for level in sorted(by_level):
        batch = []
        for row in by_level[level]:
            parent_code = parse_code(row["code"]).parent
            node = ReferenceNode(
                version=version, code=row["code"], name=row["name"], description=row.get("description", ""),
                source=row.get("source", ""), parent_id=ids.get(parent_code) if parent_code else None,
                is_national_leaf=row["code"] not in parents,
            )
            node.refresh_derived()
            batch.append(node)
        batch = ReferenceNode.objects.bulk_create(batch, batch_size=500)
        ids.update({node.code: node.pk for node in batch})
        ReferenceNode.history.bulk_history_create(
            batch, batch_size=500, default_user=user, custom_historical_attrs={"request_id": current_request_id()}
        )
        created.extend(batch)
    return created


def ensure_default_catalogs() -> str:
    """Creates the six catalogs and loads the shipped version where it is missing; returns a summary."""
    have = set(
        CatalogVersion.objects.filter(name=DEFAULT_VERSION, catalog__code__in=[d.code for d in CATALOGS]).values_list(
            "catalog__code", flat=True
        )
    )
    if len(have) == len(CATALOGS):
        refreshed = refresh_shipped_nodes()
        return "nama simpul diperbarui: " + ", ".join(refreshed) if refreshed else "katalog referensi sudah ada"
    loaded = []
    with transaction.atomic():
        for order, definition in enumerate(CATALOGS, start=1):
            catalog, _created = Catalog.objects.get_or_create(
                code=definition.code,
                defaults={
                    "name": definition.name, "domain": definition.domain, "level_names": definition.level_names,
                    "description": definition.description, "order": order,
                },
            )
            if definition.code in have:
                continue
            rows = read_shipped_rows(definition.file) if definition.file else []
            has_current = catalog.versions.filter(is_current=True).exists()
            version = CatalogVersion.objects.create(
                catalog=catalog, name=DEFAULT_VERSION, source=DEFAULT_SOURCE, status=VersionStatus.PUBLISHED,
                completeness=definition.completeness, notes=definition.notes, is_current=not has_current,
                content_hash=content_hash(rows), published_at=timezone.now(),
            )
            create_nodes(version, rows)
            loaded.append(f"{definition.code} {len(rows)}")
    return "simpul dimuat: " + ", ".join(loaded)


def refresh_shipped_nodes() -> list[str]:
    """Brings the loaded shipped versions up to their files: a national node whose name, description or source
    differs from its row (found by code) is saved with the file's values (with its audit record and search text);
    no node is added or removed. One query when every version matches its file (the versions' ``content_hash``);
    returns "RAB 1" per catalog changed."""
    definitions = {d.code: d for d in CATALOGS if d.file}
    versions = CatalogVersion.objects.filter(name=DEFAULT_VERSION, catalog__code__in=list(definitions)).select_related(
        "catalog")
    changed = []
    for version in versions:
        rows, digest = _shipped(definitions[version.catalog.code].file)
        if version.content_hash == digest:
            continue
        wanted = {row["code"]: row for row in rows}
        count = 0
        with transaction.atomic():
            for node in version.nodes.filter(institution__isnull=True, code__in=list(wanted)).order_by("code"):
                row = wanted[node.code]
                if (node.name, node.description, node.source) != (row["name"], row["description"], row["source"]):
                    node.name, node.description, node.source = row["name"], row["description"], row["source"]
                    node._change_reason = "Perbaikan daftar bawaan (data/)"
                    node.save()
                    count += 1
            version.content_hash = digest
            version.save(update_fields=["content_hash"])
        if count:
            changed.append(f"{version.catalog.code} {count}")
    return changed
