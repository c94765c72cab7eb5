from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sia.core.fields import free_text
from sia.core.models import BaseModel

from ..choices import STAGE_ORDER, Stage, TeamRole


class Assessment(BaseModel):
    """The yearly index evaluation of one instansi (Indeks SPBE, Indeks Pemdi, …), scored against one framework
    version; its names follow the instrument (``FrameworkVersion.term``)."""

    institution = models.ForeignKey(
        "organizations.Institution", on_delete=models.PROTECT, related_name="spbe_assessments",
        verbose_name=_("instansi"),
    )
    year = models.PositiveSmallIntegerField(
        _("tahun"), validators=[MinValueValidator(2018), MaxValueValidator(2100)],
        help_text=_("Tahun pelaksanaan evaluasi."),
    )
    framework = models.ForeignKey(
        "evaluation.FrameworkVersion", on_delete=models.PROTECT, related_name="assessments",
        verbose_name=_("kerangka penilaian"),
    )
    with_site_visit = models.BooleanField(
        _("dengan penilaian visitasi"), default=False,
        help_text=_("Visitasi hanya dilakukan bila ditetapkan oleh tim evaluator eksternal."),
    )
    current_stage = models.CharField(_("tahap berjalan"), max_length=20, choices=Stage.choices, default=Stage.SELF)
    notes = free_text(_("catatan"))
    planner_preset = models.JSONField(
        _("preset perencana"), null=True, blank=True,
        help_text=_("Preset upaya perencana target yang disimpan (skema, faktor, indikator yang dikunci, margin)."),
    )

    class Meta:
        verbose_name = _("Penilaian indeks")
        verbose_name_plural = _("Penilaian indeks")
        ordering = ["-year", "institution__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "year"], name="evaluation_assessment_one_per_year",
                violation_error_message=_("Instansi ini sudah memiliki penilaian untuk tahun tersebut."),
            ),
            models.CheckConstraint(
                condition=models.Q(current_stage__in=[s.value for s in Stage]),
                name="evaluation_assessment_stage_valid",
                violation_error_message=_("Tahap penilaian tidak dikenal."),
            ),
        ]

    def __str__(self):
        """"Penilaian Indeks Pemdi 2026 — <instansi>": the index named by the instrument (select_related the
        framework and the institution where assessments are listed)."""
        from ..terms import term

        institution = self.institution.name if self.institution_id else "?"
        index = term(self.framework, "index") if self.framework_id else _("indeks")
        return _("Penilaian %(index)s %(year)s — %(institution)s") % {
            "index": index, "year": self.year, "institution": institution}

    def get_absolute_url(self):
        return reverse("evaluation:assessment", args=[self.pk])

    # --- stages --------------------------------------------------------------------------------

    def stages(self) -> list[Stage]:
        return [s for s in STAGE_ORDER if s != Stage.VISIT or self.with_site_visit]

    def started_stages(self) -> list[Stage]:
        stages = self.stages()
        current = Stage(self.current_stage)
        return stages[: stages.index(current) + 1] if current in stages else stages[:1]

    def previous_stage(self, stage) -> Stage | None:
        stages = self.stages()
        position = stages.index(Stage(stage))
        return stages[position - 1] if position > 0 else None

    def next_stage(self) -> Stage | None:
        stages = self.stages()
        position = stages.index(Stage(self.current_stage))
        return stages[position + 1] if position + 1 < len(stages) else None

    def locked_stages(self) -> set[str]:
        """Stages that are locked; uses prefetched ``locks`` when present."""
        cache = getattr(self, "_prefetched_objects_cache", {})
        if "locks" in cache:
            return {lock.stage for lock in cache["locks"]}
        if self.pk is None:
            return set()
        return set(self.locks.values_list("stage", flat=True))

    def is_locked(self, stage=None) -> bool:
        return (stage or self.current_stage) in self.locked_stages()

    def is_open(self) -> bool:
        """Can levels and evidence be changed now (the current stage is not locked)?"""
        return not self.is_locked(self.current_stage)

    # Fields fixed once a stage is locked: the locked result belongs to this instansi, year and instrument.
    FIXED_WHEN_LOCKED = ("institution", "year", "framework")

    def site_visit_changeable(self, stage=None) -> bool:
        """Can visitasi still be added or dropped? Only while it lies ahead of the current stage."""
        current = Stage(stage or self.current_stage)
        return STAGE_ORDER.index(current) < STAGE_ORDER.index(Stage.VISIT)

    def fixed_fields(self) -> set[str]:
        """The fields that can no longer change (forms disable them; ``clean`` refuses a change)."""
        fixed = set()
        if self.pk is None:
            return fixed
        fixed.add("institution")
        if self.locked_stages():
            fixed.update(self.FIXED_WHEN_LOCKED)
        elif self.scores.exists():
            fixed.add("framework")
        if not self.site_visit_changeable():
            fixed.add("with_site_visit")
        return fixed

    def clean(self):
        super().clean()
        if self.current_stage == Stage.VISIT and not self.with_site_visit:
            raise ValidationError({"with_site_visit": _("Penilaian sedang pada tahap visitasi; visitasi tidak dapat dihapus.")})
        if self.pk is None:
            if self.framework_id and not self.framework.is_active:
                raise ValidationError({"framework": _("Kerangka ini tidak aktif lagi untuk penilaian baru.")})
            return
        previous = (
            type(self).objects.filter(pk=self.pk)
            .values("framework_id", "institution_id", "year", "with_site_visit", "current_stage").first()
        )
        if previous is None:
            return
        if previous["institution_id"] != self.institution_id:
            raise ValidationError({"institution": _("Instansi sebuah penilaian tidak dapat dipindahkan.")})
        errors = {}
        if self.locked_stages():
            for name in self.FIXED_WHEN_LOCKED:
                column = self._meta.get_field(name).attname  # institution_id, year, framework_id
                if previous[column] != getattr(self, column):
                    errors[name] = _("Tidak dapat diubah setelah ada tahap penilaian yang dikunci.")
        if "framework" not in errors and previous["framework_id"] != self.framework_id and self.scores.exists():
            errors["framework"] = _("Kerangka tidak dapat diganti setelah ada tingkat yang diisi.")
        if previous["with_site_visit"] != self.with_site_visit and not self.site_visit_changeable(previous["current_stage"]):
            errors["with_site_visit"] = _(
                "Visitasi hanya dapat ditambahkan atau dihapus sebelum tahap visitasi; penilaian ini sudah pada tahap %(stage)s."
            ) % {"stage": Stage(previous["current_stage"]).label}
        if errors:
            raise ValidationError(errors)

    def delete(self, *args, **kwargs):
        if self.pk and self.locks.exists():
            raise ProtectedError(
                _("Penilaian dengan tahap yang sudah dikunci tidak dapat dihapus."), set(self.locks.all())
            )
        return super().delete(*args, **kwargs)


# One answer for "no such user" and "not a member here": nobody learns which usernames exist elsewhere.
NOT_A_MEMBER = _("Pengguna ini tidak ditemukan di antara anggota aktif instansi yang dinilai; anggota tim harus "
                 "anggota aktif instansi yang dinilai.")


class AssessmentTeamMember(BaseModel):
    """A person in the internal assessment team of one evaluation, with their role in it."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="team", verbose_name=_("penilaian")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="spbe_teams", verbose_name=_("pengguna")
    )
    role = models.CharField(_("peran dalam tim"), max_length=20, choices=TeamRole.choices, default=TeamRole.ASSESSOR)

    class Meta:
        verbose_name = _("Anggota Tim Penilai")
        verbose_name_plural = _("Anggota Tim Penilai")
        ordering = ["assessment", "role", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "user"], name="evaluation_team_member_unique",
                violation_error_message=_("Pengguna ini sudah menjadi anggota tim penilaian tersebut."),
            )
        ]

    def __str__(self):
        return f"{self.user}: {self.get_role_display()}"

    def get_absolute_url(self):
        return self.assessment.get_absolute_url()

    def clean(self):
        super().clean()
        if not (self.assessment_id and self.user_id):
            return
        from sia.organizations.models import Membership

        if not self.user.is_active or not Membership.objects.filter(
            user_id=self.user_id, institution_id=self.assessment.institution_id, is_active=True
        ).exists():
            raise ValidationError({"user": NOT_A_MEMBER})


class StageLock(BaseModel):
    """The closing of one stage: who locked it, when, and the result at that moment (unrounded)."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="locks", verbose_name=_("penilaian")
    )
    stage = models.CharField(_("tahap"), max_length=20, choices=Stage.choices)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("dikunci oleh"),
    )
    locked_at = models.DateTimeField(_("dikunci pada"), default=timezone.now)
    index = models.DecimalField(_("indeks"), max_digits=12, decimal_places=6)
    predicate = models.CharField(_("predikat"), max_length=60)
    results = models.JSONField(
        _("nilai domain dan aspek"), default=dict, blank=True,
        help_text=_("Nilai tanpa pembulatan, disimpan sebagai teks desimal."),
    )

    class Meta:
        verbose_name = _("Penguncian Tahap")
        verbose_name_plural = _("Penguncian Tahap")
        ordering = ["assessment", "locked_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "stage"], name="evaluation_stage_lock_unique",
                violation_error_message=_("Tahap ini sudah dikunci."),
            )
        ]

    def __str__(self):
        return f"{self.get_stage_display()} ({self.assessment.year})"

    def get_absolute_url(self):
        return self.assessment.get_absolute_url()
