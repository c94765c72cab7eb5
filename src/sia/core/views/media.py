from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.views.static import serve
from django.conf import settings


@login_required
def protected_media(request, path):
    """Serves uploaded public-to-members files (logos); evidence files have their own checked view."""
    if not path.startswith("logos/"):
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)
