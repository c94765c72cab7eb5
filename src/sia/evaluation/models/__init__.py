from .frameworks import CapabilityLevel, EvidenceItem, FrameworkGroup, FrameworkVersion, Indicator, PredicateBand
from .assessments import Assessment, AssessmentTeamMember, StageLock
from .scores import IndicatorScore
from .evidence import Evidence, EvidenceFile, EvidenceItemReview, ItemStatus

__all__ = [
    "FrameworkVersion", "FrameworkGroup", "Indicator", "EvidenceItem", "PredicateBand", "CapabilityLevel",
    "Assessment", "AssessmentTeamMember", "StageLock", "IndicatorScore", "Evidence", "EvidenceFile", "EvidenceItemReview", "ItemStatus",
]
