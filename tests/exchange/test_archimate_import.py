"""The ArchiMate import: a preview naming every problem and change, an all-or-nothing commit, objects matched by
their SIA code (an edit in Archi updates, never duplicates), the round trip (export, import into an empty instansi,
export again: the same model), and who may import."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from lxml import etree

from sia.architecture.models import Application, BusinessProcess, Server, StorageMedia
from sia.architecture.registry import domain_models
from sia.core.roles import Role
from sia.exchange.archimate import importer, mapping
from sia.exchange.archimate.export import export_model
from sia.organizations.models import Department
from sia.reference.models import ReferenceNode
from tests import factories as f
from tests.held import held
from tests.kinds import _institution_node

from .archimate_helpers import NS, XSI_TYPE, fill_every_kind, normalized, parse



def count_objects(institution) -> int:
    return sum(model.objects.filter(institution=institution).count() for model in domain_models())


@pytest.fixture
@held(after="kinds")
def filled(world, kinds):
    fill_every_kind(kinds)
    content, problems = export_model(world.users["admin"], world.inst)
    assert problems == []
    return content


@pytest.fixture
def empty(world):
    """A new instansi with the same OPDs and the instansi's own reference nodes (RAK has no national codes), and its
    koordinator."""
    fresh = f.institution(name="Pemerintah Kabupaten Kosong", code="8299", kind="kabupaten")
    for department in Department.objects.filter(institution=world.inst):
        f.department(fresh, name=department.name, abbreviation=department.abbreviation)
    for node in ReferenceNode.objects.filter(institution=world.inst).order_by("level", "code"):
        _institution_node(node.version, node.code, fresh)
    fresh.koordinator = f.member(fresh, Role.ADMIN, username="koord.kosong")
    return fresh


def rewrite(content: bytes, change) -> bytes:
    root = parse(content)
    change(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def element_by_code(root, code):
    definitions = {d.findtext("a:name", namespaces=NS): d.get("identifier")
                   for d in root.iterfind("a:propertyDefinitions/a:propertyDefinition", NS)}
    ref = definitions[mapping.PROPERTY_CODE]
    for node in root.iterfind("a:elements/a:element", NS):
        for prop in node.iterfind("a:properties/a:property", NS):
            if prop.get("propertyDefinitionRef") == ref and prop.findtext("a:value", namespaces=NS) == code:
                return node
    raise LookupError(code)


def test_round_trip_into_an_empty_instansi_gives_the_same_model(world, filled, empty):
    result = importer.commit(filled, user=empty.koordinator, institution=empty)
    assert result.is_clean and result.written, result.problems
    assert result.counts()["create"] == count_objects(world.inst) == count_objects(empty)
    again, problems = export_model(empty.koordinator, empty)
    assert problems == []
    first, second = normalized(filled), normalized(again)
    assert first[0] == second[0]
    assert first[1] == second[1]
    assert len(first[1]) > 100


def test_reimporting_an_export_changes_nothing(world, filled):
    result = importer.preview(filled, user=world.users["admin"], institution=world.inst)
    assert result.is_clean, result.problems
    assert result.counts() == {"create": 0, "update": 0, "unchanged": count_objects(world.inst)}


def test_an_edit_in_archi_is_previewed_then_updates_without_duplicating(world, filled):
    process = BusinessProcess.objects.filter(institution=world.inst).order_by("code").first()
    app = Application.objects.filter(institution=world.inst).order_by("code").first()
    server = Server.objects.filter(institution=world.inst).order_by("code").first()

    def edit(root):
        element_by_code(root, process.code).find("a:name", NS).text = "Proses yang diganti di Archi"
        doc = etree.SubElement(element_by_code(root, app.code), f"{{{mapping.NAMESPACE}}}documentation")
        element_by_code(root, app.code).find("a:name", NS).addnext(doc)
        doc.text = "Uraian baru dari Archi"
        element_by_code(root, server.code).find("a:name", NS).text = "Server diganti"

    edited = rewrite(filled, edit)
    before = count_objects(world.inst)
    result = importer.preview(edited, user=world.users["admin"], institution=world.inst)
    assert result.is_clean, result.problems
    changed = [c for c in result.changes if c.action == importer.UPDATE]
    assert sorted(c.code for c in changed) == sorted([process.code, app.code, server.code])
    assert BusinessProcess.objects.get(pk=process.pk).name == process.name  # a preview writes nothing
    result = importer.commit(edited, user=world.users["admin"], institution=world.inst)
    assert result.written and count_objects(world.inst) == before
    assert BusinessProcess.objects.get(pk=process.pk).name == "Proses yang diganti di Archi"
    assert Application.objects.get(pk=app.pk).description == "Uraian baru dari Archi"
    assert Server.objects.get(pk=server.pk).name == "Server diganti"


def test_a_relationship_removed_in_archi_removes_the_link(world, filled):
    app = Application.objects.filter(institution=world.inst, processes__isnull=False).order_by("code").first()
    process = app.processes.first()

    def drop(root):
        source, target = f"id-aplikasi-{app.pk}", f"id-proses-bisnis-{process.pk}"
        for node in root.iterfind("a:relationships/a:relationship", NS):
            if node.get("source") == source and node.get("target") == target:
                node.getparent().remove(node)
        for node in list(root.iter(f"{{{mapping.NAMESPACE}}}connection")):
            if not root.xpath(f"//a:relationship[@identifier='{node.get('relationshipRef')}']", namespaces=NS):
                node.getparent().remove(node)
        for node in list(root.iterfind("a:organizations//a:item[@identifierRef]", NS)):
            ref = node.get("identifierRef")
            if ref.startswith("id-aplikasi-processes-") and not root.xpath(
                    f"//a:relationship[@identifier='{ref}']", namespaces=NS):
                node.getparent().remove(node)

    result = importer.commit(rewrite(filled, drop), user=world.users["admin"], institution=world.inst)
    assert result.written, result.problems
    assert process not in Application.objects.get(pk=app.pk).processes.all()


def test_every_problem_is_named_and_nothing_is_written(world, filled):
    process = BusinessProcess.objects.filter(institution=world.inst).order_by("code").first()

    def spoil(root):
        element_by_code(root, process.code).find("a:name", NS).text = "Tidak akan tersimpan"
        elements = root.find("a:elements", NS)
        actor = etree.SubElement(elements, f"{{{mapping.NAMESPACE}}}element", identifier="id-actor",
                                 attrib={XSI_TYPE: "BusinessActor"})
        etree.SubElement(actor, f"{{{mapping.NAMESPACE}}}name").text = "Kepala Dinas"
        device = etree.SubElement(elements, f"{{{mapping.NAMESPACE}}}element", identifier="id-device",
                                  attrib={XSI_TYPE: "Device"})
        etree.SubElement(device, f"{{{mapping.NAMESPACE}}}name").text = "Perangkat tanpa jenis"
        relationships = root.find("a:relationships", NS)
        odd = etree.SubElement(relationships, f"{{{mapping.NAMESPACE}}}relationship", identifier="id-odd",
                               source=f"id-proses-bisnis-{process.pk}", target=f"id-proses-bisnis-{process.pk}",
                               attrib={XSI_TYPE: "Triggering"})
        etree.SubElement(odd, f"{{{mapping.NAMESPACE}}}name").text = "memicu"

    result = importer.commit(rewrite(filled, spoil), user=world.users["admin"], institution=world.inst)
    assert not result.written
    messages = [str(p) for p in result.problems]
    assert any("Kepala Dinas" in m and "BusinessActor tidak dipetakan" in m for m in messages), messages
    assert any("Perangkat tanpa jenis" in m and mapping.PROPERTY_KIND in m for m in messages), messages
    assert any("Triggering" in m and "tidak dapat menyatakan" in m for m in messages), messages
    assert BusinessProcess.objects.get(pk=process.pk).name == process.name


def test_the_models_rules_are_problems_naming_the_element(world, filled):
    server = Server.objects.filter(institution=world.inst, host__isnull=False).first()

    def spoil(root):
        node = element_by_code(root, server.code)
        definitions = {d.get("identifier"): d.findtext("a:name", namespaces=NS)
                       for d in root.iterfind("a:propertyDefinitions/a:propertyDefinition", NS)}
        for prop in node.iterfind("a:properties/a:property", NS):
            if definitions[prop.get("propertyDefinitionRef")] == mapping.PROPERTY_PERIOD:
                prop.find("a:value", NS).text = "2025-2031"

    result = importer.preview(rewrite(filled, spoil), user=world.users["admin"], institution=world.inst)
    assert [p.subject for p in result.problems] == [f"Node “{server.name}” ({server.code})"]
    assert "lima tahun" in result.problems[0].message


def test_a_device_is_told_apart_by_its_code(world, filled, empty):
    storage = StorageMedia.objects.filter(institution=world.inst).first()

    def anonymous_kind(root):
        node = element_by_code(root, storage.code)
        definitions = {d.get("identifier"): d.findtext("a:name", namespaces=NS)
                       for d in root.iterfind("a:propertyDefinitions/a:propertyDefinition", NS)}
        for prop in list(node.iterfind("a:properties/a:property", NS)):
            if definitions[prop.get("propertyDefinitionRef")] == mapping.PROPERTY_KIND:
                prop.getparent().remove(prop)

    result = importer.preview(rewrite(filled, anonymous_kind), user=empty.koordinator, institution=empty)
    assert result.is_clean, result.problems


@pytest.mark.parametrize("role", ["operator", "verifier", "assessor", "leader", "other_admin"])
def test_only_the_koordinator_imports(world, filled, role):
    with pytest.raises(PermissionDenied):
        importer.preview(filled, user=world.users[role], institution=world.inst)


def test_the_api_previews_and_commits_for_the_koordinator_only(world, api, filled, empty):
    url = f'{reverse("exchange-api:archimate")}?instansi={empty.pk}'

    def upload(user, commit=False):
        body = {"file": SimpleUploadedFile("model.xml", filled, "application/xml"), "commit": commit}
        return api(user).post(url, body, format="multipart")

    assert upload(world.users["admin"]).status_code == 404  # another instansi's koordinator
    response = upload(empty.koordinator)
    assert response.status_code == 200 and response.json()["written"] is False
    assert count_objects(empty) == 0
    response = upload(empty.koordinator, commit=True)
    assert response.status_code == 200 and response.json()["written"] is True
    assert response.json()["counts"]["create"] == count_objects(empty) > 0
    operator = f.member(empty, Role.OPERATOR, Department.objects.filter(institution=empty).first(),
                        username="op.kosong")
    response = upload(operator, commit=True)
    assert response.status_code == 403


def test_the_page_previews_then_commits(client, world, filled):
    process = BusinessProcess.objects.filter(institution=world.inst).order_by("code").first()
    edited = rewrite(filled, lambda root: setattr(element_by_code(root, process.code).find("a:name", NS), "text",
                                                  "Nama dari Archi"))
    client.force_login(world.users["admin"])
    page = client.post(reverse("exchange:archimate"), {
        "instansi": world.inst.pk, "file": SimpleUploadedFile("model.xml", edited, "application/xml")})
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="archimate-commit"' in body and "Nama dari Archi" in body
    assert BusinessProcess.objects.get(pk=process.pk).name == process.name
    response = client.post(reverse("exchange:archimate_commit"))
    assert response.status_code == 302
    assert BusinessProcess.objects.get(pk=process.pk).name == "Nama dari Archi"


def test_the_page_refuses_an_operator(client, world, filled):
    client.force_login(world.users["operator"])
    page = client.get(reverse("exchange:archimate"), {"instansi": world.inst.pk})
    assert page.status_code == 200 and 'id="archimate-preview"' not in page.content.decode()
    response = client.post(reverse("exchange:archimate"), {
        "instansi": world.inst.pk, "file": SimpleUploadedFile("model.xml", filled, "application/xml")})
    assert response.status_code == 403
    assert client.post(reverse("exchange:archimate_commit"), {"instansi": world.inst.pk}).status_code == 403


def test_a_flow_removed_in_archi_removes_the_integration_and_one_added_creates_it(world, filled):
    from sia.architecture.models import ApplicationIntegration

    row = ApplicationIntegration.objects.filter(institution=world.inst).first()
    source, target = row.source, row.target

    def swap(root):
        for node in root.iterfind("a:relationships/a:relationship[@xsi:type='Flow']", NS):
            if node.get("source") == f"id-aplikasi-{source.pk}" and node.get("target") == f"id-aplikasi-{target.pk}":
                node.set("source", f"id-aplikasi-{target.pk}")
                node.set("target", f"id-aplikasi-{source.pk}")

    result = importer.commit(rewrite(filled, swap), user=world.users["admin"], institution=world.inst)
    assert result.written, result.problems
    assert result.removed == [str(row)]
    assert not ApplicationIntegration.objects.filter(source=source, target=target).exists()
    reverse_row = ApplicationIntegration.objects.get(source=target, target=source)
    assert (reverse_row.direction, reverse_row.channel, reverse_row.data_exchanged) == (
        row.direction, row.channel, row.data_exchanged)


def test_a_file_written_by_archi_creates_objects_in_the_opd_folder_they_sit_in(world, filled):
    """Archi knows nothing of SIA's properties: a new element is placed by its folder, gets its code from SIA, and a
    relationship drawn to an exported element links the two."""
    process = BusinessProcess.objects.filter(institution=world.inst).order_by("code").first()
    folder_label = f"{world.dinkes.abbreviation} - {world.dinkes.name}"

    def add(root):
        a = f"{{{mapping.NAMESPACE}}}"
        node = etree.SubElement(root.find("a:elements", NS), f"{a}element", identifier="id-archi-new",
                                attrib={XSI_TYPE: "ApplicationComponent"})
        etree.SubElement(node, f"{a}name").text = "Aplikasi Baru dari Archi"
        rel = etree.SubElement(root.find("a:relationships", NS), f"{a}relationship", identifier="id-archi-rel",
                               source="id-archi-new", target=f"id-proses-bisnis-{process.pk}",
                               attrib={XSI_TYPE: "Serving"})
        etree.SubElement(rel, f"{a}name").text = "mendukung"
        application = next(item for item in root.iterfind("a:organizations/a:item", NS)
                            if item.findtext("a:label", namespaces=NS) == "Application")
        folder = etree.SubElement(application, f"{a}item")
        etree.SubElement(folder, f"{a}label").text = folder_label
        etree.SubElement(folder, f"{a}item", identifierRef="id-archi-new")

    result = importer.commit(rewrite(filled, add), user=world.users["admin"], institution=world.inst)
    assert result.written, result.problems
    created = [c for c in result.changes if c.action == importer.CREATE]
    assert [(c.kind, c.name) for c in created] == [("Aplikasi", "Aplikasi Baru dari Archi")]
    app = Application.objects.get(institution=world.inst, name="Aplikasi Baru dari Archi")
    assert app.department == world.dinkes and app.code.startswith("AP-DINKES-")
    assert list(app.processes.all()) == [process]


def test_the_preview_names_what_changed_in_the_readers_words(world, filled):
    process = BusinessProcess.objects.filter(institution=world.inst).order_by("code").first()
    edited = rewrite(filled, lambda root: setattr(element_by_code(root, process.code).find("a:name", NS), "text",
                                                  "Nama baru"))
    result = importer.preview(edited, user=world.users["admin"], institution=world.inst)
    [change] = [c for c in result.changes if c.action == importer.UPDATE]
    assert change.fields == ["Nama"]


def property_value(root, node, name):
    """The ``<value>`` of ``node``'s property ``name`` (the file's property definitions name them)."""
    definitions = {d.get("identifier"): d.findtext("a:name", namespaces=NS)
                   for d in root.iterfind("a:propertyDefinitions/a:propertyDefinition", NS)}
    for prop in node.iterfind("a:properties/a:property", NS):
        if definitions[prop.get("propertyDefinitionRef")] == name:
            return prop.find("a:value", NS)
    raise LookupError(name)


def test_an_unchanged_reimport_writes_nothing(world, filled):
    """Recognised before the editing path: no version moves, no audit-trail row, no link row saved again."""
    from sia.architecture.models import ApplicationIntegration

    versions = {model: dict(model.objects.filter(institution=world.inst).values_list("pk", "lock_version"))
                for model in domain_models()}
    history = {model: model.history.count() for model in domain_models()}
    rows = ApplicationIntegration.history.count()
    result = importer.commit(filled, user=world.users["admin"], institution=world.inst)
    assert result.written and result.counts()["update"] == 0 and result.removed == []
    for model in domain_models():
        assert dict(model.objects.filter(institution=world.inst).values_list("pk", "lock_version")) == versions[model]
        assert model.history.count() == history[model]
    assert ApplicationIntegration.history.count() == rows


def test_a_changed_flow_attribute_updates_its_row(world, filled):
    from sia.architecture.models import ApplicationIntegration

    row = ApplicationIntegration.objects.filter(institution=world.inst).first()
    other = next(value for value, _label in type(row).channel.field.choices if value != row.channel)

    ends = (f"id-aplikasi-{row.source_id}", f"id-aplikasi-{row.target_id}")

    def change(root):
        for node in root.iterfind("a:relationships/a:relationship[@xsi:type='Flow']", NS):
            if (node.get("source"), node.get("target")) == ends:
                property_value(root, node, mapping.ATTRIBUTE_PROPERTY % "channel").text = other

    result = importer.commit(rewrite(filled, change), user=world.users["admin"], institution=world.inst)
    assert result.written, result.problems
    assert ApplicationIntegration.objects.get(pk=row.pk).channel == other


def test_a_reference_code_changed_in_archi_updates_or_is_refused(world, filled):
    process = BusinessProcess.objects.filter(institution=world.inst, reference__isnull=False).order_by("code").first()
    other = BusinessProcess.objects.filter(institution=world.inst, reference__isnull=False).exclude(
        reference=process.reference).first()
    assert other is not None

    def recode(code):
        def change(root):
            property_value(root, element_by_code(root, process.code), mapping.PROPERTY_REFERENCE).text = code
        return change

    admin = world.users["admin"]
    result = importer.preview(rewrite(filled, recode("RAB.99.99.99")), user=admin, institution=world.inst)
    assert [p.subject for p in result.problems] == [f"BusinessProcess “{process.name}” ({process.code})"]
    assert mapping.PROPERTY_REFERENCE in result.problems[0].message
    result = importer.commit(rewrite(filled, recode(other.reference.code)), user=admin, institution=world.inst)
    assert result.written, result.problems
    [change] = [c for c in result.changes if c.action == importer.UPDATE]
    assert change.code == process.code
    assert BusinessProcess.objects.get(pk=process.pk).reference == other.reference
