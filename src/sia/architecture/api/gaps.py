"""``GET /api/architecture/gaps/``: the gap catalog (``sia.architecture.gap_catalog``) of an instansi as the
reader sees it, with the filters of the page (OPD, domain, kind of gap) and the counts per OPD and domain."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from sia.core.api.parameters import institution_parameter, integer_parameter

from ..gap_catalog import CatalogError, GapKind, counts, departments_of, gap_catalog, institutions_for, totals
from ..kindgroups import kind_groups


class CatalogGapObjectSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=_lazy("Slug jenis objek (mis. aplikasi, server)."))
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    department = serializers.CharField(help_text=_lazy("Singkatan OPD."))
    status = serializers.CharField(help_text=_lazy("Status review."))
    url = serializers.CharField(help_text=_lazy("Halaman objek."))


class CatalogGapSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=GapKind.choices())
    label = serializers.CharField()
    domain = serializers.CharField(help_text=_lazy("Slug domain (kelompok jenis)."))
    object = CatalogGapObjectSerializer()
    upgrades = CatalogGapObjectSerializer(allow_null=True, help_text=_lazy(
        "Untuk pengembangan: objek as-is yang dikembangkan (null bila tidak dapat Anda lihat)."))
    upgrades_hidden = serializers.BooleanField()
    retire_year = serializers.IntegerField(allow_null=True)


class CatalogGapCountSerializer(serializers.Serializer):
    department = serializers.CharField()
    domain = serializers.CharField()
    baru = serializers.IntegerField()
    pengembangan = serializers.IntegerField()
    penghentian = serializers.IntegerField()
    total = serializers.IntegerField()


class GapCatalogSerializer(serializers.Serializer):
    institution = serializers.DictField()
    totals = serializers.DictField(child=serializers.IntegerField())
    counts = CatalogGapCountSerializer(many=True)
    gaps = CatalogGapSerializer(many=True)


def _object(obj) -> dict:
    """An object of the catalog (its OPD loaded with it by ``gap_catalog``)."""
    return {"kind": type(obj).spec.slug, "id": obj.pk, "code": obj.code, "name": obj.name,
            "department": obj.department.abbreviation, "status": obj.status, "url": obj.get_absolute_url()}


def parameter(request, name: str, *aliases: str) -> str:
    """The name under which the request gives a query parameter: ``name`` (the API's convention, as its lists'
    ``institution`` and ``department``) or one of its older ``aliases`` (``instansi``, ``opd``); ``name`` when
    none is given. Two of them at once are a 400 naming both."""
    given = [key for key in (name, *aliases) if request.query_params.get(key) not in (None, "")]
    if len(given) > 1:
        raise ValidationError({key: [_("Tulis salah satu dari %(names)s saja.") % {"names": ", ".join(given)}]
                               for key in given})
    return given[0] if given else name


class GapCatalogView(APIView):
    """The gaps of an instansi (to-be new, to-be upgrade with the as-is object it develops, as-is to retire) the
    reader may see, counted per OPD and domain."""

    @extend_schema(parameters=[
        OpenApiParameter("institution", OpenApiTypes.INT, description=_lazy(
            "ID instansi; tanpa ini: satu-satunya instansi yang dapat Anda baca (wajib bila Anda membaca beberapa).")),
        OpenApiParameter("instansi", OpenApiTypes.INT, deprecated=True, description=_lazy(
            "Nama lama parameter institution.")),
        OpenApiParameter("department", OpenApiTypes.INT, description=_lazy("ID OPD: hanya kesenjangan OPD ini.")),
        OpenApiParameter("opd", OpenApiTypes.INT, deprecated=True, description=_lazy(
            "Nama lama parameter department.")),
        OpenApiParameter("domain", str, enum=[g.slug for g, _k in kind_groups()], description=_lazy(
            "Slug domain (kelompok jenis), mis. aplikasi, infrastruktur.")),
        OpenApiParameter("kind", str, enum=list(GapKind.ORDER), description=_lazy("Jenis kesenjangan.")),
    ], responses={200: GapCatalogSerializer, 400: OpenApiResponse(description=_lazy(
        "Parameter tidak valid (pesan per parameter): ID yang bukan bilangan, OPD di luar instansi, domain atau "
        "jenis yang tidak dikenal.")), 404: OpenApiResponse(description=_lazy(
        "Instansi tidak ditemukan atau tidak dapat Anda baca, atau Anda belum anggota instansi mana pun."))})
    def get(self, request):
        institution = self._institution()
        name = parameter(request, "department", "opd")
        department = self._integer(name, _("ID OPD"))
        if department is not None and department not in {d.pk for d in departments_of(request.user, institution)}:
            raise ValidationError({name: [_("OPD ini tidak ada di instansi tersebut.")]})
        try:
            gaps = gap_catalog(request.user, institution, department=department,
                               group=request.query_params.get("domain") or None,
                               kind=request.query_params.get("kind") or None)
        except CatalogError as error:
            raise ValidationError({"domain" if error.field == "group" else error.field: [str(error)]}) from None
        return Response({
            "institution": {"id": institution.pk, "name": institution.name},
            "totals": totals(gaps),
            "counts": [{"department": row.department.abbreviation, "domain": row.group.slug, **row.counts,
                        "total": row.total} for row in counts(gaps)],
            "gaps": [{
                "kind": gap.kind, "label": str(gap.label), "domain": gap.group.slug, "object": _object(gap.obj),
                "upgrades": _object(gap.upgrades) if gap.upgrades is not None else None,
                "upgrades_hidden": gap.upgrades_hidden, "retire_year": gap.obj.retire_year,
            } for gap in gaps],
        })

    def _integer(self, name, label):
        return integer_parameter(self.request, name, label)

    def _institution(self):
        return institution_parameter(self.request, institutions_for(self.request.user),
                                     parameter(self.request, "institution", "instansi"))
