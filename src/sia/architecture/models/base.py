"""What every object of an instansi's architecture has, and the declaration a domain makes.

A new domain is a subclass of ``ArchitectureObject`` with a ``spec = DomainSpec(...)``: the
registry (``sia.architecture.registry``) builds its pages, forms, filters, API and completeness
figures from that declaration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache, partial

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from sia.core.fields import FREE_TEXT_MAX, free_text  # noqa: F401 (re-exported for the domains)
from sia.core.models import BaseModel, per_model

from ..choices import ArchitectureState, ReviewStatus
from ..expiry import Expiry  # noqa: F401 (re-exported for the domains)
from ..kindgroups import KindGroup  # noqa: F401 (re-exported for the domains)
from ..linkspec import LinkSpec, link_spec  # noqa: F401 (LinkSpec re-exported for the domains)
from ..valuelists import ValueList, kind_choices

# The link every kind holds from a to-be upgrade to the as-is object it develops (``ArchitectureObject.upgrades``).
UPGRADES_LINK = LinkSpec(
    "upgrades", _("mengembangkan"), _("dikembangkan oleh"), relationship="specialization", cardinality="0..1",
    cross_opd=True, acyclic=True,
)

PERIOD_VALIDATOR = RegexValidator(r"^\d{4}-\d{4}$", _("Tulis periode sebagai TTTT-TTTT, mis. 2025-2029."))


@dataclass(frozen=True)
class DomainSpec:
    """The declaration that turns a model into an architecture domain."""

    slug: str  # URL segment, Indonesian: "proses-bisnis"
    api_name: str  # API resource, English plural kebab-case: "business-processes"
    code_prefix: str  # ID prefix: "PB" gives PB-DISKOMINFOSAN-001
    catalog: str  # reference catalog the objects map to: "RAB"
    form_fields: tuple[str, ...] = ()  # domain fields after the common ones
    list_columns: tuple[str, ...] = ()  # extra list columns after the common ones
    filter_fields: tuple[str, ...] = ()  # extra filters
    completeness_fields: tuple[str, ...] = ()  # fields a complete object has filled in
    order: int = 100
    menu_label: str = ""
    # Fields whose change re-renders a new object's form (to narrow choices or pre-fill others).
    refresh_on: tuple[str, ...] = ("department",)
    # Catalog levels ``reference`` maps to: (min, max); max None: any deeper node, the instansi's own included.
    # A national node above min counts where the catalog publishes nothing below it (RAA to level 2).
    reference_levels: tuple[int, int | None] = (3, None)
    # Codes of national nodes whose sub-trees ``reference`` must lie in (the node itself, a national or an
    # instansi node below it): Server maps under RAI.03.01.01. Empty: anywhere in the catalog at those levels.
    # Each must be a node of the shipped catalog (``sia check``, sia.E116).
    reference_roots: tuple[str, ...] = ()
    # Whether an object needs its ``reference`` before it can be submitted for review.
    reference_required_to_submit: bool = True
    # Other fields that pick a reference node: (field, catalog, min level, max level).
    reference_fields: tuple[tuple[str, str, int, int | None], ...] = ()
    # Work-unit fields and the OPD field whose OPD their unit belongs to: ("executing_unit", "department")
    # is a unit of the object's own OPD. Undeclared work-unit fields follow the own OPD (sia.architecture.scopes).
    unit_fields: tuple[tuple[str, str], ...] = ()
    # Heading over an object's children (objects whose parent field names it), e.g. "Sub-proses".
    child_label: str = ""
    # ArchiMate 3.1 element type of the domain's objects (diagrams, export): "BusinessProcess".
    archimate_element: str = ""
    # Every link the domain's objects hold to other architecture objects, FK or many-to-many (``LinkSpec``).
    links: tuple[LinkSpec, ...] = ()
    # The editable value lists the domain's fields pick from (``limit_choices_to={"kind": ...}``), with the
    # values a new instansi starts with; ValueListItem.kind offers the declared kinds only.
    value_lists: tuple[ValueList, ...] = ()
    # The kind group this kind belongs to (``sia.architecture.kindgroups``): shared menu entry, completeness
    # column and workbook. None: the domain is a group of its own.
    group: KindGroup | None = None
    # What makes an object out of date (``sia.architecture.expiry``): a warning in completeness and on the
    # home pages, and the list filter ``?kedaluwarsa=<key>``.
    expiry: tuple[Expiry, ...] = ()
    # Values the model computes (a property, not stored): (attribute, label), shown read-only after the fields on
    # the detail page and in the API (a storage's free space, capacity minus used).
    computed: tuple[tuple[str, str], ...] = ()

    def __post_init__(self):
        # Every kind may hold a to-be upgrade of one of its as-is objects (``ArchitectureObject.upgrades``): the
        # link is declared here once, so forms, API, filters, Excel, detail pages and diagrams read it like any.
        if not any(link.field == UPGRADES_LINK.field for link in self.links):
            object.__setattr__(self, "links", tuple(self.links) + (UPGRADES_LINK,))

    def pickers(self) -> tuple:
        """Every field that picks a reference node: (field, catalog, min level, max level)."""
        return (("reference", self.catalog, *self.reference_levels),) + self.reference_fields

    def roots(self, name: str) -> tuple[str, ...]:
        """The sub-trees the picker ``name`` is limited to (``reference_roots`` for ``reference``; empty: none)."""
        return self.reference_roots if name == "reference" else ()


@lru_cache(maxsize=None)
def _value_list_fields(model) -> tuple:
    """The foreign keys of ``model`` to a value-list item, found once per kind (``clean()`` checks each per object)."""
    return tuple(f for f in model._meta.concrete_fields if f.many_to_one and f.related_model is ValueListItem)


@lru_cache(maxsize=None)
def _detail_url(model_name: str) -> str:
    """A kind's detail URL with a placeholder for the ID: one reverse() per kind, not one per row of a list."""
    return reverse(f"architecture:{model_name}", args=[987654321]).replace("987654321", "{}")


def current_period() -> str:
    from django.utils import timezone

    year = timezone.now().year
    start = 2025 if year <= 2029 else year - (year - 2025) % 5
    return f"{start}-{start + 4}"


class ArchitectureObject(BaseModel):
    """An entry of an instansi's SPBE architecture: owned by one OPD, mapped to the national reference."""

    COMMON_FORM_FIELDS = ("department", "code", "name", "description", "reference", "period", "state", "upgrades",
                          "retiring", "retire_year")
    COMMON_COMPLETENESS_FIELDS = ("description", "reference")

    institution = models.ForeignKey(
        "organizations.Institution", on_delete=models.PROTECT, related_name="+", verbose_name=_("instansi"),
        editable=False,
    )
    department = models.ForeignKey(
        "organizations.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("perangkat daerah"),
        help_text=_("OPD pemilik data ini."),
    )
    code = models.CharField(
        _("ID"), max_length=60, blank=True,
        help_text=_("Unik dalam instansi. Kosongkan untuk dibuat otomatis, mis. PB-DISKOMINFOSAN-001."),
    )
    name = models.CharField(_("nama"), max_length=300)
    description = free_text(_("uraian"))
    reference = models.ForeignKey(
        "reference.ReferenceNode", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("referensi"),
        help_text=_("Simpul arsitektur referensi nasional pada tingkat yang dipetakan domain ini, atau simpul instansi di bawahnya."),
    )
    period = models.CharField(
        _("periode"), max_length=9, default=current_period, validators=[PERIOD_VALIDATOR],
        help_text=_("Periode lima tahunan selaras RPJMD, mis. 2025-2029."),
    )
    state = models.CharField(
        _("kondisi"), max_length=20, choices=ArchitectureState.choices, default=ArchitectureState.AS_IS
    )
    upgrades = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="upgraded_by",
        verbose_name=_("mengembangkan"),
        help_text=_("Untuk kondisi to-be pengembangan: objek as-is yang dikembangkan (wajib)."),
    )
    retiring = models.BooleanField(
        _("direncanakan dihentikan"), default=False,
        help_text=_("Objek as-is yang akan dihentikan dalam periode ini."),
    )
    retire_year = models.PositiveSmallIntegerField(
        _("tahun rencana penghentian"), null=True, blank=True,
        help_text=_("Tahun dalam periode ketika objek as-is direncanakan dihentikan, mis. 2027."),
    )
    status = models.CharField(
        _("status review"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT, editable=False,
        # No index of its own: the (instansi, status, code) and (OPD, status, code) indexes serve every status filter,
        # and SQLite took a status-only index for an operator's drafts, reading every instansi's drafts.
    )
    status_since = models.DateTimeField(
        _("status sejak"), default=timezone.now, editable=False,
        help_text=_("Waktu objek masuk ke status reviewnya sekarang."),
        # The review queues' order (oldest first), kept with the status by ``sia.architecture.workflow`` and equal to
        # the time of the review event that set it: read from the (instansi, status, since) index, not from the
        # events of every waiting object.
    )
    lock_version = models.PositiveIntegerField(_("versi"), default=1, editable=False)

    spec: DomainSpec

    class Meta:
        abstract = True
        # The code (unique in the instansi, prefixed by the OPD: PB-DINKES-001) orders a list from the instansi's
        # own indexes: (instansi, code) of the unique constraint, (instansi, status, code) for the status filter and
        # (OPD, code) for an OPD's list, so a page reads its 50 rows, not a sort of every row through a join.
        ordering = ["code"]
        # (OPD, status, code): an operator's status filter (their OPD's drafts) without SQLite taking the status index
        # across every instansi (hundreds of thousands of drafts at national scale).
        # (instansi, status, since, ID): a review queue's oldest first ("Perlu tindakan", the home page's panels), in
        # the order of the index alone.
        indexes = [models.Index(fields=["institution", "status", "code"]), models.Index(fields=["department", "code"]),
                   models.Index(fields=["department", "status", "code"]),
                   models.Index(fields=["institution", "status", "status_since", "id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "code"], name="%(app_label)s_%(class)s_code_unique",
                violation_error_message=_("ID ini sudah dipakai di instansi yang sama."),
            )
        ]

    def __str__(self):
        return f"{self.code} {self.name}" if self.code else self.name

    def get_absolute_url(self):
        return _detail_url(self._meta.model_name).format(self.pk)

    # --- rules that hold for every domain ---------------------------------------------------
    def clean(self):
        super().clean()
        errors = {}
        if self.department_id:
            self.institution_id = self.department.institution_id
            if self._state.adding and not self.department.is_active:
                errors["department"] = _("OPD ini sudah nonaktif; data baru tidak dapat ditambahkan untuknya.")
        if self.code:
            self.code = self.code.strip().upper()
        if self.period:
            match = re.match(r"^(\d{4})-(\d{4})$", self.period)
            if match and int(match.group(2)) - int(match.group(1)) != 4:
                errors["period"] = _("Periode mencakup lima tahun, mis. 2025-2029.")
        for name, catalog, min_level, max_level in self.spec.pickers():
            node = getattr(self, name) if getattr(self, f"{name}_id", None) else None
            message = node and reference_problem(
                node, catalog, min_level, max_level, self.institution_id, roots=self.spec.roots(name),
                label=partial(self._picker_label, name),
            )
            if message:
                errors[name] = message
        from ..scopes import department_problems, unit_problems

        for field in _value_list_fields(type(self)):  # every value-list field: the object's own instansi's list
            if getattr(self, field.attname):
                item = getattr(self, field.name)
                if self.institution_id and item.institution_id != self.institution_id:
                    errors[field.name] = _("Nilai pilihan ini milik instansi lain.")
        errors.update(department_problems(self))
        errors.update(unit_problems(self))
        for field in self.link_fields(many_to_many=False):
            target = getattr(self, field.name) if getattr(self, field.attname, None) is not None else None
            problems = self.link_problems(field.name, [target]) if target is not None else []
            if problems:
                errors[field.name] = problems
        errors.update(self.gap_problems(errors))
        errors.update(self.clean_domain())
        if errors:
            raise ValidationError(errors)

    def _picker_label(self, name: str) -> str:
        """How a reference field is named in its message ("Referensi server"), built only when one is written."""
        return f"{capfirst(self._meta.get_field(name).verbose_name)} {self._meta.verbose_name.lower()}"

    def gap_problems(self, found: dict) -> dict:
        """The rules of the gap fields (``sia.architecture.gap_catalog``): a to-be upgrade names the as-is object
        of its kind and instansi it develops, only an upgrade does; only an as-is object is retired, in a year of
        its period. ``found``: the problems found so far (a link already refused is not judged again)."""
        errors = {}
        upgrade = self.state == ArchitectureState.TO_BE_UPGRADE
        if upgrade and self.upgrades_id is None:
            errors["upgrades"] = _("To-be pengembangan harus menyebut objek as-is yang dikembangkan.")
        elif not upgrade and self.upgrades_id is not None:
            errors["upgrades"] = _("Hanya objek dengan kondisi to-be pengembangan yang mengembangkan objek as-is; "
                                   "kosongkan isian ini atau ubah kondisinya.")
        elif upgrade and "upgrades" not in found:
            target = self.upgrades
            if self.pk is not None and target.pk == self.pk:
                errors["upgrades"] = _("Objek tidak dapat mengembangkan dirinya sendiri.")
            elif target.state != ArchitectureState.AS_IS:
                errors["upgrades"] = _("“%(target)s” bukan objek as-is; yang dikembangkan harus objek as-is.") % {
                    "target": target}
        if self.state != ArchitectureState.AS_IS:
            # a new object (an import gives it a temporary ID while it is validated) is developed by nothing yet
            if (self.pk is not None and not self._state.adding
                    and type(self)._default_manager.filter(upgrades_id=self.pk).exists()):
                errors["state"] = _("Objek ini dikembangkan oleh objek to-be pengembangan; kondisinya tetap as-is.")
            if self.retiring:
                errors["retiring"] = _("Hanya objek as-is yang dapat direncanakan dihentikan.")
            if self.retire_year is not None:
                errors["retire_year"] = _("Tahun dihentikan hanya untuk objek as-is yang direncanakan dihentikan.")
        elif self.retire_year is not None and not self.retiring:
            errors["retire_year"] = _("Isi tahun dihentikan hanya bila objek direncanakan dihentikan.")
        elif self.retire_year is not None:
            match = re.match(r"^(\d{4})-(\d{4})$", self.period or "")
            if match and not int(match.group(1)) <= self.retire_year <= int(match.group(2)):
                errors["retire_year"] = _("Tahun dihentikan harus dalam periode %(period)s.") % {"period": self.period}
        return errors

    def clean_domain(self) -> dict:
        """Domain rules; return ``{field: message}``."""
        return {}

    def derive_fields(self) -> None:
        """The values ``save()`` derives from others; writers in bulk (the Excel import) call it before
        ``bulk_create`` so that their rows get the same values. A kind deriving more extends it."""
        if self.department_id and not self.institution_id:
            self.institution_id = self.department.institution_id

    def save(self, *args, **kwargs):
        self.derive_fields()
        if self.code:
            return super().save(*args, **kwargs)
        # Two operators of one OPD may add objects at the same moment: the number both computed is
        # taken by the first; the second takes the next one.
        for attempt in range(20):
            self.code = next_code(type(self), self.institution_id, self.department)
            try:
                with transaction.atomic():
                    return super().save(*args, **kwargs)
            except IntegrityError:
                if not type(self)._default_manager.filter(institution_id=self.institution_id, code=self.code).exists():
                    raise
                self.code = ""
                self.pk = None
        raise IntegrityError("no free ID for %s" % type(self).__name__)

    def link_problems(self, field_name: str, targets) -> list:
        """Why some of ``targets`` may not be linked through ``field_name`` (empty when all may): the one
        rule the web form, the API and the Excel import apply. Another instansi never; another OPD only
        where the field's ``LinkSpec`` says ``cross_opd`` (an undeclared link stays within its OPD); a chain
        that closes a cycle never where it says ``acyclic``."""
        from django.utils.text import capfirst

        from ..scopes import other_department_problems

        problems = other_department_problems(self, field_name, targets)
        field = type(self)._meta.get_field(field_name)
        link = link_spec(type(self), field_name)
        for target in targets:
            department = getattr(target, "department", None)
            institution_id = getattr(target, "institution_id", None) or getattr(department, "institution_id", None)
            if institution_id != self.institution_id:
                problems.append(_("“%(target)s” milik instansi lain.") % {"target": target})
            elif department is not None and target.department_id != self.department_id and not (
                link is not None and link.cross_opd
            ):
                if field.many_to_many:
                    problems.append(_("“%(target)s” bukan milik OPD ini.") % {"target": target})
                else:
                    problems.append(_("%(field)s harus milik OPD yang sama.") % {"field": capfirst(field.verbose_name)})
        if link is not None and link.acyclic and not problems:
            from .rules import cycle_problems

            problems.extend(cycle_problems(self, field_name, targets))
        return problems

    @classmethod
    def suggestions(cls, values: dict, user=None) -> dict:
        """Initial values a new object's form can pre-fill from what was chosen so far."""
        return {}

    @classmethod
    def completeness_warnings(cls, queryset, departments):
        """Domain-specific warnings as ``Counted`` (rows to count per OPD, a message with ``%(n)d``): not read
        here; ``sia.architecture.completeness`` counts every kind's in one query. Expired objects are declared
        in ``DomainSpec.expiry`` instead."""
        return []

    @classmethod
    def count_by_department(cls, queryset, message):
        """The warning ``message`` counted over ``queryset`` (any model with a ``department``), per OPD."""
        return [Counted(queryset, message)]

    @classmethod
    def link_fields(cls, many_to_many: bool = True) -> list:
        """Links to other architecture objects (outgoing): the many-to-many ones, or the ForeignKeys."""
        return list(_link_fields(cls, many_to_many))


@per_model
def _link_fields(model, many_to_many: bool) -> tuple:
    """``ArchitectureObject.link_fields``, computed once per model (its rules read it for every object validated)."""
    fields = model._meta.many_to_many if many_to_many else [f for f in model._meta.concrete_fields if f.many_to_one]
    return tuple(f for f in fields
                 if isinstance(f.related_model, type) and issubclass(f.related_model, ArchitectureObject))


@dataclass(frozen=True)
class Counted:
    """A completeness warning before it is read: the rows it counts per OPD (``department_id``) and its message
    (``%(n)d`` the count); ``expiry`` when it is a kind's ``Expiry``."""

    queryset: object
    message: str
    expiry: Expiry | None = None


def reference_problem(node, catalog: str, min_level: int, max_level: int | None, institution_id, *,
                      roots: tuple[str, ...] = (), label="") -> str | None:
    """Why ``node`` cannot be picked for a field that maps to ``catalog`` levels ``min_level``-``max_level``
    (None when it can), in the catalog's own level names ("Sub-urusan" for RAB level 3). With ``roots``
    (``DomainSpec.reference_roots``) the node must also lie in one of their sub-trees; ``label`` (a text, or a
    function giving it, called only for that message) names the field in that message ("Referensi server").

    Reads the node only (no query once ``version__catalog`` is loaded): the deepest national node of a
    catalog that publishes less deep is the node's stored ``is_national_leaf``, the rule of ``at_levels``."""
    found = node.version.catalog
    if found.code != catalog:
        return _("Referensi harus dari katalog %(expected)s, bukan %(got)s.") % {"expected": catalog, "got": found.code}
    if node.institution_id and node.institution_id != institution_id:
        return _("Simpul referensi ini milik instansi lain.")
    if roots and not in_subtrees(node.code, roots):
        return _("%(field)s harus %(roots)s atau simpul di bawahnya, bukan %(node)s.") % {
            "field": (label() if callable(label) else label) or _("Referensi"), "roots": str(_(" atau ")).join(roots), "node": f"{node.code} {node.name}",
        }
    too_deep = max_level is not None and node.level > max_level
    if not too_deep and node.level >= min_level:
        return None
    if not too_deep and node.is_national_leaf:
        return None  # the deepest node the catalog publishes there (RAA.01.01)
    wanted = {"catalog": catalog, "min": min_level, "name": found.level_name(min_level), "level": node.level,
              "got": found.level_name(node.level)}
    if max_level == min_level:
        return _("Pilih simpul %(catalog)s tingkat %(min)d (%(name)s), bukan tingkat %(level)d (%(got)s).") % wanted
    if max_level is not None:
        return _("Pilih simpul %(catalog)s tingkat %(min)d (%(name)s) sampai %(max)d (%(max_name)s), bukan tingkat "
                 "%(level)d (%(got)s).") % (wanted | {"max": max_level, "max_name": found.level_name(max_level)})
    return _("Pilih simpul %(catalog)s tingkat %(min)d (%(name)s) atau simpul di bawahnya, bukan tingkat %(level)d "
             "(%(got)s).") % wanted


def in_subtrees(code: str, roots) -> bool:
    """Whether the node ``code`` is one of ``roots`` or below one (an instansi node's code follows its parent's)."""
    return any(code == root or code.startswith(f"{root}.") for root in roots)


def next_code(model, institution_id, department) -> str:
    prefix = f"{model.spec.code_prefix}-{department.abbreviation.upper()}-"
    existing = model._default_manager.filter(institution_id=institution_id, code__startswith=prefix).values_list(
        "code", flat=True
    )
    numbers = [int(code[len(prefix):]) for code in existing if code[len(prefix):].isdigit()]
    return f"{prefix}{(max(numbers) + 1 if numbers else 1):03d}"


class ValueListItem(BaseModel):
    """One choice of an editable value list (target layanan, sifat data, ...) of an instansi."""

    institution = models.ForeignKey(
        "organizations.Institution", on_delete=models.CASCADE, related_name="+", verbose_name=_("instansi")
    )
    kind = models.CharField(_("daftar"), max_length=30, choices=kind_choices)
    name = models.CharField(_("nilai"), max_length=100)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("Nilai Pilihan")
        verbose_name_plural = _("Daftar Nilai Pilihan")
        ordering = ["institution", "kind", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "kind", "name"], name="architecture_value_unique",
                violation_error_message=_("Nilai ini sudah ada dalam daftar tersebut."),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("architecture:valuelistitem", args=[self.pk])

