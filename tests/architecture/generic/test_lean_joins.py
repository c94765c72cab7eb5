"""Every kind's list page, CSV and API list join the OPD, the instansi and the reference without the columns a list
never reads of them (``views.UNREAD_OF_JOINED``: timestamps, long texts), and still show them as before: the OPD's
abbreviation and the reference's code on the page, their names in the API."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sia.architecture.views import UNREAD_OF_JOINED

from .domains import over_kinds

pytestmark = pytest.mark.django_db

UNREAD = {field for fields in UNREAD_OF_JOINED.values() for field in fields}


def joined_columns(model, func):
    """(the response's body, the columns of the joined tables that the queries reading ``model``'s rows selected)."""
    table = model._meta.db_table
    with CaptureQueriesContext(connection) as ctx:
        response = func()
        body = b"".join(response.streaming_content) if response.streaming else response.content
    selected = set()
    for query in ctx.captured_queries:
        sql = query["sql"]
        if f'FROM "{table}"' not in sql or " JOIN " not in sql:
            continue
        head = sql.split(f'FROM "{table}"')[0]
        for joined in ("organizations_department", "organizations_institution", "reference_referencenode"):
            selected |= {(joined, column) for column in UNREAD if f'"{joined}"."{column}"' in head}
    return body, selected


@over_kinds
def test_list_page_and_csv_leave_out_what_they_never_read_of_the_joined_rows(client, world, kinds, model):
    obj = kinds.build(model, full=True)
    client.force_login(world.users["admin"])
    url = reverse(f"architecture:{model._meta.model_name}_list")
    body, selected = joined_columns(model, lambda: client.get(url))
    assert selected == set()
    text = body.decode()
    assert obj.department.abbreviation in text and (obj.reference is None or obj.reference.code in text)
    body, selected = joined_columns(model, lambda: client.get(url + "?format=csv"))
    assert selected == set() and obj.department.abbreviation in body.decode("utf-8-sig")


@over_kinds
def test_api_list_leaves_out_what_it_never_reads_of_the_joined_rows(api, world, kinds, model):
    obj = kinds.build(model, full=True)
    body, selected = joined_columns(model, lambda: api(world.users["admin"]).get(
        f"/api/architecture/{model.spec.api_name}/"))
    assert selected == set()
    [row] = [row for row in json.loads(body)["results"] if row["id"] == obj.pk]
    assert row["department"]["display"] == obj.department.name
    assert row["institution"]["display"] == obj.institution.name
    if obj.reference is not None:
        assert row["reference"]["display"] == str(obj.reference)
