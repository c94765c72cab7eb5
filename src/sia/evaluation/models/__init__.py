from .frameworks import Aspect, CapabilityLevel, Domain, EvidenceItem, FrameworkVersion, Indicator, PredicateBand
from .assessments import Assessment, AssessmentTeamMember, StageLock
from .scores import IndicatorScore
from .evidence import Evidence, EvidenceFile, EvidenceItemReview, ItemStatus

__all__ = [
    "FrameworkVersion", "Domain", "Aspect", "Indicator", "EvidenceItem", "PredicateBand", "CapabilityLevel",
    "Assessment", "AssessmentTeamMember", "StageLock", "IndicatorScore", "Evidence", "EvidenceFile", "EvidenceItemReview", "ItemStatus",
]
