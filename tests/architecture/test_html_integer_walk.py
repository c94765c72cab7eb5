"""Every page route (not the API: the fuzz covers it), with IDs past 64 bits or in odd digits (²) in the
path, in the query and in a form body, answers without a 500: new pages and forms are covered as they
are added (issue 9, item 3)."""

import re

import pytest
from django.urls import URLResolver, get_resolver

pytestmark = pytest.mark.django_db

BIG = "99999999999999999999999"
# Names of query and form parameters the pages read (filters, prefill, links of the edit forms).
PARAMS = [
    "department", "parent", "institution", "institution_id", "department_id", "reference", "page", "unit",
    "work_unit", "executing_unit", "process", "processes", "functions", "services", "framework", "catalog",
    "version", "versi", "selected", "user", "role", "level", "year", "lock_version", "token", "target",
    "nature", "method", "producer", "walidata", "walidata_unit", "producer_unit",
]
SKIP = ("admin/", "api/", "akun/logout", "akun/reset", "i18n/", "media/")


def page_routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from page_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            route = (prefix + str(pattern.pattern)).replace("^", "").replace("$", "")
            if not route.startswith(SKIP):
                yield route


def with_ids(route, value):
    route = re.sub(r"\(\?P<code>[^)]*\)", "RAB", route)
    return "/" + re.sub(r"<int:[a-z_]+>|\(\?P<[a-z_]+>[^)]*\)", value, route)


def test_page_routes_are_walked():
    routes = list(page_routes(get_resolver().url_patterns))
    assert "arsitektur/data/<int:pk>/ubah/" in routes and "referensi/cari/" in routes


@pytest.mark.parametrize("role", ["admin", "operator"])
@pytest.mark.parametrize("value", [BIG, "²"])
def test_no_page_answers_500_to_an_unusable_id(arch, world, client, value, role):
    client.force_login(world.users[role])
    failures = []
    for route in page_routes(get_resolver().url_patterns):
        existing = with_ids(route, str(arch.data.pk))
        requests = [
            ("get", with_ids(route, value), None),  # "²" in a path matches no <int:> route: the resolver's 404
            ("get", existing + "?" + "&".join(f"{name}={value}" for name in PARAMS), None),
            ("post", existing, {name: value for name in PARAMS}),
        ]
        for method, url, data in requests:
            try:
                response = client.post(url, data) if method == "post" else client.get(url)
            except Exception as error:  # noqa: BLE001 - the test client re-raises what a 500 would hide
                failures.append((method, url.split("?")[0], f"{type(error).__name__}: {error}"[:120]))
                continue
            if response.status_code >= 500:
                failures.append((method, url.split("?")[0], response.status_code))
    assert failures == []
