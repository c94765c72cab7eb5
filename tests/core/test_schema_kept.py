"""The test run's schema cache (tests/conftest.py): each worker builds the OpenAPI schema once per language and
version, from the collection of the authorization matrix on, and answers copies a test may change freely."""

from drf_spectacular.generators import SchemaGenerator
from django.utils import translation


def test_the_schema_is_built_once_and_answered_as_copies():
    kept = SchemaGenerator._sia_kept_schemas
    first = SchemaGenerator().get_schema(request=None, public=True)
    count = len(kept)
    first["paths"].clear()
    again = SchemaGenerator().get_schema(request=None, public=True)
    assert again["paths"], "a test's change to its copy reached the kept schema"
    assert len(kept) == count  # not built again
    assert (True, translation.get_language(), None) in {key[:3] for key in kept}  # kept per language


def test_fresh_schema_builds_it_for_real(fresh_schema):
    assert SchemaGenerator.get_schema is SchemaGenerator._sia_original_get_schema
