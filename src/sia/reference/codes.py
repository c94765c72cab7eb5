"""Reference codes: ``PREFIX.NN[.NN...]``, two digits per level; the level is the number of
numeric segments and the parent is the code minus its last segment (``RAB.09.06.03`` is level 3
under ``RAB.09.06``). Model validation, the importer and the API all parse codes here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _
from unidecode import unidecode

PREFIXES = ("RAB", "RAL", "RAD", "RAA", "RAI", "RAK")
MAX_LEVEL = 7

_CODE = re.compile(r"^([A-Z]{3})((?:\.\d{2})+)$")


class CodeError(ValueError):
    """A code that does not follow ``PREFIX.NN[.NN...]``; the message is for the user."""


@dataclass(frozen=True)
class Code:
    prefix: str
    segments: tuple[str, ...]

    @property
    def level(self) -> int:
        return len(self.segments)

    @property
    def parent(self) -> str | None:
        if self.level <= 1:
            return None
        return ".".join((self.prefix, *self.segments[:-1]))

    @property
    def ancestors(self) -> list[str]:
        """Codes from the root (level 1) down to the parent."""
        return [".".join((self.prefix, *self.segments[:n])) for n in range(1, self.level)]

    def __str__(self):
        return ".".join((self.prefix, *self.segments))


def normalize_code(text: str) -> str:
    """Upper-cases and removes spaces: `` rab.09 .06 `` becomes ``RAB.09.06``."""
    return re.sub(r"\s+", "", str(text or "")).upper()


def parse_code(text: str, prefix: str | None = None) -> Code:
    """Parses a code, raising :class:`CodeError` with a message that says what is wrong."""
    code = normalize_code(text)
    if not code:
        raise CodeError(_("Kode kosong."))
    match = _CODE.match(code)
    if not match:
        raise CodeError(
            _("Kode “%(code)s” tidak sah: bentuknya AWALAN.NN[.NN...], dua angka per tingkat (mis. RAB.09.06.03).")
            % {"code": text}
        )
    found = match.group(1)
    if found not in PREFIXES:
        raise CodeError(
            _("Awalan “%(prefix)s” tidak dikenal; gunakan salah satu dari %(known)s.")
            % {"prefix": found, "known": ", ".join(PREFIXES)}
        )
    if prefix and found != prefix:
        raise CodeError(
            _("Kode “%(code)s” berawalan %(found)s, padahal katalognya %(prefix)s.")
            % {"code": code, "found": found, "prefix": prefix}
        )
    segments = tuple(match.group(2).lstrip(".").split("."))
    if len(segments) > MAX_LEVEL:
        raise CodeError(
            _("Kode “%(code)s” bertingkat %(level)d; paling dalam tingkat %(max)d.")
            % {"code": code, "level": len(segments), "max": MAX_LEVEL}
        )
    return Code(found, segments)


def normalize_text(text: str) -> str:
    """Lower-case ASCII words separated by single spaces: accents, case and punctuation ignored."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    return " ".join(re.findall(r"[a-z0-9]+", unidecode(text).lower()))


def search_text(code: str, name: str) -> str:
    """The indexed search column: the code in lower case, then the normalised name."""
    return f"{code.lower()} {normalize_text(name)}".strip()
