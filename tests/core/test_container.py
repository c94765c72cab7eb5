"""The container recipe (Dockerfile, compose.yaml): what can be checked without pulling an image. Every variable
the files give SIA is one its settings read, the services run what docs/deployment.md says, media are shared."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "sia"


def variables_sia_reads() -> set[str]:
    """The environment variables SIA's settings and its server read."""
    text = "\n".join(path.read_text() for path in (SRC / "settings.py", SRC / "core" / "wsgi_server.py",
                                                 SRC / "core" / "management" / "commands" / "serve.py"))
    return set(re.findall(r"""["']((?:SIA|DATABASE)_[A-Z0-9_]+)["']""", text))


def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_compose_runs_postgresql_the_app_and_the_worker():
    services = compose()["services"]
    assert set(services) == {"db", "app", "worker"}
    assert services["db"]["image"] == "postgres:15"
    assert services["app"]["command"] == ["sia", "serve", "--no-worker", "0.0.0.0:8000"]
    assert services["worker"]["command"] == ["sia", "db_worker"]
    assert services["app"]["ports"] == ["127.0.0.1:8000:8000"]  # only the proxy on the host reaches it
    assert services["app"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert services["worker"]["depends_on"]["app"]["condition"] == "service_healthy"


def test_every_variable_compose_sets_is_read_by_sia():
    services = compose()["services"]
    read = variables_sia_reads()
    for name in ("app", "worker"):
        environment = services[name]["environment"]
        assert environment["SIA_ENV"] == "production" and environment["SIA_BEHIND_PROXY"] == "1"
        assert set(environment) <= read, set(environment) - read
        assert environment["DATABASE_URL"].startswith("postgres://sia:") and "@db:5432/sia" in environment["DATABASE_URL"]
    assert services["app"]["environment"] == services["worker"]["environment"]


def test_the_app_and_the_worker_share_the_media_volume():
    config = compose()
    services = config["services"]
    media_root = services["app"]["environment"]["SIA_MEDIA_ROOT"]
    for name in ("app", "worker"):
        assert f"media:{media_root}" in services[name]["volumes"]
    assert {"media", "db-data"} <= set(config["volumes"])


def test_the_dockerfile_serves_with_production_settings_as_a_user():
    text = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim$", text, re.M)
    user = re.findall(r"^USER (\S+)$", text, re.M)
    assert user and user[-1] not in ("root", "0")
    assert re.search(r"^ENV SIA_ENV=production", text, re.M)
    assert re.search(r'^CMD \["sia", "serve", "--no-worker", "0\.0\.0\.0:8000"\]$', text, re.M)
    assert 'pip install ".[s3]"' in text and "graphviz" in text
    environment = dict(re.findall(r"\b(SIA_[A-Z_]+)=(\S+)", text))
    assert set(environment) <= variables_sia_reads()
    assert environment["SIA_MEDIA_ROOT"] in text.split("VOLUME", 1)[1]
