from django.urls import path

from . import views, views_clearance, views_rationalisation

app_name = "portfolio"

urlpatterns = [
    path("duplikat/", views.duplicates, name="duplicates"),
    path("duplikat/bukan-duplikat/", views.dismiss_pair, name="dismiss"),
    path("duplikat/ditandai/", views.dismissals, name="dismissals"),
    path("duplikat/ditandai/<int:pk>/batalkan/", views.undo, name="undo_dismissal"),
    path("rasionalisasi/", views_rationalisation.rationalisation, name="rationalisation"),
    path("rasionalisasi/<int:pk>/penilaian/", views_rationalisation.assessment_edit, name="assessment"),
    path("aplikasi-serupa/", views_clearance.similar, name="similar"),
    path("kliring/<int:pk>/", views_clearance.clearance, name="clearance"),
]
