"""``policies.team_roles`` (asked on every page: the menu shows the evaluation to a team member) reads each user's
own roles with SQL compiled once per set of instansi: one query a user, none compiled again for the next."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sia.core import compiled
from sia.evaluation import policies
from sia.evaluation.choices import TeamRole
from sia.evaluation.models import AssessmentTeamMember

from .conftest import make_assessment

pytestmark = pytest.mark.django_db


def fresh(user):
    return type(user).objects.get(pk=user.pk)


def test_each_user_gets_their_own_roles_from_one_compiled_query(world, framework, monkeypatch):
    a2024 = make_assessment(world, framework, year=2024, team=(("assessor", TeamRole.LEAD),
                                                               ("operator", TeamRole.DATA_ENTRY)))
    a2025 = make_assessment(world, framework, year=2025, team=(("assessor", TeamRole.ASSESSOR),))
    compiled.clear()
    made = []
    real = compiled._compile
    monkeypatch.setattr(compiled, "_compile", lambda queryset: made.append(queryset) or real(queryset))
    expected = {}
    for key in ("assessor", "operator", "leader", "operator_dinkes"):
        user = fresh(world.users[key])
        expected[key] = dict(AssessmentTeamMember.objects.filter(user=user).values_list("assessment_id", "role"))
        with CaptureQueriesContext(connection) as reads:
            roles = policies.team_roles(user)
        assert roles == expected[key], key
        assert len([q for q in reads.captured_queries if "evaluation_assessmentteammember" in q["sql"]]) == 1
    assert expected["assessor"] == {a2024.pk: TeamRole.LEAD, a2025.pk: TeamRole.ASSESSOR}
    assert expected["operator"] == {a2024.pk: TeamRole.DATA_ENTRY} and expected["leader"] == {}
    team_queries = [q for q in made if q.model is AssessmentTeamMember]  # not the grants' own compiled query
    assert len(team_queries) == 1  # the four users share the SQL of their one instansi
    assert policies.is_on_any_team(fresh(world.users["operator"])) is True


def test_a_member_of_another_instansi_only_is_on_no_team_of_ours(world, framework):
    make_assessment(world, framework, team=(("assessor", TeamRole.LEAD),))
    assert policies.team_roles(fresh(world.users["other_admin"])) == {}
    assert policies.team_roles(fresh(world.users["nobody"])) == {}
