import copy
import json
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from . import baseline
from .held import HELD, NOT_HELD, build_world, prepare_kinds, wanted_layers

QUERY_BUDGETS = json.loads((Path(__file__).parent / "query_budgets.json").read_text())


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """After pytest-django's order (tryfirst): the modules known to take long first (tests/ordering.py)."""
    from .ordering import long_first

    long_first(items)


@pytest.fixture(autouse=True)
def _no_graph_kept_from_another_test():
    """Each test's database is rolled back after it, and with it the architecture's generation token: a graph kept
    under that token (``sia.insights.graph_cache``) would outlive the rows it was read from. The SQL compiled once
    (``sia.core.compiled``) stays: it holds no rows, its keys name what it is made of, the content types it may name
    keep their keys (tests/baseline.py), and a setting a query may read forgets it when changed (below). Compiling
    it again for each of ~27,000 tests cost about 5% of the authorization matrices."""
    from sia.architecture import kept
    from sia.insights import graph_cache

    graph_cache.clear()
    kept.clear(sql=False)  # the home pages' figures, kept under the same token (``sia.architecture.kept``)
    yield
    graph_cache.clear()
    kept.clear(sql=False)


@pytest.fixture(scope="module", autouse=True)
def _no_database_session_left_open(django_db_blocker):
    """On PostgreSQL, after each module: no session on the test database but the worker's own. A connection a
    test leaves open (a thread's, a live server's, a psycopg connection of its own) would keep the run from
    dropping the test database at its end (tests/sessions.py)."""
    yield
    from django.db import connection

    from .sessions import describe, left_open

    if connection.vendor != "postgresql" or not str(connection.settings_dict["NAME"]).startswith("test_"):
        return  # SQLite, or no test of this worker has used the database yet
    with django_db_blocker.unblock():
        found = left_open(connection)
    assert not found, "sessions left open on the test database after this module:\n" + describe(found)


@pytest.fixture(autouse=True)
def _fresh_in_memory_media():
    """SIA_TEST_MEDIA_STORAGE=memory (sia.test_settings): each test starts with an empty InMemoryStorage, as it
    starts with an empty MEDIA_ROOT folder otherwise (Django renews the storage only when STORAGES changes), and
    fails when anything was written under MEDIA_ROOT past the storage API (S3 media would not see it)."""
    import os

    from django.conf import settings
    from django.core.files.storage import default_storage, storages
    from django.core.signals import setting_changed
    from django.utils.functional import empty

    storages._storages = {}
    default_storage._wrapped = empty
    if os.environ.get("SIA_TEST_MEDIA_STORAGE") != "memory":
        yield
        return

    def files(root):
        root = Path(root)
        return {str(p) for p in root.rglob("*") if p.is_file()} if root.is_dir() else set()

    roots = {str(settings.MEDIA_ROOT)}
    before = files(settings.MEDIA_ROOT)

    def remember(*, setting, value, enter, **kwargs):
        if setting == "MEDIA_ROOT" and enter:
            roots.add(str(value))

    setting_changed.connect(remember)
    try:
        yield
    finally:
        setting_changed.disconnect(remember)
    written = sorted(set().union(*(files(root) for root in roots)) - before)
    assert not written, f"written under MEDIA_ROOT past the storage API: {written}"


def _generate_schema_once_per_language():
    """The OpenAPI schema depends on the code, the language and the API version, never on the test's rows, yet
    drf-spectacular builds it anew on every ``/api/schema/`` request (6-13 s each under load): in a test run each
    worker builds it once per language and version and answers copies. Installed when this conftest is imported,
    before the test modules are collected, so that the schema the authorization matrix reads to make its cases
    (tests/authz/matrix.py, at collection) is the one every later test of the worker reuses, not built again.
    ``fresh_schema`` builds it for real."""
    from django.utils import translation
    from drf_spectacular.generators import SchemaGenerator

    if hasattr(SchemaGenerator, "_sia_original_get_schema"):
        return
    original = SchemaGenerator.get_schema
    kept = {}

    def get_schema(self, request=None, public=False):
        key = (public, translation.get_language(), getattr(request, "version", None), self.api_version,
               self.urlconf, id(self.patterns) if self.patterns is not None else None)
        if key not in kept:
            kept[key] = original(self, request=request, public=public)
        return copy.deepcopy(kept[key])

    SchemaGenerator.get_schema = get_schema
    SchemaGenerator._sia_original_get_schema = original
    SchemaGenerator._sia_kept_schemas = kept


# Settings tests change that no query reads while it is built: the SQL compiled once stays when they change. Any
# other changed setting (the time zone of a date's converter, the languages...) forgets it, at the change and when it
# is put back, so that no test runs SQL compiled under another test's settings.
NOT_READ_BY_QUERIES = frozenset({
    "MEDIA_ROOT", "STORAGES", "STATIC_ROOT", "STATICFILES_DIRS", "TASKS", "EMAIL_BACKEND", "DEBUG", "ROOT_URLCONF",
    "FORM_RENDERER", "SESSION_ENGINE", "SESSION_COOKIE_AGE", "FILE_UPLOAD_MAX_MEMORY_SIZE", "SIA_BASE_URL",
    "SIA_FIGURES_KEPT", "SIA_FIGURES_SECONDS", "SIA_INSIGHTS_GRAPHS", "SIA_INSIGHTS_GRAPH_SECONDS",
    "SIA_IMPORT_MAX_BYTES", "SIA_IMPORT_MAX_UNCOMPRESSED_BYTES", "SIA_IMPORT_MAX_PART_BYTES", "SIA_IMPORT_MAX_ROWS",
    "SIA_IMPORT_JOB_ROWS", "SIA_EVIDENCE_MAX_BYTES", "SIA_ARCHIMATE_MAX_BYTES", "SIA_SNAPSHOT_SYNC_ROWS",
    "SIA_SNAPSHOT_SYNC_BYTES", "SIA_DOCUMENT_JOB_MINUTES", "SIA_API_TOKEN_DAYS",
})


def _forget_compiled_sql(*, setting, **kwargs):
    if setting not in NOT_READ_BY_QUERIES:
        from sia.core import compiled

        compiled.clear()


def _forget_compiled_sql_when_a_setting_changes():
    from django.core.signals import setting_changed

    setting_changed.connect(_forget_compiled_sql, dispatch_uid="sia-tests-compiled-settings")


_generate_schema_once_per_language()
_forget_compiled_sql_when_a_setting_changes()
baseline.install()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test databases, then their rows as migrate left them: what the teardown of a transactional
    test writes back instead of Django's flush (tests/baseline.py)."""
    with django_db_blocker.unblock():
        baseline.capture()


@pytest.fixture
def fresh_schema():
    """The schema generated for real in this test, with the warnings drf-spectacular emits while generating."""
    from drf_spectacular.generators import SchemaGenerator

    kept = SchemaGenerator.get_schema
    SchemaGenerator.get_schema = getattr(SchemaGenerator, "_sia_original_get_schema", kept)
    yield
    SchemaGenerator.get_schema = kept


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory):
    """This run's SQLite file migrated from nothing by ``sia migrate`` (tests/migrated.py): copy it, never write it."""
    from .migrated import migrated_sqlite, shared_dir

    return migrated_sqlite(shared_dir(tmp_path_factory))


@pytest.fixture(scope="session")
def migrated_postgres(tmp_path_factory):
    """The name of this run's PostgreSQL database migrated from nothing (on DATABASE_URL's server; a PostgreSQL run
    only): copy it with ``CREATE DATABASE ... TEMPLATE``, never connect to it to write."""
    import os

    from .migrated import migrated_postgres, shared_dir

    return migrated_postgres(shared_dir(tmp_path_factory), os.environ["DATABASE_URL"])


@pytest.fixture(autouse=True)
def _django_db_marker(request, django_db_blocker):
    """pytest-django's fixture of the ``django_db`` mark (it opens the test's ``TestCase`` transaction), after the
    world held for the module's tests is opened below it (tests/held.py); released before a transactional test.
    (tests/authz has its own.)"""
    if wanted_layers(request):
        request.getfixturevalue("django_db_setup")
    HELD.prepare_for(request, django_db_blocker)
    if request.node.get_closest_marker("django_db"):
        request.getfixturevalue("_django_db_helper")


@pytest.fixture(scope="module", autouse=True)
def _held_world_released(django_db_blocker):
    yield
    HELD.release(django_db_blocker)


@pytest.fixture
def world(db):
    """Two instansi; the first has two OPDs and one member of every role (tests/held.py: built once per module,
    a copy of its objects per test)."""
    held = HELD.value("world")
    return build_world() if held is NOT_HELD else held


@pytest.fixture
def kinds(world):
    """Builds objects of any architecture kind from its declaration in DISKOMINFO (``tests.kinds``);
    the national catalogs and both instansi's value lists are ready (held like the world)."""
    from .kinds import Builder

    held = HELD.value("kinds")
    if held is not NOT_HELD:
        return held
    prepare_kinds(world)
    return Builder(world.kominfo)


@pytest.fixture
def api():
    def client_for(user=None):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return client_for


@pytest.fixture
def count_queries():
    def run(func):
        with CaptureQueriesContext(connection) as ctx:
            result = func()
        return len(ctx.captured_queries), result

    return run


@pytest.fixture
def query_budget():
    return QUERY_BUDGETS


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """This run's static files collected with the production storage as `sia serve` collects them
    (tests/migrated.py): read them or copy them, never write them."""
    from .migrated import collected_static, shared_dir

    return collected_static(shared_dir(tmp_path_factory))
