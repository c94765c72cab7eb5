from rest_framework.routers import DefaultRouter

app_name = "reference-api"

router = DefaultRouter()

urlpatterns = router.urls
