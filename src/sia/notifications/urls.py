from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.centre, name="centre"),
    path("baca-semua/", views.mark_all_read, name="mark_all_read"),
    path("pengaturan/", views.preferences, name="preferences"),
    path("<int:pk>/baca/", views.mark_read, name="mark_read"),
    path("<int:pk>/buka/", views.open_target, name="open"),
]
