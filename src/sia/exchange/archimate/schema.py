"""Validation of an exchange file against The Open Group's schemas shipped in ``exchange/data/archimate``, resolved
locally: the schemas' import of ``xml.xsd`` by URL is answered with the shipped copy, and nothing is fetched from
the network (see the README there)."""

from __future__ import annotations

import functools
from pathlib import Path

from lxml import etree

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "data" / "archimate"
ENTRY = SCHEMA_DIR / "archimate3_Diagram.xsd"


class _LocalSchemas(etree.Resolver):
    """Every schema location a schema names (a URL or a relative path) read from ``SCHEMA_DIR`` by its file name."""

    def resolve(self, url, public_id, context):
        path = SCHEMA_DIR / url.rsplit("/", 1)[-1]
        if path.is_file():
            return self.resolve_filename(str(path), context)
        raise OSError(f"schema {url} is not shipped with SIA; refusing to fetch it")


def compiled() -> etree.XMLSchema:
    """The schemas compiled anew (2 ms): a checker whose error log is its own file's."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    parser.resolvers.add(_LocalSchemas())
    return etree.XMLSchema(etree.parse(str(ENTRY), parser))


schema = functools.cache(compiled)


def schema_errors(document) -> list[str]:
    """The schema's complaints about ``document`` (an lxml tree or root element); empty: valid."""
    checker = schema()
    if checker.validate(document):
        return []
    return [f"line {error.line}: {error.message}" for error in checker.error_log]
