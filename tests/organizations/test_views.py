import pytest
from django.urls import reverse

from sia.core.roles import Role
from sia.organizations.models import Department, DepartmentFunction, Membership, MentorAssignment

from .. import factories as f

pytestmark = pytest.mark.django_db


def as_user(client, user):
    client.force_login(user)
    return client


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("organizations:department_list"))
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/login/")


def test_department_list_shows_only_visible(client, world):
    body = as_user(client, world.users["operator"]).get(reverse("organizations:department_list")).content.decode()
    assert "Dinas Komunikasi dan Informatika" in body
    assert "Dinas Kesehatan" not in body
    assert "Dinas Kota Lain" not in body


def test_operator_cannot_open_other_department(client, world):
    as_user(client, world.users["operator"])
    assert client.get(world.dinkes.get_absolute_url()).status_code == 404
    assert client.get(world.kominfo.get_absolute_url()).status_code == 200


def test_filters_and_search(client, world):
    as_user(client, world.users["admin"])
    body = client.get(reverse("organizations:department_list"), {"q": "kesehatan"}).content.decode()
    assert "Dinas Kesehatan" in body and "Dinas Komunikasi" not in body


@pytest.mark.parametrize("name", ["organizations:department_add", "organizations:membership_add", "organizations:workunit_add"])
def test_leader_cannot_reach_add_forms(client, world, name):
    assert as_user(client, world.users["leader"]).get(reverse(name)).status_code == 403


def test_leader_cannot_reach_edit_form(client, world):
    as_user(client, world.users["leader"])
    assert client.get(reverse("organizations:department_edit", args=[world.kominfo.pk])).status_code == 403
    assert client.post(reverse("organizations:department_edit", args=[world.kominfo.pk]), {"name": "X"}).status_code == 403


def department_post(world, **overrides):
    data = {
        "institution": world.inst.pk, "name": "Dinas Perhubungan", "abbreviation": "DISHUB", "code": "2.15",
        "kind": "dinas", "head_position": "Kepala Dinas Perhubungan", "duties": "", "is_active": "on",
        "functions-TOTAL_FORMS": "2", "functions-INITIAL_FORMS": "0", "functions-MIN_NUM_FORMS": "0",
        "functions-MAX_NUM_FORMS": "1000",
        "functions-0-order": "1", "functions-0-description": "Perumusan kebijakan di bidang perhubungan",
        "functions-1-order": "2", "functions-1-description": "Pelaksanaan kebijakan di bidang perhubungan",
    }
    data.update(overrides)
    return data


def test_admin_creates_department_with_functions(client, world):
    as_user(client, world.users["admin"])
    response = client.post(reverse("organizations:department_add"), department_post(world))
    assert response.status_code == 302, response.content.decode()[:2000]
    department = Department.objects.get(abbreviation="DISHUB")
    assert list(department.functions.values_list("order", flat=True)) == [1, 2]
    assert department.history.first().history_user == world.users["admin"]


def test_duplicate_code_shows_field_message(client, world):
    as_user(client, world.users["admin"])
    response = client.post(reverse("organizations:department_add"), department_post(world, code=world.kominfo.code))
    assert response.status_code == 400
    assert "Kode OPD ini sudah dipakai" in response.content.decode()
    assert not Department.objects.filter(abbreviation="DISHUB").exists()
    assert not DepartmentFunction.objects.filter(description__contains="perhubungan").exists()


def test_admin_cannot_create_department_in_other_institution(client, world):
    as_user(client, world.users["admin"])
    response = client.post(reverse("organizations:department_add"), department_post(world, institution=world.other.pk))
    assert response.status_code == 400
    assert not Department.objects.filter(abbreviation="DISHUB").exists()


def test_delete_department_with_data_is_refused(client, world):
    as_user(client, world.users["admin"])
    response = client.post(reverse("organizations:department_delete", args=[world.kominfo.pk]), follow=True)
    assert Department.objects.filter(pk=world.kominfo.pk).exists()
    assert "Nonaktifkan saja" in response.content.decode()


def test_empty_department_can_be_deleted(client, world):
    empty = f.department(world.inst)
    as_user(client, world.users["admin"])
    client.post(reverse("organizations:department_delete", args=[empty.pk]))
    assert not Department.objects.filter(pk=empty.pk).exists()


def test_deactivate_and_reactivate(client, world):
    as_user(client, world.users["admin"])
    url = reverse("organizations:department_toggle", args=[world.kominfo.pk])
    client.post(url)
    world.kominfo.refresh_from_db()
    assert not world.kominfo.is_active
    client.post(url)
    world.kominfo.refresh_from_db()
    assert world.kominfo.is_active


def test_operator_cannot_deactivate(client, world):
    as_user(client, world.users["operator"])
    assert client.post(reverse("organizations:department_toggle", args=[world.kominfo.pk])).status_code == 403


def test_history_tab_lists_changes(client, world):
    as_user(client, world.users["admin"])
    client.post(
        reverse("organizations:department_edit", args=[world.kominfo.pk]),
        department_post(world, name="Dinas Kominfo Baru", abbreviation="DISKOMINFO", code=world.kominfo.code,
                        **{"functions-TOTAL_FORMS": "0"}),
    )
    body = client.get(reverse("organizations:department_history", args=[world.kominfo.pk])).content.decode()
    assert "Dinas Kominfo Baru" in body
    assert "Dinas Komunikasi dan Informatika" in body
    assert "koord" in body


def test_admin_creates_operator_account(client, world):
    as_user(client, world.users["admin"])
    response = client.post(
        reverse("organizations:membership_add"),
        {"username": "operator.dinkes2", "first_name": "Operator Dinkes", "email": "", "password": "Sandi-Kuat-2024!",
         "institution": world.inst.pk, "role": Role.OPERATOR, "department": world.dinkes.pk, "is_active": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    membership = Membership.objects.get(user__username="operator.dinkes2")
    assert membership.department == world.dinkes
    assert membership.user.check_password("Sandi-Kuat-2024!")


def test_weak_password_and_missing_department_are_refused(client, world):
    as_user(client, world.users["admin"])
    response = client.post(
        reverse("organizations:membership_add"),
        {"username": "op.baru", "first_name": "Op", "password": "123", "institution": world.inst.pk,
         "role": Role.OPERATOR, "is_active": "on"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Operator OPD harus" in body
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username="op.baru").exists()


def test_dashboard_counts(client, world):
    body = as_user(client, world.users["admin"]).get("/").content.decode()
    assert 'data-testid="opd-active">2<' in body
    assert 'data-testid="member-total">6<' in body


@pytest.mark.parametrize(
    "key,url_name,factory",
    [
        ("organizations.department_list", "organizations:department_list", lambda w, i: f.department(w.inst)),
        ("organizations.workunit_list", "organizations:workunit_list", lambda w, i: f.work_unit(w.kominfo)),
        ("organizations.membership_list", "organizations:membership_list",
         lambda w, i: f.member(w.inst, Role.VERIFIER)),
        ("organizations.institution_list", "organizations:institution_list", lambda w, i: None),
        ("organizations.mentorassignment_list", "organizations:mentorassignment_list",
         lambda w, i: MentorAssignment.objects.create(department=f.department(w.inst),
                                                      mentor=f.member(w.inst, Role.VERIFIER))),
    ],
)
def test_list_query_count_does_not_grow(client, world, count_queries, query_budget, key, url_name, factory):
    as_user(client, world.users["admin"])
    url = reverse(url_name)
    client.get(url)  # warm up session and caches
    for i in range(3):
        factory(world, i)
    few, response = count_queries(lambda: client.get(url))
    assert response.status_code == 200
    for i in range(30):
        factory(world, i)
    many, _ = count_queries(lambda: client.get(url))
    assert few == many, f"{key}: {few} queries with few rows, {many} with many"
    assert many == query_budget.get(key), f"{key}: budget {query_budget.get(key)}, now {many}"


def test_dashboard_query_count_does_not_grow(client, world, count_queries, query_budget):
    from sia.architecture import kept

    as_user(client, world.users["admin"])
    client.get("/")
    fresh = lambda: (kept.clear(), client.get("/"))[1]  # noqa: E731 - the figures computed, not kept ones
    few, _ = count_queries(fresh)
    for _i in range(20):
        f.department(world.inst)
    many, _ = count_queries(fresh)
    assert few == many == query_budget.get("core.dashboard"), many


def test_only_superuser_adds_institutions(client, world):
    as_user(client, world.users["admin"])
    assert client.get(reverse("organizations:institution_add")).status_code == 403
    as_user(client, world.users["superuser"])
    response = client.post(reverse("organizations:institution_add"),
                           {"name": "Pemerintah Kabupaten Halmahera Barat", "kind": "kabupaten", "code": "8201", "is_active": "on"})
    assert response.status_code == 302


def test_logo_must_be_an_image(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    as_user(client, world.users["admin"])
    fake = SimpleUploadedFile("logo.png", b"MZ\x90\x00 not an image at all", content_type="image/png")
    response = client.post(reverse("organizations:institution_edit", args=[world.inst.pk]),
                           {"name": world.inst.name, "kind": "provinsi", "code": world.inst.code, "logo": fake, "is_active": "on"})
    assert response.status_code == 400
    assert "Isi berkas tidak sesuai" in response.content.decode()


def test_operators_do_not_see_member_figures(client, world):
    body = as_user(client, world.users["operator"]).get("/").content.decode()
    assert 'data-testid="member-total"' not in body and "Verifikator" not in body


def test_membership_role_clash_in_form_is_a_message_not_a_crash(client, world):
    from sia.organizations.models import Membership

    second = Membership.objects.create(user=world.users["verifier"], institution=world.inst, role=Role.ASSESSOR)
    as_user(client, world.users["admin"])
    response = client.post(reverse("organizations:membership_edit", args=[second.pk]),
                           {"institution": world.inst.pk, "role": Role.VERIFIER, "is_active": "on"})
    assert response.status_code == 400
    assert "sudah memiliki peran" in response.content.decode()


def test_opd_history_includes_its_fungsi(client, world):
    function = f.function(world.kominfo, 1, "Perumusan kebijakan lama")
    function.description = "Perumusan kebijakan baru"
    function.save()
    function.delete()
    body = as_user(client, world.users["admin"]).get(
        reverse("organizations:department_history", args=[world.kominfo.pk])).content.decode()
    assert "Perumusan kebijakan lama" in body and "Perumusan kebijakan baru" in body
    assert "dihapus" in body.lower()
