from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import ngettext
from django.views import View

from sia.core import permissions
from sia.core.integers import db_id
from sia.core.permissions import grants
from sia.core.tables import Column
from sia.core.views import generic

from . import crosswalk, filtersets, forms, importer, mappings, tree
from .choices import CatalogCode
from .codes import normalize_code
from .models import Catalog, CatalogVersion, ReferenceNode
from .uploads import discard_upload, load_upload, store_upload

SEARCH_LIMIT = 50
PICKER_LIMIT = 15
LEFT_BEHIND_SHOWN = 20


def viewer_institutions(user):
    """Instansi whose own nodes the user sees in a tree; None for superusers (all)."""
    if user.is_superuser:
        return None
    return sorted({grant.institution_id for grant in grants(user)})


def visible_nodes(user, queryset=None):
    base = ReferenceNode.objects.all() if queryset is None else queryset
    return permissions.visible(user, base)


def choose_version(request, catalog: Catalog) -> CatalogVersion:
    """The version named by ``?versi=`` (if the user may see it), else the catalog's version in force."""
    versions = permissions.visible(request.user, catalog.versions.all())
    wanted = request.GET.get("versi") or request.GET.get("version")
    if wanted:
        if db_id(wanted) is None:
            raise Http404
        return get_object_or_404(versions, pk=wanted)
    version = versions.filter(is_current=True).first() or versions.order_by("-pk").first()
    if version is None:
        raise Http404(_("Katalog ini belum memiliki versi."))
    return version


def report_carry_over(request, version) -> None:
    """Flash messages for the instansi nodes carried to a newly published version, and those left behind."""
    carry_over = getattr(version, "carry_over", None)
    if carry_over is None or carry_over.previous is None:
        return
    previous = carry_over.previous.name
    if carry_over.carried:
        count = len(carry_over.carried)
        messages.info(request, ngettext(
            "%(n)d simpul instansi dibawa dari versi “%(previous)s”.",
            "%(n)d simpul instansi dibawa dari versi “%(previous)s”.", count,
        ) % {"n": count, "previous": previous})
    if carry_over.left_behind:
        count = len(carry_over.left_behind)
        nodes = "; ".join(
            f"{node.code} {node.name} ({node.institution})" for node in carry_over.left_behind[:LEFT_BEHIND_SHOWN]
        )
        if count > LEFT_BEHIND_SHOWN:
            nodes += "; " + _("dan %(n)d lainnya") % {"n": count - LEFT_BEHIND_SHOWN}
        messages.warning(request, ngettext(
            "%(n)d simpul instansi tidak dapat dibawa karena induknya tidak ada di versi baru; simpul itu tetap "
            "dapat dibaca di versi lama “%(previous)s”: %(nodes)s.",
            "%(n)d simpul instansi tidak dapat dibawa karena induknya tidak ada di versi baru; simpul-simpul itu tetap "
            "dapat dibaca di versi lama “%(previous)s”: %(nodes)s.", count,
        ) % {"n": count, "previous": previous, "nodes": nodes})


def search_results(queryset, text, limit):
    nodes = list(
        tree.search(queryset, text).select_related("version__catalog", "institution")
        .order_by("-matched_name", "version_id", "code")[: limit + 1]
    )
    return tree.attach_paths(nodes[:limit]), len(nodes) > limit


class CatalogIndexView(LoginRequiredMixin, View):
    """The six catalogs with their version in force, node counts and completeness."""

    def get(self, request):
        catalogs = list(permissions.visible(request.user, Catalog).order_by("order", "code"))
        versions = (
            permissions.visible(request.user, CatalogVersion.objects.filter(is_current=True))
            .annotate(node_count=Count("nodes", filter=Q(nodes__institution__isnull=True)))
        )
        current = {version.catalog_id: version for version in versions}
        rows = [(catalog, current.get(catalog.pk)) for catalog in catalogs]
        return render(request, "reference/catalog_list.html", {"rows": rows, "can_import": request.user.is_superuser})


class CatalogTreeView(LoginRequiredMixin, View):
    """A catalog's tree: level-1 nodes here, deeper levels on demand (htmx); a search box on top."""

    def get(self, request, code):
        catalog = get_object_or_404(permissions.visible(request.user, Catalog), code=code.upper())
        version = choose_version(request, catalog)
        nodes = visible_nodes(request.user, version.nodes.filter(parent__isnull=True))
        roots = tree.with_child_counts(nodes, viewer_institutions(request.user)).order_by("code")
        q = request.GET.get("q", "").strip()
        results, more = search_results(visible_nodes(request.user, version.nodes.all()), q, SEARCH_LIMIT) if q else ([], False)
        other_versions = permissions.visible(request.user, catalog.versions.exclude(pk=version.pk)).order_by("-pk")
        # A catalog without national codes (RAK) takes the instansi's own nodes at its top.
        can_add_top = (
            version.is_current and permissions.can_anywhere(request.user, permissions.ADD, ReferenceNode)
            and not version.nodes.national().exists()
        )
        return render(request, "reference/catalog_tree.html", {
            "catalog": catalog, "version": version, "roots": roots, "q": q, "results": results, "more": more,
            "other_versions": other_versions,
            "add_top_url": generic.optional_url(ReferenceNode, "add") + f"?catalog={catalog.code}" if can_add_top else None,
        })


class NodeChildrenView(LoginRequiredMixin, View):
    """The children of one node as tree items (an htmx partial): one query whatever the catalog's size."""

    def get(self, request, pk):
        node = get_object_or_404(visible_nodes(request.user), pk=pk)
        children = tree.with_child_counts(visible_nodes(request.user, node.children.all()), viewer_institutions(request.user))
        return render(request, "reference/_tree_children.html", {"node": node, "children": children.order_by("code")})


class SearchView(LoginRequiredMixin, View):
    """Search results with full paths: an htmx partial for the tree page."""

    def get(self, request):
        queryset = visible_nodes(request.user)
        catalog = request.GET.get("catalog", "").upper()
        if catalog:
            queryset = queryset.filter(version__catalog__code=catalog)
        version = request.GET.get("versi") or request.GET.get("version")
        queryset = queryset.filter(version_id=db_id(version)) if db_id(version) is not None else queryset.current()
        q = request.GET.get("q", "").strip()
        results, more = search_results(queryset, q, SEARCH_LIMIT) if q else ([], False)
        return render(request, "reference/_search_results.html", {"results": results, "more": more, "q": q})


class PickerView(LoginRequiredMixin, View):
    """Options for the reference picker widget (``ReferenceNodeField``)."""

    def get(self, request):
        queryset = visible_nodes(request.user).current()
        catalog = request.GET.get("catalog", "").upper()
        if catalog:
            queryset = queryset.filter(version__catalog__code=catalog)
        low, high = (request.GET.get(param, "") for param in ("min_level", "max_level"))
        if low.isdigit() or high.isdigit():
            queryset = queryset.at_levels(int(low) if low.isdigit() else 1, int(high) if high.isdigit() else None)
        roots = [normalize_code(code) for code in request.GET.get("roots", "").split(",") if code.strip()]
        queryset = queryset.within(roots)  # the sub-trees a kind maps to (DomainSpec.reference_roots)
        field = request.GET.get("field", "q")
        q = (request.GET.get(field) or request.GET.get("q") or "").strip()
        results, more = search_results(queryset, q, PICKER_LIMIT) if q else ([], False)
        return render(request, "reference/_picker_results.html", {"results": results, "more": more, "q": q})


class ReferenceNodeListView(generic.ObjectListView):
    model = ReferenceNode
    queryset = ReferenceNode.objects.select_related("version__catalog", "institution")
    filterset_class = filtersets.ReferenceNodeFilterSet
    filter_fields = tuple(  # parent_code: the same as parent, which takes a code
        name for name in filtersets.ReferenceNodeFilterSet.base_filters if name not in ("search", "parent_code")
    )
    columns = [
        Column("code", link=True), Column("name"), Column("level"),
        Column("version", _l("Versi"), render=lambda node: f"{node.version.catalog.code} {node.version.name}"),
        Column("institution", _l("Instansi"), render=lambda node: node.institution or _("Nasional")),
    ]

    def visible_queryset(self, action=permissions.VIEW):
        queryset = super().visible_queryset(action)
        if not {"version", "q", "search", "current"} & set(self.request.GET):
            queryset = queryset.current()
        return queryset


class ReferenceNodeView(generic.ObjectView):
    model = ReferenceNode
    queryset = ReferenceNode.objects.select_related("version__catalog", "institution", "parent")
    template_name = "reference/node.html"

    def extra_context(self, request, obj):
        tree.attach_paths([obj])
        children = tree.with_child_counts(visible_nodes(request.user, obj.children.all()), viewer_institutions(request.user))
        targets = [code for code in crosswalk.PARALLEL if code != obj.catalog_code] if obj.catalog_code in crosswalk.PARALLEL else []
        found = crosswalk.propose_many(obj, targets, queryset=visible_nodes(request.user)) if targets else {}
        proposals = [(target, found[target]) for target in targets]
        mapped = mappings.mapped_entries(request.user, obj)
        can_add = (
            obj.version.is_current
            and permissions.can_anywhere(request.user, permissions.ADD, ReferenceNode)
            and (obj.institution_id is None or permissions.can(request.user, permissions.CHANGE, obj))
            and ReferenceNode.objects.filter(pk=obj.pk).taking_institution_children().exists()
        )
        return {
            "catalog": obj.version.catalog,
            "children": children.order_by("code"),
            "proposals": proposals,
            "mapped": mapped,
            "mapped_total": sum(group.total for group in mapped),
            "add_child_url": generic.optional_url(ReferenceNode, "add") + f"?parent={obj.pk}" if can_add else None,
        }


def next_free(prefix: str, taken: set) -> str:
    """``prefix.NN`` with the lowest number not in ``taken`` (99 when all are)."""
    number = next((n for n in range(1, 100) if f"{prefix}.{n:02d}" not in taken), 99)
    return f"{prefix}.{number:02d}"


class ReferenceNodeEditView(generic.ObjectEditView):
    model = ReferenceNode
    form_class = forms.ReferenceNodeForm

    def get_initial(self, request, instance):
        if instance.pk is not None:
            return {}
        parent_id = request.GET.get("parent", "")
        candidates = visible_nodes(request.user).current().taking_institution_children()
        parent = candidates.filter(pk=db_id(parent_id)).first() if db_id(parent_id) is not None else None
        if parent is None:
            catalog = request.GET.get("catalog", "").upper()
            if catalog not in CatalogCode.values:
                return {}
            # The top of a catalog without national codes: the next free CODE.NN among the user's own.
            taken = set(visible_nodes(request.user).current().of_catalog(catalog).filter(level=1).values_list("code", flat=True))
            return {"code": next_free(catalog, taken)}
        taken = set(visible_nodes(request.user, parent.children.all()).values_list("code", flat=True))
        initial = {"parent": parent, "code": next_free(parent.code, taken)}
        if parent.institution_id:
            initial["institution"] = parent.institution_id
        return initial

    def success_url(self, obj):
        return obj.get_absolute_url()


class ReferenceNodeDeleteView(generic.ObjectDeleteView):
    model = ReferenceNode


class ReferenceNodeHistoryView(generic.ObjectHistoryView):
    model = ReferenceNode


class CatalogVersionListView(generic.ObjectListView):
    model = CatalogVersion
    queryset = CatalogVersion.objects.select_related("catalog").annotate(
        node_count=Count("nodes", filter=Q(nodes__institution__isnull=True))
    )
    filterset_class = filtersets.CatalogVersionFilterSet
    filter_fields = tuple(name for name in filtersets.CatalogVersionFilterSet.base_filters if name != "search")
    actions = ()
    template_name = "reference/catalogversion_list.html"
    columns = [
        Column("catalog", _l("Katalog"), render=lambda v: v.catalog.code),
        Column("name", link=True), Column("status"), Column("completeness"), Column("is_current"),
        Column("effective_date"), Column("node_count", _l("Simpul nasional")),
    ]

    def extra_context(self, request):
        return {"can_import": request.user.is_superuser}


class CatalogVersionView(generic.ObjectView):
    model = CatalogVersion
    queryset = CatalogVersion.objects.select_related("catalog", "published_by")
    template_name = "reference/catalogversion.html"

    def extra_context(self, request, obj):
        levels = (
            obj.nodes.filter(institution__isnull=True).values_list("level").annotate(n=Count("pk")).order_by("level")
        )
        return {
            "levels": list(levels),
            "publish_url": generic.optional_url(CatalogVersion, "publish", obj.pk)
            if request.user.is_superuser and not obj.is_current else None,
        }


class CatalogVersionHistoryView(generic.ObjectHistoryView):
    model = CatalogVersion


class CatalogVersionPublishView(generic.ModelViewMixin, View):
    """Publishes a draft (or an older published version) as the version in force; superusers only."""

    model = CatalogVersion

    def post(self, request, pk):
        version = self.get_object(pk)
        if not permissions.can(request.user, permissions.CHANGE, version):
            raise PermissionDenied
        importer.make_current(version, user=request.user)
        messages.success(request, _("Versi “%(version)s” kini berlaku.") % {"version": version})
        report_carry_over(request, version)
        return redirect(version.get_absolute_url())


@method_decorator(login_required, name="dispatch")
class ImportView(View):
    """Upload → preview with every problem → publish (only a clean file; superusers only)."""

    template_name = "reference/import.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_superuser:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        initial = {}
        catalog = request.GET.get("catalog", "").upper()
        if catalog in CatalogCode.values:
            initial["catalog"] = catalog
        return render(request, self.template_name, {"form": forms.ImportForm(initial=initial)})

    def post(self, request):
        form = forms.ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        data = form.cleaned_data
        if data["file"]:
            upload = data["file"]
        else:
            upload = load_upload(data["token"], data["filename"])
            if upload is None:
                form.add_error("file", _("Berkas pratinjau sudah tidak tersedia; unggah ulang."))
                return render(request, self.template_name, {"form": form}, status=400)
        preview = importer.parse_catalog_file(upload, data["catalog"])
        if request.POST.get("action") != "publish" or not preview.is_clean:
            token = store_upload(upload, preview.file_hash) if preview.is_clean else ""
            form = forms.ImportForm(initial={**data, "catalog": data["catalog"].code, "file": None, "token": token,
                                             "filename": preview.filename})
            return render(request, self.template_name, {
                "form": form, "preview": preview, "identical": preview.identical_version(),
            }, status=200 if preview.is_clean else 400)
        try:
            version, created = importer.publish_version(
                preview, name=data["name"], source=data["source"], user=request.user,
                effective_date=data["effective_date"], completeness=data["completeness"], notes=data["notes"],
            )
        except ValidationError as error:
            form.add_error("name", error)
            return render(request, self.template_name, {"form": form, "preview": preview}, status=400)
        discard_upload(preview.file_hash)
        if created:
            messages.success(request, _("Versi “%(version)s” diterbitkan dengan %(n)d simpul.") % {"version": version, "n": len(preview.rows)})
            report_carry_over(request, version)
        else:
            messages.info(request, _("Isi berkas sama dengan versi “%(version)s”; tidak ada yang diubah.") % {"version": version})
        return redirect(version.get_absolute_url())
