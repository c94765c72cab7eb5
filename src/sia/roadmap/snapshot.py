"""The roadmap's rows in an instansi snapshot (``sia.exchange.snapshot``): restored after the architecture objects
their gap links name, in the order of the tree (sasaran, inisiatif, program, kegiatan, years, gap links)."""

from sia.exchange.snapshot import register_section

from .models import Activity, ActivityGap, ActivityYear, Initiative, Program, StrategicTarget

register_section(StrategicTarget, lambda inst: StrategicTarget.objects.filter(institution=inst))
register_section(Initiative, lambda inst: Initiative.objects.filter(target__institution=inst))
register_section(Program, lambda inst: Program.objects.filter(initiative__target__institution=inst))
register_section(Activity, lambda inst: Activity.objects.filter(institution=inst))
register_section(ActivityYear, lambda inst: ActivityYear.objects.filter(activity__institution=inst))
register_section(ActivityGap, lambda inst: ActivityGap.objects.filter(activity__institution=inst))
