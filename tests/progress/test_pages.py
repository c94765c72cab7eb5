"""The progress pages: the koordinator's (targets with their late OPDs, burn-up of the instansi), an OPD's (an
operator's own only), a target's, the form refusing bad input, the home panel; their queries do not grow with the
history (a year of snapshots) nor with the OPDs' objects."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from sia.evaluation.frameworks import install_default_frameworks
from sia.progress.models import ProgressSnapshot, Target
from sia.progress.snapshot import take_snapshot

from .conftest import today, target

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def year_of_history(w, days=365):
    rows = [ProgressSnapshot(institution=w.inst, department=d, domain=domain, date=today() - timedelta(days=n),
                             count=20 - n // 20, complete=10 - n // 40, filled=50, required=90, submitted=5)
            for n in range(1, days) for d in (w.kominfo, w.dinkes) for domain in ("aplikasi", "layanan")]
    ProgressSnapshot.objects.bulk_create(rows)


def test_koordinator_sees_targets_late_opds_and_the_burnup(programme):
    late = target(programme, name="Fungsi tercakup", rule="fungsi-proses")
    take_snapshot(today())
    response = client_for(programme.users["admin"]).get(reverse("progress:overview"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-target="{late.pk}" data-state="terlambat"' in html
    assert 'data-late-opd="DINKES"' in html and 'data-late-opd="DISKOMINFO"' not in html
    assert 'data-chart="kemajuan-instansi"' in html and "<script>" not in html  # no inline script (CSP)


def test_operator_reads_their_own_opd_only(programme):
    take_snapshot(today())
    target(programme, name="Semua OPD", rule="fungsi-proses")
    target(programme, name="Khusus Dinkes", rule="pengajuan", domain="aplikasi", department=programme.dinkes)
    client = client_for(programme.users["operator"])
    response = client.get(reverse("progress:overview"))
    assert response.status_code == 302 and response["Location"] == reverse("progress:department",
                                                                              args=[programme.kominfo.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Semua OPD" in page and "Khusus Dinkes" not in page and 'data-late-opd="DINKES"' not in page
    assert client.get(reverse("progress:department", args=[programme.dinkes.pk])).status_code == 404
    assert client_for(programme.users["other_admin"]).get(
        reverse("progress:department", args=[programme.kominfo.pk])).status_code == 404
    assert client.get(reverse("progress:overview") + f"?instansi={programme.other.pk}").status_code == 404


def test_target_page_shows_the_breakdown_and_burnup(programme):
    obj = target(programme, rule="pengajuan", domain="aplikasi")
    take_snapshot(today())
    html = client_for(programme.users["leader"]).get(obj.get_absolute_url()).content.decode()
    assert 'data-opd="DISKOMINFO" data-state="sesuai-jadwal"' in html
    assert 'data-opd="DINKES" data-state="terlambat"' in html
    assert f'data-chart="target-{obj.pk}"' in html and "viz-target" in html


def test_index_target_with_the_trend(world):
    install_default_frameworks()
    from sia.evaluation.models import FrameworkVersion

    obj = target(world, name="Indeks SPBE 2,60", rule="indeks", framework=FrameworkVersion.objects.get(
        code="permenpanrb-59-2020"), index_baseline=Decimal("2.49"), index_target=Decimal("2.60"),
        deadline=today().replace(month=12, day=31))
    html = client_for(world.users["admin"]).get(obj.get_absolute_url()).content.decode()
    assert 'data-testid="target-index"' in html and "Target 2,60" in html
    assert 'data-testid="target-state">Belum ada data' in html


def test_the_form_refuses_bad_input_and_writes_nothing(world):
    client = client_for(world.users["admin"])
    data = {"institution": world.inst.pk, "name": "Aplikasi diajukan", "rule": "pengajuan", "domain": "aplikasi",
            "level": "diajukan", "start_date": today().isoformat(),
            "deadline": (today() - timedelta(days=3)).isoformat()}
    response = client.post(reverse("progress:target_add"), data)
    assert response.status_code == 400 and "sudah lewat" in response.content.decode()
    response = client.post(reverse("progress:target_add"), data | {
        "rule": "kelengkapan", "threshold": "120", "deadline": (today() + timedelta(days=3)).isoformat()})
    assert response.status_code == 400
    assert Target.objects.count() == 0
    response = client.post(reverse("progress:target_add"),
                           data | {"deadline": (today() + timedelta(days=3)).isoformat()})
    assert response.status_code == 302 and Target.objects.get().domain == "aplikasi"
    operator = client_for(world.users["operator"])
    assert operator.get(reverse("progress:target_add")).status_code == 403


def test_home_panel_numbers(programme):
    target(programme, name="Fungsi tercakup", rule="fungsi-proses")
    home = client_for(programme.users["admin"]).get("/").content.decode()
    assert reverse("progress:dashboard") in home
    admin = client_for(programme.users["admin"]).get(reverse("progress:dashboard")).content.decode()
    assert 'data-testid="panel-late-opds"' in admin and "DINKES" in admin
    operator = client_for(programme.users["operator"]).get(reverse("progress:dashboard")).content.decode()
    assert "DISKOMINFO: Sesuai jadwal" in operator and "DINKES" not in operator


PAGES = ("progress:overview", "progress:dashboard", "progress:target_list")


def test_queries_do_not_grow_with_history_or_targets(programme, count_queries, query_budget):
    client = client_for(programme.users["admin"])
    obj = target(programme, rule="pengajuan", domain="aplikasi")
    urls = {name: reverse(name) for name in PAGES}
    urls["progress:target"] = obj.get_absolute_url()
    urls["progress:department"] = reverse("progress:department", args=[programme.kominfo.pk])
    take_snapshot(today())
    before = {name: count_queries(lambda: client.get(url))[0] for name, url in urls.items()}
    year_of_history(programme)
    for n in range(3):
        from sia.architecture.models import Application

        Application.objects.create(department=programme.dinkes, name=f"Aplikasi tambahan {n}")
    take_snapshot(today())
    for name, url in urls.items():
        after, response = count_queries(lambda: client.get(url))
        assert response.status_code == 200, name
        assert after == before[name], (name, before[name], after)
        assert after <= query_budget[name.replace(":", ".")], (name, after)


def test_api_lists_keep_their_budget(programme, api, count_queries, query_budget):
    client = api(programme.users["admin"])
    for n in range(3):
        target(programme, name=f"Target {n}", rule="pengajuan", domain="aplikasi")
    take_snapshot(today())
    year_of_history(programme, days=5)
    for name, url in (("progress.api.targets", "/api/progress/targets/"),
                      ("progress.api.snapshots", "/api/progress/snapshots/")):
        queries, response = count_queries(lambda: client.get(url))
        assert response.status_code == 200 and queries <= query_budget[name], (name, queries)
