"""Targets and the daily progress figures in an instansi snapshot (``sia.exchange.snapshot``): a moved instansi keeps
its targets and the history its burn-up charts draw."""

from sia.exchange.snapshot import register_section

from .models import ProgressSnapshot, Target

register_section(Target, lambda inst: Target.objects.filter(institution=inst))
register_section(ProgressSnapshot, lambda inst: ProgressSnapshot.objects.filter(institution=inst))
