from .institutions import Institution
from .departments import Department, DepartmentFunction, WorkUnit
from .memberships import Membership
from .mentors import MentorAssignment

__all__ = ["Institution", "Department", "DepartmentFunction", "WorkUnit", "Membership", "MentorAssignment"]
