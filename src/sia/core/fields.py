"""Model fields every app shares."""

from __future__ import annotations

from django.core.validators import MaxLengthValidator
from django.db import models

FREE_TEXT_MAX = 2000  # characters of an uraian, tujuan, risiko...: about a page, enough for a workshop answer


def free_text(verbose_name, max_length: int = FREE_TEXT_MAX, **kwargs) -> models.TextField:
    """A blank-able TextField with a length limit that forms, the API and the Excel import all apply:
    ``max_length`` gives forms their ``maxlength`` (and the counter of ``sia/forms.js``), the
    validator makes ``full_clean()`` refuse longer text (a TextField's ``max_length`` alone does not)."""
    kwargs.setdefault("blank", True)
    return models.TextField(verbose_name, max_length=max_length, validators=[MaxLengthValidator(max_length)], **kwargs)
