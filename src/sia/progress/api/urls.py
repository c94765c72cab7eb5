from rest_framework.routers import DefaultRouter

from . import views

app_name = "progress-api"

router = DefaultRouter()
router.register("targets", views.TargetViewSet)
router.register("snapshots", views.ProgressSnapshotViewSet)

urlpatterns = router.urls
