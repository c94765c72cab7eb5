"""Rules that hold on every path: levels 1-5, one assessment per year, stages, locks, team membership."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from sia.core import permissions
from sia.core.roles import Role
from sia.evaluation import services
from sia.evaluation.choices import Stage, TeamRole
from sia.evaluation.models import Assessment, AssessmentTeamMember, Indicator, IndicatorScore, StageLock
from sia.evaluation.models.scores import StageLockedError

from .. import factories as f
from .conftest import DEMO_LEVELS, make_assessment

pytestmark = pytest.mark.django_db


def indicator(framework, number):
    return Indicator.objects.get(framework=framework, number=number)


@pytest.mark.parametrize("level", [0, 6, -1])
def test_level_outside_1_to_5_is_refused_by_validation(world, framework, level):
    assessment = make_assessment(world, framework)
    with pytest.raises(ValidationError) as caught:
        services.set_level(assessment, indicator(framework, 11), level, user=world.users["assessor"])
    assert "level" in caught.value.message_dict
    assert not IndicatorScore.objects.filter(assessment=assessment).exists()


def test_level_outside_1_to_5_is_refused_by_the_database(world, framework):
    assessment = make_assessment(world, framework)
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorScore.objects.create(assessment=assessment, indicator=indicator(framework, 11), level=7)


def test_one_assessment_per_institution_and_year(world, framework):
    make_assessment(world, framework)
    duplicate = Assessment(institution=world.inst, year=2024, framework=framework)
    with pytest.raises(ValidationError, match="sudah memiliki penilaian untuk tahun tersebut"):
        duplicate.full_clean()


def test_indicator_of_another_framework_is_refused(world, framework):
    from sia.evaluation.models import FrameworkGroup, FrameworkVersion

    other = FrameworkVersion.objects.create(code="lain", name="Lain", source_file="x.yaml", sha256="1" * 64)
    domain = FrameworkGroup.objects.create(framework=other, depth=0, level="domain", number=1, name="D",
                                           weight=Decimal(100))
    aspect = FrameworkGroup.objects.create(framework=other, parent=domain, depth=1, level="aspect", number=1,
                                           name="A", weight=Decimal(100))
    foreign = Indicator.objects.create(
        framework=other, group=aspect, number=1, name="I", weight=Decimal(100),
        level_1="a", level_2="b", level_3="c", level_4="d", level_5="e",
    )
    assessment = make_assessment(world, framework)
    with pytest.raises(ValidationError, match="bukan bagian dari kerangka"):
        services.set_level(assessment, foreign, 3, user=world.users["assessor"])


def test_set_level_records_assessor_time_and_explanation(world, framework):
    assessment = make_assessment(world, framework)
    score = services.set_level(
        assessment, indicator(framework, 11), 3, user=world.users["assessor"],
        fakta="Dokumen Arsitektur SPBE ditetapkan", analisis="Mencakup semua domain", justifikasi="Belum direviu",
    )
    assert (score.stage, score.level, score.assessed_by) == (Stage.SELF, 3, world.users["assessor"])
    assert score.assessed_at is not None and score.fakta.startswith("Dokumen")
    again = services.set_level(assessment, indicator(framework, 11), 4, user=world.users["assessor"])
    assert again.pk == score.pk and again.level == 4
    assert score.history.count() == 2  # the audit trail keeps the change


def test_lock_needs_every_level_and_stores_the_exact_result(world, framework):
    assessment = make_assessment(world, framework, levels={n: lv for n, lv in DEMO_LEVELS.items() if n != 47})
    with pytest.raises(ValidationError, match="indikator 47 belum diisi"):
        services.lock_stage(assessment, user=world.users["admin"])
    services.set_level(assessment, indicator(framework, 47), 2, user=world.users["assessor"])
    lock = services.lock_stage(assessment, user=world.users["admin"])
    lock.refresh_from_db()
    assert lock.index == Decimal("2.49") and lock.predicate == "Cukup"
    assert lock.results["aspects"]["6"].startswith("1.33333333333333333")
    assert assessment.is_locked(Stage.SELF)


def test_locked_stage_is_read_only_for_everyone(world, framework):
    assessment = make_assessment(world, framework, levels=DEMO_LEVELS)
    services.lock_stage(assessment, user=world.users["admin"])
    target = indicator(framework, 11)
    with pytest.raises(ValidationError, match="sudah dikunci"):
        services.set_level(assessment, target, 3, user=world.users["superuser"])
    score = IndicatorScore.objects.get(assessment=assessment, indicator=target, stage=Stage.SELF)
    score.level = 5
    with pytest.raises(StageLockedError):
        score.save()  # even without validation
    assert IndicatorScore.objects.get(pk=score.pk).level == 2


def test_advance_starts_the_next_stage_from_the_previous_levels(world, framework):
    assessment = make_assessment(world, framework, levels=DEMO_LEVELS)
    stage = services.advance_stage(assessment, user=world.users["admin"])
    assessment.refresh_from_db()
    assert stage == Stage.DOCUMENT == assessment.current_stage
    assert assessment.is_locked(Stage.SELF) and not assessment.is_locked(Stage.DOCUMENT)
    copied = services.stage_levels(assessment, Stage.DOCUMENT)
    assert copied == DEMO_LEVELS
    assert IndicatorScore.objects.filter(assessment=assessment, stage=Stage.DOCUMENT, carried_over=True).count() == 47
    services.set_level(assessment, indicator(framework, 43), 2, user=world.users["assessor"])
    rows = services.summaries(assessment)
    assert [r.stage for r in rows] == [Stage.SELF, Stage.DOCUMENT]
    assert rows[0].result.index == Decimal("2.49") and rows[1].result.index == Decimal("2.46")
    assert rows[1].change == Decimal("-0.03")


def test_visit_stage_only_when_chosen(world, framework):
    plain = make_assessment(world, framework)
    assert Stage.VISIT not in plain.stages()
    visited = make_assessment(world, framework, year=2025, with_site_visit=True)
    assert visited.stages() == [Stage.SELF, Stage.DOCUMENT, Stage.INTERVIEW, Stage.VISIT, Stage.FINAL]


def test_the_last_stage_cannot_advance(world, framework):
    assessment = make_assessment(world, framework, levels=DEMO_LEVELS)
    while assessment.next_stage() is not None:
        services.advance_stage(assessment, user=world.users["admin"])
    with pytest.raises(ValidationError, match="tahap terakhir"):
        services.advance_stage(assessment, user=world.users["admin"])


def test_only_the_current_stage_can_be_written(world, framework):
    assessment = make_assessment(world, framework, levels=DEMO_LEVELS)
    score = IndicatorScore(assessment=assessment, indicator=indicator(framework, 1), stage=Stage.FINAL, level=3)
    with pytest.raises(ValidationError, match="tahap yang sedang berjalan"):
        score.full_clean()


def test_team_members_must_belong_to_the_institution(world, framework):
    assessment = make_assessment(world, framework, team=())
    outsider = AssessmentTeamMember(assessment=assessment, user=world.users["other_admin"], role=TeamRole.ASSESSOR)
    with pytest.raises(ValidationError, match="anggota aktif instansi"):
        outsider.full_clean()


def test_assessment_with_a_locked_stage_cannot_be_deleted(world, framework):
    assessment = make_assessment(world, framework, levels=DEMO_LEVELS)
    services.lock_stage(assessment, user=world.users["admin"])
    with pytest.raises(ProtectedError):
        assessment.delete()
    assert StageLock.objects.filter(assessment=assessment).exists()


def test_roles_and_team(world, framework):
    assessment = make_assessment(world, framework, team=(("operator", TeamRole.DATA_ENTRY),))
    probe = IndicatorScore(assessment=assessment, indicator=indicator(framework, 1), stage=Stage.SELF)
    u = world.users
    assert permissions.can(u["assessor"], permissions.ADD, probe)  # Role.ASSESSOR of the instansi
    assert not permissions.can(u["admin"], permissions.ADD, probe)  # admin manages, does not score
    assert not permissions.can(u["leader"], permissions.ADD, probe)
    assert not permissions.can(u["operator"], permissions.ADD, probe)  # data entry: evidence only
    assert permissions.can(u["operator"], permissions.VIEW, assessment)  # on the team
    assert not permissions.can(u["operator_dinkes"], permissions.VIEW, assessment)  # not on the team
    assert permissions.can(u["admin"], "lock", assessment) and not permissions.can(u["assessor"], "lock", assessment)
    lead = f.member(world.inst, Role.OPERATOR, world.dinkes, username="op.lead")
    AssessmentTeamMember.objects.create(assessment=assessment, user=lead, role=TeamRole.LEAD)
    assert permissions.can(lead, "lock", assessment) and permissions.can(lead, permissions.ADD, probe)
    assert list(permissions.visible(u["operator_dinkes"], Assessment)) == []
    assert list(permissions.visible(u["other_admin"], Assessment)) == []


# --- a closed assessment keeps its instansi, year, framework and stages -------------------------------


def test_once_a_stage_is_locked_year_institution_and_framework_are_fixed(world, framework):
    from sia.evaluation.framework_loader import load_framework_file
    from sia.evaluation.frameworks import install_framework

    from .conftest import FRAMEWORK_FILE

    other = install_framework(load_framework_file(FRAMEWORK_FILE, code="uji-lain", name="Instrumen Uji Lain"))
    assessment = make_assessment(world, framework, levels=DEMO_LEVELS)
    assessment.year = 2022
    assessment.full_clean()  # still open: the year may be corrected
    assessment.refresh_from_db()
    services.lock_stage(assessment, user=world.users["admin"])
    assessment = Assessment.objects.get(pk=assessment.pk)
    for field, value in (("year", 2022), ("framework", other), ("institution", world.other)):
        changed = Assessment.objects.get(pk=assessment.pk)
        setattr(changed, field, value)
        with pytest.raises(ValidationError) as caught:
            changed.full_clean()
        assert field in caught.value.message_dict, field
    assert "institution" in assessment.fixed_fields() and {"year", "framework"} <= assessment.fixed_fields()


def test_site_visit_may_change_only_while_visitasi_lies_ahead(world, framework):
    assessment = make_assessment(world, framework, levels=DEMO_LEVELS)
    services.lock_stage(assessment, user=world.users["admin"])  # penilaian mandiri locked, visitasi ahead
    assessment.with_site_visit = True
    assessment.full_clean()
    assessment.save()
    assert "with_site_visit" not in assessment.fixed_fields()
    while assessment.next_stage() is not None:
        services.advance_stage(assessment, user=world.users["admin"])
    assessment = Assessment.objects.get(pk=assessment.pk)
    assert assessment.current_stage == Stage.FINAL
    assessment.with_site_visit = False
    with pytest.raises(ValidationError) as caught:
        assessment.full_clean()
    assert "with_site_visit" in caught.value.message_dict
    assert "with_site_visit" in Assessment.objects.get(pk=assessment.pk).fixed_fields()


def test_a_finished_assessment_gets_no_phantom_visitasi_stage(world, framework):
    assessment = make_assessment(world, framework, levels=DEMO_LEVELS)
    while assessment.next_stage() is not None:
        services.advance_stage(assessment, user=world.users["admin"])
    services.lock_stage(assessment, user=world.users["admin"])
    assessment = Assessment.objects.get(pk=assessment.pk)
    assessment.with_site_visit = True
    with pytest.raises(ValidationError, match="sebelum tahap visitasi"):
        assessment.full_clean()


def test_advance_copies_the_explanation_and_records_who_copied(world, framework):
    assessment = make_assessment(world, framework, levels=DEMO_LEVELS)
    services.set_level(assessment, indicator(framework, 11), 3, user=world.users["assessor"],
                       fakta="Dokumen ditetapkan", analisis="Semua domain", justifikasi="Belum direviu")
    services.advance_stage(assessment, user=world.users["admin"])
    copied = IndicatorScore.objects.get(assessment=assessment, indicator__number=11, stage=Stage.DOCUMENT)
    assert (copied.level, copied.fakta, copied.analisis, copied.justifikasi) == (
        3, "Dokumen ditetapkan", "Semua domain", "Belum direviu"
    )
    assert copied.carried_over and copied.assessed_by == world.users["admin"] and copied.assessed_at is not None
    assert copied.history.first().history_change_reason == "disalin dari tahap sebelumnya"
    assert not IndicatorScore.objects.filter(assessment=assessment, stage=Stage.DOCUMENT, assessed_by=None).exists()


def test_team_member_refusal_does_not_tell_whether_the_user_exists(world, framework):
    from django.contrib.auth import get_user_model

    assessment = make_assessment(world, framework, team=())
    inactive = world.users["operator"]
    get_user_model().objects.filter(pk=inactive.pk).update(is_active=False)
    inactive.refresh_from_db()
    messages = set()
    for user in (world.users["other_admin"], inactive):
        with pytest.raises(ValidationError) as caught:
            AssessmentTeamMember(assessment=assessment, user=user, role=TeamRole.ASSESSOR).full_clean()
        messages.add(tuple(caught.value.message_dict["user"]))
    assert len(messages) == 1


def test_explanations_and_notes_have_length_limits(world, framework):
    """Issue 10: sane limits on long texts, in the model's validation (forms, API and services alike)."""
    from sia.core.fields import FREE_TEXT_MAX
    from sia.evaluation.models.scores import ASSESSMENT_TEXT_MAX

    assessment = make_assessment(world, framework)
    with pytest.raises(ValidationError) as error:
        services.set_level(assessment, indicator(framework, 11), 3, user=world.users["assessor"],
                           justifikasi="j" * (ASSESSMENT_TEXT_MAX + 1))
    assert list(error.value.message_dict) == ["justifikasi"]
    assessment.notes = "n" * (FREE_TEXT_MAX + 1)
    with pytest.raises(ValidationError) as error:
        assessment.full_clean()
    assert list(error.value.message_dict) == ["notes"]
