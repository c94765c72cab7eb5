"""A whole instansi as JSON and back: nothing lost, on SQLite and on PostgreSQL (the suite runs on both)."""

import json
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder

from sia.architecture import workflow
from sia.architecture.models import BusinessProcess, ReviewEvent, Service
from sia.architecture.valuelists import suggested_values
from sia.core.roles import Role
from sia.evaluation.models import (
    Assessment, AssessmentTeamMember, Evidence, EvidenceFile, FrameworkVersion, IndicatorScore, StageLock,
)
from sia.exchange.snapshot import RestoreError, uncovered_models
from sia.exchange.snapshot_export import export_institution
from sia.exchange.snapshot_restore import restore_institution
from sia.organizations.models import Institution
from sia.reference.models import ReferenceNode


pytestmark = pytest.mark.django_db


@pytest.fixture
def full(ex, world):
    """The instansi with a bit of everything: an own reference node, a review conversation, an assessment."""
    own = ReferenceNode(version=ex.node("RAB.09.03.04").version, code="RAB.09.03.04.01", name="Statistik Sektoral Daerah",
                        institution=world.inst)
    own.full_clean()
    own.save()
    child = BusinessProcess.objects.create(department=world.kominfo, name="Subproses", parent=ex.process, reference=own)
    child.functions.set(ex.functions)
    workflow.record_creation(child, world.users["operator"])
    workflow.apply(ex.process, workflow.A.SUBMIT, world.users["operator"])
    workflow.apply(ex.process, workflow.A.RETURN, world.users["verifier"], "Lengkapi IKU.")
    framework = FrameworkVersion.objects.filter(is_active=True).first()
    indicator = framework.indicators.order_by("number").first()
    assessment = Assessment.objects.create(institution=world.inst, year=2025, framework=framework, notes="Catatan")
    AssessmentTeamMember.objects.create(assessment=assessment, user=world.users["assessor"])
    IndicatorScore.objects.create(assessment=assessment, indicator=indicator, level=3, fakta="Ada SK",
                                  assessed_by=world.users["assessor"])
    blob = EvidenceFile.objects.create(sha256="ab" * 32, file="evidence/ab/" + "ab" * 32 + ".pdf", size=1234,
                                       mime="application/pdf")
    Evidence.objects.create(assessment=assessment, indicator=indicator, title="SK Tim", blob=blob,
                            added_by=world.users["assessor"])
    Evidence.objects.create(assessment=assessment, indicator=indicator, title="Portal", url="https://data.example.go.id")
    StageLock.objects.create(assessment=assessment, stage="dokumen", index=Decimal("2.512345"), predicate="Baik",
                             results={"domain": {"1": "2.5"}}, locked_by=world.users["admin"])
    return world.inst


def comparable(document, code=None, name=None):
    """The document as JSON text, without the export time and with the instansi's code and name replaced."""
    data = json.loads(json.dumps(document, cls=DjangoJSONEncoder))
    data.pop("exported_at")
    data["institution"] = code or data["institution"]
    row = data["sections"]["organizations.institution"][0]
    row["code"], row["name"] = code or row["code"], name or row["name"]
    return data


def test_round_trip_loses_nothing(full, world):
    first = export_institution(full)
    assert {name: len(rows) for name, rows in first["sections"].items() if rows} == {
        "organizations.institution": 1, "organizations.department": 2, "organizations.workunit": 2,
        "organizations.departmentfunction": 3, "organizations.membership": 6, "reference.referencenode": 1,
        "architecture.valuelistitem": sum(map(len, suggested_values().values())),
        "architecture.businessprocess": 3, "architecture.service": 1,
        "architecture.dataitem": 1, "architecture.reviewevent": 3, "evaluation.assessment": 1,
        "evaluation.assessmentteammember": 1, "evaluation.indicatorscore": 1, "evaluation.evidence": 2,
        "evaluation.stagelock": 1,
    }
    restored = restore_institution(json.loads(json.dumps(first, cls=DjangoJSONEncoder)), user=world.users["superuser"],
                                   code="9999", name="Salinan", confirm_users=True).institution
    second = export_institution(restored)
    assert comparable(second) == comparable(first, code="9999", name="Salinan")
    copy = BusinessProcess.objects.get(institution=restored, name="Subproses")
    assert copy.parent.institution == restored and copy.reference.institution == restored
    assert copy.parent.name == "Pengelolaan Data Statistik" and copy.parent.status == "dikembalikan"
    assert Service.objects.get(institution=restored).processes.get().institution == restored
    assert workflow.conversation(copy.parent).last().comment == "Lengkapi IKU."
    assert Assessment.objects.get(institution=restored).evidence.filter(blob__sha256="ab" * 32).exists()


def test_restore_writes_history_under_one_request_id(full, world):
    restored = restore_institution(export_institution(full), user=world.users["superuser"], code="9998",
                                   confirm_users=True).institution
    records = BusinessProcess.history.filter(institution_id=restored.pk)
    assert records.count() == 3 and len({r.request_id for r in records}) == 1
    assert {r.history_user for r in records} == {world.users["superuser"]}
    assert Institution.history.filter(id=restored.pk, request_id=records[0].request_id).exists()


def renamed(data, old, new):
    """The snapshot as if user ``old`` were called ``new`` (a user the target database does not have)."""
    text = json.dumps(data, cls=DjangoJSONEncoder).replace(f'"{old}"', f'"{new}"')
    return json.loads(text)


def test_users_missing_in_the_target_are_created_without_their_password_unless_asked(full, world):
    restored = restore_institution(renamed(export_institution(full), "op.kominfo", "op.kominfo.baru"), code="9997",
                                   confirm_users=True).institution
    user = get_user_model().objects.get(username="op.kominfo.baru")
    assert not user.has_usable_password() and not user.is_superuser
    assert user.memberships.get().institution == restored and user.memberships.get().role == Role.OPERATOR
    assert ReviewEvent.objects.filter(institution=restored, user=user).exists()

    data = renamed(export_institution(full, credentials=True), "op.kominfo", "op.kominfo.lagi")
    restore_institution(data, code="9996", confirm_users=True, accept_password_hashes=True)
    assert get_user_model().objects.get(username="op.kominfo.lagi").check_password("rahasia-uji-123")


def test_dangling_references_are_reported(full, world):
    data = export_institution(full)
    data["shared"]["core.user"] = [row for row in data["shared"]["core.user"] if row["username"] != "op.kominfo"]
    data = renamed(data, "op.kominfo", "op.hilang")
    with pytest.raises(RestoreError) as error:
        restore_institution(data, code="9993", confirm_users=True)
    assert "op.hilang" in str(error.value)


def test_missing_reference_data_stops_the_restore(full, world):
    data = export_institution(full)
    data["sections"]["architecture.service"][0]["reference"] = ["RAL", "Versi Yang Tidak Ada", "RAL.01.43.04"]
    institutions = Institution.objects.count()
    with pytest.raises(RestoreError) as error:
        restore_institution(data, code="9995", confirm_users=True)
    assert "Versi Yang Tidak Ada" in str(error.value)
    assert Institution.objects.count() == institutions


def test_existing_code_is_refused(full):
    with pytest.raises(RestoreError):
        restore_institution(export_institution(full), confirm_users=True)


def test_every_model_of_an_instansi_is_in_the_snapshot():
    assert uncovered_models() == []


def test_review_events_point_to_the_restored_objects(full, world):
    restored = restore_institution(export_institution(full), code="9994", confirm_users=True).institution
    events = ReviewEvent.objects.filter(institution=restored)
    assert events.count() == 3 and all(event.target.institution_id == restored.pk for event in events)
