from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "sia.organizations"
    label = "organizations"
    verbose_name = _("Organisasi")

    def ready(self):
        from sia.core.permissions import MembershipSource, register_membership_source

        from . import dashboard, demo, navigation, policies  # noqa: F401
        from .models import Institution

        register_membership_source(MembershipSource(
            grant_rows=grant_rows,
            institutions=lambda: Institution.objects.filter(is_active=True),
        ))


GRANTS_STAND_IN = -7001  # a user ID no row has: the grants query is compiled with it (``compiled.rows_for``)


def grant_rows(user) -> list[tuple]:
    """(instansi ID, OPD ID, role) of the user's active memberships in active instansi: read on every request, with
    SQL compiled once per process and run with the user's ID in place of the stand-in."""
    from sia.core import compiled

    from .models import Membership

    def build(user_id):
        # The model's order (instansi, role, user) without the join to the user, who is one.
        return (Membership.objects.filter(user_id=user_id, is_active=True, institution__is_active=True)
                .order_by("institution__name", "institution_id", "role", "department_id")
                .values("institution_id", "department_id", "role"))

    rows = compiled.rows_for(("membership-grants",), build, user.pk, GRANTS_STAND_IN)
    return [(row["institution_id"], row["department_id"], row["role"]) for row in rows]
