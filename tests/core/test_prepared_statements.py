"""PostgreSQL: parameters bound by the server, and a query run five times on a connection prepared once for it
(settings.py, ``SIA_DB_PREPARE_THRESHOLD``); an empty value turns both off for a transaction-mode pooler."""

import os
import subprocess
import sys

import pytest
from django.db import connection

from sia.organizations.models import Institution

pytestmark = pytest.mark.django_db

# The SQL of Institution.objects.filter(code=...).exists()
LOOKUP = 'FROM "organizations_institution" WHERE "organizations_institution"."code" = $'
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")


def _prepared(fragment: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement, generic_plans + custom_plans FROM pg_prepared_statements WHERE NOT from_sql "
            "AND statement LIKE %s", [f"%{fragment}%"])
        return cursor.fetchall()


@on_postgresql
def test_a_query_run_five_times_is_prepared_and_then_run_as_prepared():
    codes = [f"uji-prepared-{i}" for i in range(8)]
    for code in codes[:5]:
        assert not Institution.objects.filter(code=code).exists()
    assert _prepared(LOOKUP) == []
    for code in codes[5:]:
        assert not Institution.objects.filter(code=code).exists()
    [(statement, runs)] = _prepared(LOOKUP)
    assert runs == 3, statement  # the sixth, seventh and eighth, each with its own value


@pytest.mark.parametrize("value, expected", [("", "None False"), ("5", "5 True"), ("0", "0 True")])
def test_the_threshold_comes_from_the_environment(tmp_path, value, expected):
    code = ("import sia.settings as s; o = s.DATABASES['default']['OPTIONS'];"
            "print(o.get('prepare_threshold'), o.get('server_side_binding', False), o['host'])")
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
    env |= {"SIA_VAR_DIR": str(tmp_path), "DATABASE_URL": "postgres://sia@/sia?host=/run/sia-uji",
            "SIA_DB_PREPARE_THRESHOLD": value}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{expected} /run/sia-uji"  # the URL's own options are kept
