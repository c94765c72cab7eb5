from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from rest_framework.authtoken.models import Token


@login_required
@require_http_methods(["GET", "POST"])
def api_token(request):
    """Shows whether the user has an API token and issues a new one (the old one stops working).

    The key is shown once, right after it is issued; SIA keeps it but never displays it again."""
    new_key = None
    if request.method == "POST":
        Token.objects.filter(user=request.user).delete()
        if request.POST.get("action") != "revoke":
            new_key = Token.objects.create(user=request.user).key
            messages.success(request, _("Token API baru dibuat. Salin sekarang: token ini tidak ditampilkan lagi."))
        else:
            messages.success(request, _("Token API dicabut."))
        if new_key is None:
            return redirect("api_token")
    token = Token.objects.filter(user=request.user).first()
    return render(request, "core/api_token.html", {"token": token, "new_key": new_key})
