"""A list API asked for with no parameter but paging skips the filter backends (nothing they could narrow, issue 18):
the answer is the one the filters gave; any other parameter still filters, and a bad one is still a 400."""

import pytest

from sia.architecture.choices import ReviewStatus
from sia.architecture.models import BusinessProcess
from sia.core.api import filters, views
from tests.kinds import Builder

pytestmark = pytest.mark.django_db

URL = "/api/architecture/business-processes/"


@pytest.fixture
def processes(world, kinds):
    dinkes = Builder(world.dinkes)
    for i in range(3):
        kinds.build(BusinessProcess, name=f"Proses Kominfo {i}")
        dinkes.build(BusinessProcess, name=f"Proses Dinkes {i}", status=ReviewStatus.VALIDATED if i else ReviewStatus.DRAFT)


@pytest.fixture
def calls(monkeypatch):
    seen = []
    run = filters.SiaFilterBackend.filter_queryset
    monkeypatch.setattr(filters.SiaFilterBackend, "filter_queryset",
                        lambda self, request, queryset, view: seen.append(request.query_params.dict()) or run(self, request, queryset, view))
    return seen


@pytest.mark.parametrize("who", ["operator", "operator_dinkes", "admin", "leader", "superuser"])
@pytest.mark.parametrize("params", [{}, {"limit": 2}, {"limit": 2, "offset": 2}])
def test_the_answer_is_the_filtered_one(processes, api, world, who, params, calls, monkeypatch):
    client = api(world.users[who])
    skipped = client.get(URL, params)
    assert skipped.status_code == 200 and calls == []
    monkeypatch.setattr(views.SiaModelViewSet, "unfiltered_list", lambda self: False)
    filtered = client.get(URL, params)
    assert calls == [{key: str(value) for key, value in params.items()}]
    assert skipped.json() == filtered.json()


def test_other_parameters_still_filter(processes, api, world, calls):
    client = api(world.users["admin"])
    drafts = client.get(URL, {"status": "draf", "limit": 50})
    assert drafts.status_code == 200 and len(calls) == 1
    assert {row["status"] for row in drafts.json()["results"]} == {"draf"}
    assert client.get(URL, {"institution_id": "abc"}).status_code == 400
    assert client.get(URL, {"department_id": "9" * 30}).status_code == 400
