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


def test_collectstatic_gives_cache_busting_names(collected_static):
    """The files `sia serve` collects (tests/migrated.py collects them once per run, as it does)."""
    hashed = list((collected_static / "sia").glob("sia.*.css"))
    assert hashed, "sia.css is stored under a content-hashed name"
    assert (collected_static / "staticfiles.json").is_file()
    assert not (collected_static / "sia" / "sia.css").exists(), "pages name the hashed copy only: no plain one kept"
    assert [p for p in hashed if p.with_name(p.name + ".gz").is_file()], "stylesheets are served pre-compressed"
    maps = list(collected_static.rglob("*.map"))
    assert maps, "the API docs' scripts come with their source maps"
    compressed = [m for m in maps if m.with_name(m.name + ".gz").exists() or m.with_name(m.name + ".br").exists()]
    assert not compressed, "source maps (read by developer tools only) are not compressed"


@pytest.fixture
def plain_static(tmp_path, settings):
    """A source folder of its own and plain storage: what changes is the fingerprint, not how files are stored."""
    source = tmp_path / "source"
    source.mkdir()
    (source / "app.css").write_text("body { color: black; }")
    settings.STATICFILES_DIRS = [source]
    settings.STATIC_ROOT = tmp_path / "collected"
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    return source


def test_static_files_are_collected_again_only_when_a_source_changed(plain_static, settings, monkeypatch):
    import os

    from django.core import management

    from sia.core import static_sources

    runs = []
    real = management.call_command
    monkeypatch.setattr(management, "call_command", lambda *a, **k: runs.append(a) or real(*a, **k))
    assert static_sources.collect_static() is True
    assert (settings.STATIC_ROOT / "app.css").read_text() == "body { color: black; }"
    assert static_sources.collect_static() is False, "nothing changed: not collected again"
    assert len(runs) == 1

    (plain_static / "app.css").write_text("body { color: navy; }")  # an edit after the collection
    later = (settings.STATIC_ROOT / "app.css").stat().st_mtime + 10
    os.utime(plain_static / "app.css", (later, later))
    assert static_sources.collect_static() is True
    assert (settings.STATIC_ROOT / "app.css").read_text() == "body { color: navy; }"

    (plain_static / "new.js").write_text("1;")
    assert static_sources.collect_static() is True, "a new file"
    assert (settings.STATIC_ROOT / "new.js").is_file()

    static_sources.stamp_path().unlink()  # e.g. a collection that was interrupted
    assert static_sources.collect_static() is True
    assert len(runs) == 4


def test_a_missing_manifest_is_collected_again(plain_static, settings):
    from sia.core import static_sources

    static_sources.collect_static()
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
    fingerprint = static_sources.sources_fingerprint()
    static_sources.stamp_path().write_text(fingerprint)
    assert not static_sources.up_to_date(fingerprint), "the stamp alone is not enough without staticfiles.json"
