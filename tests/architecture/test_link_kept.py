"""The links' UNION of a detail page is compiled once per kind (and, for incoming links, per reader's grants) and
run again with the next object's ID in place of a stand-in (``links._kept_rows``, ``sia.core.compiled.rows_for``):
what every reader sees of a second, third... object of the kind is what the query built for that object shows."""

import pytest

from sia.architecture import links
from sia.architecture.choices import ReviewStatus
from sia.architecture.links import incoming_links, outgoing_links
from sia.architecture.models import Application, BusinessProcess, DataItem, Service
from sia.core import compiled, permissions
from tests.kinds import Builder

from .test_link_union import linked, per_field_incoming, shown  # noqa: F401  (the fixture and its helpers)

pytestmark = pytest.mark.django_db

VALIDATED = ReviewStatus.VALIDATED
READERS = ["operator", "operator_dinkes", "admin", "verifier", "other_admin", "leader", "nobody", "superuser"]


@pytest.fixture
def second(linked, world, kinds):
    """A second validated DISKOMINFO process held by other objects than the first, and a second application."""
    process, app, _, _ = linked
    dinkes = Builder(world.dinkes)
    other = kinds.build(BusinessProcess, name="Proses kedua", status=VALIDATED)
    dinkes.build(Service, name="Layanan draf Dinkes kedua", processes=[other])
    kinds.build(DataItem, name="Data terbit Kominfo kedua", processes=[other], status=VALIDATED)
    kinds.build(BusinessProcess, name="Sub-proses kedua", parent=other)
    other_app = dinkes.build(Application, name="Aplikasi kedua", processes=[other, process])
    return other, other_app


def outgoing_expected(obj, user):
    reader = permissions.LinkReader(user)
    return [[(row.pk, str(row), row.status) for row in reader.visible(getattr(obj, field.name).all())]
            for field in type(obj)._meta.many_to_many]


def outgoing_got(obj, user):
    return [[(row.pk, str(row), row.status) for row in items]
            for _, items in outgoing_links(obj, permissions.LinkReader(user))][:len(type(obj)._meta.many_to_many)]


@pytest.mark.parametrize("who", READERS)
def test_the_kept_union_shows_each_object_what_its_own_query_shows(linked, second, world, who):
    process, app, _, _ = linked
    other, other_app = second
    user = world.users[who]
    for obj in (process, other, process, app, other_app, app, other):  # the first of each kind compiles, the rest reuse
        assert shown(incoming_links(obj, permissions.LinkReader(user))) == per_field_incoming(
            obj, permissions.LinkReader(user)), (who, obj)
        assert outgoing_got(obj, user) == outgoing_expected(obj, user), (who, obj)


def test_the_union_is_built_once_per_kind_and_reader(linked, second, world, monkeypatch):
    process, app, _, _ = linked
    other, other_app = second
    compiled.clear()  # what an earlier test of this process compiled for the same shape of reader is kept
    built = []
    union = links._union
    monkeypatch.setattr(links, "_union", lambda parts: built.append(len(parts)) or union(parts))
    operator = world.users["operator"]
    for obj in (process, other, process):
        incoming_links(obj, permissions.LinkReader(operator))
    assert len(built) == 1  # once for three reads of two processes
    for obj in (app, other_app):
        outgoing_links(obj, permissions.LinkReader(operator))
    assert len(built) == 2
    incoming_links(other, permissions.LinkReader(world.users["operator_dinkes"]))  # other grants: its own SQL
    assert len(built) == 3
    compiled.clear()
    incoming_links(other, permissions.LinkReader(operator))
    assert len(built) == 4


def test_two_operators_of_the_same_shape_never_read_each_others_rows(linked, world):
    """Same kind, same number of grants of the same role, another OPD: the kept SQL of one is never run for the
    other (a draft of DISKOMINFO holding the process stays out of the DINKES operator's page)."""
    process, _, holders, _ = linked
    mine = incoming_links(process, permissions.LinkReader(world.users["operator"]))
    theirs = incoming_links(process, permissions.LinkReader(world.users["operator_dinkes"]))
    names = lambda sections: {str(row) for _, items in sections for row in items}  # noqa: E731
    assert str(holders["kominfo_draft_data"]) in names(mine)
    assert str(holders["kominfo_draft_data"]) not in names(theirs)
    assert str(holders["dinkes_draft_service"]) in names(theirs)
    assert str(holders["dinkes_draft_service"]) not in names(mine)


def test_a_reader_without_a_key_builds_the_query_each_time(linked, world):
    """Exports read links without a signed-in user: nothing is kept for them, and they see what the policy lets
    an anonymous reader see of the links (no private row)."""
    process, _, _, _ = linked
    before = dict(compiled._kept())
    sections = incoming_links(process, permissions.LinkReader(None))
    assert shown(sections) == per_field_incoming(process, permissions.LinkReader(None))
    assert [key for key in compiled._kept() if key not in before and "incoming-links" in str(key)] == []
