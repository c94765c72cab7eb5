from django.utils.translation import gettext_lazy as _

from sia.core.navigation import MenuItem, register_menu

from .models import Department, Institution, Membership, MentorAssignment, WorkUnit

register_menu(
    _("Organisasi"),
    10,
    [
        MenuItem(_("Instansi"), "organizations:institution_list", Institution),
        MenuItem(_("Perangkat Daerah"), "organizations:department_list", Department),
        MenuItem(_("Unit Kerja"), "organizations:workunit_list", WorkUnit),
        MenuItem(_("Anggota"), "organizations:membership_list", Membership),
        MenuItem(_("Mentor OPD"), "organizations:mentorassignment_list", MentorAssignment),
    ],
)
