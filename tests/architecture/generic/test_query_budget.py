"""Every kind's list page and API list read as many rows with the same number of queries: 2 rows
cost what 12 cost (rows with every field and link filled, so a missing select/prefetch shows)."""

import pytest
from django.urls import reverse

from .domains import over_kinds

pytestmark = pytest.mark.django_db


def rows(kinds, model, n, start=0):
    for i in range(start, start + n):
        kinds.build(model, full=True, variant=i % 2)


def constant(count_queries, get, kinds, model):
    get()  # warm up: the user's memberships are read once
    rows(kinds, model, 2)
    few, response = count_queries(get)
    assert response.status_code == 200
    rows(kinds, model, 10, start=2)
    many, response = count_queries(get)
    assert response.status_code == 200
    return few, many


@over_kinds
def test_list_page_queries_do_not_grow_with_rows(client, world, kinds, count_queries, query_budget, model):
    client.force_login(world.users["admin"])
    url = reverse(f"architecture:{model._meta.model_name}_list")
    few, many = constant(count_queries, lambda: client.get(url), kinds, model)
    assert few == many, (few, many)
    budget = query_budget.get(f"architecture.{model._meta.model_name}_list")
    assert budget is not None, f"declare architecture.{model._meta.model_name}_list in tests/query_budgets.json"
    assert few <= budget, (few, budget)


@over_kinds
def test_api_list_queries_do_not_grow_with_rows(api, world, kinds, count_queries, query_budget, model):
    client = api(world.users["admin"])
    url = f"/api/architecture/{model.spec.api_name}/"
    few, many = constant(count_queries, lambda: client.get(url), kinds, model)
    assert few == many, (few, many)
    assert client.get(url).json()["count"] >= 12
    budget = query_budget.get(f"architecture.api.{model._meta.model_name}_list")
    assert budget is not None, f"declare architecture.api.{model._meta.model_name}_list in tests/query_budgets.json"
    assert few <= budget, (few, budget)
