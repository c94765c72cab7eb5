from rest_framework.routers import DefaultRouter

app_name = "exchange-api"

router = DefaultRouter()

urlpatterns = router.urls
