"""The register's entry in the evaluation's menu group (the index asks for these documents)."""

from django.utils.translation import gettext_lazy as _

from sia.core.navigation import MenuItem, extend_menu

from .models import PolicyDocument

extend_menu("evaluation", [
    MenuItem(_("Register tata kelola"), "governance:policydocument_list", PolicyDocument,
             description=_("Peraturan, keputusan (SK Tim Koordinasi SPBE, SK Tim Evaluator/Asesor Internal) dan SOP "
                           "instansi, dengan berkas dan indikator yang dibuktikannya.")),
])
