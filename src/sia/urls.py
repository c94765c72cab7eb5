from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from sia.core.api.views import api_root
from sia.core.api.views import ObtainTokenView
from sia.core.views.media import public_media
from sia.core.views.tokens import api_token


def _superuser_only(request):
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _superuser_only
admin.site.site_header = "SIA — Admin"

handler404 = "sia.core.views.errors.page_not_found"

urlpatterns = [
    path("", include("sia.core.urls")),
    path("akun/token-api/", api_token, name="api_token"),
    path("akun/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("organisasi/", include("sia.organizations.urls")),
    path("notifikasi/", include("sia.notifications.urls")),
    path("referensi/", include("sia.reference.urls")),
    path("arsitektur/", include("sia.architecture.urls")),
    path("evaluasi/", include("sia.evaluation.urls")),
    path("evaluasi/", include("sia.index_evidence.urls")),
    path("pertukaran/", include("sia.exchange.urls")),
    path("portofolio/", include("sia.portfolio.urls")),
    path("analisis/", include("sia.insights.urls")),
    path("peta-rencana/", include("sia.roadmap.urls")),
    path("dokumen/", include("sia.publishing.urls")),
    path("tata-kelola/", include("sia.governance.urls")),
    path("kemajuan/", include("sia.progress.urls")),
    path("pendampingan/", include("sia.workshops.urls")),
    path("admin/", admin.site.urls),
    path("api/", api_root, name="api-root"),
    path("api/auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("api/organizations/", include("sia.organizations.api.urls")),
    path("api/notifications/", include("sia.notifications.api.urls")),
    path("api/reference/", include("sia.reference.api.urls")),
    path("api/architecture/", include("sia.architecture.api.urls")),
    path("api/evaluation/", include("sia.evaluation.api.urls")),
    path("api/exchange/", include("sia.exchange.api.urls")),
    path("api/portfolio/", include("sia.portfolio.api.urls")),
    path("api/insights/", include("sia.insights.api.urls")),
    path("api/roadmap/", include("sia.roadmap.api.urls")),
    path("api/publishing/", include("sia.publishing.api.urls")),
    path("api/governance/", include("sia.governance.api.urls")),
    path("api/progress/", include("sia.progress.api.urls")),
    path("api/workshops/", include("sia.workshops.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI with its init script as a file (CSP: no inline script); Redoc needs inline styles: not offered.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="core/swagger_ui.html"),
         name="api-docs"),
    # Only logos by path; every other stored file through the view of its object (permission-checked).
    re_path(r"^media/logos/(?P<path>.+)$", public_media, name="media"),
]
