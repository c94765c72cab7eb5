"""The answers of ``/api/insights/``: what each object, link, step and hit reads as.

The serializers document the answers in the OpenAPI schema; the answers themselves are built by the plain
functions below (``node_brief``, ``node_full``, ``steps``, ...) from the reader's graph, with no query: a walk
that reaches thousands of objects is rendered without a serializer per object.
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from sia.core.api.fields import api_detail_url


class NodeBriefSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=_("Slug jenis objek (mis. server, aplikasi)."))
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class NodeSerializer(NodeBriefSerializer):
    kind_label = serializers.CharField()
    domain = serializers.CharField(help_text=_("Slug domain (kelompok jenis): infrastruktur, aplikasi, ..."))
    department_id = serializers.IntegerField(allow_null=True)
    department = serializers.CharField(help_text=_("Singkatan OPD pemilik."))
    status = serializers.CharField(help_text=_("Status review."))
    url = serializers.URLField(allow_null=True, help_text=_("Objek ini di API arsitektur."))
    web_url = serializers.CharField(help_text=_("Halaman objek ini."))


# A step's ends are named "from" and "to", which no class attribute can be called: the fields are given by name.
StepSerializer = type("StepSerializer", (serializers.Serializer,), {
    "from": NodeBriefSerializer(),
    "meaning": serializers.CharField(help_text=_("Arti tautan dibaca dari objek asal ke objek tujuan.")),
    "to": NodeBriefSerializer(),
    "field": serializers.CharField(help_text=_("Isian tautan pada objek pemegangnya.")),
    "relationship": serializers.CharField(help_text=_("Relasi ArchiMate tautan.")),
    "__doc__": "One link crossed, read from ``from`` to ``to``.",
})


class LinkSerializer(serializers.Serializer):
    field = serializers.CharField(help_text=_("Isian tautan pada objek pemegangnya."))
    holder = serializers.CharField(help_text=_("Slug jenis pemegang isian tautan."))
    meaning = serializers.CharField(help_text=_("Arti tautan dibaca dari objek yang ditanya ke tetangganya."))
    relationship = serializers.CharField(help_text=_("Relasi ArchiMate tautan."))
    dependency = serializers.ChoiceField(
        choices=["needs", "needed_by", "both"], allow_null=True,
        help_text=_("needs: objek ini bergantung pada tetangga; needed_by: tetangga bergantung pada objek ini; "
                    "both: keduanya; null: bukan ketergantungan (mis. perlindungan)."))
    protection = serializers.BooleanField(help_text=_("Tautan perlindungan (objek keamanan melindungi)."))


class NeighbourSerializer(serializers.Serializer):
    object = NodeSerializer()
    link = LinkSerializer()


class NeighboursSerializer(serializers.Serializer):
    object = NodeSerializer()
    neighbours = NeighbourSerializer(many=True)


class DepartmentCountSerializer(serializers.Serializer):
    department_id = serializers.IntegerField(allow_null=True)
    department = serializers.CharField()
    count = serializers.IntegerField()


class DomainCountSerializer(serializers.Serializer):
    domain = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    departments = DepartmentCountSerializer(many=True)


class ImpactHitSerializer(serializers.Serializer):
    object = NodeSerializer()
    depth = serializers.IntegerField(help_text=_("Jumlah tautan dari objek yang ditanya."))
    fails = serializers.BooleanField(help_text=_("Gagal (tanpa alternatif tersisa); false: terdampak tetapi masih "
                                                 "punya alternatif."))
    path = StepSerializer(many=True)


class ImpactSetSerializer(serializers.Serializer):
    object = NodeSerializer()
    depth = serializers.IntegerField()
    count = serializers.IntegerField(help_text=_("Jumlah semua objek terdampak (hits adalah satu halaman)."))
    failing = serializers.IntegerField(help_text=_("Jumlah objek terdampak yang gagal tanpa alternatif."))
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    hits = ImpactHitSerializer(many=True)
    by_domain = DomainCountSerializer(many=True)
    by_department = DepartmentCountSerializer(many=True)
    cycles = serializers.ListField(child=NodeBriefSerializer(many=True), help_text=_(
        "Siklus yang dilalui: tiap siklus daftar objeknya."))
    truncated = serializers.BooleanField(help_text=_("Masih ada objek di luar batas kedalaman."))


class PathSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(choices=["down", "up"], help_text=_(
        "down: objek asal bergantung pada tujuan; up: tujuan bergantung pada objek asal."))
    steps = StepSerializer(many=True)


class PathsSerializer(serializers.Serializer):
    source = NodeSerializer()
    target = NodeSerializer()
    depth = serializers.IntegerField()
    found = serializers.BooleanField()
    length = serializers.IntegerField(allow_null=True)
    paths = PathSerializer(many=True)
    limited = serializers.BooleanField(help_text=_("Ada lebih banyak jalur terpendek daripada yang dicantumkan."))
    truncated = serializers.BooleanField(help_text=_("Tidak ditemukan dan penelusuran berhenti di batas "
                                                     "kedalaman."))
    cycles = serializers.ListField(child=NodeBriefSerializer(many=True))


class TraceHitSerializer(serializers.Serializer):
    object = NodeSerializer()
    depth = serializers.IntegerField()
    path = StepSerializer(many=True)
    protected_by = NodeBriefSerializer(many=True)


class TraceSerializer(serializers.Serializer):
    object = NodeSerializer()
    depth = serializers.IntegerField()
    domains = serializers.ListField(child=serializers.CharField())
    protected_by = NodeBriefSerializer(many=True)
    up = TraceHitSerializer(many=True, help_text=_("Yang bergantung pada objek ini, terdekat dahulu."))
    down = TraceHitSerializer(many=True, help_text=_("Yang dibutuhkan objek ini, terdekat dahulu."))
    cycles = serializers.ListField(child=NodeBriefSerializer(many=True))
    truncated = serializers.BooleanField()


class GapReasonSerializer(serializers.Serializer):
    object = NodeBriefSerializer()
    because = NodeBriefSerializer(many=True)


class GapSerializer(serializers.Serializer):
    slug = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    objects = NodeSerializer(many=True)
    reasons = GapReasonSerializer(many=True, help_text=_("Yang menjelaskan celah, bila ada (mis. platform yang "
                                                         "habis dukungan)."))


class InstitutionBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class GapsSerializer(serializers.Serializer):
    institution = InstitutionBriefSerializer()
    department_id = serializers.IntegerField(allow_null=True)
    gaps = GapSerializer(many=True)


class SinglePointSerializer(serializers.Serializer):
    object = NodeSerializer()
    count = serializers.IntegerField(help_text=_("Jumlah layanan yang gagal bila objek ini gagal."))
    services = NodeSerializer(many=True)
    departments = serializers.ListField(child=serializers.CharField(), help_text=_("OPD pemilik layanan itu."))


class SinglePointsSerializer(serializers.Serializer):
    institution = InstitutionBriefSerializer()
    minimum = serializers.IntegerField()
    points = SinglePointSerializer(many=True)


class Renderer:
    """Builds the dicts of the answers from one graph; URLs are reversed once per kind."""

    def __init__(self, graph, request=None):
        self.graph, self.request = graph, request
        self._api, self._web = {}, {}

    def _patterns(self, kind: str) -> tuple:
        if kind not in self._api:
            model = self.graph.kinds[kind].model
            self._api[kind] = api_detail_url(model(pk=987654321), self.request)
            try:
                self._web[kind] = reverse(f"architecture:{model._meta.model_name}", args=[987654321])
            except NoReverseMatch:
                self._web[kind] = None
        return self._api[kind], self._web[kind]

    def brief(self, node) -> dict:
        return {"kind": node.kind, "id": node.pk, "code": node.code, "name": node.name}

    def full(self, node) -> dict:
        graph = self.graph
        kind = graph.kinds[node.kind]
        api, web = self._patterns(node.kind)
        return {
            "kind": node.kind, "id": node.pk, "code": node.code, "name": node.name, "kind_label": kind.label,
            "domain": kind.group, "department_id": node.department_id,
            "department": graph.department_label(node.department_id), "status": node.status,
            "url": api.replace("987654321", str(node.pk)) if api else None,
            "web_url": web.replace("987654321", str(node.pk)) if web else "",
        }

    def step(self, step) -> dict:
        graph = self.graph
        return {"from": self.brief(graph.node(step.source)), "meaning": step.link.phrase(step.forward),
                "to": self.brief(graph.node(step.target)), "field": step.link.field,
                "relationship": step.link.relationship}

    def steps(self, steps) -> list:
        return [self.step(step) for step in steps]

    def cycles(self, cycles) -> list:
        order = self.graph.order()
        return [[self.brief(self.graph.node(key)) for key in sorted(cycle, key=lambda k: (
            order[k[0]], self.graph.node(k).code))] for cycle in cycles]

    def by_domain(self, grouped) -> list:
        """``impact.grouped`` as counts: [{domain, label, count, departments: [{department, count}]}]."""
        result = []
        for slug, label, opds in grouped:
            departments = [{"department_id": hits[0].node.department_id, "department": abbreviation,
                            "count": len(hits)} for abbreviation, hits in opds]
            result.append({"domain": slug, "label": str(label), "count": sum(d["count"] for d in departments),
                           "departments": departments})
        return result

    def by_department(self, hits) -> list:
        counts: dict = {}
        for hit in hits:
            counts[hit.node.department_id] = counts.get(hit.node.department_id, 0) + 1
        rows = [{"department_id": pk, "department": self.graph.department_label(pk), "count": count}
                for pk, count in counts.items()]
        return sorted(rows, key=lambda row: row["department"])
