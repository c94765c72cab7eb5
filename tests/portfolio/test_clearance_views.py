"""Clearance on the web: the similar-applications panel of the Aplikasi form (its htmx fragment), the panel
and clearance form on a to-be new application's page, and who may record."""

import re

import pytest
from django.urls import reverse

from sia.architecture.choices import ArchitectureState, ReviewStatus
from sia.architecture.models import Application
from sia.architecture.values import seed_value_lists
from sia.portfolio.models import Clearance

pytestmark = pytest.mark.django_db

SIMILAR = "/portofolio/aplikasi-serupa/"


@pytest.fixture
def proposal(world):
    seed_value_lists(world.inst)
    world.existing = Application.objects.create(
        department=world.dinkes, name="Sistem Informasi Kepegawaian", function="Data pegawai, cuti dan pangkat",
        status=ReviewStatus.VALIDATED,
    )
    world.proposed = Application.objects.create(
        department=world.kominfo, name="Sistem Informasi Kepegawaian Diskominfo", function="Data pegawai dan cuti",
        state=ArchitectureState.TO_BE_NEW,
    )
    return world


def test_the_new_application_form_carries_the_panel_wired_for_htmx(client, proposal):
    client.force_login(proposal.users["operator"])
    html = client.get("/arsitektur/aplikasi/tambah/").content.decode()
    panel = re.search(r'<section class="similar-apps" id="similar-apps".*?>', html, re.S).group(0)
    assert f'hx-get="{SIMILAR}"' in panel and "delay:600ms" in panel and "#id_name" in panel
    assert "hx-on" not in html and "<script>" not in html  # CSP: attributes and static files only
    assert "Aplikasi serupa yang sudah ada" in html


def test_typing_a_name_lists_the_existing_application_with_its_reasons(client, proposal):
    client.force_login(proposal.users["operator"])
    response = client.get(SIMILAR, {"name": "Sistem Kepegawaian", "function": "cuti pegawai",
                                    "department": proposal.kominfo.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert proposal.existing.code in html and 'data-testid="similar-item"' in html
    assert 'class="reasons"' in html
    assert 'target="_blank" rel="noopener"' in html  # opening one keeps the form being typed
    nothing = client.get(SIMILAR, {"name": "Portal Pariwisata", "department": proposal.kominfo.pk}).content.decode()
    assert 'data-testid="similar-none"' in nothing


@pytest.mark.parametrize("role,department,status", [
    ("operator", "kominfo", 200), ("operator", "dinkes", 403), ("admin", "dinkes", 200), ("leader", None, 403),
    ("verifier", None, 403), ("other_admin", "kominfo", 403),
])
def test_the_fragment_answers_only_those_who_write_applications_there(client, proposal, role, department, status):
    client.force_login(proposal.users[role])
    query = {"name": "Kepegawaian"}
    if department:
        query["department"] = getattr(proposal, department).pk
    assert client.get(SIMILAR, query).status_code == status


def test_the_fragment_for_an_edit_needs_the_right_to_change_it(client, proposal):
    client.force_login(proposal.users["operator_dinkes"])
    assert client.get(SIMILAR, {"name": "Kepegawaian", "pk": proposal.proposed.pk}).status_code == 403
    client.force_login(proposal.users["operator"])
    html = client.get(SIMILAR, {"name": "Kepegawaian", "pk": proposal.proposed.pk}).content.decode()
    assert proposal.existing.code in html and proposal.proposed.code not in html


def test_the_verifikator_sees_the_similar_ones_and_the_form_on_the_page(client, proposal):
    client.force_login(proposal.users["verifier"])
    html = client.get(proposal.proposed.get_absolute_url()).content.decode()
    assert 'id="kliring"' in html and proposal.existing.code in html
    assert f'action="{reverse("portfolio:clearance", args=[proposal.proposed.pk])}"' in html
    assert 'data-testid="clearance-pending"' in html
    assert 'name="decision" value=""' not in html  # three decisions, no empty radio button


def test_the_operator_sees_the_panel_without_the_form(client, proposal):
    client.force_login(proposal.users["operator"])
    html = client.get(proposal.proposed.get_absolute_url()).content.decode()
    assert 'id="kliring"' in html and "Catat kliring" not in html
    assert client.get(reverse("portfolio:clearance", args=[proposal.proposed.pk])).status_code == 403
    response = client.post(reverse("portfolio:clearance", args=[proposal.proposed.pk]),
                           {"decision": "lanjut", "reason": "Saya sendiri menyetujui."})
    assert response.status_code == 403 and not Clearance.objects.exists()


def test_no_clearance_for_an_existing_application(client, proposal):
    client.force_login(proposal.users["verifier"])
    assert 'id="kliring"' not in client.get(proposal.existing.get_absolute_url()).content.decode()
    assert client.get(reverse("portfolio:clearance", args=[proposal.existing.pk])).status_code == 404


def test_recording_a_reuse_with_reason_and_the_answer_on_the_page(client, proposal):
    client.force_login(proposal.users["verifier"])
    url = reverse("portfolio:clearance", args=[proposal.proposed.pk])
    missing = client.post(url, {"decision": "pakai-yang-ada", "reason": ""})
    assert missing.status_code == 400
    html = missing.content.decode()
    assert "Tuliskan alasan" in html or "wajib" in html.lower()
    assert not Clearance.objects.exists()
    no_target = client.post(url, {"decision": "pakai-yang-ada", "reason": "Sudah ada."})
    assert no_target.status_code == 400 and "Pilih aplikasi yang sudah ada" in no_target.content.decode()
    done = client.post(url, {"decision": "pakai-yang-ada", "reused_application": proposal.existing.pk,
                             "reason": "Pakai aplikasi kepegawaian Dinkes."})
    assert done.status_code == 302 and done["Location"].endswith("#kliring")
    clearance = Clearance.objects.get(application=proposal.proposed)
    assert clearance.decided_by == proposal.users["verifier"]
    page = client.get(proposal.proposed.get_absolute_url()).content.decode()
    assert 'data-testid="clearance-decision"' in page and "Pakai aplikasi kepegawaian Dinkes." in page
    assert "Kliring: Pakai aplikasi yang sudah ada" in page  # in the review conversation too
    client.force_login(proposal.users["operator"])
    assert "Pakai aplikasi kepegawaian Dinkes." in client.get(proposal.proposed.get_absolute_url()).content.decode()


def test_a_failed_save_of_the_form_keeps_the_similar_ones_in_view(client, proposal):
    client.force_login(proposal.users["operator"])
    response = client.post("/arsitektur/aplikasi/tambah/", {
        "department": proposal.kominfo.pk, "name": "Sistem Informasi Kepegawaian Baru", "function": "Data pegawai",
        "state": "to-be-baru", "period": "2025-2029", "lifecycle": "dihentikan",  # no end year: refused
    })
    assert response.status_code == 400
    assert proposal.existing.code in response.content.decode()


def test_in_a_large_instansi_the_reuse_choice_offers_the_similar_ones(client, proposal, monkeypatch):
    from sia.portfolio.forms import ClearanceForm

    unrelated = Application.objects.create(department=proposal.dinkes, name="Sistem Informasi Puskesmas")
    client.force_login(proposal.users["verifier"])
    url = reverse("portfolio:clearance", args=[proposal.proposed.pk])
    assert f'value="{unrelated.pk}"' in client.get(url).content.decode()
    monkeypatch.setattr(ClearanceForm, "MAX_CHOICES", 1)
    html = client.get(url).content.decode()
    assert f'value="{proposal.existing.pk}"' in html and f'value="{unrelated.pk}"' not in html


def test_the_core_panels_hook_serves_the_registered_model_and_place_only(rf, proposal):
    from sia.architecture.models import BusinessProcess
    from sia.core.panels import panels_for, register_object_page_panel

    request = rf.get("/")
    request.user = proposal.users["assessor"]
    def portfolio(obj, place):  # the portfolio's panels (other apps register theirs on every kind: insights)
        return [p["template"] for p in panels_for(request, obj, place) if p["template"].startswith("portfolio/")]

    assert portfolio(proposal.proposed, "detail") == [
        "portfolio/_clearance_panel.html", "portfolio/_assessment_panel.html"]  # in their order
    assert portfolio(proposal.proposed, "edit") == ["portfolio/_similar_panel.html"]
    assert portfolio(BusinessProcess(department=proposal.kominfo), "detail") == []
    with pytest.raises(ValueError):
        register_object_page_panel(Application, "sidebar")
