"""Production settings: `check --deploy` is clean and a missing secret key is a clear error."""

import os
import subprocess
import sys

import pytest

PRODUCTION_ENV = {
    "SIA_ENV": "production",
    "SIA_SECRET_KEY": "x" * 20 + "production-secret-key-for-the-check-0123456789abcdef",
    "SIA_ALLOWED_HOSTS": "sia.example.go.id",
    "DJANGO_SETTINGS_MODULE": "sia.settings",
}


def run_sia(*args, env_overrides=None, drop=()):
    # Browser tests allow Django's ORM inside Playwright's event loop; a deployment never does.
    drop = (*drop, "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(env_overrides or {})
    # The timeout bounds a hang; it is no speed test (a loaded 2-core machine took over 120 s to migrate).
    return subprocess.run(
        [sys.executable, "-m", "sia.cli", *args], env=env, capture_output=True, text=True, timeout=600
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = run_sia("check", "--deploy", "--fail-level", "WARNING",
                     env_overrides=PRODUCTION_ENV | {"SIA_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_missing_secret_key_in_production_is_a_clear_error(tmp_path):
    env = dict(PRODUCTION_ENV, SIA_VAR_DIR=str(tmp_path))
    env.pop("SIA_SECRET_KEY")
    result = run_sia("check", env_overrides=env, drop=("SIA_SECRET_KEY",))
    assert result.returncode != 0
    assert "SIA_SECRET_KEY is not set" in result.stderr


def test_debug_is_off_unless_asked(settings):
    assert settings.DEBUG is False


def test_demo_is_refused_in_production(tmp_path):
    result = run_sia("demo", env_overrides=PRODUCTION_ENV | {"SIA_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "produksi" in result.stderr


@pytest.mark.django_db
def test_demo_creates_province_and_accounts():
    from django.core.management import call_command

    from sia.organizations.models import Department, Membership

    call_command("demo", stdout=open(os.devnull, "w"))
    call_command("demo", stdout=open(os.devnull, "w"))  # idempotent
    assert Department.objects.filter(institution__code="82").count() >= 30
    usernames = set(Membership.objects.values_list("user__username", flat=True))
    assert {"koordinator", "verifikator", "asesor", "pimpinan", "operator.diskominfosan", "operator.bappeda",
            "operator.dinkes"} <= usernames
    from django.contrib.auth import get_user_model

    assert get_user_model().objects.get(username="operator.dinkes").check_password("sia-demo-2024")


def test_createadmin_makes_a_superuser(tmp_path, migrated_sqlite):
    """On a copy of the run's migrated database (tests/migrated.py: migrating it here again took over two minutes)."""
    import sqlite3

    from tests.migrated import copy_sqlite

    copy_sqlite(migrated_sqlite, tmp_path / "t.sqlite3")
    env = {"SIA_VAR_DIR": str(tmp_path), "SIA_ENV": "development", "DATABASE_URL": f"sqlite:///{tmp_path}/t.sqlite3",
           "DJANGO_SETTINGS_MODULE": "sia.settings"}
    weak = run_sia("createadmin", "--username", "admin", env_overrides=env | {"SIA_ADMIN_PASSWORD": "123"})
    assert weak.returncode != 0
    ok = run_sia("createadmin", "--username", "admin", env_overrides=env | {"SIA_ADMIN_PASSWORD": "Sandi-Admin-2024!"})
    assert ok.returncode == 0, ok.stderr
    row = sqlite3.connect(tmp_path / "t.sqlite3").execute("select is_superuser from core_user where username='admin'")
    assert row.fetchone() == (1,)


def test_behind_a_proxy_the_login_throttling_counts_the_clients_address(tmp_path):
    code = "import sia.settings as s; print(s.SECURE_PROXY_SSL_HEADER, s.AXES_IPWARE_META_PRECEDENCE_ORDER)"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env |= PRODUCTION_ENV | {"SIA_VAR_DIR": str(tmp_path), "SIA_BEHIND_PROXY": "1"}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https') ('HTTP_X_REAL_IP', 'REMOTE_ADDR')"


def test_sessions_and_login_failures_live_in_the_shared_database(settings):
    """Several application servers share them through the database; SIA keeps nothing in a Django cache."""
    from axes.handlers.proxy import AxesProxyHandler

    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert type(AxesProxyHandler.get_implementation()).__name__ == "AxesDatabaseHandler"
