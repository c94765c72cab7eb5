"""Migrations 0008/0009 on a database that already holds the shipped instruments as domains and aspects (an install
upgraded from 0007): the groups they make are the tree a fresh install of the same files makes (levels, numbers,
weights, parents, each indicator's group), the scores are the same, and migrating back to 0007 gives the domains,
aspects and indicator links back. Run in a subprocess on a throwaway SQLite file (the test database is built from
the models, ``--no-migrations``)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r'''
import random
from decimal import Decimal

import django

django.setup()
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from sia.evaluation.framework_loader import load_framework_file
from sia.evaluation.frameworks import DATA_DIR, manifest

BEFORE = ("evaluation", "0007_framework_texts_status_and_manifest")
AFTER = ("evaluation", "0009_remove_domain_and_aspect")


def state(target):
    return MigrationExecutor(connection).loader.project_state(target).apps


MigrationExecutor(connection).migrate([BEFORE])
old = state(BEFORE)
FV, D, A, I = (old.get_model("evaluation", name) for name in ("FrameworkVersion", "Domain", "Aspect", "Indicator"))
specs, before = {}, {}
for entry in manifest():
    spec = load_framework_file(DATA_DIR / entry["file"], code=entry["code"], name=entry["name"], overlay=entry)
    specs[spec.code] = spec
    version = FV.objects.create(code=spec.code, name=spec.name, source_file=entry["file"], sha256=spec.digest,
                                continuous=spec.continuous, value_places=spec.value_places)
    domains = {d.number: D.objects.create(framework=version, number=d.number, name=d.name, weight=d.weight)
               for d in spec.domains}
    aspects = {a.number: A.objects.create(framework=version, domain=domains.get(a.domain), number=a.number,
                                          name=a.name, weight=a.weight) for a in reversed(spec.aspects)}
    for i in reversed(spec.indicators):  # rows in another order than their numbers
        I.objects.create(framework=version, aspect=aspects[i.aspect], number=i.number, name=i.name, weight=i.weight,
                         **{f"level_{n}": text for n, text in enumerate(i.levels, start=1)})
    before[spec.code] = sorted(I.objects.filter(framework=version).values_list(
        "number", "aspect__number", "aspect__domain__number", "aspect__weight", "aspect__domain__weight"))
assert len(specs) == 2, specs

MigrationExecutor(connection).migrate([AFTER])
import dataclasses

from sia.evaluation import scoring
from sia.evaluation.framework_hierarchy import groups_of
from sia.evaluation.frameworks import spec_for
from sia.evaluation.group_rows import indicator_path
from sia.evaluation.models import FrameworkVersion

for code, spec in specs.items():
    version = FrameworkVersion.objects.get(code=code)
    stored = spec_for(version)
    assert groups_of(stored) == groups_of(spec), code
    assert version.levels == [{"key": lv.key, "name": lv.name, "rows": lv.rows} for lv in groups_of(spec)[0][:-1]]
    for indicator in spec.indicators:
        assert indicator_path(stored, stored.indicator(indicator.number)) == indicator_path(spec, indicator)
    stored = dataclasses.replace(stored, bands=spec.bands)  # the bands were not written above
    for _ in range(5):
        values = {i.number: Decimal(random.randint(100, 500)) / 100 if spec.continuous else random.randint(1, 5)
                  for i in spec.indicators}
        a, b = scoring.compute(values, stored), scoring.compute(values, spec)
        assert (a.index, a.domains, a.aspects, a.groups) == (b.index, b.domains, b.aspects, b.groups), code

MigrationExecutor(connection).migrate([BEFORE])
back = state(BEFORE)
I = back.get_model("evaluation", "Indicator")
for code in specs:
    after = sorted(I.objects.filter(framework__code=code).values_list(
        "number", "aspect__number", "aspect__domain__number", "aspect__weight", "aspect__domain__weight"))
    assert after == before[code], (code, after[:3], before[code][:3])
print("migrated and back")
'''


def _run(database_url: str, tmp_path) -> None:
    env = {**os.environ, "DATABASE_URL": database_url, "SIA_ENV": "test", "SIA_VAR_DIR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "sia.settings"}
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "migrated and back" in done.stdout


def test_domains_and_aspects_become_groups_and_back(tmp_path):
    """On SQLite, and on PostgreSQL when the run is on it (a throwaway database beside the run's)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        _run(f"sqlite:///{tmp_path / 'upgraded.sqlite3'}", tmp_path)
        return
    import psycopg

    name = f"sia_groups_{uuid.uuid4().hex[:12]}"
    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    try:
        _run(urlunsplit(urlsplit(url)._replace(path=f"/{name}")), tmp_path)
    finally:
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}"')
