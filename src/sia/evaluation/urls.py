from django.urls import path

from sia.core.routes import object_routes

from . import views, views_carryover, views_compare, views_exports, views_indicator, views_items, views_planner

app_name = "evaluation"

urlpatterns = [
    *object_routes(
        "kerangka", "frameworkversion", list=views.FrameworkListView, detail=views.FrameworkView,
    ),
    *object_routes(
        "penilaian", "assessment",
        list=views.AssessmentListView, add=views.AssessmentEditView, detail=views.AssessmentView,
        edit=views.AssessmentEditView, delete=views.AssessmentDeleteView, history=views.AssessmentHistoryView,
    ),
    path("penilaian/<int:pk>/indikator/<int:number>/", views_indicator.IndicatorView.as_view(), name="assessment_indicator"),
    path("penilaian/<int:pk>/indikator/<int:number>/bukti/", views_indicator.EvidenceAddView.as_view(), name="evidence_add"),
    path("penilaian/<int:pk>/indikator/<int:number>/bawa-bukti/", views_carryover.CarryOverView.as_view(),
         name="carry_over"),
    path("penilaian/<int:pk>/butir/<int:item_pk>/", views_items.ItemReviewView.as_view(), name="item_review"),
    path("penilaian/<int:pk>/butir/", views_items.ItemAssignView.as_view(), name="item_assign"),
    path("penilaian/<int:pk>/kunci/", views.StageActionView.as_view(), name="assessment_lock"),
    path("penilaian/<int:pk>/lanjut/", views.StageActionView.as_view(advance=True), name="assessment_advance"),
    path("penilaian/<int:pk>/tim/", views.TeamMemberAddView.as_view(), name="assessment_team_add"),
    path("penilaian/<int:pk>/perencana/", views_planner.PlannerView.as_view(), name="assessment_planner"),
    path("penilaian/<int:pk>/perbandingan/", views_compare.CompareView.as_view(), name="assessment_compare"),
    path("penilaian/<int:pk>/ekspor.xlsx", views_exports.ExportXlsxView.as_view(), name="assessment_xlsx"),
    path("penilaian/<int:pk>/berita-acara.docx", views_exports.BeritaAcaraView.as_view(), name="assessment_berita_acara"),
    path("tim/<int:pk>/hapus/", views.TeamMemberDeleteView.as_view(), name="teammember_delete"),
    path("bukti/<int:pk>/unduh/", views_indicator.EvidenceDownloadView.as_view(), name="evidence_download"),
    path("bukti/<int:pk>/hapus/", views_indicator.EvidenceDeleteView.as_view(), name="evidence_delete"),
]
