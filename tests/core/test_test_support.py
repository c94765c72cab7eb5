"""The suite's own machinery: the order it runs in (tests/ordering.py), the demo copied back instead of built
again (tests/demo.py) and the database put back after a transactional test (tests/baseline.py)."""

import pytest
from django.db import connection, transaction

from sia.organizations.models import Department, Institution

from .. import baseline
from .. import demo as demo_data
from .. import factories as f
from ..table_rows import read_rows, tables_of
from ..ordering import BROWSER_SECONDS, LONG_MODULES, long_first


class Item:
    def __init__(self, nodeid, fixturenames=(), marker=None):
        self.nodeid, self.fixturenames, self.marker = nodeid, fixturenames, marker

    def get_closest_marker(self, name):
        return self.marker if name == "django_db" else None


def test_long_modules_run_first_longest_first_and_the_rest_keep_their_order():
    longest = max(LONG_MODULES, key=LONG_MODULES.get)
    shorter = min((m for m in LONG_MODULES if LONG_MODULES[m] > BROWSER_SECONDS), key=LONG_MODULES.get)
    names = ["tests/a/test_x.py::t1", f"{shorter}::s1", "tests/a/test_y.py::t2", f"{longest}::l1",
             "tests/a/test_browser_new.py::b1", f"{shorter}::s2", "tests/a/test_x.py::t3", f"{longest}::l2"]
    items = [Item(name) for name in names]
    long_first(items)
    assert [i.nodeid for i in items] == [
        f"{longest}::l1", f"{longest}::l2", f"{shorter}::s1", f"{shorter}::s2", "tests/a/test_browser_new.py::b1",
        "tests/a/test_x.py::t1", "tests/a/test_y.py::t2", "tests/a/test_x.py::t3"]


def test_long_rolled_back_database_modules_run_before_the_long_transactional_ones():
    longest = max(LONG_MODULES, key=LONG_MODULES.get)
    shorter = min((m for m in LONG_MODULES if LONG_MODULES[m] > BROWSER_SECONDS), key=LONG_MODULES.get)
    items = [Item(f"{longest}::browser", fixturenames=("live_server",)),
             Item(f"{longest}::flushes", marker=pytest.mark.django_db(transaction=True).mark),
             Item("tests/a/test_x.py::t1", fixturenames=("db",)),
             Item(f"{shorter}::demo", fixturenames=("db",)),
             Item(f"{shorter}::marked", marker=pytest.mark.django_db.mark)]
    long_first(items)
    assert [i.nodeid.split("::")[1] for i in items] == ["demo", "marked", "browser", "flushes", "t1"]


@pytest.fixture
def small_demo(monkeypatch):
    """``tests.demo.build`` with a stand-in command (the real one takes 10-18 s): an instansi and two OPDs."""
    calls = []

    def command(name, stdout):
        assert name == "demo"
        calls.append(name)
        inst = f.institution(name="Pemerintah Provinsi Demo Uji", code="97")
        f.department(inst, name="Dinas Komunikasi Uji", abbreviation="DKU")
        f.department(inst, name="Dinas Kesehatan Uji", abbreviation="DKSU")

    monkeypatch.setattr(demo_data, "call_command", command)
    monkeypatch.setattr(demo_data, "_kept", {})
    return calls


def rows():
    return demo_data._snapshot(connection, tables_of(connection))


@pytest.mark.django_db
def test_the_second_build_on_the_same_start_is_a_copy_of_the_first(small_demo):
    with transaction.atomic():
        demo_data.build()
        built = rows()
        transaction.set_rollback(True)
    assert not Institution.objects.filter(code="97").exists()
    with transaction.atomic():
        demo_data.build()
        assert small_demo == ["demo"], "copied, not built again"
        assert rows() == built
        inst = Institution.objects.get(code="97")
        # the copy's sequences are past its rows: the next row gets a new key
        added = f.department(inst, name="Dinas Baru", abbreviation="DBARU")
        assert added.pk > max(Department.objects.exclude(pk=added.pk).values_list("pk", flat=True))
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_another_start_is_built_for_real(small_demo):
    with transaction.atomic():
        demo_data.build()
        transaction.set_rollback(True)
    f.institution(name="Pemerintah Kabupaten Lain", code="9701", kind="kota")
    demo_data.build()
    assert small_demo == ["demo", "demo"]
    assert Institution.objects.filter(code__in=["97", "9701"]).count() == 2


@pytest.fixture
def filed_demo(small_demo, monkeypatch):
    """``small_demo`` whose command also stores a file, as the real demo stores its documents and evidence (a
    row names it), while something else stores another in the same storage."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from sia.evaluation.models import EvidenceFile

    stored = {}
    command = demo_data.call_command

    def with_file(name, stdout):
        command(name, stdout)
        stored["name"] = default_storage.save("governance/sk-tim-uji.pdf", ContentFile(b"%PDF-1.4 SK Tim Uji"))
        EvidenceFile.objects.create(sha256="a" * 64, file=stored["name"], size=19, mime="application/pdf")
        default_storage.save("lain/berkas-pekerja-lain.pdf", ContentFile(b"%PDF-1.4 bukan demo"))  # no row names it

    monkeypatch.setattr(demo_data, "call_command", with_file)
    return small_demo, stored


@pytest.mark.django_db
def test_a_copy_has_the_files_the_demo_stored(filed_demo, tmp_path):
    """The rows of a copy name the demo's files: the caller's storage (another module's MEDIA_ROOT, a fresh
    in-memory storage) holds them as after a real build."""
    from django.core.files.storage import default_storage
    from django.test.utils import override_settings

    from ..media import fresh_storage

    calls, stored = filed_demo
    for folder in ("first", "second"):
        with override_settings(MEDIA_ROOT=str(tmp_path / folder)):
            fresh_storage()
            with transaction.atomic():
                demo_data.build()
                assert default_storage.exists(stored["name"]), folder
                assert default_storage.open(stored["name"]).read() == b"%PDF-1.4 SK Tim Uji"
                assert default_storage.exists("lain/berkas-pekerja-lain.pdf") == (folder == "first")
                transaction.set_rollback(True)
    fresh_storage()
    assert calls == ["demo"], "copied, not built again"


@pytest.mark.django_db
def test_a_storage_holding_another_file_under_the_demos_name_gets_a_real_build(filed_demo, tmp_path):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.test.utils import override_settings

    from ..media import fresh_storage

    calls, stored = filed_demo
    with override_settings(MEDIA_ROOT=str(tmp_path / "first")):
        fresh_storage()
        with transaction.atomic():
            demo_data.build()
            transaction.set_rollback(True)
    with override_settings(MEDIA_ROOT=str(tmp_path / "second")):
        fresh_storage()
        default_storage.save(stored["name"], ContentFile(b"%PDF-1.4 berkas lain"))
        with transaction.atomic():
            demo_data.build()
            transaction.set_rollback(True)
    fresh_storage()
    assert calls == ["demo", "demo"]


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_gets_the_copy_and_leaves_the_database_as_migrate_left_it(small_demo):
    from sia.reference.models import ReferenceNode

    with transaction.atomic():
        demo_data.build()
        transaction.set_rollback(True)
    demo_data.build()  # outside a transaction, on the database every test starts from: the copy, committed
    assert small_demo == ["demo"], "copied, not built again"
    assert Department.objects.filter(institution__code="97").count() == 2
    node = ReferenceNode.objects.order_by("pk").first()
    node.name = "Diubah oleh uji"
    node.save()  # a captured table changed (a row and its history)
    captured = baseline.captured_rows()
    assert "reference_referencenode" in captured and "organizations_institution" not in captured
    baseline.restore()
    now = {table: read_rows(connection, table, pk) for table, (pk, _models) in tables_of(connection).items()}
    assert {table: found for table, found in now.items() if found} == captured
    assert ReferenceNode.objects.get(pk=node.pk).name != "Diubah oleh uji"
