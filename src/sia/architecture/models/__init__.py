from .applications import Application, ApplicationIntegration
from .base import ArchitectureObject, DomainSpec, ValueListItem
from .business_processes import BusinessProcess
from .data import DataItem
from .infrastructure import (
    INFRASTRUCTURE, ComputingFacility, InfrastructureObject, NetworkDevice, Peripheral, SecurityDevice, Server,
    StorageMedia,
)
from .infrastructure_platform import CloudService, IntraNetwork, PlatformSoftware, ServiceBus
from .review import ReviewEvent
from .security import (
    SECURITY, IncidentHandling, SecurityAudit, SecurityAwareness, SecurityFeasibility, SecurityImprovement,
    SecurityObject, SecurityStandard, VulnerabilityAssessment,
)
from .services import Service

__all__ = [
    "ArchitectureObject", "DomainSpec", "ValueListItem", "BusinessProcess", "Service", "DataItem", "Application",
    "ApplicationIntegration", "ReviewEvent",
    # Infrastruktur (issue 12)
    "INFRASTRUCTURE", "InfrastructureObject", "ComputingFacility", "StorageMedia", "Server", "Peripheral",
    "NetworkDevice", "SecurityDevice", "CloudService", "PlatformSoftware", "IntraNetwork", "ServiceBus",
    # Keamanan (issue 12)
    "SECURITY", "SecurityObject", "SecurityStandard", "SecurityAwareness", "VulnerabilityAssessment",
    "SecurityImprovement", "IncidentHandling", "SecurityAudit", "SecurityFeasibility",
]
