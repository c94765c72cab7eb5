"""An operator's status filter reads their OPD's rows of that status by index, on SQLite too (issue 18): SQLite has no
statistics unless ANALYZE ran and chose the status-only index, reading the drafts of every instansi (about 200,000 at
1,000,000 objects: 3.3x slower than at 20,000). With the (OPD, status, code) and (instansi, status, code) indexes and
no status-only index it reads the two terms of the permission rule (own OPD, or validated in the instansi) through
them. PostgreSQL's plans of the same pages are checked at 20,000 objects in ``test_query_shape``."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sia.architecture.choices import ReviewStatus
from sia.architecture.models import BusinessProcess, DataItem

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's EXPLAIN QUERY PLAN"),
]


@pytest.mark.parametrize("model, url", [(BusinessProcess, "/arsitektur/proses-bisnis/?status=draf&q=uji"),
                                        (DataItem, "/arsitektur/data/?status=draf")])
def test_operator_status_filter_reads_the_opd_by_index(client, world, model, url):
    for i in range(3):
        model.objects.create(department=world.kominfo, name=f"Objek uji {i}", status=ReviewStatus.DRAFT)
    client.force_login(world.users["operator"])
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200 and "Objek uji 2" in response.content.decode()
    table = model._meta.db_table
    plans = []
    with connection.cursor() as cursor:
        for query in ctx.captured_queries:
            if f'FROM "{table}"' in query["sql"] and "status" in query["sql"]:
                cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
                plans.append([row[-1] for row in cursor.fetchall()])
    assert len(plans) == 2, plans  # the count and the page
    for plan in plans:
        text = "\n".join(plan)
        assert "(status=?)" not in text and f"SCAN {table}" not in text, text
        assert "department_id=? AND status=?" in text and "institution_id=? AND status=?" in text, text
