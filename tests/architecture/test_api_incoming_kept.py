"""The API's ``incoming_links`` UNION is compiled once per kind and reader's grants (``kept.sql_key``) and run again
with the next object's ID in place of a stand-in (``sia.core.compiled.rows_for``), as the detail page's links are:
what every reader gets for a second, third... object is what the query built for that object alone gives."""

import pytest

from sia.architecture.api import incoming
from sia.architecture.api.incoming import incoming_ends
from sia.architecture.choices import ReviewStatus, ServerType
from sia.architecture.models import Application, SecurityStandard, Server
from sia.core import compiled
from tests.kinds import Builder

pytestmark = pytest.mark.django_db

VALIDATED = ReviewStatus.VALIDATED
READERS = ["operator", "operator_dinkes", "admin", "verifier", "other_admin", "leader", "nobody", "superuser"]


@pytest.fixture
def servers(world, kinds):
    """Two validated servers, each held by drafts and published objects of two OPDs (applications, a virtual
    server, a security standard)."""
    dinkes = Builder(world.dinkes)
    found = []
    for n in (1, 2):
        server = kinds.build(Server, name=f"Server bersama {n}", server_type=ServerType.PHYSICAL, status=VALIDATED)
        dinkes.build(Application, name=f"Draf Dinkes {n}", servers=[server])
        dinkes.build(Application, name=f"Terbit Dinkes {n}", servers=[server], status=VALIDATED)
        kinds.build(Application, name=f"Draf Kominfo {n}", servers=[server])
        kinds.build(Server, name=f"VM {n}", server_type=ServerType.VIRTUAL, host=server)
        kinds.build(SecurityStandard, name=f"Standar {n}", protected_servers=[server])
        found.append(server)
    return found


def built_now(obj, user):
    """``incoming_ends`` with nothing kept: the query built for ``obj`` and run once."""
    before = incoming.kept.sql_key
    incoming.kept.sql_key = lambda *args: None
    try:
        return incoming_ends(obj, user)
    finally:
        incoming.kept.sql_key = before


@pytest.mark.parametrize("who", READERS)
def test_the_kept_union_gives_each_object_what_its_own_query_gives(servers, world, who):
    user = world.users[who]
    first, second = servers
    for obj in (first, second, first, second):  # the first read compiles, the others reuse
        assert incoming_ends(obj, user) == built_now(obj, user), (who, obj)


def test_the_union_is_built_once_per_kind_and_reader(servers, world, monkeypatch):
    first, second = servers
    compiled.clear()  # what an earlier test of this process compiled for the same shape of reader is kept
    built = []
    union = incoming._union
    monkeypatch.setattr(incoming, "_union", lambda *args: built.append(1) or union(*args))
    operator = world.users["operator"]
    for obj in (first, second, first):
        incoming_ends(obj, operator)
    assert len(built) == 1
    incoming_ends(second, world.users["operator_dinkes"])  # other grants: its own SQL
    assert len(built) == 2
    compiled.clear()
    incoming_ends(second, operator)
    assert len(built) == 3


def test_two_operators_never_read_each_others_drafts(servers, world):
    first, second = servers
    for obj, n in ((first, 1), (second, 2), (first, 1)):
        mine = {end["name"] for end in incoming_ends(obj, world.users["operator"])}
        theirs = {end["name"] for end in incoming_ends(obj, world.users["operator_dinkes"])}
        assert f"Draf Kominfo {n}" in mine and f"Draf Kominfo {n}" not in theirs
        assert f"Draf Dinkes {n}" in theirs and f"Draf Dinkes {n}" not in mine
        assert f"Terbit Dinkes {n}" in mine and f"Terbit Dinkes {n}" in theirs


def test_nothing_is_kept_for_a_reader_without_a_key(servers, world):
    before = set(compiled._kept())
    assert incoming_ends(servers[0], None) == built_now(servers[0], None)
    assert [key for key in compiled._kept() if key not in before] == []
