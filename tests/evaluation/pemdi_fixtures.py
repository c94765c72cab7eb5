"""A 2026 Indeks Pemdi (PermenPANRB 8/2026) self-assessment with hand-worked figures, for page, API and export tests.

Values (indicator: value; weights from the instrument, aspect weights 10/10/15/15/10/15/25):
- I1 2.75 and I2 3.00 (aspect 1, BI 5 + 5): Σ = 13.75 + 15 = 28.75, aspect 1 = 28.75 / 10 = 2.875 -> "2,88"
- I5 from SDI 68.75: 1 + 68.75 / 25 = 3.75; I6 2.40 entered by the assessor (SJIG 3.2, conversion unknown);
  I7 without its source index: 1.00, flagged; I8 1.00 (aspect 3, BI 5/3/3/4):
  Σ = 18.75 + 7.20 + 3.00 + 4.00 = 32.95, aspect 3 = 32.95 / 15 = 2.19666… -> "2,20"
- I18 from SDI (aspect Interoperabilitas Data) 25: 1 + 25 / 25 = 2.00; I15-I17 1.00 (aspect 6, BI 4/4/4/3):
  Σ = 12 + 6 = 18, aspect 6 = 18 / 15 = 1.2 -> "1,20"
- every other indicator 1.00: aspects 2, 4, 5, 7 = 1.00, Σ = 10 + 15 + 10 + 25 = 60
Index = (28.75 + 32.95 + 18 + 60) / 100 = 1.397 -> "1,40", Kurang (< 1.50).
"""

from decimal import Decimal

from sia.evaluation import services
from sia.evaluation.frameworks import install_default_frameworks
from sia.evaluation.models import Assessment, AssessmentTeamMember

PEMDI_INDEX = Decimal("1.397")
PEMDI_VALUES = {1: "2.75", 2: "3.00", 6: "2.40"}  # evidence or assessor's values; the rest 1.00 or external
PEMDI_SOURCES = {5: ("68.75", 2025), 6: ("3.2", 2025), 7: (None, None), 18: ("25", 2025)}


def pemdi_framework():
    return next(f for f in install_default_frameworks() if f.code == "permenpanrb-8-2026")


def pemdi_assessment(world, *, filled=True, year=2026):
    """The world's 2026 self-assessment under PermenPANRB 8/2026, at 1.397 when ``filled``."""
    framework = pemdi_framework()
    assessment = Assessment.objects.create(institution=world.inst, year=year, framework=framework)
    AssessmentTeamMember.objects.create(assessment=assessment, user=world.users["assessor"], role="asesor")
    if filled:
        for indicator in framework.indicators.order_by("number"):
            source, source_year = PEMDI_SOURCES.get(indicator.number, (None, None))
            # an external indicator's value is computed from its source index (or 1.00 without one)
            value = PEMDI_VALUES.get(indicator.number, None if indicator.number in PEMDI_SOURCES else "1.00")
            services.set_value(assessment, indicator, value, user=world.users["assessor"],
                               source_value=source, source_year=source_year)
    return assessment
