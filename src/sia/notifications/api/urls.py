from rest_framework.routers import DefaultRouter

from . import views

app_name = "notifications-api"

router = DefaultRouter()
router.register("notifications", views.NotificationViewSet)
router.register("preferences", views.NotificationPreferenceViewSet)

urlpatterns = router.urls
