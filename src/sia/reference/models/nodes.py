from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sia.core.models import BaseModel

from ..codes import MAX_LEVEL, NATIONAL_MAX_LEVEL, CodeError, normalize_text, parse_code, search_text


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


class ReferenceNode(BaseModel):
    """A node of a reference architecture tree, e.g. RAB.09.06.06 Penyelenggaraan Kearsipan.

    Levels 1-3 are national; an instansi adds its own nodes at level 4 and deeper, visible
    only to that instansi. Level and parent always follow from the code.
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
    description = models.TextField(_("uraian"), blank=True)
    source = models.TextField(_("sumber"), blank=True)
    institution = models.ForeignKey(
        "organizations.Institution", on_delete=models.PROTECT, null=True, blank=True,
        related_name="reference_nodes", verbose_name=_("instansi"),
        help_text=_("Kosong untuk simpul nasional; diisi untuk simpul tingkat 4 ke bawah milik satu instansi."),
    )
    search_text = models.CharField(_("teks pencarian"), max_length=400, editable=False, db_index=True)
    # The uraian normalised like ``search_text`` (accents and case ignored), so a search finds a node by
    # what its description says ("imunisasi"); not indexed: descriptions are long.
    search_description = models.TextField(_("teks pencarian uraian"), blank=True, default="", editable=False)

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
        super().save(*args, **kwargs)

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
        if parsed.level <= NATIONAL_MAX_LEVEL:
            raise ValidationError(
                {"code": _("Tingkat 1-3 adalah simpul nasional; simpul instansi mulai dari tingkat 4 (mis. %(example)s).")
                 % {"example": f"{self.code}.01" if parsed.level == NATIONAL_MAX_LEVEL else "RAB.09.06.03.01"}}
            )
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
