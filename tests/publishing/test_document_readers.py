"""Who reads a kept Dokumen Arsitektur SPBE: its requester only while they may still ask for that document. A
member who left the instansi, an operator moved to another OPD or a koordinator who became an operator no longer
reads the drafts their old document holds (API list, detail, download and the pages)."""

import pytest

from sia.core.permissions import forget_grants
from sia.organizations.models import Membership
from sia.publishing.choices import DocumentContent
from sia.publishing.jobs import request_document

URL = "/api/publishing/documents/"

pytestmark = pytest.mark.django_db


def readable(api, user, document) -> dict:
    client = api(user)
    return {
        "list": [row["id"] for row in client.get(URL).json()["results"]] == [document.pk],
        "detail": client.get(f"{URL}{document.pk}/").status_code == 200,
        "download": client.get(f"{URL}{document.pk}/download/").status_code == 200,
    }


def page_status(client, user, document) -> int:
    client.force_login(user)
    return client.get(f"/dokumen/{document.pk}/unduh/").status_code


def test_an_operator_moved_to_another_opd_no_longer_reads_their_old_opd_document(world, api, client):
    operator = world.users["operator"]
    document = request_document(operator, world.inst, department=world.kominfo, content=DocumentContent.ALL)
    assert readable(api, operator, document) == {"list": True, "detail": True, "download": True}
    assert page_status(client, operator, document) == 200
    Membership.objects.filter(user=operator).update(department=world.dinkes)
    forget_grants(operator)
    assert readable(api, operator, document) == {"list": False, "detail": False, "download": False}
    assert page_status(client, operator, document) == 404


def test_a_member_who_left_reads_nothing(world, api, client):
    verifier = world.users["verifier"]
    document = request_document(verifier, world.inst, content=DocumentContent.ALL)
    assert readable(api, verifier, document)["download"]
    Membership.objects.filter(user=verifier).update(is_active=False)
    forget_grants(verifier)
    assert not any(readable(api, verifier, document).values())
    assert page_status(client, verifier, document) == 404


def test_a_koordinator_become_operator_loses_the_whole_instansi_document(world, api):
    admin = world.users["admin"]
    document = request_document(admin, world.inst, content=DocumentContent.ALL)
    Membership.objects.filter(user=admin).update(role="operator", department=world.kominfo)
    forget_grants(admin)
    assert not any(readable(api, admin, document).values())
    # ... while a document of their new OPD, asked now, is theirs
    mine = request_document(admin, world.inst, department=world.kominfo)
    assert readable(api, admin, mine)["download"]
