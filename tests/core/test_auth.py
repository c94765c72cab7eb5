import pytest
from django.core import mail
from django.test import override_settings

from .. import factories as f

pytestmark = pytest.mark.django_db


def login(client, username, password):
    return client.post("/akun/login/", {"username": username, "password": password})


def test_login_and_logout(client, world):
    response = login(client, "koord", "rahasia-uji-123")
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    client.post("/akun/logout/")
    assert client.get("/").status_code == 302


def test_wrong_password_message_in_indonesian(client, world):
    response = login(client, "koord", "salah")
    assert response.status_code == 200
    assert "sandi yang benar" in response.content.decode()


def test_repeated_failures_lock_the_account(client, world):
    for _ in range(5):
        login(client, "koord", "salah")
    response = login(client, "koord", "rahasia-uji-123")
    assert response.status_code == 429
    assert "dikunci sementara" in response.content.decode()


def test_password_change(client, world):
    client.force_login(world.users["admin"])
    response = client.post(
        "/akun/password_change/",
        {"old_password": "rahasia-uji-123", "new_password1": "Sandi-Baru-2025!", "new_password2": "Sandi-Baru-2025!"},
    )
    assert response.status_code == 302
    world.users["admin"].refresh_from_db()
    assert world.users["admin"].check_password("Sandi-Baru-2025!")


def test_password_reset_sends_mail(client, world):
    user = world.users["admin"]
    user.email = "koord@example.go.id"
    user.save()
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        response = client.post("/akun/password_reset/", {"email": "koord@example.go.id"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and "/akun/reset/" in mail.outbox[0].body


def test_admin_site_is_for_superusers_only(client, world):
    staff = f.user("staf", is_staff=True)
    client.force_login(staff)
    assert client.get("/admin/").status_code == 302
    client.force_login(world.users["superuser"])
    assert client.get("/admin/").status_code == 200


def test_language_switch_to_english(client, world):
    client.force_login(world.users["admin"])
    assert "Beranda" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get("/").content.decode()
    assert 'lang="en"' in body
    assert "Home" in body


def test_session_and_csrf_cookies_are_http_only(settings):
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY


def test_request_id_header(client, world):
    client.force_login(world.users["admin"])
    assert len(client.get("/")["X-Request-ID"]) == 36


def test_every_admin_changelist_opens_for_superuser(client, world):
    from django.contrib import admin
    from django.urls import reverse

    client.force_login(world.users["superuser"])
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url


def test_indonesian_even_when_browser_asks_for_english(client, world):
    client.force_login(world.users["admin"])
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="id"' in body and "Beranda" in body


def test_api_token_from_page_and_from_api(client, world):
    from rest_framework.test import APIClient

    client.force_login(world.users["admin"])
    response = client.post("/akun/token-api/", {"action": "issue"})
    key = response.context["new_key"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/organizations/departments/").status_code == 200
    client.post("/akun/token-api/", {"action": "revoke"})
    assert api.get("/api/organizations/departments/").status_code in (401, 403)
    anonymous = APIClient()
    assert anonymous.post("/api/auth/token/", {"username": "koord", "password": "salah"}).status_code == 400
    got = anonymous.post("/api/auth/token/", {"username": "koord", "password": "rahasia-uji-123"})
    assert got.status_code == 200 and len(got.json()["token"]) == 40


def test_token_endpoint_shares_the_login_lockout(world):
    from rest_framework.test import APIClient

    api = APIClient()
    for _ in range(5):
        api.post("/api/auth/token/", {"username": "koord", "password": "salah"})
    locked = api.post("/api/auth/token/", {"username": "koord", "password": "rahasia-uji-123"})
    assert locked.status_code != 200
