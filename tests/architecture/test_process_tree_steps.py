"""The process tree's flat walk (``views.tree_steps``): every process once, depth first in code order, each sub-list
closed after its last child."""

from types import SimpleNamespace

from sia.architecture.views import tree_steps


def node(pk, *children):
    return SimpleNamespace(pk=pk, tree_children=list(children))


def test_walk_opens_and_closes_each_sub_list():
    c = node(3)
    tree = [node(1, node(2, c), node(4)), node(5)]
    steps = [(kind, n.pk if n else None) for kind, n in tree_steps(tree)]
    assert steps == [("node", 1), ("node", 2), ("node", 3), ("close", None), ("node", 4), ("close", None), ("node", 5)]
    opened = {n.pk: n.tree_open for kind, n in tree_steps(tree) if kind == "node"}
    assert opened == {1: True, 2: True, 3: False, 4: False, 5: False}


def test_a_process_reached_twice_is_shown_once():
    shared = node(9)
    steps = tree_steps([node(1, shared), node(2, shared)])
    assert [n.pk for kind, n in steps if kind == "node"] == [1, 9, 2]
    assert sum(kind == "close" for kind, _n in steps) == 1
