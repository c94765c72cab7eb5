from .applications import Application, ApplicationIntegration
from .base import ArchitectureObject, DomainSpec, ValueListItem
from .business_processes import BusinessProcess
from .data import DataItem
from .review import ReviewEvent
from .services import Service

__all__ = [
    "ArchitectureObject", "DomainSpec", "ValueListItem", "BusinessProcess", "Service", "DataItem", "Application",
    "ApplicationIntegration", "ReviewEvent",
]
