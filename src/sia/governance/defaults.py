"""The indicators each kind of internal policy evidences by default, per instrument (``data/indicator-defaults.yaml``,
its sources in ``data/README.md``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError

from .choices import DocumentType

DEFAULTS_FILE = Path(__file__).resolve().parent / "data" / "indicator-defaults.yaml"


@lru_cache(maxsize=1)
def load_defaults(path: Path = DEFAULTS_FILE) -> dict[str, dict[str, tuple[int, ...]]]:
    """{instrument code: {document type: indicator numbers}}; a kind or number that is no such thing is refused
    naming its place."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    result, problems = {}, []
    kinds = set(DocumentType.values)
    for framework, table in data.items():
        result[framework] = {}
        for kind, numbers in (table or {}).items():
            if kind not in kinds:
                problems.append(f"{path.name}: {framework}.{kind}: jenis dokumen tidak dikenal")
                continue
            bad = [n for n in numbers or () if not isinstance(n, int) or n < 1]
            if bad:
                problems.append(f"{path.name}: {framework}.{kind}: nomor indikator tidak sah {bad}")
                continue
            result[framework][kind] = tuple(numbers or ())
    if problems:
        raise ValidationError(problems)
    return result


def default_indicators(document_type: str):
    """The Indicator rows a document of ``document_type`` evidences by default, of every loaded instrument."""
    from django.db.models import Q

    from sia.evaluation.models import Indicator

    q = Q(pk__in=[])
    for framework, table in load_defaults().items():
        numbers = table.get(document_type) or ()
        if numbers:
            q |= Q(framework__code=framework, number__in=numbers)
    return Indicator.objects.filter(q).select_related("framework").order_by("framework__code", "number")
