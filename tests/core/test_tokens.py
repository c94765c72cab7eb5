"""API tokens: expiring, several per user, revoked by their owner, by an admin of the owner's instansi
or a superuser, every revoke in the audit trail; a locked-out token request is a 429."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from sia.core.models import ApiToken
from sia.core.tokens import issue_token

pytestmark = pytest.mark.django_db

URL = "/api/organizations/departments/"


def with_token(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_locked_out_token_request_is_429_with_retry_after(world, settings):
    api = APIClient()
    wrong = api.post("/api/auth/token/", {"username": "koord", "password": "salah"})
    assert wrong.status_code == 400
    for _ in range(4):
        api.post("/api/auth/token/", {"username": "koord", "password": "salah"})
    locked = api.post("/api/auth/token/", {"username": "koord", "password": "rahasia-uji-123"})
    assert locked.status_code == 429
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    assert locked["Retry-After"] == str(seconds)
    assert locked.json()["retry_after"] == seconds
    assert "dikunci sementara" in locked.json()["detail"] and "15 menit" in locked.json()["detail"]
    assert not ApiToken.objects.exists()


def test_the_token_endpoint_gives_an_expiring_named_token(world, settings):
    settings.SIA_API_TOKEN_DAYS = 7
    got = APIClient().post("/api/auth/token/", {"username": "koord", "password": "rahasia-uji-123",
                                                "name": "Skrip impor"}, format="json")
    assert got.status_code == 200
    body = got.json()
    assert body["name"] == "Skrip impor" and len(body["token"]) == 40
    token = ApiToken.objects.get(user=world.users["admin"])
    assert abs(token.expiry - (timezone.now() + timedelta(days=7))) < timedelta(minutes=1)
    assert token.digest != body["token"] and body["token"] not in token.digest  # stored hashed
    assert with_token(body["token"]).get(URL).status_code == 200


def test_an_expired_token_is_refused_with_a_clear_401(world):
    token, key = issue_token(world.users["admin"], "lama")
    assert with_token(key).get(URL).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - timedelta(seconds=1))
    response = with_token(key).get(URL)
    assert response.status_code == 401
    assert "kedaluwarsa" in response.json()["detail"]
    assert ApiToken.objects.filter(pk=token.pk).exists()  # still listed, marked as expired
    assert with_token("0" * 40).get(URL).status_code == 401


def test_several_named_tokens_and_one_name_replaces(world):
    admin = world.users["admin"]
    _first, first = issue_token(admin, "A")
    _second, second = issue_token(admin, "B")
    assert with_token(first).get(URL).status_code == 200 and with_token(second).get(URL).status_code == 200
    _third, third = issue_token(admin, "A")
    assert with_token(first).get(URL).status_code == 401
    assert with_token(third).get(URL).status_code == 200
    assert ApiToken.objects.filter(user=admin).count() == 2


def test_last_use_is_recorded(world):
    token, key = issue_token(world.users["admin"])
    assert token.last_used is None
    with_token(key).get(URL)
    token.refresh_from_db()
    assert token.last_used is not None


def test_the_page_lists_own_tokens_and_revokes_one(client, world):
    owner = world.users["operator"]
    kept, kept_key = issue_token(owner, "Dipertahankan")
    gone, gone_key = issue_token(owner, "Dicabut")
    with_token(kept_key).get(URL)
    client.force_login(owner)
    page = client.get("/akun/token-api/")
    body = page.content.decode()
    assert "Dipertahankan" in body and "Dicabut" in body and "Terakhir dipakai" in body and "Berlaku sampai" in body
    assert page.context["others"] is None  # an operator manages no one else's tokens
    assert client.post("/akun/token-api/", {"action": "revoke", "token": gone.pk}).status_code == 302
    assert with_token(gone_key).get(URL).status_code == 401
    assert with_token(kept_key).get(URL).status_code == 200
    record = ApiToken.history.filter(digest=gone.digest, history_type="-").get()
    assert record.history_user == owner and record.history_change_reason == "Dicabut pemiliknya"


def test_issuing_from_the_page_shows_the_key_once(client, world):
    client.force_login(world.users["operator"])
    response = client.post("/akun/token-api/", {"action": "issue", "name": "Integrasi"})
    key = response.context["new_key"]
    assert key in response.content.decode()
    assert with_token(key).get(URL).status_code == 200
    assert key not in client.get("/akun/token-api/").content.decode()


def test_an_admin_revokes_a_member_token_and_it_is_audited(client, world):
    admin, operator = world.users["admin"], world.users["operator"]
    token, key = issue_token(operator, "Skrip")
    client.force_login(admin)
    page = client.get("/akun/token-api/")
    assert token in list(page.context["others"])
    assert client.post("/akun/token-api/", {"action": "revoke", "token": token.pk}).status_code == 302
    assert with_token(key).get(URL).status_code == 401
    record = ApiToken.history.filter(digest=token.digest, history_type="-").get()
    assert record.history_user == admin and "koord" in record.history_change_reason


def test_an_admin_of_another_instansi_cannot_revoke(client, world):
    token, key = issue_token(world.users["operator"], "Skrip")
    client.force_login(world.users["other_admin"])
    assert token not in list(client.get("/akun/token-api/").context["others"])
    assert client.post("/akun/token-api/", {"action": "revoke", "token": token.pk}).status_code == 404
    assert with_token(key).get(URL).status_code == 200


def test_an_operator_cannot_revoke_someone_else(client, world):
    token, key = issue_token(world.users["admin"], "Skrip")
    client.force_login(world.users["operator"])
    assert client.post("/akun/token-api/", {"action": "revoke", "token": token.pk}).status_code == 404
    assert with_token(key).get(URL).status_code == 200


def test_a_superuser_revokes_anyone(client, world):
    token, key = issue_token(world.users["other_admin"], "Skrip")
    client.force_login(world.users["superuser"])
    assert client.post("/akun/token-api/", {"action": "revoke", "token": token.pk}).status_code == 302
    assert with_token(key).get(URL).status_code == 401


def test_old_plain_drf_tokens_are_carried_over_hashed(world, settings):
    """The migration hashes tokens of rest_framework.authtoken so that existing clients keep working."""
    import importlib

    from django.apps import apps as global_apps
    from django.db import connection

    migration = importlib.import_module("sia.core.migrations.0002_api_tokens")
    key = "a1b2c3d4e5" * 4
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, user_id integer, created timestamp)")
        cursor.execute("INSERT INTO authtoken_token VALUES (%s, %s, %s)", [key, world.users["admin"].pk, timezone.now()])

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    migration.carry_over_drf_tokens(global_apps, editor)
    assert with_token(key).get(URL).status_code == 200
    token = ApiToken.objects.get(user=world.users["admin"])
    assert token.name == "Token lama" and token.expiry > timezone.now() + timedelta(days=80)


def test_a_superuser_sees_and_revokes_tokens_in_the_admin(client, world):
    token, key = issue_token(world.users["operator"], "Skrip")
    client.force_login(world.users["superuser"])
    assert "Skrip" in client.get("/admin/core/apitoken/").content.decode()
    url = f"/admin/core/apitoken/{token.pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert with_token(key).get(URL).status_code == 401
    assert ApiToken.history.get(digest=token.digest, history_type="-").history_user == world.users["superuser"]
