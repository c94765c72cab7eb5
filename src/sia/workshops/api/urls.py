from rest_framework.routers import DefaultRouter

from . import views

app_name = "workshops-api"

router = DefaultRouter()
router.register("workshops", views.WorkshopViewSet)
router.register("attendances", views.AttendanceViewSet)

urlpatterns = router.urls
