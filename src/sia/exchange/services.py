"""What the pages and the API share: which instansi and domains a request is about, who may upload,
and the template and export downloads."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from sia.architecture.filtersets import filterset_for
from sia.architecture.kindgroups import group_of, kind_groups
from sia.architecture.registry import domain_models
from sia.core import permissions
from sia.organizations.models import Institution

from .workbook import build_workbook

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class InstitutionRequired(Exception):
    """The user belongs to several instansi and the request did not say which."""


def institutions_for(user):
    return permissions.visible(user, Institution.objects.filter(is_active=True)).order_by("name")


def resolve_institution(user, value=None) -> Institution:
    """The instansi named by ``value`` (ID or code) among those the user sees, or their only one."""
    choices = institutions_for(user)
    if value not in (None, ""):
        value = str(value).strip()
        numeric = value.isascii() and value.isdigit()  # "¹" is a digit to isdigit(), not to int()
        match = choices.filter(Q(code=value) | Q(pk=int(value)) if numeric else Q(code=value)).first()
        if match is None:
            raise Http404(_("Instansi tidak ditemukan."))
        return match
    first_two = list(choices[:2])
    if len(first_two) == 1:
        return first_two[0]
    if not first_two:
        raise Http404(_("Anda belum menjadi anggota instansi mana pun."))
    raise InstitutionRequired


def workbook_group(domain: str | None):
    """``(group, kinds)`` of the workbook ``domain`` names: a kind group by its slug, or the group of a kind
    named by its slug or API name (the kinds of a group share one workbook); None when nothing matches."""
    for group, kinds in kind_groups():
        if domain == group.slug or any(domain in (m.spec.slug, m.spec.api_name) for m in kinds):
            return group, kinds
    return None


def models_for(domain: str | None) -> list:
    """The kinds of one workbook (see ``workbook_group``), or every domain when ``domain`` is empty."""
    if not domain:
        return [model for _group, kinds in kind_groups() for model in kinds]
    found = workbook_group(domain)
    if found is None:
        raise Http404(_("Domain “%(domain)s” tidak dikenal.") % {"domain": domain})
    return found[1]


def may_upload(user, institution) -> bool:
    """Does the user write some architecture domain in that instansi (operators in their OPD)?"""
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    for model in domain_models():
        roles = permissions.policy_for(model).roles_for(permissions.ADD)
        if any(g.institution_id == institution.pk and g.role in roles for g in permissions.grants(user)):
            return True
    return False


def may_upload_anywhere(user) -> bool:
    return any(permissions.can_anywhere(user, permissions.ADD, model) for model in domain_models())


def domain_querysets(request, institution, models, *, filtered: bool) -> dict:
    """Each domain's objects the user may see in the instansi, narrowed by the list filters in the query."""
    result = {}
    for model in models:
        queryset = permissions.visible(request.user, model.objects.filter(institution=institution))
        if filtered:
            queryset = filterset_for(model)(request.GET, queryset=queryset, request=request).qs
        result[model] = queryset.order_by(*(model._meta.ordering or ["pk"]))
    return result


def download_name(institution, models, kind: str) -> str:
    groups = {group_of(model).slug for model in models}
    domain = groups.pop() if len(groups) == 1 else "semua-domain"
    return f"sia-{kind}-{domain}-{institution.code}-{timezone.localdate():%Y%m%d}.xlsx"


def template_file(request, institution, models, *, prefill: bool) -> tuple[bytes, str]:
    querysets = domain_querysets(request, institution, models, filtered=False) if prefill else None
    content = build_workbook(request.user, institution, models, querysets=querysets)
    return content, download_name(institution, models, "ekspor" if prefill else "templat")


def export_file(request, institution, models) -> tuple[bytes, str]:
    querysets = domain_querysets(request, institution, models, filtered=True)
    content = build_workbook(request.user, institution, models, querysets=querysets)
    return content, download_name(institution, models, "ekspor")
