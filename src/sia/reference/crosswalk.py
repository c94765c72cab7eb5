"""Crosswalk between the parallel trees RAB, RAL and RAD.

What the shipped data supports (Perpres 132/2022 lists):

* RAD mirrors RAB's numbering: ``RAB.09.06.03`` and ``RAD.09.06.03`` are the same sub-urusan; RAD
  names carry a "Data"/"Informasi" prefix at levels 1-2. Six RAD level-3 codes are numbered
  differently from their RAB twins, so a same-code candidate is taken only when the names agree,
  and otherwise the node is matched by name under the matched urusan.
* RAL regroups the urusan under RAL.01 Layanan Publik and RAL.02 Layanan Administrasi
  Pemerintahan with its own level-2 numbers (``RAB.09.06`` Aparatur Negara is ``RAL.02.04``), but
  keeps RAB's level-3 segment under the matched urusan (``RAB.09.06.03`` → ``RAL.02.04.03``).

So: level 1 by name (or, when names differ, the parents of the level-2 matches), level 2 by
normalised name across the catalog, level 3 and deeper under the parent's matches, by the same
last segment when the names agree, else by normalised name, else by a close name. Names are
compared without accents, case, punctuation and a leading "Data"/"Informasi"/"Layanan".
"""

from __future__ import annotations

from difflib import SequenceMatcher

from .codes import normalize_text, parse_code
from .models import ReferenceNode

DOMAIN_WORDS = ("data", "informasi", "layanan")
SIMILAR = 0.85
PARALLEL = ("RAB", "RAL", "RAD")


def comparable_name(name: str) -> str:
    words = normalize_text(name).split()
    if len(words) > 1 and words[0] in DOMAIN_WORDS:
        words = words[1:]
    return " ".join(words)


def similar(a: str, b: str) -> bool:
    return SequenceMatcher(None, comparable_name(a), comparable_name(b)).ratio() >= SIMILAR


def propose(node: ReferenceNode, target_catalog: str, *, version=None) -> list[ReferenceNode]:
    """The nodes of ``target_catalog`` (its version in force unless ``version``) that match ``node``.

    Instansi nodes are matched among national nodes and that instansi's own nodes.
    """
    target_catalog = str(target_catalog).upper()
    if node.catalog_code == target_catalog:
        return [node]
    candidates = ReferenceNode.objects.for_institution(node.institution_id)
    if version is not None:
        candidates = candidates.filter(version=version)
    else:
        candidates = candidates.current().of_catalog(target_catalog)
    pool = list(candidates.only("id", "code", "name", "level", "parent_id", "version_id", "institution_id"))
    return _Matcher(pool, target_catalog).match(node)


def propose_many(node: ReferenceNode, targets, *, queryset=None) -> dict[str, list[ReferenceNode]]:
    """``propose`` for several catalogs (their versions in force), reading the candidates with one query.

    ``queryset`` narrows the candidates, e.g. to the nodes a user may see.
    """
    targets = [str(target).upper() for target in targets]
    others = [target for target in targets if target != node.catalog_code]
    pools: dict[str, list[ReferenceNode]] = {}
    if others:
        base = ReferenceNode.objects.all() if queryset is None else queryset
        candidates = base.for_institution(node.institution_id).current().filter(version__catalog__code__in=others)
        for candidate in candidates.only("id", "code", "name", "level", "parent_id", "version_id", "institution_id"):
            pools.setdefault(candidate.code[:3], []).append(candidate)
    return {
        target: [node] if target == node.catalog_code else _Matcher(pools.get(target, []), target).match(node)
        for target in targets
    }


class _Matcher:
    def __init__(self, pool, prefix):
        self.prefix = prefix
        self.by_code = {}
        self.by_parent: dict[int | None, list] = {}
        self.by_level: dict[int, list] = {}
        for candidate in pool:
            self.by_code.setdefault(candidate.code, candidate)
            self.by_parent.setdefault(candidate.parent_id, []).append(candidate)
            self.by_level.setdefault(candidate.level, []).append(candidate)
        self.cache: dict[int, list] = {}

    def match(self, node) -> list[ReferenceNode]:
        if node.pk not in self.cache:
            self.cache[node.pk] = self._match(node)
        return self.cache[node.pk]

    def _match(self, node):
        parsed = parse_code(node.code)
        if parsed.level == 1:
            found = self._by_name(node, self.by_level.get(1, []))
            if found:
                return found
            children = ReferenceNode.objects.filter(parent=node).only("id", "code", "name", "level", "institution_id")
            parents = {}
            for child in children:
                for match in self.match(child):
                    parent = next((c for c in self.by_level.get(1, []) if c.pk == match.parent_id), None)
                    if parent is not None:
                        parents[parent.pk] = parent
            return sorted(parents.values(), key=lambda n: n.code)
        twin = self.by_code.get(".".join((self.prefix, *parsed.segments)))
        if parsed.level == 2:
            if twin is not None and similar(twin.name, node.name):
                return [twin]
            return self._by_name(node, self.by_level.get(2, []))
        parent = node.parent if node.parent_id else None
        siblings = []
        for parent_match in (self.match(parent) if parent is not None else []):
            siblings.extend(self.by_parent.get(parent_match.pk, []))
        same_segment = [c for c in siblings if c.code.rsplit(".", 1)[-1] == parsed.segments[-1]]
        exact = [c for c in same_segment if comparable_name(c.name) == comparable_name(node.name)]
        if exact:
            return exact
        found = self._by_name(node, siblings)
        if found:
            return found
        close = [c for c in same_segment if similar(c.name, node.name)]
        if close:
            return close
        return [c for c in siblings if similar(c.name, node.name)]

    @staticmethod
    def _by_name(node, candidates):
        wanted = comparable_name(node.name)
        return sorted((c for c in candidates if comparable_name(c.name) == wanted), key=lambda n: n.code)
