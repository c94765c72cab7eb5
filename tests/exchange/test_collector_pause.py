"""The cyclic garbage collector is paused while an upload is previewed or committed and runs again afterwards,
also when the import fails (``sia.exchange.collection``)."""

import gc

import pytest

from sia.exchange import uploads
from sia.exchange.collection import collector_paused, without_collector


def test_the_collector_runs_again_after_the_block_and_after_an_error():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), collector_paused():
        raise ValueError
    assert gc.isenabled()


def test_an_outer_pause_is_kept():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_preview_and_commit_run_without_the_collector(monkeypatch):
    seen = []

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        raise RuntimeError("stop")

    for name, call in (("safe_name", lambda: uploads.start_import(None, user=_User(), institution=None)),
                       ("load_file", lambda: uploads.commit_import(_Record(), user=_User()))):
        monkeypatch.setattr(uploads, name, spy)
        with pytest.raises(RuntimeError):
            call()
        assert gc.isenabled()
    assert seen == [False, False]


def test_the_decorator_keeps_the_function_name():
    assert without_collector(len).__name__ == "len" and uploads.start_import.__name__ == "start_import"


class _User:
    is_authenticated = True
    pk = 1


class _Record:
    user_id = 1
    status = "pratinjau"
    file_name = ""
    size = 0
