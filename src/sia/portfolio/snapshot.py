"""The portfolio's rows in an instansi snapshot (sia.exchange.snapshot): restored after the applications
they point to, since the portfolio app is installed after exchange and registers in its ready()."""

from sia.exchange.snapshot import register_section

from .models import ApplicationAssessment, Clearance, DuplicateDismissal

register_section(
    ApplicationAssessment, lambda inst: ApplicationAssessment.objects.filter(application__institution=inst)
)
register_section(Clearance, lambda inst: Clearance.objects.filter(application__institution=inst))
register_section(DuplicateDismissal, lambda inst: DuplicateDismissal.objects.filter(institution=inst))
