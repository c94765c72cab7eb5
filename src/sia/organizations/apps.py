from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "sia.organizations"
    label = "organizations"
    verbose_name = _("Organisasi")

    def ready(self):
        from sia.core.permissions import MembershipSource, register_membership_source

        from . import dashboard, demo, navigation, policies  # noqa: F401
        from .models import Institution, Membership

        register_membership_source(MembershipSource(
            grant_rows=lambda user: Membership.objects.filter(
                user=user, is_active=True, institution__is_active=True,
            ).values_list("institution_id", "department_id", "role"),
            institutions=lambda: Institution.objects.filter(is_active=True),
        ))
