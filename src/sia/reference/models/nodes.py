from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, ExpressionWrapper, F, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sia.core.fields import free_text
from sia.core.models import BaseModel

from ..codes import MAX_LEVEL, CodeError, normalize_text, parse_code, search_text


class ReferenceNodeQuerySet(models.QuerySet):
    def national(self):
        return self.filter(institution__isnull=True)

    def current(self):
        """Nodes of each catalog's version in force."""
        return self.filter(version__is_current=True)

    def of_catalog(self, code: str):
        return self.filter(version__catalog__code=str(code).upper())

    def for_institution(self, institution):
        """National nodes plus the nodes that instansi defined itself (``None``: national only)."""
        institution_id = getattr(institution, "pk", institution)
        if institution_id is None:
            return self.national()
        return self.filter(Q(institution__isnull=True) | Q(institution_id=institution_id))

    def at_levels(self, min_level: int = 1, max_level: int | None = None):
        """Nodes from ``min_level`` to ``max_level``, and the deepest national nodes above ``min_level``:
        where a catalog publishes less deep than a domain maps to (RAA to level 2, RAL areas without
        level 3), its national leaves count, and an instansi details them with its own nodes."""
        condition = Q(level__gte=min_level)
        if min_level > 1:
            condition |= Q(level__lt=min_level) & national_leaf()
        queryset = self.filter(condition)
        return queryset.filter(level__lte=max_level) if max_level else queryset

    def within(self, roots=()):
        """Nodes in the sub-trees of the codes ``roots``: each root itself and every node below it, national or
        an instansi's (their codes follow their parents'); empty ``roots``: every node."""
        if not roots:
            return self
        condition = Q()
        for root in roots:
            condition |= Q(code=root) | Q(code__startswith=f"{root}.")
        return self.filter(condition)

    def taking_institution_children(self):
        """Nodes an instansi may add its own nodes under: the deepest national nodes and its own nodes."""
        return self.filter(level__lt=MAX_LEVEL).filter(Q(institution__isnull=False) | national_leaf())


def national_leaf() -> Q:
    """A national node without national children: the deepest the catalog version publishes there
    (read from the stored ``is_national_leaf``)."""
    return Q(is_national_leaf=True)


def refresh_national_leaves(ids) -> None:
    """Recomputes ``is_national_leaf`` of the nodes ``ids`` from their national children (one UPDATE)."""
    ids = [pk for pk in ids if pk is not None]
    if not ids:
        return
    children = ReferenceNode.objects.filter(parent=OuterRef("pk"), institution__isnull=True)
    ReferenceNode.objects.filter(pk__in=ids).update(
        is_national_leaf=ExpressionWrapper(Q(institution__isnull=True) & ~Exists(children), output_field=models.BooleanField())
    )


class ReferenceNode(BaseModel):
    """A node of a reference architecture tree, e.g. RAB.09.06.06 Penyelenggaraan Kearsipan.

    National nodes come from the published catalog (levels 1-3 for RAB, less for RAA, none for RAK);
    an instansi adds its own nodes under the deepest national nodes (or at the top of a catalog
    without national codes), visible only to that instansi. Level and parent always follow from the code.
    """

    version = models.ForeignKey(
        "reference.CatalogVersion", on_delete=models.PROTECT, related_name="nodes", verbose_name=_("versi katalog")
    )
    code = models.CharField(_("kode"), max_length=40, help_text=_("AWALAN.NN[.NN...], mis. RAB.09.06.03.01."))
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("induk"), help_text=_("Mengikuti kode: kode tanpa segmen terakhirnya."),
    )
    level = models.PositiveSmallIntegerField(_("tingkat"), editable=False)
    name = models.CharField(_("nama"), max_length=300)
    description = free_text(_("uraian"))
    source = models.TextField(_("sumber"), blank=True)
    institution = models.ForeignKey(
        "organizations.Institution", on_delete=models.PROTECT, null=True, blank=True,
        related_name="reference_nodes", verbose_name=_("instansi"),
        help_text=_("Kosong untuk simpul nasional; diisi untuk simpul milik satu instansi di bawah simpul nasional terdalam."),
    )
    search_text = models.CharField(_("teks pencarian"), max_length=400, editable=False, db_index=True)
    # The uraian normalised like ``search_text`` (accents and case ignored), so a search finds a node by
    # what its description says ("imunisasi"); not indexed: descriptions are long.
    search_description = models.TextField(_("teks pencarian uraian"), blank=True, default="", editable=False)
    # Whether this is a national node without national children (the deepest the catalog publishes there):
    # stored so that validating many objects reads it from the node instead of asking the database each time.
    # Kept by ``save()``/``delete()``, ``loader.create_nodes`` and ``refresh_national_leaves``.
    is_national_leaf = models.BooleanField(_("simpul nasional terdalam"), default=False, editable=False)

    objects = ReferenceNodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("Simpul Referensi")
        verbose_name_plural = _("Simpul Referensi")
        ordering = ["version", "code"]
        indexes = [models.Index(fields=["version", "level"], name="reference_node_version_level")]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"], condition=Q(institution__isnull=True), name="reference_national_code_unique",
                violation_error_message=_("Kode ini sudah ada di versi katalog tersebut."),
            ),
            models.UniqueConstraint(
                fields=["version", "institution", "code"], condition=Q(institution__isnull=False),
                name="reference_institution_code_unique",
                violation_error_message=_("Instansi ini sudah memiliki simpul dengan kode tersebut di versi ini."),
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1) & Q(level__lte=MAX_LEVEL), name="reference_node_level_range",
                violation_error_message=_("Tingkat simpul harus 1 sampai 7."),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("reference:referencenode", args=[self.pk])

    @property
    def catalog_code(self) -> str:
        return self.code[:3]

    @property
    def is_national(self) -> bool:
        return self.institution_id is None

    @property
    def path(self) -> list["ReferenceNode"]:
        """Ancestors from level 1 down to this node (read with one query, or from ``attach_paths``)."""
        cached = getattr(self, "_path", None)
        if cached is None:
            from ..tree import attach_paths

            attach_paths([self])
            cached = self._path
        return cached

    def save(self, *args, **kwargs):
        self.refresh_derived()
        if self.institution_id is not None:
            self.is_national_leaf = False
            return super().save(*args, **kwargs)
        previous_parent_id = None
        if self.pk is not None:
            previous_parent_id = ReferenceNode.objects.filter(pk=self.pk).values_list("parent_id", flat=True).first()
        self.is_national_leaf = self.pk is None or not ReferenceNode.objects.filter(
            parent_id=self.pk, institution__isnull=True
        ).exists()
        super().save(*args, **kwargs)
        # A national node gives its parent a national child; a moved one may leave its old parent a leaf.
        # (A deleted one: ``signals.national_node_deleted``.)
        refresh_national_leaves({self.parent_id, previous_parent_id})

    def refresh_derived(self):
        """Level and search text follow from code and name (also for rows built for bulk_create)."""
        try:
            self.level = parse_code(self.code).level
        except CodeError:
            pass  # clean() reports it; the database refuses a missing level
        self.search_text = search_text(self.code, self.name)
        self.search_description = normalize_text(self.description)

    def clean(self):
        super().clean()
        self.name = (self.name or "").strip()
        self.code = (self.code or "").strip().upper().replace(" ", "")
        if not self.version_id:
            return
        version = self.version
        try:
            parsed = parse_code(self.code, prefix=version.catalog.code)
        except CodeError as error:
            raise ValidationError({"code": str(error)})
        self.level = parsed.level
        if self.institution_id is not None:
            self._clean_institution_node(parsed)
        self._clean_parent(parsed)

    def _clean_institution_node(self, parsed):
        problem = self._national_depth_problem(parsed)
        if problem:
            raise ValidationError({"code": problem})
        if not self.version.is_published:
            raise ValidationError({"code": _("Simpul instansi hanya dapat ditambahkan pada versi yang sudah terbit.")})
        previous_code, previous_version_id = None, None
        if self.pk:
            stored = ReferenceNode.objects.filter(pk=self.pk).values_list("code", "version_id").first()
            if stored:
                previous_code, previous_version_id = stored
        if not self.version.is_current and previous_version_id != self.version_id:
            # A new node (or one moved to another version) goes into the version in force only; nodes
            # already in a superseded version stay there, readable and editable.
            raise ValidationError({"code": _(
                "Versi %(version)s sudah digantikan; simpul instansi baru hanya dapat ditambahkan pada versi berlaku. "
                "Pilih induk dari versi berlaku."
            ) % {"version": self.version.name}})
        national = ReferenceNode.objects.filter(version_id=self.version_id, code=self.code, institution__isnull=True)
        if national.exists():
            raise ValidationError({"code": _("Kode %(code)s sudah dipakai simpul nasional di versi ini.") % {"code": self.code}})
        if previous_code and previous_code != self.code and self.children.exists():
            raise ValidationError({"code": _("Kode simpul yang sudah memiliki anak tidak dapat diubah.")})

    def _national_depth_problem(self, parsed) -> str | None:
        """An instansi node goes under a national node without national children (RAB.09.06.06,
        RAA.01.01), under its own nodes, at the top of a catalog without national codes (RAK), or into a gap
        of a partial version's numbering (RAI.01 beside the public RAI.03, ``_fills_gap``)."""
        national = ReferenceNode.objects.filter(version_id=self.version_id, institution__isnull=True)
        if national.filter(code=self.code).exists():
            return None  # reported below as a national code taken
        if parsed.parent is None:
            blocking = national.filter(level=1)
        else:
            blocking = national.filter(parent__code=parsed.parent, parent__institution__isnull=True)
        if not blocking.exists():
            return None
        if self.version.is_partial and self._fills_gap(parsed, blocking):
            return None
        below = national.filter(code__startswith=f"{parsed.parent}." if parsed.parent else f"{parsed.prefix}.")
        leaf = below.filter(national_leaf()).order_by("code").first()
        catalog = self.version.catalog
        return _(
            "Simpul instansi ditambahkan di bawah simpul nasional terdalam; %(place)s masih memiliki simpul nasional "
            "%(level)s. Gunakan mis. %(example)s."
        ) % {
            "place": parsed.parent or catalog.code,
            "level": catalog.level_name(parsed.level),
            "example": f"{leaf.code}.01" if leaf else f"{self.code}.01",
        }

    @staticmethod
    def _fills_gap(parsed, siblings) -> bool:
        """Whether a partial version publishes a later sibling of the code: RAI.01 where only RAI.03 is public
        names a node that exists nationally but is not public, which an instansi may hold until the full list
        is imported (a code after the last published sibling, RAA.01.09, stays refused)."""
        number = int(parsed.segments[-1])
        published = [int(code.rsplit(".", 1)[-1]) for code in siblings.values_list("code", flat=True)]
        return bool(published) and number < max(published)

    def _clean_parent(self, parsed):
        if parsed.parent is None:
            self.parent = None
            return
        candidates = ReferenceNode.objects.filter(version_id=self.version_id, code=parsed.parent).for_institution(
            self.institution_id
        )
        parent = candidates.order_by(F("institution_id").asc(nulls_first=True)).first()  # national first
        if parent is None:
            raise ValidationError(
                {"code": _("Induk %(parent)s tidak ada di versi ini; tambahkan induknya lebih dahulu.") % {"parent": parsed.parent}}
            )
        if self.parent_id is not None and self.parent_id != parent.pk:
            raise ValidationError(
                {"code": _("Kode harus berada di bawah induk yang dipilih (%(parent)s).") % {"parent": self.parent.code}}
            )
        self.parent = parent
