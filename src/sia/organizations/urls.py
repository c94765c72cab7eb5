from sia.core.routes import object_routes

from . import views

app_name = "organizations"

urlpatterns = [
    *object_routes(
        "instansi", "institution",
        list=views.InstitutionListView, add=views.InstitutionEditView, detail=views.InstitutionView,
        edit=views.InstitutionEditView,
        history=views.InstitutionHistoryView,
    ),
    *object_routes(
        "opd", "department",
        list=views.DepartmentListView, add=views.DepartmentEditView, detail=views.DepartmentView,
        edit=views.DepartmentEditView, delete=views.DepartmentDeleteView, history=views.DepartmentHistoryView,
        toggle=views.DepartmentToggleView,
    ),
    *object_routes(
        "unit-kerja", "workunit",
        list=views.WorkUnitListView, add=views.WorkUnitEditView, detail=views.WorkUnitView,
        edit=views.WorkUnitEditView, delete=views.WorkUnitDeleteView, history=views.WorkUnitHistoryView,
    ),
    *object_routes(
        "anggota", "membership",
        list=views.MembershipListView, add=views.MemberCreateView, detail=views.MembershipView,
        edit=views.MembershipEditView, delete=views.MembershipDeleteView, history=views.MembershipHistoryView,
    ),
    *object_routes(
        "mentor", "mentorassignment",
        list=views.MentorAssignmentListView, add=views.MentorAssignmentEditView, detail=views.MentorAssignmentView,
        edit=views.MentorAssignmentEditView, delete=views.MentorAssignmentDeleteView,
        history=views.MentorAssignmentHistoryView,
    ),
]
