"""The kegiatan pendampingan in an instansi snapshot (``sia.exchange.snapshot``): each session with its invited OPDs
and mentors, and the attendance recorded."""

from sia.exchange.snapshot import register_section

from .models import Attendance, Workshop

register_section(Workshop, lambda inst: Workshop.objects.filter(institution=inst))
register_section(Attendance, lambda inst: Attendance.objects.filter(workshop__institution=inst))
