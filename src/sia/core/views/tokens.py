from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sia.core import permissions
from sia.core.models import ApiToken
from sia.core.tokens import issue_token, revoke_all, revoke_token


@login_required
@require_http_methods(["GET", "POST"])
def api_token(request):
    """The user's API tokens (created, last used, valid until) with revoke buttons, a form to issue a
    named token, and for admins instansi the tokens of their members, which they may revoke too.

    A key is shown once, right after it is issued; SIA keeps only its hash."""
    new_key = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "issue":
            token, new_key = issue_token(request.user, request.POST.get("name", ""))
            messages.success(request, _("Token API “%(name)s” dibuat. Salin sekarang: token ini tidak ditampilkan "
                                        "lagi.") % {"name": token.name})
        elif action == "revoke" and request.POST.get("token"):
            token = get_object_or_404(permissions.visible(request.user, ApiToken, permissions.DELETE),
                                      pk=request.POST["token"])
            revoke_token(request.user, token)
            messages.success(request, _("Token API “%(name)s” milik %(user)s dicabut.") % {
                "name": token.name, "user": token.user.username})
            return redirect("api_token")
        elif action == "revoke":
            count = revoke_all(request.user)
            messages.success(request, _("%(count)d token API Anda dicabut.") % {"count": count})
            return redirect("api_token")
        else:
            return redirect("api_token")
    own = ApiToken.objects.filter(user=request.user).order_by("-created")
    others = None
    if permissions.can_anywhere(request.user, permissions.DELETE, ApiToken):
        others = (permissions.visible(request.user, ApiToken, permissions.DELETE).exclude(user=request.user)
                  .select_related("user").order_by("user__username", "-created"))
    return render(request, "core/api_token.html", {
        "tokens": own, "others": others, "new_key": new_key, "token_days": settings.SIA_API_TOKEN_DAYS})
