"""Keeping installed framework versions in step with their files and with ``data/frameworks.yaml``.

Two kinds of change reach a database that already holds a version, without a new version:

- **The manifest entry** (SIA's own data about the file: ``first_year``/``last_year``, ``terms``, ``external``
  conversions, ``texts_status``/``texts_note``): ``apply_manifest`` writes what changed onto the stored rows. The
  entry's digest is stored on the version, so an unchanged entry costs nothing (``install_default_frameworks``
  runs after every ``migrate`` and in ``sia demo``, on a fresh clone and on an upgraded install alike).
- **A corrected file whose structure is the same** (the official criteria texts replacing guidance):
  ``update_texts`` replaces the texts of indicators, levels, evidence items, groups (any level), bands and
  capability levels when codes, numbers, weights, hierarchy, evidence item codes and bands are all identical,
  and refuses otherwise with every difference named, writing nothing. Assessments already started keep their
  version (and their scores) and show the new text. Every row is saved one by one: the audit trail records it.
"""

from __future__ import annotations

import hashlib
import json

from django.db import transaction
from django.utils.translation import gettext as _

from .framework_hierarchy import groups_of
from .framework_spec import FrameworkError, FrameworkSpec, _fmt

MANIFEST_FIELDS = ("first_year", "last_year", "terms", "texts_status", "texts_note")
INDICATOR_TEXTS = (
    "name", "question", "explanation", "assessment_guidance", "evidence_guidance", "evidence_per_level", "notes",
    "level_summaries",
)


def entry_digest(entry: dict) -> str:
    """A digest of a manifest entry's content (key order and number spelling do not count)."""
    return hashlib.sha256(json.dumps(entry, sort_keys=True, default=str).encode()).hexdigest()


def manifest_drift(version, entry: dict) -> bool:
    """Whether a stored version's years, terms or texts status differ from its manifest entry (read plainly, without
    parsing the instrument file): a row edited by hand since the entry was applied is set right again."""
    def year(key):
        return int(entry[key]) if entry.get(key) is not None else None

    terms = {k: " ".join(str(v).split()) for k, v in (entry.get("terms") or {}).items()}
    shipped_texts = version.sha256 == version.manifest_file_sha256
    return (
        (version.first_year, version.last_year) != (year("first_year"), year("last_year"))
        or dict(version.terms or {}) != terms
        or (shipped_texts and entry.get("texts_status") is not None and (
            version.texts_status != entry["texts_status"]
            or version.texts_note != " ".join(str(entry.get("texts_note") or "").split())))
    )


def apply_manifest(version, spec: FrameworkSpec, digest: str = "", report=None) -> list[str]:
    """Writes the manifest's data (as read into ``spec``) onto a stored version; returns what changed.

    A changed conversion also reaches the values already entered from a source index in stages still open
    (``recompute_sourced_scores``); each one recomputed is told to ``report`` (a callable taking a line).
    """
    from .frameworks import _external_json

    changed = []
    for name in MANIFEST_FIELDS:
        if name.startswith("texts_") and spec.digest and version.sha256 != spec.digest:
            continue  # texts replaced from another file (``update_framework_texts``) say themselves what they are
        new = dict(spec.terms) if name == "terms" else getattr(spec, name)
        if getattr(version, name) != new:
            setattr(version, name, new)
            changed.append(name)
    for indicator in version.indicators.filter(value_source="external").order_by("number"):
        source = spec.indicator_map.get(indicator.number)
        new = _external_json(source.external) if source is not None else indicator.external
        if indicator.external != new:
            indicator.external = new
            indicator.save(update_fields=["external", "updated"])
            changed.append(f"external.{indicator.number}")
    version.manifest_digest = digest or version.manifest_digest
    version.save()  # also moves ``updated``, which keys the arithmetic's cache (``frameworks.spec_for``)
    numbers = [int(name.split(".")[1]) for name in changed if name.startswith("external.")]
    for line in recompute_sourced_scores(version, numbers):
        changed.append(line)
        if report is not None:
            report(line)
    return changed


def recompute_sourced_scores(version, numbers) -> list[str]:
    """Recomputes, through ``services.resolve_value`` (the path of entering it), every value of the indicators
    ``numbers`` entered from a source index in an assessment whose current stage is open; returns one line per
    value changed or left as it was because the new conversion refuses it. Locked stages keep their values;
    every row is saved (audit trail, with the reason)."""
    from django.core.exceptions import ValidationError

    from .frameworks import forget_spec, spec_for
    from .models import IndicatorScore
    from .services import resolve_value
    from .values import number_id

    if not numbers:
        return []
    forget_spec(version)
    spec, lines = spec_for(version), []
    scores = IndicatorScore.objects.filter(
        indicator__framework=version, indicator__number__in=numbers, source_value__isnull=False,
    ).select_related("assessment__institution", "indicator").order_by("assessment__year", "assessment_id", "indicator__number")
    for score in scores:
        assessment, indicator = score.assessment, spec.indicator(score.indicator.number)
        if score.stage != assessment.current_stage or assessment.is_locked(score.stage):
            continue
        place = _("%(inst)s %(year)s, indikator %(n)s") % {
            "inst": assessment.institution, "year": assessment.year, "n": indicator.label}
        typed = None if indicator.external is not None and indicator.external.automatic else score.value
        try:
            resolved = resolve_value(spec, indicator.number, typed, source_value=score.source_value,
                                     source_year=score.source_year, year=assessment.year)
        except ValidationError as error:
            lines.append(_("%(place)s: nilai %(v)s tetap, konversi baru menolaknya: %(why)s") % {
                "place": place, "v": number_id(score.value, spec.value_places), "why": " ".join(error.messages)})
            continue
        if (resolved.value, resolved.note) == (score.value, score.source_note):
            continue
        old = score.value
        score.value, score.source_note, score.source_missing = resolved.value, resolved.note, resolved.missing
        score._change_reason = _("konversi %(index)s diubah di frameworks.yaml") % {
            "index": indicator.external.source_index if indicator.external else "-"}
        score.full_clean()
        score.save()
        shown = {"place": place, "old": number_id(old, spec.value_places), "note": score.source_note,
                 "new": number_id(score.value, spec.value_places)}
        lines.append(_("%(place)s: nilai dihitung ulang %(old)s → %(new)s (%(note)s)") % shown if old != score.value
                     else _("%(place)s: nilai %(old)s tetap (%(note)s)") % shown)
    return lines


# --- a corrected file: the same structure, new texts ----------------------------------------------


def structure_differences(old: FrameworkSpec, new: FrameworkSpec) -> list[str]:
    """Every structural difference between the stored version (``old``) and a file (``new``), each naming its place."""
    found: list[str] = []

    def differ(place: str, what: str, a, b):
        if a != b:
            found.append(
                _("%(place)s: %(what)s %(old)s di kerangka terpasang, %(new)s di berkas.")
                % {"place": place, "what": what, "old": _shown(a), "new": _shown(b)}
            )

    differ(_("Kerangka"), _("kode"), old.code, new.code)
    differ(_("Kerangka"), _("nilai pecahan"), old.continuous, new.continuous)
    differ(_("Kerangka"), _("jumlah desimal nilai"), old.value_places, new.value_places)
    old_levels, old_groups = groups_of(old)
    new_levels, new_groups = groups_of(new)
    differ(_("Kerangka"), _("tingkat hierarki"), " > ".join(lv.key for lv in old_levels),
           " > ".join(lv.key for lv in new_levels))
    if [lv.key for lv in old_levels] == [lv.key for lv in new_levels]:
        for level in old_levels[:-1]:
            _compare_rows(found, level.name, old_groups[level.key], new_groups[level.key],
                          lambda g: {_("induk"): g.parent, _("bobot"): g.weight})
    _compare_rows(
        found, _("Indikator"), old.indicator_map, new.indicator_map,
        lambda i: {
            _("kode"): i.code, _("aspek"): i.aspect, _("bobot"): i.weight, _("sumber nilai"): i.value_source,
            _("skala kapabilitas"): i.scale, _("konversi"): i.external,
            _("butir bukti dukung"): tuple(sorted((e.code, e.level, e.number) for e in i.evidence_items)),
        },
    )
    old_bands = [(b.name, b.lower, b.upper, b.upper_inclusive) for b in old.bands]
    new_bands = [(b.name, b.lower, b.upper, b.upper_inclusive) for b in new.bands]
    differ(_("Predikat"), _("rentang"), old_bands, new_bands)
    differ(_("Nama tingkat"), _("predikat per tingkat"), old.level_predicates, new.level_predicates)
    differ(_("Skala kapabilitas"), _("kode"), sorted(old.scale_map), sorted(new.scale_map))
    return found


def _compare_rows(found, kind: str, old: dict, new: dict, fields):
    gone, added = sorted(set(old) - set(new)), sorted(set(new) - set(old))
    if gone:
        found.append(_("%(kind)s %(n)s: ada di kerangka terpasang, tidak ada di berkas.") % {
            "kind": kind, "n": ", ".join(str(n) for n in gone)})
    if added:
        found.append(_("%(kind)s %(n)s: ada di berkas, tidak ada di kerangka terpasang.") % {
            "kind": kind, "n": ", ".join(str(n) for n in added)})
    for number in sorted(set(old) & set(new)):
        a, b = fields(old[number]), fields(new[number])
        label = getattr(old[number], "label", number)
        for what in a:
            if a[what] != b[what]:
                found.append(
                    _("%(place)s: %(what)s %(old)s di kerangka terpasang, %(new)s di berkas.")
                    % {"place": f"{kind} {label}", "what": what, "old": _shown(a[what]), "new": _shown(b[what])}
                )


def _shown(value) -> str:
    from decimal import Decimal

    if isinstance(value, Decimal):
        return _fmt(value)
    if value is None or value == "":
        return "-"
    return str(value)


def update_texts(version, spec: FrameworkSpec, *, source_file: str = "") -> int:
    """Replaces the texts of a stored version by those of ``spec`` (same structure); returns the rows changed.

    Raises ``FrameworkError`` naming every structural difference; then nothing is written.
    """
    from .frameworks import _build_spec, forget_spec

    differences = structure_differences(_build_spec(version), spec)
    if differences:
        raise FrameworkError(
            [_("Berkas ini bukan koreksi teks saja dari “%(code)s”; tidak ada yang diubah.") % {"code": version.code},
             *differences]
        )
    changed = 0
    with transaction.atomic():
        declared, groups = groups_of(spec)
        for row in version.groups.all():
            wanted = groups[row.level][row.number].name
            if row.name != wanted:
                row.name = wanted
                row.save()
                changed += 1
        changed += _update_rows(version.indicators.all(), spec.indicator_map, _indicator_texts)
        items = spec.evidence_item_map
        changed += _update_rows(version.evidence_items.all(), items, lambda e: {"text": e.text}, key="code")
        bands = {b.name: b for b in spec.bands}
        changed += _update_rows(
            version.bands.all(), bands,
            lambda b: {"text": b.text, "name_id": b.name_id, "name_en": b.name_en, "description": b.description},
            key="name",
        )
        levels = {(s.code, n): (name, criteria) for s in spec.scales
                  for n, (name, criteria) in enumerate(zip(s.names, s.criteria), start=1)}
        for row in version.capability_levels.all():
            name, criteria = levels[(row.scale, row.level)]
            if (row.name, row.criteria) != (name, criteria):
                row.name, row.criteria = name, criteria
                row.save()
                changed += 1
        new = {
            "description": spec.description, "sha256": spec.digest or version.sha256,
            "source_file": source_file or version.source_file,
            "levels": [{"key": level.key, "name": level.name, "rows": level.rows} for level in declared[:-1]],
            "level_names": {
                str(level): {"name_id": n[0], "name_en": n[1], "predicate": spec.level_predicates.get(level, "")}
                for level, n in spec.level_names.items()
            },
        }
        if any(getattr(version, k) != v for k, v in new.items()):
            for k, v in new.items():
                setattr(version, k, v)
            version.save()
            changed += 1
    forget_spec(version)
    return changed


def _indicator_texts(indicator) -> dict:
    from .frameworks import _jsonable

    texts = {name: getattr(indicator, name) for name in INDICATOR_TEXTS}
    texts["evidence_per_level"] = _jsonable(indicator.evidence_per_level)
    texts["notes"], texts["level_summaries"] = list(indicator.notes), list(indicator.level_summaries)
    texts.update({f"level_{n}": text for n, text in enumerate(indicator.levels, start=1)})
    return texts


def _update_rows(rows, specs: dict, texts, key: str = "number") -> int:
    changed = 0
    for row in rows:
        wanted = texts(specs[getattr(row, key)])
        if any(getattr(row, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(row, name, value)
            row.save()
            changed += 1
    return changed
