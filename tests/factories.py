"""Small builders for test data; every test states the data it needs."""

import itertools

from django.contrib.auth import get_user_model

from sia.core.roles import Role
from sia.organizations.models import Department, DepartmentFunction, Institution, Membership, WorkUnit

_seq = itertools.count(1)


def institution(**kw) -> Institution:
    n = next(_seq)
    data = {"name": f"Pemerintah Provinsi Uji {n}", "kind": "provinsi", "code": f"9{n:03d}"}
    data.update(kw)
    return Institution.objects.create(**data)


def department(inst: Institution, **kw) -> Department:
    n = next(_seq)
    data = {"institution": inst, "name": f"Dinas Uji {n}", "abbreviation": f"DU{n}", "code": f"2.16.{n}", "kind": "dinas"}
    data.update(kw)
    return Department.objects.create(**data)


def function(dept: Department, order=1, text="Perumusan kebijakan teknis") -> DepartmentFunction:
    return DepartmentFunction.objects.create(department=dept, order=order, description=text)


def work_unit(dept: Department, **kw) -> WorkUnit:
    n = next(_seq)
    data = {"department": dept, "name": f"Bidang Uji {n}", "echelon": "III"}
    data.update(kw)
    return WorkUnit.objects.create(**data)


def user(username=None, **kw):
    username = username or f"user{next(_seq)}"
    return get_user_model().objects.create_user(username=username, password=kw.pop("password", "rahasia-uji-123"), **kw)


def member(inst: Institution, role: Role, dept: Department | None = None, username=None, **kw):
    account = user(username, **kw)
    Membership.objects.create(user=account, institution=inst, role=role, department=dept)
    return account
