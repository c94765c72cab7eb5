import re

import pytest

pytestmark = pytest.mark.django_db

LIMIT = 250 * 1024


def test_dashboard_first_load_is_light_and_local(client, world):
    client.force_login(world.users["admin"])
    response = client.get("/")
    html = response.content.decode()
    assets = re.findall(r'<(?:link[^>]+href|script[^>]+src)="([^"]+)"', html)
    assert assets, "the page loads its stylesheet and scripts"
    total = len(response.content)
    for url in assets:
        assert url.startswith("/static/"), f"{url} is not served by SIA itself"
        asset = client.get(url)
        assert asset.status_code == 200, url
        total += sum(len(chunk) for chunk in asset.streaming_content) if asset.streaming else len(asset.content)
    assert total <= LIMIT, f"first load transfers {total} bytes"


def test_collectstatic_gives_cache_busting_names(tmp_path, settings):
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    hashed = list((tmp_path / "sia").glob("sia.*.css"))
    assert hashed, "sia.css is stored under a content-hashed name"
