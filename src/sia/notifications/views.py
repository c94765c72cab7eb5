"""The notification centre: the user's own notifications (all, or unread only), marking read one or all (htmx), the
link to each target (checked again: a target the user may no longer see is not opened), and the e-mail
preference."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import kinds, services
from .forms import PreferenceForm
from .models import DEFAULT_DELIVERY, Notification, NotificationPreference

PER_PAGE = 30


def _filters(request):
    unread_only = request.GET.get("belum") == "1"
    kind = request.GET.get("jenis", "")
    return unread_only, (kind if kinds.is_known(kind) else "")


def _rows(request):
    unread_only, kind = _filters(request)
    queryset = services.for_user(request.user)
    if unread_only:
        queryset = queryset.filter(read_at__isnull=True)
    if kind:
        queryset = queryset.filter(kind=kind)
    page = Paginator(queryset.order_by("-created", "-pk"), PER_PAGE).get_page(request.GET.get("page"))
    shown = services.visible_targets(request.user, page.object_list)
    rows = [{"n": n, "open": n.pk in shown} for n in page.object_list]
    query = "&".join(part for part in ("belum=1" if unread_only else "", f"jenis={kind}" if kind else "") if part)
    return {"page": page, "rows": rows, "unread_only": unread_only, "kind": kind, "querystring": query,
            "kinds": kinds.kinds()}


@login_required
def centre(request):
    context = _rows(request)
    if request.htmx and request.htmx.target == "notification-list":
        return render(request, "notifications/_list.html", context)
    return render(request, "notifications/centre.html", {**context, "page_title": _("Notifikasi")})


@login_required
@require_POST
def mark_read(request, pk):
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at", "updated"])
    if request.htmx:
        shown = services.visible_targets(request.user, [notification])
        return render(request, "notifications/_row.html",
                      {"row": {"n": notification, "open": notification.pk in shown}, "oob_badge": True})
    return redirect(_back(request))


@login_required
@require_POST
def mark_all_read(request):
    count = services.mark_read(request.user)
    messages.success(request, _("%(n)d notifikasi ditandai sudah dibaca.") % {"n": count})
    return redirect(_back(request))


def _back(request):
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "notifications:centre"


@login_required
def open_target(request, pk):
    """Follows a notification to its object (marking it read) if the user may still see the object."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if notification.pk not in services.visible_targets(request.user, [notification]) or not notification.url:
        raise Http404(_("Objek notifikasi ini tidak lagi dapat Anda lihat."))
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk).update(read_at=timezone.now())
    if not url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()}):
        raise Http404
    return redirect(notification.url)


@login_required
def preferences(request):
    instance = NotificationPreference.objects.filter(user=request.user).first() or NotificationPreference(
        user=request.user, delivery=DEFAULT_DELIVERY)
    form = PreferenceForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.instance.user = request.user
        form.save()
        messages.success(request, _("Preferensi notifikasi disimpan: %(choice)s.")
                         % {"choice": form.instance.get_delivery_display()})
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html",
                  {"form": form, "page_title": _("Preferensi notifikasi"), "has_email": bool(request.user.email)})
