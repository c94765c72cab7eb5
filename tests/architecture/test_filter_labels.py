"""A generated filter's label is its field's verbose name in the reader's language, whatever read the filter set
before: the API schema reads each class-level filter's form field, and django-filter kept that field labelled None,
so the list pages showed the field's name ("Category") in every language."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from sia.architecture.filtersets import filterset_for
from sia.architecture.models import Service

pytestmark = pytest.mark.django_db


def test_filter_labels_follow_the_language_after_the_api_schema_was_built(client, world):
    SchemaGenerator().get_schema(request=None, public=True)
    assert filterset_for(Service).base_filters["category"].field.label is not None
    client.force_login(world.users["admin"])
    body = client.get("/arsitektur/layanan/").content.decode()
    assert "<label>Kategori <select name=\"category\"" in body
    client.cookies["django_language"] = "en"
    body = client.get("/arsitektur/layanan/").content.decode()
    assert "<label>Category <select name=\"category\"" in body
