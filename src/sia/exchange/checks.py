"""System check: every field a domain declares for its forms has a spreadsheet column kind, so the
Excel template, import and export can carry it (``sia.architecture.checks`` checks the rest of the
declaration)."""

from __future__ import annotations

from django.core import checks
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured

NO_COLUMN_KIND = "sia.E109"


@checks.register(checks.Tags.models)
def check_domain_sheets(app_configs=None, **kwargs):
    from sia.architecture.registry import domain_models

    problems = []
    for model in domain_models():
        if app_configs is None or model._meta.app_config in app_configs:
            problems.extend(sheet_problems(model))
    return problems


def sheet_problems(model) -> list[checks.CheckMessage]:
    """The declared form fields, and the fields of the links with attributes the domain holds (their own sheet,
    ``sia.exchange.relations``), that a workbook cannot express (a link to a user, a file, ...)."""
    from sia.architecture.linkspec import attributed_links

    from .columns import column_class
    from .relations import relation_fields

    problems = []
    for _holder, link in attributed_links(model):
        try:
            fields = relation_fields(link)
        except (LookupError, FieldDoesNotExist):
            continue  # sia.E111 names it
        for field in fields:
            try:
                column_class(field.model, field)
            except ImproperlyConfigured:
                problems.append(checks.Error(
                    f"{model._meta.label}: the link “{link.field}” keeps “{field.name}” ({type(field).__name__}) on "
                    f"{field.model._meta.label}, which the Excel sheet of that link cannot express.",
                    hint="Add a column kind that handles it to sia.exchange.kinds.", obj=model, id=NO_COLUMN_KIND,
                ))
    for name in model.spec.form_fields:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue  # sia.E101 names it
        try:
            column_class(model, field)
        except ImproperlyConfigured:
            target = getattr(field, "related_model", None)
            what = f"a link to {target._meta.label}" if hasattr(target, "_meta") else type(field).__name__
            problems.append(checks.Error(
                f"{model._meta.label}: form_fields names “{name}” ({what}), which the Excel template cannot express.",
                hint="Link to an OPD (one or several), a work unit, a value list (one or several items), a reference "
                     "node, fungsi of the OPD or an architecture object, or add a column kind that handles it to "
                     "sia.exchange.kinds.",
                obj=model, id=NO_COLUMN_KIND,
            ))
    return problems
