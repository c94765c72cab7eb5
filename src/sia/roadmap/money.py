"""Rupiah as Indonesians write them ("Rp 1.250.000"): one definition for the kegiatan page, its history and the
overview (``templatetags.roadmap_money`` offers it to templates)."""

from __future__ import annotations

from decimal import Decimal


def rupiah(value) -> str:
    """A sum of rupiah as Indonesians write it: "Rp 1.250.000" (whole rupiah); "—" for no value."""
    if value is None or value == "":
        return "—"
    amount = int(Decimal(value).quantize(Decimal("1")))
    return "Rp " + f"{amount:,}".replace(",", ".")


def plain(value):
    """A sum for a number input: a whole sum without its ".00" (``1250000000``), else the sum as it is."""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return value.quantize(Decimal("1"))
    return value
