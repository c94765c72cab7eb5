"""Normalisation of application names and functions for comparison.

``terms("e-Surat Dinkes")`` gives the comparable terms of a text: accents, case and punctuation
folded (``unidecode``), known abbreviations expanded from the curated dictionary in
``data/abbreviations.csv`` ("SIMPEG" → "sistem informasi manajemen kepegawaian"), the prefix
``e-`` read as "elektronik", common Indonesian affixes stripped by a light stemmer
("kepegawaian" → "pegawai", "persuratan" → "surat", "perencanaan" → "rencana") and stop words
dropped. Word order does not matter: the result is a set. ``Vocabulary`` adds the abbreviations
a corpus spells out itself ("SIMRAL (Sistem Informasi ...)").

Plain functions, no database: the duplicate scorer (``sia.portfolio.duplicates``) calls them.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from unidecode import unidecode

DATA = Path(__file__).parent / "data"

# Words that say nothing about what an application does.
STOP_WORDS = frozenset(
    "dan di ke dari yang untuk pada dengan atau serta secara oleh dalam bagi tentang the of and for to in "
    "v1 v2 v3 versi baru lama".split()
)
# Words most application names carry: they count, but little (their weight is multiplied by GENERIC_WEIGHT).
GENERIC_WORDS = frozenset(
    "sistem informasi aplikasi manajemen elektronik online digital terpadu integrasi web portal smart "
    "mobile android app apps daerah pemerintah perintah kota kabupaten provinsi dinas badan kantor bagian "
    "bidang sekretariat unit data layanan pelayanan pengelolaan sim si program terintegrasi pemerintahan "
    "database dashboard basis sistem".split()
)
GENERIC_WEIGHT = 0.15

# Roots the stemmer prefers when an affix can be read two ways (per+izin / pe+rencana, peng+elola / k+elola).
KNOWN_ROOTS = frozenset(
    "rencana izin nilai kelola kendali kembang nomor kirim kaji rawat rekam kumpul kunjung kena kelas "
    "tata tetap terima tulis tanam tugas rinci riksa periksa pantau pakai pilih putus "
    "surat arsip pegawai kinerja hadir presensi gaji uang anggar lapor adu aduan pajak aset barang "
    "sehat didik daftar data peta hukum ukur aman awas olah harga bayar sewa susun sakit obat usaha atur".split()
)

_CAMEL_E = re.compile(r"\be(?=[A-Z])")  # eSurat, eKinerja
_WORD = re.compile(r"[a-z0-9]+")
_PAREN = re.compile(r"^\s*([^()]+?)\s*\(([^()]+)\)\s*$")


def fold(text) -> str:
    """Lower-case ASCII, accents and compatibility forms folded; ``e`` before a capital split off."""
    text = _CAMEL_E.sub("e ", str(text or ""))
    if text.isascii():
        return text.lower()
    return unidecode(unicodedata.normalize("NFKC", text)).lower()


def words(text) -> list[str]:
    """The words of ``text`` in order, folded."""
    return _WORD.findall(fold(text))


def _strip_suffix(word: str) -> str:
    if word.endswith("nya") and len(word) >= 7:
        word = word[:-3]
    if word.endswith("an") and len(word) >= 5:
        word = word[:-2]
    return word


def _prefer(*candidates: str) -> str:
    for candidate in candidates:
        if candidate in KNOWN_ROOTS:
            return candidate
    return candidates[0]


def _strip_prefix(word: str) -> str:
    if len(word) < 6:
        return word
    vowel = "aiueo"
    if word.startswith("peny") and word[4] in vowel:
        return "s" + word[4:]
    if word.startswith("peng"):
        rest = word[4:]
        return _prefer(rest, "k" + rest) if rest[0] in vowel else rest
    if word.startswith("pem"):
        rest = word[3:]
        return _prefer("p" + rest, rest) if rest[0] in vowel else rest
    if word.startswith("pen"):
        rest = word[3:]
        if rest[0] in vowel:
            return _prefer("t" + rest, word[2:])
        return rest if rest[0] in "dcjzs" else word[2:]
    if word.startswith("per"):
        rest = word[3:]
        return _prefer(word[2:], rest) if rest[0] in vowel else rest
    if word.startswith("ber") and word[3] in vowel and word[3:] in KNOWN_ROOTS:
        return word[3:]  # berusaha
    if word.startswith("pe") and word[2] not in vowel:
        return word[2:]
    if word.startswith("ke"):
        return word[2:]
    return word


@lru_cache(maxsize=50_000)
def forms(word: str) -> tuple[str, ...]:
    """``word`` and each shorter form the stemmer passes through, the stem last."""
    if len(word) < 5 or not word.isalpha():
        return (word,)
    found = [word]
    stemmed = _strip_suffix(word)
    for _round in range(2):
        if stemmed != found[-1]:
            found.append(stemmed)
        if stemmed in KNOWN_ROOTS:
            break
        shorter = _strip_prefix(stemmed)
        if shorter == stemmed or len(shorter) < 3:
            break
        stemmed = shorter
    if stemmed != found[-1]:
        found.append(stemmed)
    return tuple(found)


def stem(word: str) -> str:
    """A light Indonesian stemmer: the same stem for a word and its pe-/per-/ke-...-an forms.

    Not a dictionary stemmer: it only has to give variants of one word one stem ("kepegawaian",
    "pegawai"; "persuratan", "surat"), not the linguistically right root.
    """
    return forms(word)[-1]


@lru_cache(maxsize=1)
def abbreviations() -> dict[str, tuple[str, ...]]:
    """The curated dictionary: abbreviation (folded) → the words of its expansion."""
    with open(DATA / "abbreviations.csv", newline="", encoding="utf-8") as handle:
        return {row["abbreviation"].strip(): tuple(words(row["expansion"])) for row in csv.DictReader(handle)}


@lru_cache(maxsize=1)
def synonyms() -> dict[str, str]:
    """The curated synonyms (``data/synonyms.csv``): stem of a word → stem of the word it counts as."""
    with open(DATA / "synonyms.csv", newline="", encoding="utf-8") as handle:
        return {stem(fold(row["word"]).strip()): stem(fold(row["same_as"]).strip()) for row in csv.DictReader(handle)}


@lru_cache(maxsize=1)
def _vocabulary_stems() -> frozenset:
    stems = {stem(w) for expansion in abbreviations().values() for w in expansion}
    return frozenset(stems | KNOWN_ROOTS)


def acronym_of(short: str, expansion: list[str]) -> bool:
    """Can ``short`` be read as an acronym of ``expansion`` (words), each word giving a leading piece
    of itself or of its stem ("simpeg" of "sistem informasi manajemen kepegawaian": si-m-peg)?
    Stop words may give nothing."""
    pieces = [(w, forms(w)) for w in expansion]

    @lru_cache(maxsize=None)
    def fits(i: int, j: int) -> bool:
        if i == len(short):
            return all(w in STOP_WORDS for w, _s in pieces[j:])
        if j == len(pieces):
            return False
        word, sources = pieces[j]
        if word in STOP_WORDS and fits(i, j + 1):
            return True
        for source in sources:
            k = 0
            while i + k < len(short) and k < len(source) and short[i + k] == source[k]:
                k += 1
                if fits(i + k, j + 1):
                    return True
        return False

    return len(short) >= 2 and fits(0, 0)


class Vocabulary:
    """The abbreviation dictionary plus what one corpus spells out itself: "X (Y)" or "Y (X)" where X
    is one word and an acronym of Y (names of national shared applications are taken as they are)."""

    def __init__(self):
        self.expansions = dict(abbreviations())
        self._cache: dict[str, tuple] = {}

    def learn(self, text: str, trusted: bool = False) -> None:
        match = _PAREN.match(str(text or ""))
        if not match:
            return
        left, right = words(match.group(1)), words(match.group(2))
        for short, long in ((left, right), (right, left)):
            if len(short) == 1 and len(long) >= 2 and not short[0].isdigit():
                key = short[0]
                if key not in self.expansions and (trusted or acronym_of(key, long)):
                    self.expansions[key] = tuple(long)
                    self._cache.pop(key, None)

    def terms(self, text: str, owner: tuple = ()) -> dict[str, str]:
        """Comparable terms of ``text``: stem → the word it was first seen as (for reasons shown to
        people). Abbreviations give the terms of their expansion; ``owner`` phrases (``owner_phrases``)
        are cut out first."""
        found: dict[str, str] = {}
        cache = self._cache
        for word in without_phrases(words(text), owner):
            parts = cache.get(word)
            if parts is None:
                parts = cache[word] = self._word_terms(word)
            for term, surface in parts:
                if term not in found:
                    found[term] = surface
        return found

    def _word_terms(self, word: str) -> tuple:
        same = synonyms()
        expansion = self.expansions.get(word)
        if expansion is None and len(word) > 4 and word[0] == "e" and stem(word[1:]) in _vocabulary_stems():
            expansion = ("elektronik", word[1:])
        found = []
        for part in expansion or (word,):
            if part not in STOP_WORDS and not part.isdigit():  # years, versions, numbers of a series
                term = stem(part)
                found.append((same.get(term, term), word if expansion is None else part))
        return tuple(found)


def owner_phrases(department_name: str, abbreviation: str) -> tuple[tuple[str, ...], ...]:
    """How an OPD is named inside its own applications' names ("SIMPEG Dinkes", "Absensi Dinas
    Kesehatan"): its abbreviation and its full name, as word sequences."""
    return tuple(phrase for phrase in (tuple(words(abbreviation)), tuple(words(department_name))) if phrase)


def without_phrases(found: list[str], phrases) -> list[str]:
    """``found`` without any contiguous occurrence of the ``phrases``; unchanged if nothing would remain."""
    if not phrases:
        return found
    kept, i = [], 0
    while i < len(found):
        for phrase in phrases:
            if tuple(found[i:i + len(phrase)]) == phrase:
                i += len(phrase)
                break
        else:
            kept.append(found[i])
            i += 1
    return kept or found


GENERIC = frozenset(stem(w) for w in GENERIC_WORDS)


def weight_factor(term: str) -> float:
    return GENERIC_WEIGHT if term in GENERIC else 1.0
