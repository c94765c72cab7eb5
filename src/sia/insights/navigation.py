"""The Analisis entries, in the Arsitektur menu (the pages read its objects; the top bar has room for few groups):
the overview, gaps, single points of failure, matrices and the application landscape."""

from django.utils.translation import gettext_lazy as _

from sia.architecture.models import Service
from sia.core import permissions
from sia.core.navigation import MenuItem, extend_menu


def _reads_architecture(user) -> bool:
    return permissions.can_anywhere(user, permissions.VIEW, Service)


extend_menu("architecture", [
    MenuItem(_("Analisis"), children=[
        MenuItem(_("Ringkasan analisis"), "insights:index", allowed=_reads_architecture),
        MenuItem(_("Celah"), "insights:gaps", allowed=_reads_architecture),
        MenuItem(_("Titik kegagalan tunggal"), "insights:single_points", allowed=_reads_architecture),
        MenuItem(_("Matriks"), "insights:matrices", allowed=_reads_architecture),
        MenuItem(_("Lanskap aplikasi"), "insights:application_landscape", allowed=_reads_architecture),
    ]),
])
