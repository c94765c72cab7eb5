"""CSV of list pages: a column whose path ends on a method (``program.get_area_display``) holds its result."""

import csv
import io

from django.urls import get_resolver, reverse

from tests.roadmap.conftest import roadmap  # noqa: F401  (the fixture)


def csv_rows(response):
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_the_kegiatan_list_csv_holds_the_area_label(roadmap, world, client):  # noqa: F811
    client.force_login(world.users["admin"])
    rows = csv_rows(client.get(reverse("roadmap:activity_list") + "?format=csv"))
    header, by_code = rows[0], {row[0]: row for row in rows[1:]}
    area = by_code["KG-S"][header.index("Area")]
    assert area == "Keamanan", area


def list_urls():
    resolver = get_resolver()
    names = set()
    for namespace, (prefix, sub) in resolver.namespace_dict.items():
        for name in sub.reverse_dict:
            if isinstance(name, str) and name.endswith("_list"):
                names.add(f"{namespace}:{name}")
    return sorted(names)


def test_no_list_csv_holds_a_python_object(roadmap, world, client):  # noqa: F811
    client.force_login(world.users["superuser"])
    checked = 0
    for name in list_urls():
        try:
            url = reverse(name)
        except Exception:  # a list under a parent's pk
            continue
        response = client.get(url + "?format=csv")
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/csv"):
            continue
        body = b"".join(response.streaming_content).decode("utf-8-sig")
        checked += 1
        for marker in ("functools.partial", "<bound method", "object at 0x", "RelatedManager"):
            assert marker not in body, (name, marker)
    assert checked > 10, checked
