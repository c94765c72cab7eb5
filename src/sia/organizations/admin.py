from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Department, DepartmentFunction, Institution, Membership, MentorAssignment, WorkUnit


class FunctionInline(admin.TabularInline):
    model = DepartmentFunction
    extra = 0


@admin.register(Institution)
class InstitutionAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "code", "is_active")
    search_fields = ("name", "code")


@admin.register(Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ("name", "abbreviation", "code", "institution", "is_active")
    list_filter = ("institution", "kind", "is_active")
    search_fields = ("name", "abbreviation", "code")
    inlines = [FunctionInline]


@admin.register(WorkUnit)
class WorkUnitAdmin(SimpleHistoryAdmin):
    list_display = ("name", "department", "echelon", "is_active")
    list_filter = ("department__institution",)
    search_fields = ("name",)


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("user", "institution", "role", "department", "is_active")
    list_filter = ("institution", "role", "is_active")
    search_fields = ("user__username",)


@admin.register(MentorAssignment)
class MentorAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ("department", "mentor")
    list_filter = ("department__institution",)
    search_fields = ("department__name", "department__abbreviation", "mentor__username")
