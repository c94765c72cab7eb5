"""The register travels in the instansi snapshot: documents (their replacement, indicators and the shared stored
file) and the team members come back in the restored instansi."""

import pytest

from sia.exchange.snapshot_export import export_institution
from sia.exchange.snapshot_restore import restore_institution
from sia.governance.choices import DocumentStatus, TeamRole
from sia.governance.models import PolicyDocument, TeamMember

from .conftest import add_members, make_document

pytestmark = pytest.mark.django_db


def test_the_register_is_restored(world, frameworks):
    new = make_document(world.inst, number="2/2025")
    add_members(new, ("Fadli Djailolo", "Kepala Diskominfosan", TeamRole.SECRETARY))
    make_document(world.inst, number="1/2021", status=DocumentStatus.REPLACED, replaced_by=new)
    data = export_institution(world.inst)
    assert len(data["sections"]["governance.policydocument"]) == 2
    restored = restore_institution(data, code="9996", confirm_users=True).institution
    documents = {d.number: d for d in PolicyDocument.objects.filter(institution=restored)}
    assert documents["1/2021"].replaced_by == documents["2/2025"]
    assert documents["2/2025"].blob_id == new.blob_id  # the same stored file
    assert sorted(documents["2/2025"].indicators.values_list("pk", flat=True)) == \
        sorted(new.indicators.values_list("pk", flat=True))
    assert TeamMember.objects.get(document=documents["2/2025"]).name == "Fadli Djailolo"
