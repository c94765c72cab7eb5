"""The Aplikasi form and API offer the user's instansi's active values (basis, bahasa) and active OPDs
(OPD pengguna) only, and refuse others with a field error."""

import pytest
from django.urls import reverse

from sia.architecture.choices import ApplicationLifecycle, ValueListKind
from sia.architecture.forms import form_for
from sia.architecture.models import Application, ValueListItem

from .. import factories as f

pytestmark = pytest.mark.django_db

API = "/api/architecture/applications/"


def item(institution, kind, name):
    return ValueListItem.objects.get(institution=institution, kind=kind, name=name)


def post_body(world, **extra):
    body = {"department": world.kominfo.pk, "name": "Aplikasi Uji", "period": "2025-2029", "state": "as-is",
            "lifecycle": ApplicationLifecycle.PRODUCTION}
    body.update(extra)
    return body


@pytest.fixture
def lists(arch, world):
    class Lists:
        web = item(world.inst, ValueListKind.APP_PLATFORM, "Web")
        mobile = item(world.inst, ValueListKind.APP_PLATFORM, "Mobile")
        far_web = item(world.other, ValueListKind.APP_PLATFORM, "Web")
        python = item(world.inst, ValueListKind.APP_LANGUAGE, "Python")
        far_python = item(world.other, ValueListKind.APP_LANGUAGE, "Python")
        retired = ValueListItem.objects.create(institution=world.inst, kind=ValueListKind.APP_PLATFORM, name="WAP",
                                               is_active=False)
        closed = f.department(world.inst, name="Dinas Lama", abbreviation="DLAMA")

    Lists.closed.is_active = False
    Lists.closed.save()
    return Lists


def test_form_offers_the_instansi_s_active_values_and_opds_only(lists, world):
    form = form_for(Application)(user=world.users["operator"])
    platforms = set(form.fields["platforms"].queryset)
    assert {lists.web, lists.mobile} <= platforms
    assert lists.far_web not in platforms and lists.retired not in platforms
    assert all(p.kind == ValueListKind.APP_PLATFORM for p in platforms)
    languages = set(form.fields["languages"].queryset)
    assert lists.python in languages and lists.far_python not in languages
    departments = set(form.fields["user_departments"].queryset)
    assert departments == {world.kominfo, world.dinkes}


def test_form_refuses_values_and_opds_of_another_instansi_or_inactive(client, lists, world):
    client.force_login(world.users["operator"])
    url = reverse("architecture:application_add")
    for field, value in (("platforms", lists.far_web.pk), ("platforms", lists.retired.pk),
                         ("languages", lists.far_python.pk), ("languages", lists.web.pk),
                         ("user_departments", world.far.pk), ("user_departments", lists.closed.pk)):
        response = client.post(url, post_body(world, **{field: [value]}))
        assert response.status_code == 400, (field, value)
        assert response.context["form"].errors.get(field), (field, value)
    assert not Application.objects.exists()
    response = client.post(url, post_body(world, platforms=[lists.web.pk, lists.mobile.pk], languages=[lists.python.pk],
                                          user_departments=[world.dinkes.pk]))
    assert response.status_code == 302, response.content.decode()[:3000]
    app = Application.objects.get()
    assert set(app.platforms.all()) == {lists.web, lists.mobile} and set(app.user_departments.all()) == {world.dinkes}


def test_an_edit_keeps_a_value_deactivated_since(client, lists, world):
    client.force_login(world.users["operator"])
    app = Application.objects.create(department=world.kominfo, name="Lama")
    app.platforms.set([lists.web])
    lists.web.is_active = False
    lists.web.save()
    form = client.get(reverse("architecture:application_edit", args=[app.pk])).context["form"]
    assert lists.web in form.fields["platforms"].queryset and lists.retired not in form.fields["platforms"].queryset
    response = client.post(reverse("architecture:application_edit", args=[app.pk]), {
        **post_body(world, name="Lama diubah", platforms=[lists.web.pk]), "code": app.code,
        "lock_version": app.lock_version,
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(app.platforms.all()) == [lists.web]


def test_api_refuses_values_and_opds_of_another_instansi_or_inactive(api, lists, world):
    client = api(world.users["operator"])
    for field, value in (("platforms", lists.far_web.pk), ("platforms", lists.retired.pk),
                         ("languages", lists.far_python.pk), ("languages", lists.web.pk),
                         ("user_departments", world.far.pk), ("user_departments", lists.closed.pk)):
        response = client.post(API, post_body(world, **{field: [value]}), format="json")
        assert response.status_code == 400, (field, value, response.content)
        assert field in response.json(), (field, value, response.json())
    assert not Application.objects.exists()
    response = client.post(API, post_body(world, platforms=["web", lists.mobile.pk], languages=["Python"],
                                          user_departments=["DINKES"]), format="json")
    assert response.status_code == 201, response.content
    app = Application.objects.get()
    assert set(app.platforms.all()) == {lists.web, lists.mobile} and list(app.languages.all()) == [lists.python]
    assert list(app.user_departments.all()) == [world.dinkes]


def test_a_superuser_is_refused_another_instansi_s_values_too(api, lists, world):
    client = api(world.users["superuser"])
    response = client.post(API, post_body(world, platforms=[lists.far_web.pk], user_departments=[world.far.pk]),
                           format="json")
    assert response.status_code == 400
    assert "platforms" in response.json() and "user_departments" in response.json()
