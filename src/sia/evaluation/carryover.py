"""Carrying work over to a successor instrument: which evidence of the last assessment to reuse, never its levels.

The manifest (``data/frameworks.yaml``, ``mappings``) names the mapping file of each pair of instruments
(``mapping_for``, ``mapping_into``, ``mapping_between``: None for a pair it does not list, so the next instrument
and its mapping are files again). A mapping file (``data/mapping-59-2020-to-8-2026.yaml``: SIA's editorial
proposal, not a regulation) lists, for
every indicator of the target instrument, the indicators of the source instrument whose evidence could serve it,
each pair with a one-line rationale. ``load_mapping`` reads it and checks it against both instrument files (found by
their code in ``data/frameworks.yaml``, read by ``framework_loader.load_framework_file``); every problem names its
place.

``proposals(source_assessment, target)`` answers, per target indicator number, the source indicators with their
rationale and the source assessment's evidence for them (one query reads all the evidence). ``carry_over(selection,
target_assessment, user)`` attaches the chosen evidence to the target assessment in its current stage: the same
stored file (``EvidenceFile`` is content-addressed: nothing is copied) or the same link, its title saying where it
came from; all or nothing, refused on a locked stage, and idempotent (an evidence already on the target indicator,
same file or same link, is skipped). Levels, values and scores are never carried: the target is assessed anew.
Permission checks are the caller's, as in ``services``.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, NamedTuple

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .framework_loader import FrameworkError, FrameworkSpec, load_framework_file
from .frameworks import DATA_DIR, manifest, mapping_entries
from .models import Assessment, Evidence, EvidenceItem, FrameworkVersion, Indicator
from .models.scores import check_stage_open
from .uploads import next_file_name

DEFAULT_MAPPING = DATA_DIR / "mapping-59-2020-to-8-2026.yaml"
TITLE_MAX = Evidence._meta.get_field("title").max_length
TOP_KEYS = {"mapping", "indicators"}
HEADER_KEYS = {"code", "source", "target"}
ENTRY_KEYS = {"target", "sources", "note"}
PAIR_KEYS = {"source", "rationale"}


class MappingError(FrameworkError):
    """A mapping file that cannot be used; ``errors`` lists every problem, each naming its place."""


@dataclass(frozen=True)
class Pair:
    source: int  # indicator number in the source instrument
    rationale: str


@dataclass(frozen=True)
class TargetEntry:
    number: int  # indicator number in the target instrument
    sources: tuple[Pair, ...]
    note: str = ""


@dataclass(frozen=True)
class Mapping:
    code: str
    source: str  # framework code of the source instrument
    target: str  # framework code of the target instrument
    entries: dict[int, TargetEntry] = field(hash=False, compare=False)
    source_name: str = ""
    target_name: str = ""

    def sources_of(self, target_number: int) -> tuple[Pair, ...]:
        entry = self.entries.get(target_number)
        return entry.sources if entry else ()

    def pair(self, source_number: int, target_number: int) -> Pair | None:
        return next((p for p in self.sources_of(target_number) if p.source == source_number), None)


class Proposal(NamedTuple):
    """One source indicator proposed for a target indicator, with the source assessment's evidence for it."""

    source: int
    rationale: str
    evidence: list


@dataclass
class CarryOverResult:
    created: list = field(default_factory=list)  # new Evidence rows on the target assessment
    skipped: list = field(default_factory=list)  # (target number, source Evidence) already present there


# --- reading and checking the mapping --------------------------------------------------------------------------

_spec_cache: dict[tuple[str, str], FrameworkSpec] = {}


def _instrument(code: str) -> tuple[FrameworkSpec | None, str, str | None]:
    """(spec, name, problem) of the instrument file that ``frameworks.yaml`` lists under ``code``."""
    entry = next((e for e in manifest() if e.get("code") == code), None)
    if entry is None:
        return None, code, _("kerangka “%(code)s” tidak terdaftar di frameworks.yaml.") % {"code": code}
    path = DATA_DIR / entry["file"]
    try:
        raw = path.read_bytes()
    except OSError as error:
        return None, entry["name"], _("berkas kerangka %(file)s tidak dapat dibaca: %(error)s") % {
            "file": entry["file"], "error": error}
    key = (str(path), hashlib.sha256(raw).hexdigest())
    if key not in _spec_cache:
        try:
            _spec_cache[key] = load_framework_file(path, code=entry["code"], name=entry["name"])
        except FrameworkError as error:
            return None, entry["name"], _("berkas kerangka %(file)s tidak sah: %(error)s") % {
                "file": entry["file"], "error": "; ".join(error.errors)}
    return _spec_cache[key], entry["name"], None


def _int(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _text(value) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def load_mapping(path: str | Path | None = None, *, specs: dict[str, FrameworkSpec] | None = None) -> Mapping:
    """Reads and checks a mapping file (default: the shipped 59/2020 → 8/2026 one); raises ``MappingError``.

    ``specs`` (framework code → ``FrameworkSpec``) replaces reading an instrument file, for tools and tests.
    """
    path = Path(path) if path else DEFAULT_MAPPING
    place = path.name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise MappingError([_("%(file)s: berkas pemetaan tidak dapat dibaca: %(error)s") % {"file": place, "error": error}])
    except yaml.YAMLError as error:
        raise MappingError([_("%(file)s: bukan YAML yang sah: %(error)s") % {"file": place, "error": error}])
    errors: list[str] = []
    if not isinstance(data, dict):
        raise MappingError([_("%(file)s: tingkat teratas harus berupa pemetaan dengan kunci mapping dan indicators.")
                            % {"file": place}])
    for key in sorted(set(data) - TOP_KEYS):
        errors.append(_("%(file)s: kunci “%(key)s” tidak dikenal (yang dikenal: mapping, indicators).")
                      % {"file": place, "key": key})
    header = data.get("mapping")
    if not isinstance(header, dict):
        raise MappingError(errors + [_("%(file)s: bagian mapping (code, source, target) tidak ada.") % {"file": place}])
    for key in sorted(set(header) - HEADER_KEYS):
        errors.append(_("%(file)s, mapping: kunci “%(key)s” tidak dikenal.") % {"file": place, "key": key})
    code, source_code, target_code = (_text(header.get(k)) for k in ("code", "source", "target"))
    for key, value in (("code", code), ("source", source_code), ("target", target_code)):
        if not value:
            errors.append(_("%(file)s, mapping.%(key)s: tidak ada atau kosong.") % {"file": place, "key": key})
    if errors:
        raise MappingError(errors)

    instruments = {}
    for role, fw_code in (("source", source_code), ("target", target_code)):
        if specs and fw_code in specs:
            instruments[role] = (specs[fw_code], specs[fw_code].name or fw_code)
            continue
        spec, name, problem = _instrument(fw_code)
        if problem:
            errors.append(_("%(file)s, mapping.%(key)s: %(problem)s") % {"file": place, "key": role, "problem": problem})
        instruments[role] = (spec, name)
    if errors:
        raise MappingError(errors)
    source_spec, source_name = instruments["source"]
    target_spec, target_name = instruments["target"]
    entries = _parse_entries(data.get("indicators"), place, source_spec, source_name, target_spec, target_name, errors)
    missing = sorted(set(target_spec.indicator_map) - set(entries))
    if missing and isinstance(data.get("indicators"), list):
        errors.append(
            _("%(file)s: indikator %(name)s %(numbers)s tidak ada dalam pemetaan; setiap indikator tujuan dicantumkan "
              "sekali (sources: [] dengan note bila tidak ada padanannya).")
            % {"file": place, "name": target_name, "numbers": ", ".join(map(str, missing))}
        )
    if errors:
        raise MappingError(errors)
    return Mapping(code, source_code, target_code, dict(sorted(entries.items())), source_name, target_name)


def _parse_entries(rows, place, source_spec, source_name, target_spec, target_name, errors) -> dict[int, TargetEntry]:
    if not isinstance(rows, list) or not rows:
        errors.append(_("%(file)s: bagian indicators tidak ada atau bukan daftar.") % {"file": place})
        return {}
    entries: dict[int, TargetEntry] = {}
    for position, row in enumerate(rows, start=1):
        where = _("%(file)s, indicators entri ke-%(n)s") % {"file": place, "n": position}
        if not isinstance(row, dict):
            errors.append(_("%(where)s: harus berupa pemetaan dengan target dan sources.") % {"where": where})
            continue
        number = _int(row.get("target"))
        if number is not None:
            where = _("%(file)s, indikator %(name)s %(n)s") % {"file": place, "name": target_name, "n": number}
        for key in sorted(set(row) - ENTRY_KEYS):
            errors.append(_("%(where)s: kunci “%(key)s” tidak dikenal (yang dikenal: target, sources, note).")
                          % {"where": where, "key": key})
        if number is None:
            errors.append(_("%(where)s: target harus nomor indikator %(name)s.") % {"where": where, "name": target_name})
            continue
        if number not in target_spec.indicator_map:
            errors.append(_("%(where)s: indikator %(n)s tidak dikenal dalam %(name)s.")
                          % {"where": where, "n": number, "name": target_name})
            continue
        if number in entries:
            errors.append(_("%(where)s: indikator ini muncul lebih dari sekali.") % {"where": where})
            continue
        sources = row.get("sources")
        note = _text(row.get("note"))
        if not isinstance(sources, list):
            errors.append(_("%(where)s: sources harus berupa daftar (sources: [] bila tidak ada padanannya).")
                          % {"where": where})
            continue
        if not sources and not note:
            errors.append(_("%(where)s: tanpa indikator sumber, note harus menjelaskan alasannya.") % {"where": where})
        pairs = _parse_pairs(sources, where, source_spec, source_name, errors)
        entries[number] = TargetEntry(number, tuple(pairs), note)
    return entries


def _parse_pairs(rows, where, source_spec, source_name, errors) -> list[Pair]:
    pairs: list[Pair] = []
    for position, row in enumerate(rows, start=1):
        here = _("%(where)s, sumber ke-%(n)s") % {"where": where, "n": position}
        if not isinstance(row, dict):
            errors.append(_("%(where)s: harus berupa pemetaan dengan source dan rationale.") % {"where": here})
            continue
        number = _int(row.get("source"))
        if number is not None:
            here = _("%(where)s, sumber %(name)s %(n)s") % {"where": where, "name": source_name, "n": number}
        for key in sorted(set(row) - PAIR_KEYS):
            errors.append(_("%(where)s: kunci “%(key)s” tidak dikenal (yang dikenal: source, rationale).")
                          % {"where": here, "key": key})
        if number is None:
            errors.append(_("%(where)s: source harus nomor indikator %(name)s.") % {"where": here, "name": source_name})
            continue
        if number not in source_spec.indicator_map:
            errors.append(_("%(where)s: indikator %(n)s tidak dikenal dalam %(name)s.")
                          % {"where": here, "n": number, "name": source_name})
            continue
        if any(p.source == number for p in pairs):
            errors.append(_("%(where)s: pasangan ini muncul lebih dari sekali.") % {"where": here})
            continue
        rationale = _text(row.get("rationale"))
        if not rationale:
            errors.append(_("%(where)s: rationale kosong; setiap pasangan memerlukan alasan satu baris.") % {"where": here})
            continue
        pairs.append(Pair(number, rationale))
    return pairs


# --- proposals -------------------------------------------------------------------------------------------------


# --- the mappings the manifest lists ---------------------------------------------------------------------------

_mapping_cache: dict[tuple, Mapping] = {}


def listed_mappings() -> list[dict]:
    """The manifest's mapping entries (code, from, to, file)."""
    return mapping_entries()


def mapping_for(source_code: str, target_code: str) -> Mapping | None:
    """The mapping the manifest lists from ``source_code`` to ``target_code`` (read again only when its file or
    entry changes); None when it lists none. ``MappingError`` naming the place for a listed file that cannot be used
    or whose own header names other instruments than the manifest."""
    for position, entry in enumerate(listed_mappings()):
        if entry.get("from") == source_code and entry.get("to") == target_code:
            return _listed_mapping(entry, position)
    return None


def mapping_into(target_code: str) -> Mapping | None:
    """The mapping the manifest lists into ``target_code`` (the first, if several); None when it lists none."""
    for position, entry in enumerate(listed_mappings()):
        if entry.get("to") == target_code:
            return _listed_mapping(entry, position)
    return None


def mapping_between(first_code: str, second_code: str) -> Mapping | None:
    """The listed mapping between two instruments, in either direction; None when there is none."""
    return mapping_for(first_code, second_code) or mapping_for(second_code, first_code)


def _listed_mapping(entry: dict, position: int) -> Mapping:
    place = f"frameworks.yaml, mappings[{position}]"
    name = entry.get("file")
    if not isinstance(name, str) or not name.strip():
        raise MappingError([_("%(place)s.file: berkas pemetaan tidak disebut.") % {"place": place}])
    path = DATA_DIR / name
    try:
        key = (name, hashlib.sha256(path.read_bytes()).hexdigest(), entry.get("from"), entry.get("to"))
    except OSError as error:
        raise MappingError([_("%(place)s.file: %(file)s tidak dapat dibaca: %(error)s")
                            % {"place": place, "file": name, "error": error}])
    if key not in _mapping_cache:
        mapping = load_mapping(path)
        if (mapping.source, mapping.target) != (entry.get("from"), entry.get("to")):
            raise MappingError([
                _("%(place)s: berkas %(file)s memetakan %(source)s → %(target)s, bukan %(from)s → %(to)s.")
                % {"place": place, "file": name, "source": mapping.source, "target": mapping.target,
                   "from": entry.get("from"), "to": entry.get("to")}
            ])
        _mapping_cache.clear()  # one file per pair: keep the current reading only
        _mapping_cache[key] = mapping
    return _mapping_cache[key]


def _required_into(target_code: str) -> Mapping:
    mapping = mapping_into(target_code)
    if mapping is None:
        raise ValidationError(
            _("Tidak ada pemetaan bukti dukung ke kerangka “%(code)s” di frameworks.yaml (bagian mappings).")
            % {"code": target_code}
        )
    return mapping


def _target_code(target) -> str:
    if isinstance(target, str):
        return target
    if isinstance(target, (FrameworkSpec, FrameworkVersion)):
        return target.code
    raise TypeError("target must be a framework code, a FrameworkSpec or a FrameworkVersion")


def _check_instruments(mapping: Mapping, source_code: str | None, target_code: str | None):
    if source_code is not None and source_code != mapping.source:
        raise ValidationError(
            _("Penilaian sumber memakai kerangka “%(found)s”, sedangkan pemetaan %(code)s berangkat dari “%(source)s”.")
            % {"found": source_code, "code": mapping.code, "source": mapping.source}
        )
    if target_code is not None and target_code != mapping.target:
        raise ValidationError(
            _("Kerangka tujuan “%(found)s” bukan tujuan pemetaan %(code)s (“%(target)s”).")
            % {"found": target_code, "code": mapping.code, "target": mapping.target}
        )


def proposals(source_assessment: Assessment, target, *, mapping: Mapping | None = None) -> dict[int, list[Proposal]]:
    """{target indicator number: [Proposal(source number, rationale, [Evidence of the source assessment])]}.

    ``target`` is the target instrument: its code, its ``FrameworkSpec`` or its ``FrameworkVersion``. Every target
    indicator is a key (an empty list where the mapping proposes nothing). One query reads all the evidence.
    """
    mapping = mapping or _required_into(_target_code(target))
    _check_instruments(mapping, source_assessment.framework.code, _target_code(target))
    numbers = [i.number for i in target.indicators] if isinstance(target, FrameworkSpec) else list(mapping.entries)
    by_indicator: dict[int, list] = {}
    rows = (
        Evidence.objects.filter(assessment=source_assessment).select_related("indicator", "blob")
        .order_by("indicator__number", "created", "pk")
    )
    for evidence in rows:
        by_indicator.setdefault(evidence.indicator.number, []).append(evidence)
    return {
        number: [Proposal(p.source, p.rationale, by_indicator.get(p.source, [])) for p in mapping.sources_of(number)]
        for number in sorted(numbers)
    }


def last_source_assessment(target_assessment: Assessment, *, mapping: Mapping | None = None) -> Assessment | None:
    """The instansi's latest assessment before the target's year made with the mapping's source instrument."""
    mapping = mapping or _required_into(target_assessment.framework.code)
    return (
        Assessment.objects.filter(
            institution_id=target_assessment.institution_id, framework__code=mapping.source,
            year__lt=target_assessment.year,
        )
        .select_related("framework").order_by("-year").first()
    )


# --- carrying over ---------------------------------------------------------------------------------------------


def carried_title(evidence) -> str:
    """The evidence's title with where it came from, within the title's length."""
    suffix = _(" (dari penilaian %(year)s %(framework)s, indikator %(n)s)") % {
        "year": evidence.assessment.year, "framework": evidence.assessment.framework.name,
        "n": evidence.indicator.number,
    }
    title = evidence.title.strip()
    room = TITLE_MAX - len(suffix)
    if len(title) > room:
        title = title[: room - 1].rstrip() + "…"
    return title + suffix


def _selection(selection) -> list[tuple[object, object]]:
    try:
        return [tuple(item) for item in selection]
    except TypeError:
        raise ValidationError(_("Pilihan harus berupa daftar pasangan (nomor indikator tujuan, bukti dukung).")) from None


def carry_over(selection: Iterable, target_assessment: Assessment, user, *, mapping: Mapping | None = None) -> CarryOverResult:
    """Attaches the selected source evidence to the target assessment's current stage; all or nothing.

    ``selection``: pairs ``(target indicator number, Evidence or its id)``, typically chosen from ``proposals``, or
    triples with a target evidence item code (``I1-L2-02``, an item of that target indicator; checked, named if not).
    Each evidence must belong to an assessment of the same instansi made with the mapping's source instrument, and
    its indicator must be mapped to the target indicator. Raises ``ValidationError`` naming every bad choice;
    nothing is written then. Evidence already on the target indicator (same file or same link) is skipped.
    """
    mapping = mapping or _required_into(target_assessment.framework.code)
    _check_instruments(mapping, None, target_assessment.framework.code)
    check_stage_open(target_assessment, target_assessment.current_stage, field="evidence")
    chosen = _selection(selection)
    errors: list[str] = []
    wanted: list[tuple[int, int]] = []
    item_codes: dict[tuple[int, int], str] = {}
    for position, pair in enumerate(chosen, start=1):
        if len(pair) not in (2, 3):
            errors.append(_("Pilihan ke-%(n)s: harus berupa pasangan (nomor indikator, bukti dukung) atau dengan kode "
                            "butir tujuan.") % {"n": position})
            continue
        number, evidence = pair[:2]
        number = _int(number)
        pk = evidence.pk if isinstance(evidence, Evidence) else _int(evidence)
        if number is None or number not in mapping.entries:
            errors.append(_("Pilihan ke-%(n)s: indikator %(name)s “%(value)s” tidak dikenal.")
                          % {"n": position, "name": mapping.target_name, "value": pair[0]})
        elif pk is None:
            errors.append(_("Pilihan ke-%(n)s: bukti dukung “%(value)s” tidak dikenal.") % {"n": position, "value": pair[1]})
        else:
            wanted.append((number, pk))
            code = pair[2] if len(pair) == 3 else None
            if code:
                item_codes[(number, pk)] = str(code).strip()
    sources = Evidence.objects.select_related("indicator", "blob", "assessment__framework").in_bulk(
        {pk for _number, pk in wanted}
    )
    for number, pk in wanted:
        evidence = sources.get(pk)
        if evidence is None or evidence.assessment.institution_id != target_assessment.institution_id:
            # Another instansi's evidence answers as if it did not exist.
            errors.append(_("Bukti dukung #%(pk)s tidak ditemukan di penilaian instansi ini.") % {"pk": pk})
        elif evidence.assessment.framework.code != mapping.source:
            errors.append(_("Bukti dukung “%(title)s” berasal dari penilaian %(year)s dengan kerangka %(framework)s, bukan "
                            "%(source)s.") % {"title": evidence.title, "year": evidence.assessment.year,
                                              "framework": evidence.assessment.framework.name,
                                              "source": mapping.source_name})
        elif mapping.pair(evidence.indicator.number, number) is None:
            errors.append(_("Bukti dukung “%(title)s”: indikator %(source)s %(s)s tidak dipetakan ke indikator %(target)s "
                            "%(t)s.") % {"title": evidence.title, "source": mapping.source_name,
                                         "s": evidence.indicator.number, "target": mapping.target_name, "t": number})
    indicators = {
        i.number: i
        for i in Indicator.objects.filter(framework_id=target_assessment.framework_id, number__in={n for n, _pk in wanted})
    }
    for number in sorted({n for n, _pk in wanted} - set(indicators)):
        errors.append(_("Indikator %(n)s tidak ada dalam kerangka penilaian tujuan.") % {"n": number})
    items = _target_items(item_codes, target_assessment, errors)
    if errors:
        raise ValidationError(errors)
    return _attach(wanted, sources, indicators, target_assessment, user, items)


def _target_items(item_codes, target_assessment, errors) -> dict[tuple[int, int], EvidenceItem]:
    """The named target items, each checked to be of the target instrument and of the chosen indicator."""
    found = {
        item.code: item
        for item in EvidenceItem.objects.filter(
            framework_id=target_assessment.framework_id, code__in=set(item_codes.values())
        ).select_related("indicator")
    }
    items = {}
    for (number, pk), code in item_codes.items():
        item = found.get(code)
        if item is None:
            errors.append(_("Butir %(code)s tidak ada dalam kerangka penilaian tujuan.") % {"code": code})
        elif item.indicator.number != number:
            errors.append(_("Butir %(code)s adalah butir indikator %(other)s, bukan indikator %(n)s.")
                          % {"code": code, "other": item.indicator.number, "n": number})
        else:
            items[(number, pk)] = item
    return items


def _attach(wanted, sources, indicators, target_assessment, user, items=None) -> CarryOverResult:
    items = items or {}
    result = CarryOverResult()
    with transaction.atomic():
        # One carrying at a time per assessment: what is already there is read under the lock.
        Assessment.objects.select_for_update().filter(pk=target_assessment.pk).first()
        present = {
            (number, ("blob", blob_id) if blob_id else ("url", url))
            for number, blob_id, url in Evidence.objects.filter(
                assessment=target_assessment, indicator__number__in=set(indicators)
            ).values_list("indicator__number", "blob_id", "url")
        }
        for number, pk in wanted:
            source = sources[pk]
            key = (number, ("blob", source.blob_id) if source.blob_id else ("url", source.url))
            if key in present:
                result.skipped.append((number, source))
                continue
            present.add(key)
            indicator = indicators[number]
            evidence = Evidence(
                assessment=target_assessment, indicator=indicator, stage=target_assessment.current_stage,
                title=carried_title(source), blob=source.blob, url=source.url if not source.blob_id else "",
                original_name=source.original_name, added_by=user, item=items.get((number, pk)),
            )
            if source.blob_id:
                extension = os.path.splitext(source.blob.file.name)[1] or os.path.splitext(source.original_name)[1]
                evidence.file_name = next_file_name(target_assessment, indicator, source.title, extension)
            try:
                evidence.full_clean()
            except ValidationError as error:
                raise ValidationError(
                    _("Indikator %(n)s, bukti dukung “%(title)s”: %(error)s")
                    % {"n": number, "title": source.title, "error": "; ".join(error.messages)}
                ) from error
            evidence.save()
            result.created.append(evidence)
    return result
