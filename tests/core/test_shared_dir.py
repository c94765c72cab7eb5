"""tests/migrated.py: the folder the run's migrated databases are kept in is SIA_TEST_SHARED_DIR when scripts/test
names one for its two runs (the PostgreSQL run then copies the SQLite file the SQLite run migrated), else the run's
own temporary folder."""

import os
from pathlib import Path

from tests.migrated import shared_dir


def test_the_folder_scripts_test_names_is_shared_by_both_runs(tmp_path_factory, tmp_path, monkeypatch):
    monkeypatch.setenv("SIA_TEST_SHARED_DIR", str(tmp_path))
    assert shared_dir(tmp_path_factory) == tmp_path
    monkeypatch.delenv("SIA_TEST_SHARED_DIR")
    base = tmp_path_factory.getbasetemp()
    assert shared_dir(tmp_path_factory) == (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base)


def test_scripts_test_makes_a_new_folder_for_each_invocation():
    script = (Path(__file__).resolve().parents[2] / "scripts" / "test").read_text()
    assert 'SIA_TEST_SHARED_DIR="$(mktemp -d)"' in script and "export SIA_TEST_SHARED_DIR" in script
    assert script.index("SIA_TEST_SHARED_DIR=") < script.index("=== Suite on SQLite")
