"""Framework versions in the database: installing a validated file, and reading one back for scoring.

``install_framework`` is idempotent: a version whose code is already stored with the same file digest
is left alone; the same code with a different digest is refused (an instrument in use never changes
under its assessments: load a corrected one as a new version). ``install_default_frameworks`` installs
every file listed in ``data/frameworks.yaml``; it runs after ``migrate`` and in ``sia demo``.
"""

from __future__ import annotations

import hashlib
import logging
from decimal import Decimal
from pathlib import Path

from django.db import connections, transaction
from django.utils.translation import gettext as _

from .framework_loader import (
    AspectSpec,
    BandSpec,
    DomainSpec,
    EvidenceItemSpec,
    ExternalSpec,
    FrameworkError,
    FrameworkSpec,
    IndicatorSpec,
    ScaleSpec,
    load_framework_file,
    read_yaml,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
MANIFEST = DATA_DIR / "frameworks.yaml"
logger = logging.getLogger(__name__)


def _jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def _external_json(external) -> dict:
    if external is None:
        return {}
    return _jsonable({
        "source_index": external.source_index, "source_min": external.source_min, "source_max": external.source_max,
        "conversion": external.conversion, "intercept": external.intercept, "slope": external.slope,
        "basis": external.basis,
    })


def install_framework(
    spec: FrameworkSpec, *, source_file: str = "", first_year: int | None = None, last_year: int | None = None
):
    """Stores a validated framework; returns the (existing or new) ``FrameworkVersion``."""
    from .models import Aspect, CapabilityLevel, Domain, EvidenceItem, FrameworkVersion, Indicator, PredicateBand

    existing = FrameworkVersion.objects.filter(code=spec.code).first()
    if existing is not None:
        if spec.digest and existing.sha256 != spec.digest:
            raise FrameworkError(
                [
                    _(
                        "Kerangka “%(code)s” sudah dimuat dari berkas lain (SHA-256 %(old)s…, kini %(new)s…). "
                        "Muat berkas yang berubah sebagai versi baru dengan kode lain."
                    )
                    % {"code": spec.code, "old": existing.sha256[:12], "new": spec.digest[:12]}
                ]
            )
        return existing
    if FrameworkVersion.objects.filter(name=spec.name).exists():
        raise FrameworkError([_("Nama kerangka “%(name)s” sudah dipakai versi lain.") % {"name": spec.name}])
    first_year = first_year if first_year is not None else spec.first_year
    last_year = last_year if last_year is not None else spec.last_year
    level_names = {
        str(level): {
            "name_id": names[0], "name_en": names[1], "predicate": spec.level_predicates.get(level, ""),
        }
        for level, names in spec.level_names.items()
    }
    with transaction.atomic():
        version = FrameworkVersion.objects.create(
            code=spec.code, name=spec.name, description=spec.description, source_file=source_file,
            sha256=spec.digest, first_year=first_year, last_year=last_year, sources=_jsonable(spec.sources),
            continuous=spec.continuous, value_places=spec.value_places, terms=dict(spec.terms), level_names=level_names,
        )
        domains = {d.number: Domain.objects.create(framework=version, number=d.number, name=d.name, weight=d.weight)
                   for d in spec.domains}
        aspects = {
            a.number: Aspect.objects.create(
                framework=version, domain=domains.get(a.domain), number=a.number, name=a.name, weight=a.weight
            )
            for a in spec.aspects
        }
        items = []
        for i in spec.indicators:
            indicator = Indicator.objects.create(
                framework=version, aspect=aspects[i.aspect], number=i.number, name=i.name, question=i.question,
                weight=i.weight, scale=i.scale, explanation=i.explanation,
                assessment_guidance=i.assessment_guidance, evidence_guidance=i.evidence_guidance,
                evidence_per_level=_jsonable(i.evidence_per_level), notes=list(i.notes), code=i.code,
                value_source=i.value_source, external=_external_json(i.external), level_summaries=list(i.level_summaries),
                **{f"level_{n}": text for n, text in enumerate(i.levels, start=1)},
            )
            items += [
                EvidenceItem(framework=version, indicator=indicator, level=item.level, number=item.number,
                             code=item.code, text=item.text)
                for item in i.evidence_items
            ]
        for item in items:  # one by one: the audit trail records each (bulk_create would skip it)
            item.save()
        for order, band in enumerate(spec.bands, start=1):
            PredicateBand.objects.create(
                framework=version, order=order, name=band.name, lower=band.lower, upper=band.upper,
                upper_inclusive=band.upper_inclusive, text=band.text, name_id=band.name_id, name_en=band.name_en,
                description=band.description,
            )
        for scale in spec.scales:
            for level, (name, criteria) in enumerate(zip(scale.names, scale.criteria), start=1):
                CapabilityLevel.objects.create(
                    framework=version, scale=scale.code, applies_to=scale.applies_to, level=level, name=name,
                    criteria=criteria,
                )
    return version


def manifest() -> list[dict]:
    """The entries of ``data/frameworks.yaml`` (numbers read as exact decimals)."""
    return read_yaml(MANIFEST.read_text(encoding="utf-8")) or []


def manifest_entry(*, code: str = "", file: str = "") -> dict:
    """The manifest entry of a framework code or file name ({} when it has none)."""
    for entry in manifest():
        if (code and entry.get("code") == code) or (file and entry.get("file") == file):
            return entry
    return {}


def install_default_frameworks() -> list:
    """Installs every framework file listed in ``data/frameworks.yaml`` (idempotent)."""
    from .models import FrameworkVersion

    versions = []
    for entry in manifest():
        path = DATA_DIR / entry["file"]
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        stored = FrameworkVersion.objects.filter(code=entry["code"], sha256=digest).first()
        if stored is None:  # parse and validate only what is not stored yet
            spec = load_framework_file(path, code=entry["code"], name=entry["name"], overlay=entry)
            stored = install_framework(spec, source_file=entry["file"])
        elif _years_of(entry) != (stored.first_year, stored.last_year):
            # the years are SIA's own data (the manifest), not the instrument's: they may change
            stored.first_year, stored.last_year = _years_of(entry)
            stored.save(update_fields=["first_year", "last_year", "updated"])
        versions.append(stored)
    return versions


def _years_of(entry: dict) -> tuple[int | None, int | None]:
    return (
        int(entry["first_year"]) if entry.get("first_year") is not None else None,
        int(entry["last_year"]) if entry.get("last_year") is not None else None,
    )


def install_after_migrate(sender=None, using="default", **kwargs):
    """post_migrate receiver: installs the default frameworks once the evaluation tables exist."""
    from .models import FrameworkVersion

    if FrameworkVersion._meta.db_table not in connections[using].introspection.table_names():
        return
    try:
        install_default_frameworks()
    except FrameworkError as error:  # keep migrate usable; the message names the problem
        logger.warning("Kerangka penilaian bawaan tidak dimuat: %s", error)


# --- reading a stored framework back for the arithmetic -----------------------------------------

_spec_cache: dict[tuple[int, str], FrameworkSpec] = {}


def spec_for(version) -> FrameworkSpec:
    """The ``FrameworkSpec`` of a stored version (cached per process: stored versions never change)."""
    key = (version.pk, version.sha256)
    spec = _spec_cache.get(key)
    if spec is None:
        spec = _build_spec(version)
        _spec_cache[key] = spec
    return spec


def _build_spec(version) -> FrameworkSpec:
    domains = tuple(DomainSpec(d.number, d.name, d.weight) for d in version.domains.order_by("number"))
    aspects = tuple(
        AspectSpec(a.number, a.name, a.domain.number if a.domain_id else None, a.weight)
        for a in version.aspects.select_related("domain").order_by("number")
    )
    items: dict[int, list] = {}
    for item in version.evidence_items.order_by("level", "number"):
        items.setdefault(item.indicator_id, []).append(EvidenceItemSpec(item.code, item.level, item.number, item.text))
    indicators = tuple(
        IndicatorSpec(
            number=i.number, name=i.name, domain=i.aspect.domain.number if i.aspect.domain_id else None,
            aspect=i.aspect.number, weight=i.weight, levels=tuple(text for _level, text in i.criteria()),
            question=i.question, scale=i.scale, code=i.code, value_source=i.value_source,
            evidence_items=tuple(items.get(i.pk, ())), external=_external_spec(i.external),
            level_summaries=tuple(i.level_summaries or ()),
        )
        for i in version.indicators.select_related("aspect__domain").order_by("number")
    )
    bands = tuple(
        BandSpec(b.name, b.lower, b.upper, b.upper_inclusive, b.text, b.name_id, b.name_en, b.description)
        for b in version.bands.order_by("order")
    )
    scales: dict[str, list] = {}
    for level in version.capability_levels.order_by("scale", "level"):
        scales.setdefault(level.scale, []).append(level)
    names = version.level_names or {}
    return FrameworkSpec(
        code=version.code, name=version.name, description=version.description, domains=domains, aspects=aspects,
        indicators=indicators, bands=bands,
        scales=tuple(
            ScaleSpec(code, rows[0].applies_to, tuple(r.name for r in rows), tuple(r.criteria for r in rows))
            for code, rows in scales.items()
        ),
        digest=version.sha256,
        continuous=version.continuous,
        value_places=version.value_places,
        level_names={int(k): (v.get("name_id", ""), v.get("name_en", "")) for k, v in names.items()},
        level_predicates={int(k): v["predicate"] for k, v in names.items() if v.get("predicate")},
        terms=dict(version.terms or {}),
        first_year=version.first_year,
        last_year=version.last_year,
    )


def _external_spec(data) -> ExternalSpec | None:
    if not data:
        return None

    def number(key):
        return Decimal(data[key]) if data.get(key) not in (None, "") else None

    return ExternalSpec(
        data.get("source_index", ""), number("source_min"), number("source_max"), data.get("conversion", "unknown"),
        number("intercept"), number("slope"), data.get("basis", ""),
    )
