"""The roadmap's column on the architecture's gap catalog page (``sia.architecture.gap_catalog`` annotators): each
gap with the kegiatan that close it, or the warning "Belum ada kegiatan" and a link to add one. Registered in
``RoadmapConfig.ready()``; architecture never imports the roadmap."""

from __future__ import annotations

import operator
from functools import reduce

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _, gettext_lazy as _lazy

from sia.architecture.gap_catalog import GapAnnotator, GapNote
from sia.architecture.usage import DeleteNote
from sia.core import permissions

from .models import Activity, ActivityGap


def activity_add_url(model, pk) -> str:
    """The page adding a kegiatan that closes the gap ``model``/``pk`` (``?gap=<kind slug>:<pk>``)."""
    try:
        base = reverse("roadmap:activity_add")
    except NoReverseMatch:
        base = reverse("roadmap:activity_list") + "tambah/"
    return f"{base}?{urlencode({'gap': f'{model.spec.slug}:{pk}'})}"


def may_add_activity(user, institution) -> bool:
    """Whether the user may add a kegiatan in the instansi at all (an operator: one their OPD leads, which may
    close a gap of any OPD of the instansi)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    institution_id = getattr(institution, "pk", institution)
    roles = permissions.policy_for(Activity).roles_for(permissions.ADD)
    return any(grant.role in roles and grant.institution_id == institution_id for grant in permissions.grants(user))


def closing_activities(user, gaps) -> dict:
    """{(model, pk): [Activity, ...]} of the kegiatan the user may see that close each of ``gaps`` (catalog
    ``Gap``s), by code; one query."""
    if not gaps:
        return {}
    types = ContentType.objects.get_for_models(*{gap.model for gap in gaps})
    models = {ct.pk: model for model, ct in types.items()}
    wanted: dict = {}
    for gap in gaps:
        wanted.setdefault(types[gap.model].pk, []).append(gap.obj.pk)
    condition = reduce(operator.or_, (Q(content_type_id=ct, object_id__in=pks) for ct, pks in wanted.items()))
    links = (ActivityGap.objects.filter(condition, activity__in=permissions.visible(user, Activity))
             .select_related("activity").order_by("activity__code"))
    found: dict = {}
    for link in links:
        found.setdefault((models[link.content_type_id], link.object_id), []).append(link.activity)
    return found


def _years(activity) -> str:
    if activity.start_year == activity.end_year:
        return str(activity.start_year)
    return f"{activity.start_year}–{activity.end_year}"


def annotate(user, institution, gaps) -> dict:
    """The annotator's answer: per gap the kegiatan closing it (code and years, linked), else the warning and,
    for who may add a kegiatan, the link to add one closing it."""
    closing = closing_activities(user, gaps)
    may_add = may_add_activity(user, institution)
    notes = {}
    for gap in gaps:
        key = (gap.model, gap.obj.pk)
        if closing.get(key):
            notes[key] = [GapNote(f"{a.code} ({_years(a)})", a.get_absolute_url()) for a in closing[key]]
        else:
            notes[key] = [GapNote(_("Belum ada kegiatan"), warning=True)]
            if may_add:
                notes[key].append(GapNote(_("Tambah kegiatan"), activity_add_url(gap.model, gap.obj.pk)))
    return notes


ANNOTATOR = GapAnnotator("roadmap", _lazy("Kegiatan Peta Rencana"), annotate, order=10)


def delete_note(obj, user):
    """On an architecture object's delete page: the kegiatan that close it as a gap (those the user may see, by
    code; the others counted). Deleting it takes the gap off them (``signals``: in each kegiatan's history, its next
    version). Two queries; None when no kegiatan closes it."""
    content_type = ContentType.objects.get_for_model(type(obj))
    links = list(ActivityGap.objects.filter(content_type=content_type, object_id=obj.pk)
                 .select_related("activity").order_by("activity__code"))
    if not links:
        return None
    activities = [link.activity for link in links]
    seen = set(permissions.visible(user, Activity).filter(pk__in=[a.pk for a in activities])
               .values_list("pk", flat=True))
    shown = [a for a in activities if a.pk in seen]
    return DeleteNote(
        _("Objek ini adalah gap yang ditutup oleh kegiatan Peta Rencana berikut. Menghapusnya melepaskan gap ini dari "
          "kegiatan tersebut (tercatat di riwayat kegiatan), termasuk kegiatan yang sudah divalidasi."),
        [(f"{a.code} {a.name} · {a.get_status_display()}", a.get_absolute_url()) for a in shown],
        len(activities) - len(shown))
