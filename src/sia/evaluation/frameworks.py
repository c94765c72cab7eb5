"""Framework versions in the database: installing a validated file, and reading one back for scoring.

``install_framework`` is idempotent: a version whose code is already stored with the same file digest
is left alone; the same code with a different digest is refused (an instrument in use never changes
under its assessments: load a changed one as a new version, or, when only its texts changed, update them with
``sia update_framework_texts``). ``install_default_frameworks`` installs every file listed in
``data/frameworks.yaml`` and keeps installed versions in step with it (``framework_sync``); it runs after
``migrate`` and in ``sia demo``, so a fresh clone and an upgraded install both get it.
"""

from __future__ import annotations

import hashlib
import logging
from decimal import Decimal
from pathlib import Path

from django.db import connections, transaction
from django.utils.translation import gettext as _

from .framework_hierarchy import GroupSpec, LevelSpec, groups_of
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
    spec: FrameworkSpec, *, source_file: str = "", first_year: int | None = None, last_year: int | None = None,
    manifest_digest: str = "",
):
    """Stores a validated framework; returns the (existing or new) ``FrameworkVersion``."""
    from .models import CapabilityLevel, EvidenceItem, FrameworkVersion, Indicator, PredicateBand

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
            texts_status=spec.texts_status, texts_note=spec.texts_note, manifest_digest=manifest_digest,
            manifest_file_sha256=spec.digest if manifest_digest else "",
        )
        leaves = _install_groups(version, spec)
        items = []
        for i in spec.indicators:
            indicator = Indicator.objects.create(
                framework=version, group=leaves.get(i.aspect), number=i.number, name=i.name, question=i.question,
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


def _manifest_data(path: Path | None = None) -> dict:
    data = read_yaml((path or MANIFEST).read_text(encoding="utf-8")) or {}
    return {"frameworks": data} if isinstance(data, list) else data if isinstance(data, dict) else {}


def manifest() -> list[dict]:
    """The instrument entries (``frameworks``) of ``data/frameworks.yaml`` (numbers read as exact decimals)."""
    return [entry for entry in _manifest_data().get("frameworks") or [] if isinstance(entry, dict)]


def manifest_entry(*, code: str = "", file: str = "") -> dict:
    """The manifest entry of a framework code or file name ({} when it has none)."""
    for entry in manifest():
        if (code and entry.get("code") == code) or (file and entry.get("file") == file):
            return entry
    return {}


def install_default_frameworks(report=None) -> list:
    """Installs every framework file listed in ``data/frameworks.yaml`` and brings installed ones in step with it
    (idempotent). An entry whose file and manifest data are both unchanged is not even parsed.

    A stored version whose file changed gets the new texts when only texts changed (``framework_sync``); any
    other change is refused for that entry (nothing of it written) and the others still go on. Raises
    ``FrameworkError`` listing every refused entry. ``report`` (a callable taking a line), when given, is told
    every value recomputed because a conversion changed.
    """
    from sia.core.request_context import action_scope

    from .framework_sync import apply_manifest, entry_digest, manifest_drift, update_texts
    from .models import FrameworkVersion

    versions, errors = [], []
    for entry in manifest():
        path = DATA_DIR / entry["file"]
        digest, entry_hash = hashlib.sha256(path.read_bytes()).hexdigest(), entry_digest(entry)
        stored = FrameworkVersion.objects.filter(code=entry["code"]).first()
        if stored is not None and stored.manifest_file_sha256 == digest and stored.manifest_digest == entry_hash \
                and not manifest_drift(stored, entry):
            versions.append(stored)
            continue
        try:
            spec = load_framework_file(path, code=entry["code"], name=entry["name"], overlay=entry)
            with action_scope(), transaction.atomic():
                if stored is None:
                    stored = install_framework(spec, source_file=entry["file"], manifest_digest=entry_hash)
                else:
                    apply_manifest(stored, spec, entry_hash, report)
                    if stored.manifest_file_sha256 != digest and stored.sha256 != digest:
                        # the shipped file changed since it was last applied: its texts, if only texts changed
                        update_texts(stored, spec, source_file=entry["file"])
                        apply_manifest(stored, spec, entry_hash)  # the texts status of the new texts
                    stored.manifest_file_sha256 = digest
                    stored.save(update_fields=["manifest_file_sha256", "updated"])
                forget_spec(stored)
        except FrameworkError as error:
            errors += error.errors
            if stored is not None:
                stored.refresh_from_db()
        if stored is not None:
            versions.append(stored)
    if errors:
        raise FrameworkError(errors)
    return versions


def mapping_entries() -> list[dict]:
    """The evidence mappings the manifest lists (``mappings``: code, from, to, file), in its order."""
    return [entry for entry in _manifest_data().get("mappings") or [] if isinstance(entry, dict)]


def install_after_migrate(sender=None, using="default", verbosity=1, stdout=None, **kwargs):
    """post_migrate receiver: installs the default frameworks once the evaluation tables exist.

    What it recomputed and what it refused is written to migrate's output (``stdout``, at verbosity 1 and up)
    as well as to the log: a refused entry does not stop ``migrate`` but is never silent."""
    from .models import FrameworkVersion

    if FrameworkVersion._meta.db_table not in connections[using].introspection.table_names():
        return

    def say(line: str) -> None:
        if stdout is not None and verbosity:
            stdout.write(f"  {line}\n")

    try:
        install_default_frameworks(report=say)
    except FrameworkError as error:  # keep migrate usable; the message names the problem
        logger.warning("Kerangka penilaian bawaan tidak dimuat: %s", error)
        say(_("Kerangka penilaian bawaan tidak dimuat:"))
        for line in error.errors:
            say(f"- {line}")


# --- reading a stored framework back for the arithmetic -----------------------------------------

_spec_cache: dict[tuple, FrameworkSpec] = {}


def spec_for(version) -> FrameworkSpec:
    """The ``FrameworkSpec`` of a stored version (cached per process, keyed by its digest and its last change: the
    structure never changes; texts and the manifest's data may, through ``framework_sync``, which saves it)."""
    key = (version.pk, version.sha256, version.updated)
    spec = _spec_cache.get(key)
    if spec is None:
        spec = _build_spec(version)
        _spec_cache[key] = spec
    return spec


def forget_spec(version) -> None:
    for key in [k for k in _spec_cache if k[0] == version.pk]:
        del _spec_cache[key]


def _install_groups(version, spec: FrameworkSpec) -> dict:
    """The spec's levels of groups, top-down, as ``FrameworkGroup`` rows and ``version.levels``; returns
    {number: group} of the lowest level (the indicators' groups), {} for an instrument of indicators only."""
    from .models import FrameworkGroup

    levels, groups = groups_of(spec)
    above, created, order = None, {}, 0
    version.levels = [{"key": level.key, "name": level.name, "rows": level.rows} for level in levels[:-1]]
    version.save(update_fields=["levels"])
    for depth, level in enumerate(levels[:-1]):
        made = {}
        for number, group in sorted(groups[level.key].items()):
            order += 1
            made[number] = FrameworkGroup.objects.create(
                framework=version, parent=created.get(group.parent) if above else None, depth=depth,
                level=level.key, number=number, name=group.name, weight=group.weight, order=order,
            )
        above, created = level, made
    return created


OLDER_FORMS = (  # how the older file forms name their levels: read back as domains and aspects
    [("domain", "Domain", "domains"), ("aspect", "Aspek", "aspects")], [("aspect", "Aspek", "aspects")],
)
INDICATOR_LEVEL = LevelSpec("indicator", "Indikator", "indicators")


def _hierarchy(version):
    """(levels, groups, domains, aspects, {group pk: (domain, aspect) numbers}) of a stored version, as the loader
    gives them: the older forms as domains and aspects; declared levels as ``levels``/``groups`` (and, where they
    are one or two levels, also as domains and aspects, the lowest in the aspects' place)."""
    declared = [(lv.get("key"), lv.get("name"), lv.get("rows", "")) for lv in version.levels or ()]
    rows = list(version.groups.order_by("depth", "number"))
    by_pk = {g.pk: g for g in rows}
    groups = {key: {} for key, _name, _rows in declared}
    for g in rows:
        groups.setdefault(g.level, {})[g.number] = GroupSpec(
            g.level, g.number, g.name, g.weight, by_pk[g.parent_id].number if g.parent_id else None)
    keys = [key for key, _name, _rows in declared]
    places = {}
    domains, aspects = (), ()
    if len(keys) in (1, 2):
        top, leaf = keys[0], keys[-1]
        if len(keys) == 2:
            domains = tuple(DomainSpec(g.number, g.name, g.weight) for g in groups[top].values())
        aspects = tuple(AspectSpec(g.number, g.name, g.parent if len(keys) == 2 else None, g.weight)
                        for g in groups[leaf].values())
    for g in rows:
        if keys and g.level == keys[-1]:
            places[g.pk] = (groups[g.level][g.number].parent if len(keys) == 2 else None, g.number)
    levels = ()
    if declared not in OLDER_FORMS:
        levels = tuple(LevelSpec(key, name, rows_key or key) for key, name, rows_key in declared) + (INDICATOR_LEVEL,)
    else:
        groups = {}
    if len(keys) not in (1, 2):
        places = {pk: (None, number) for pk, (_d, number) in places.items()}
    return levels, groups, domains, aspects, places


def _build_spec(version) -> FrameworkSpec:
    levels, groups, domains, aspects, places = _hierarchy(version)
    items: dict[int, list] = {}
    for item in version.evidence_items.order_by("level", "number"):
        items.setdefault(item.indicator_id, []).append(EvidenceItemSpec(item.code, item.level, item.number, item.text))
    indicators = tuple(
        IndicatorSpec(
            number=i.number, name=i.name, domain=places.get(i.group_id, (None, 0))[0],
            aspect=places.get(i.group_id, (None, 0))[1], weight=i.weight, levels=tuple(text for _level, text in i.criteria()),
            question=i.question, scale=i.scale, code=i.code, value_source=i.value_source,
            evidence_items=tuple(items.get(i.pk, ())), external=_external_spec(i.external),
            level_summaries=tuple(i.level_summaries or ()),
        )
        for i in version.indicators.order_by("number")
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
        texts_status=version.texts_status,
        texts_note=version.texts_note,
        levels=levels,
        groups=groups,
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
