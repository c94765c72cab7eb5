"""The process tree reads a fixed number of queries whatever the OPD's size (issue 18), each process's functions in
the functions' order, and shortens a long function as the ``truncatechars`` filter did."""

import unicodedata

import pytest
from django.db import connection
from django.template.defaultfilters import truncatechars
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sia.architecture.models import BusinessProcess
from sia.architecture.views import short_text

from .. import factories as f
from .test_views import login

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("text", [
    "", "Perumusan kebijakan", "x" * 60, "x" * 61, "y" * 200, "Kebijakan " * 6, "Kebijakan " * 7,
    unicodedata.normalize("NFD", "Pengelolaan é" * 5), unicodedata.normalize("NFD", "é" * 60),
    "e\u0301" * 61, "Perencanaan\u00a0teknis\u2026", "  spasi di depan dan di belakang  ",
])
def test_short_text_is_truncatechars(text):
    assert short_text(text, 60) == truncatechars(text, 60)


def _add(world, functions, start: int, count: int) -> None:
    parent = None
    for index in range(start, start + count):
        process = BusinessProcess.objects.create(department=world.kominfo, name=f"Proses {index}", parent=parent)
        process.functions.set(list(reversed(functions)) if index % 2 else functions[:1])
        parent = process if index % 3 == 0 else parent


def _tree(client, world) -> tuple[int, str]:
    url = reverse("architecture:process_tree") + f"?department={world.kominfo.pk}"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        body = client.get(url).content.decode()
    return len(queries), body


def test_the_tree_reads_the_same_queries_for_3_and_30_processes(client, world):
    functions = [f.function(world.kominfo, order=1, text="Fungsi pertama"),
                 f.function(world.kominfo, order=2, text="Fungsi kedua " + "panjang " * 10)]
    login(client, world.users["admin"])
    _add(world, functions, 0, 3)
    few, _body = _tree(client, world)
    _add(world, functions, 3, 27)
    many, body = _tree(client, world)
    assert many == few
    assert all(f"Proses {index}</a>" in body for index in range(30))
    # functions in their order (Fungsi pertama before Fungsi kedua), the long one shortened with an ellipsis
    assert '· Fungsi pertama</small><small class="muted">· Fungsi kedua panjang' in body
    assert truncatechars("Fungsi kedua " + "panjang " * 10, 60) in body
