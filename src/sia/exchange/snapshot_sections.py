"""What an instansi snapshot holds, in restore order. Another app adds its own rows with
``snapshot.register_section`` (and ``register_natural_key`` for rows it refers to outside the
instansi); ``snapshot.uncovered_models()`` lists models that hang off an instansi but are in no
section, and a test keeps that list empty."""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType

from sia.architecture.models import ApplicationIntegration, ReviewEvent, ValueListItem
from sia.architecture.registry import domain_models
from sia.notifications.models import Notification
from sia.organizations.models import Department, DepartmentFunction, Institution, Membership, MentorAssignment, WorkUnit
from sia.reference.models import Catalog, CatalogVersion, ReferenceNode

from .models import ImportRecord, SnapshotJob
from .snapshot import (
    exclude_from_snapshot, register_file_check, register_natural_key, register_section, register_shared,
)

register_shared(get_user_model(), "username", ("first_name", "last_name", "email", "is_active", "date_joined"),
                secret=("password",), confirm=True)
register_natural_key(ContentType, ("app_label", "model"))
register_natural_key(Catalog, ("code",))
register_natural_key(CatalogVersion, ("catalog__code", "name"))
register_natural_key(ReferenceNode, ("version__catalog__code", "version__name", "code"), institution__isnull=True)

register_section(Institution, lambda inst: Institution.objects.filter(pk=inst.pk))
register_section(Department, lambda inst: Department.objects.filter(institution=inst), key=("abbreviation",))
register_section(WorkUnit, lambda inst: WorkUnit.objects.filter(department__institution=inst))
register_section(DepartmentFunction, lambda inst: DepartmentFunction.objects.filter(department__institution=inst))
register_section(Membership, lambda inst: Membership.objects.filter(institution=inst), grants=("user", "role"))
register_section(MentorAssignment, lambda inst: MentorAssignment.objects.filter(department__institution=inst))
register_section(ReferenceNode, lambda inst: ReferenceNode.objects.filter(institution=inst))
register_section(ValueListItem, lambda inst: ValueListItem.objects.filter(institution=inst), key=("kind", "name"))
for _model in domain_models():
    register_section(_model, lambda inst, model=_model: model.objects.filter(institution=inst))
register_section(ApplicationIntegration, lambda inst: ApplicationIntegration.objects.filter(institution=inst))
register_section(ReviewEvent, lambda inst: ReviewEvent.objects.filter(institution=inst))
exclude_from_snapshot(ImportRecord)
# The archives themselves (and their jobs) are this server's: an archive never holds the archives before it.
exclude_from_snapshot(SnapshotJob)
# A user's messages are about this server's rows and links; a moved instansi starts with an empty centre.
exclude_from_snapshot(Notification)


def _evaluation() -> None:
    """The SPBE index assessments of the instansi, when the evaluation app has them."""
    if not apps.is_installed("sia.evaluation"):
        return
    try:
        Assessment = apps.get_model("evaluation", "Assessment")
        TeamMember = apps.get_model("evaluation", "AssessmentTeamMember")
        Score = apps.get_model("evaluation", "IndicatorScore")
        Evidence = apps.get_model("evaluation", "Evidence")
        EvidenceFile = apps.get_model("evaluation", "EvidenceFile")
        StageLock = apps.get_model("evaluation", "StageLock")
        FrameworkVersion = apps.get_model("evaluation", "FrameworkVersion")
        Indicator = apps.get_model("evaluation", "Indicator")
        EvidenceItem = apps.get_model("evaluation", "EvidenceItem")
        ItemReview = apps.get_model("evaluation", "EvidenceItemReview")
    except LookupError:
        return
    register_natural_key(FrameworkVersion, ("code",))
    register_natural_key(Indicator, ("framework__code", "number"))
    register_natural_key(EvidenceItem, ("framework__code", "code"))  # an instrument's evidence item (I13-L2-01)
    register_shared(EvidenceFile, "sha256", ("file", "size", "mime"), content_hash="file")
    from sia.evaluation.uploads import check_evidence_upload  # the evidence upload's own check

    register_file_check(EvidenceFile, "file", lambda upload: {"mime": check_evidence_upload(upload), "size": upload.size})
    register_section(Assessment, lambda inst: Assessment.objects.filter(institution=inst))
    register_section(TeamMember, lambda inst: TeamMember.objects.filter(assessment__institution=inst),
                     grants=("user", "role"))
    register_section(Score, lambda inst: Score.objects.filter(assessment__institution=inst))
    register_section(Evidence, lambda inst: Evidence.objects.filter(assessment__institution=inst))
    register_section(StageLock, lambda inst: StageLock.objects.filter(assessment__institution=inst))
    register_section(ItemReview, lambda inst: ItemReview.objects.filter(assessment__institution=inst))


_evaluation()
