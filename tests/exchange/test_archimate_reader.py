"""The reader's checks before and after parsing: only UTF-8 is read (a DTD in UTF-16 or behind another declared
encoding is refused, not parsed), a DTD is refused whatever its bytes look like while a comment that merely
mentions one is not, and an element or relationship of a type the shipped schemas do not declare is named in
Indonesian (type, name, identifier), all of them at once, instead of libxml2's schema complaint; the schema
complaint itself opens in Indonesian with its line."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from lxml import etree

from sia.exchange.archimate import importer, mapping, reader
from sia.exchange.archimate.reader import parse
from sia.exchange.archimate.schema import SCHEMA_DIR, declared_types
from sia.exchange.problems import FileRejected

from .test_archimate_hostile import BILLION_LAUGHS, HEAD, MODEL, VALID, upload
from .test_archimate_import import count_objects

ROOT = ('<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" identifier="id-m">\n'
        '<name xml:lang="id">Model</name>\n<elements>\n{elements}</elements>\n{relationships}</model>')
# The reviewer's file: an external entity and an internal one used in a name ("A&s;B" was read as "A").
ENTITIES = ('<?xml version="1.0" encoding="{encoding}"?>\n<!DOCTYPE model [<!ENTITY x SYSTEM "file:///etc/passwd">'
            '<!ENTITY s "kecil">]>\n' + MODEL.format(name="A&s;B&x;"))


def element(identifier, xsi_type, name="Proses"):
    label = f'<name xml:lang="id">{name}</name>' if name else ""
    kind = f' xsi:type="{xsi_type}"' if xsi_type is not None else ""
    return f'<element identifier="{identifier}"{kind}>{label}</element>\n'


def model(elements, relationships=""):
    return (HEAD + ROOT.format(elements="".join(elements), relationships=relationships)).encode()


def refusal(content) -> str:
    with pytest.raises(FileRejected) as refused:
        parse(content)
    return refused.value.message


# ---------------------------------------------------------------- encodings


def _with_mark(text: str, codec: str, mark: bytes = b"") -> bytes:
    return mark + text.encode(codec)


UTF16_DECLARED = VALID.replace('encoding="UTF-8"', 'encoding="UTF-16"')
UTF32_DECLARED = VALID.replace('encoding="UTF-8"', 'encoding="UTF-32"')


@pytest.mark.parametrize("content, named", [
    (_with_mark(UTF16_DECLARED, "utf-16-le", b"\xff\xfe"), "UTF-16 LE"),
    (_with_mark(UTF16_DECLARED, "utf-16-be", b"\xfe\xff"), "UTF-16 BE"),
    (_with_mark(UTF16_DECLARED, "utf-16-le"), "UTF-16 LE"),
    (_with_mark(UTF16_DECLARED, "utf-16-be"), "UTF-16 BE"),
    (_with_mark(VALID.replace(HEAD, ""), "utf-16-le"), "UTF-16 LE"),  # no declaration either
    (_with_mark(UTF32_DECLARED, "utf-32-le", b"\xff\xfe\x00\x00"), "UTF-32 LE"),
    (_with_mark(UTF32_DECLARED, "utf-32-be", b"\x00\x00\xfe\xff"), "UTF-32 BE"),
    (_with_mark(UTF32_DECLARED, "utf-32-le"), "UTF-32 LE"),
    (_with_mark(UTF32_DECLARED, "utf-32-be"), "UTF-32 BE"),
    (_with_mark("\n " + VALID.replace(HEAD, ""), "utf-16-le"), "UTF-16 LE"),
    (_with_mark("\n " + VALID.replace(HEAD, ""), "utf-16-be"), "UTF-16 BE"),
    (_with_mark("\n" + VALID.replace(HEAD, ""), "utf-32-le"), "UTF-32 LE"),
    (b"m\x00\x00<" + VALID.encode(), "UTF-16/UTF-32"),  # no encoding at all: refused all the same
    (VALID.replace('encoding="UTF-8"', 'encoding="IBM037"').encode("cp037"), "EBCDIC"),
    (VALID.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').encode("latin-1"), "ISO-8859-1"),
    (VALID.replace('encoding="UTF-8"', "encoding = 'windows-1252'").encode("cp1252"), "windows-1252"),
], ids=["utf16le-bom", "utf16be-bom", "utf16le", "utf16be", "utf16le-undeclared", "utf32le-bom", "utf32be-bom",
        "utf32le", "utf32be", "utf16le-leading-space", "utf16be-leading-space", "utf32le-leading-space", "nul", "ebcdic", "latin1-declared", "cp1252-declared"])
def test_a_file_not_in_utf8_is_refused_naming_its_encoding(content, named, monkeypatch):
    monkeypatch.setattr(reader, "_root_tag", lambda _content: pytest.fail("parsed a file not in UTF-8"))
    message = refusal(content)
    assert message.startswith("Berkas ArchiMate harus berenkode UTF-8") and f"berenkode {named}." in message


@pytest.mark.parametrize("content", [
    VALID.encode(),
    reader.UTF8_BOM + VALID.encode(),
    VALID.replace('encoding="UTF-8"', "encoding='utf-8'").encode(),
    VALID.replace('encoding="UTF-8"', 'encoding="UTF8"').encode(),
    VALID.replace(' encoding="UTF-8"', "").encode(),
    VALID.replace(HEAD, "").encode(),
    reader.UTF8_BOM + VALID.replace(HEAD, "").encode(),
], ids=["declared", "bom", "lower-case", "utf8", "no-encoding", "no-declaration", "bom-no-declaration"])
def test_utf8_is_read_with_or_without_its_mark_or_declaration(content):
    assert [e.name for e in parse(content).elements.values()] == ["Proses"]


def test_utf8_text_survives():
    content = VALID.replace("Proses", "Pelayanan Kesehatan — “Puskesmas” ąé 日本").encode()
    assert [e.name for e in parse(content).elements.values()] == ["Pelayanan Kesehatan — “Puskesmas” ąé 日本"]


@pytest.mark.parametrize("codec, mark", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b""), ("utf-32-le", b"")])
def test_the_reviewers_utf16_entities_are_refused_not_read_without_their_text(codec, mark):
    content = mark + ENTITIES.format(encoding=codec.upper()[:6]).encode(codec)
    assert "UTF-8" in refusal(content)


@pytest.mark.django_db
def test_a_utf16_billion_laughs_is_refused_in_indonesian_and_writes_nothing(world, api):
    laughs = b"\xff\xfe" + BILLION_LAUGHS.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16-le")
    message = refusal(laughs)
    assert message.startswith("Berkas ArchiMate harus berenkode UTF-8") and "amplification" not in message
    before = count_objects(world.inst)
    with pytest.raises(FileRejected, match="berenkode UTF-16 LE"):
        importer.commit(laughs, user=world.users["admin"], institution=world.inst)
    url = f'{reverse("exchange-api:archimate")}?instansi={world.inst.pk}'
    response = api(world.users["admin"]).post(url, {"file": upload(laughs), "commit": True}, format="multipart")
    body = response.json()
    assert response.status_code == 400 and body["written"] is False
    assert body["problems"][0]["message"].startswith("Berkas ArchiMate harus berenkode UTF-8")
    assert count_objects(world.inst) == before


# ---------------------------------------------------------------- DTDs


@pytest.mark.parametrize("prolog", [
    "<!-- " + "komentar panjang " * 10_000 + "-->\n<!DOCTYPE model [<!ENTITY s \"kecil\">]>\n",
    "<?sia petunjuk?>\n<!-- a -->\n\t \r\n<!DOCTYPE model [<!ENTITY s \"kecil\">]>\n",
    "\n\n\t  <!DOCTYPE\n\tmodel   SYSTEM  'http://attacker.example/evil.dtd'  >\n",
    "<!doctype model [<!ENTITY s \"kecil\">]>\n",
    "<!DocType model>\n",
], ids=["after-a-long-comment", "after-a-pi-and-whitespace", "odd-whitespace", "lower-case", "mixed-case"])
@pytest.mark.parametrize("head", [HEAD, "", "\ufeff" + HEAD], ids=["declared", "undeclared", "bom"])
def test_a_dtd_anywhere_in_the_prolog_is_refused_unread(head, prolog, monkeypatch):
    monkeypatch.setattr(reader, "_root_tag", lambda _content: pytest.fail("parsed a file declaring a DTD"))
    assert "DTD" in refusal((head + prolog + MODEL.format(name="Model")).encode())


def test_the_text_of_a_dtd_in_a_comment_or_cdata_is_no_dtd_and_is_read():
    """A comment or a CDATA section may say "<!DOCTYPE …" or "<!ENTITY …": the parser reads no DTD there (which
    the check after parsing confirms), so the file is read, the CDATA's text as text."""
    content = (HEAD + '<!-- diekspor dari alat lain; <!DOCTYPE model [<!ENTITY x SYSTEM "file:///etc/passwd">]> -->\n'
               + MODEL.format(name="Model").replace(
                   '<name xml:lang="id">Proses</name>',
                   '<name xml:lang="id">Proses</name><documentation xml:lang="id"><![CDATA[<!DOCTYPE y '
                   '[<!ENTITY z "a">]> &z;]]></documentation>')).encode()
    (found,) = parse(content).elements.values()
    assert found.name == "Proses" and found.documentation == '<!DOCTYPE y [<!ENTITY z "a">]> &z;'


def test_a_dtd_missed_by_the_byte_checks_is_refused_by_what_the_parser_read(monkeypatch):
    """Defence in depth: were the checks on the bytes fooled, the parser's account (docinfo) refuses the DTD as soon
    as the first element is read, and again once the file is read; and a file read in another encoding."""
    monkeypatch.setattr(reader, "_prolog_declares_dtd", lambda _content: False)
    internal = (HEAD + '<!DOCTYPE model [<!ENTITY s "kecil">]>\n' + MODEL.format(name="Model")).encode()
    assert "DTD" in refusal(internal)
    monkeypatch.setattr(reader, "_other_encoding", lambda _content: "")
    assert "DTD" in refusal(b"\xff\xfe" + ENTITIES.format(encoding="UTF-16").encode("utf-16-le"))
    monkeypatch.setattr(reader, "_root_tag", lambda _content: reader._q("model"))
    assert "DTD" in refusal(internal)
    latin = VALID.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').replace("Proses", "Prosés")
    assert "berenkode ISO-8859-1" in refusal(latin.encode("latin-1"))


def test_an_entity_without_a_dtd_is_not_silently_dropped():
    with pytest.raises(FileRejected, match="XML yang sah"):
        parse(VALID.replace("Proses", "A&s;B").encode())


# ---------------------------------------------------------------- types


def test_the_types_are_those_the_shipped_schemas_declare():
    """Read from the XSD, not written in SIA: every declared element type is a complex type deriving from the
    schema's ElementType, every relationship type one deriving from RelationshipType, and the other way round."""
    xsd = etree.parse(str(SCHEMA_DIR / "archimate3_Model.xsd"))
    ns = {"xs": "http://www.w3.org/2001/XMLSchema"}
    bases = {c.get("name"): derived.get("base") for c in xsd.iterfind("xs:complexType", ns)
             for derived in c.iterfind("xs:complexContent/*", ns)}  # extension or restriction

    def derives(name, root):
        while name in bases:
            name = bases[name]
            if name == root:
                return True
        return False

    concrete = {c.get("name") for c in xsd.iterfind("xs:complexType", ns) if c.get("abstract") != "true"}
    elements, relationships = declared_types()
    assert elements == {n for n in concrete if derives(n, "ElementType")}
    assert relationships == {n for n in concrete if derives(n, "RelationshipType")}
    assert {"BusinessProcess", "DataObject", "Grouping", "AndJunction"} <= elements and "Composition" in relationships
    assert set(mapping.LAYER_OF) - {"Junction"} <= elements  # Archi's own name, never an exchange type
    assert mapping.XML_RELATIONSHIPS <= relationships


def test_unknown_element_types_are_named_all_at_once_instead_of_the_schema_complaint():
    content = model([element("id-1", "BusinessProcess"), element("id-123", "Foo", "Sesuatu"),
                     element("id-7", "Composition", "Bukan elemen"), element("id-8", "Bar", ""),
                     element("id-9", None, "Tanpa jenis")],
                    '<relationships>\n<relationship identifier="id-r" source="id-1" target="id-123" '
                    'xsi:type="Connects"/>\n</relationships>\n')
    message = refusal(content)
    assert message.split(" Jenis ")[0] == "Jenis elemen “Foo” (elemen “Sesuatu”, id-123) tidak dikenal ArchiMate 3.1."
    for sentence in ("Jenis elemen “Composition” (elemen “Bukan elemen”, id-7) tidak dikenal ArchiMate 3.1.",
                     "Jenis elemen “Bar” (elemen id-8) tidak dikenal ArchiMate 3.1.",
                     "Elemen tanpa jenis (elemen “Tanpa jenis”, id-9): xsi:type wajib.",
                     "Jenis hubungan “Connects” (hubungan id-r dari “Proses” ke “Sesuatu”) tidak dikenal "
                     "ArchiMate 3.1."):
        assert sentence in message
    assert not re.search(r"QName|resolve|Element '|line|skema", message), message


def test_a_long_list_of_unknown_types_is_bounded_and_counted():
    message = refusal(model([element(f"id-{n}", f"Jenis{n}", f"Elemen {n}") for n in range(25)]))
    assert message.count("tidak dikenal ArchiMate 3.1.") == reader.MAX_UNKNOWN_TYPES
    assert "“Jenis19”" in message and "“Jenis20”" not in message and message.endswith("… dan 5 lagi.")


def test_a_prefixed_type_in_the_exchange_namespace_is_known_and_one_in_another_namespace_is_not():
    prefixed = model([element("id-1", "a:BusinessActor", "Pelaku")]).replace(
        b"<model ", b'<model xmlns:a="http://www.opengroup.org/xsd/archimate/3.0/" ')
    assert [e.xsi_type for e in parse(prefixed).elements.values()] == ["BusinessActor"]
    other = model([element("id-1", "x:BusinessActor", "Pelaku")]).replace(
        b"<model ", b'<model xmlns:x="http://example.org/lain" ')
    assert refusal(other) == "Jenis elemen “x:BusinessActor” (elemen “Pelaku”, id-1) tidak dikenal ArchiMate 3.1."


@pytest.mark.django_db
def test_the_importer_and_the_api_refuse_an_unknown_type_naming_it_and_write_nothing(world, api):
    content = model([element("id-1", "BusinessProcess"), element("id-123", "Foo", "Sesuatu")])
    expected = "Jenis elemen “Foo” (elemen “Sesuatu”, id-123) tidak dikenal ArchiMate 3.1."
    before = count_objects(world.inst)
    with pytest.raises(FileRejected, match=re.escape(expected)):
        importer.preview(content, user=world.users["admin"], institution=world.inst)
    url = f'{reverse("exchange-api:archimate")}?instansi={world.inst.pk}'
    response = api(world.users["admin"]).post(url, {"file": upload(content), "commit": True}, format="multipart")
    assert response.status_code == 400 and response.json()["problems"][0]["message"] == expected
    assert count_objects(world.inst) == before


# ---------------------------------------------------------------- the schema's complaint


def test_the_schema_complaint_opens_in_indonesian_with_its_line():
    content = model([element("id-1", "BusinessProcess"), element("id-2", "BusinessService", "")])  # unnamed
    message = refusal(content)
    line = content.decode().splitlines().index('<element identifier="id-2" xsi:type="BusinessService"></element>') + 1
    assert message.startswith(f"Berkas tidak sesuai skema ArchiMate 3.1 (baris {line}): "), message
    assert "element" in message and not re.search(r"\bline\b|\{http", message), message


def test_several_schema_complaints_each_name_their_line():
    content = model([element("id-1", "BusinessProcess", ""), element("id-2", "BusinessService", "")])
    message = refusal(content)
    assert re.match(r"Berkas tidak sesuai skema ArchiMate 3\.1 \(baris 5\): .+; baris 6: ", message), message


def test_a_duplicate_identifier_is_one_complaint_with_its_line():
    message = refusal(model([element("id-1", "BusinessProcess"), element("id-1", "BusinessService")]))
    assert message == ("Berkas tidak sesuai skema ArchiMate 3.1 (baris 6): Element 'element', attribute "
                       "'identifier': 'id-1' is not a valid value of the atomic type 'xs:ID'.")


def test_a_large_refused_file_is_not_read_whole_again_and_names_only_its_own_complaints(monkeypatch):
    """Beyond ``LINED_ERRORS_MAX_BYTES`` the complaints made as the file was read are given, without lines, and
    they are this file's: none of a file refused before it."""
    assert "baris 5" in refusal(model([element("id-1", "BusinessProcess", "")]))  # missing name, refused first
    monkeypatch.setattr(reader, "LINED_ERRORS_MAX_BYTES", 10)
    message = refusal(model([element("id-1", "BusinessProcess"), element("id-1", "BusinessService")]))
    assert message.startswith("Berkas tidak sesuai skema ArchiMate 3.1: Element 'element'") and "id-1" in message
    assert "Missing child" not in message and not re.search(r"\bline\b|\{http", message), message
