"""What Archi users add to arrange a model — a Grouping around applications, a Junction joining flows, an
association to a relationship — is set aside with a note in the preview and never blocks the rest of the file."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from lxml import etree

from sia.architecture.models import Application
from sia.exchange.archimate import importer, mapping

from .archimate_helpers import NS, XSI_TYPE
from .test_archimate_import import filled, rewrite  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def add_arrangements(root, applications):
    a = f"{{{mapping.NAMESPACE}}}"
    elements, relationships = root.find("a:elements", NS), root.find("a:relationships", NS)
    for identifier, xsi_type, name in (("id-group", "Grouping", "Aplikasi Dinas"), ("id-and", "AndJunction", "")):
        node = etree.SubElement(elements, f"{a}element", identifier=identifier, attrib={XSI_TYPE: xsi_type})
        if name:
            etree.SubElement(node, f"{a}name").text = name
    first, second = applications
    rel = etree.SubElement(relationships, f"{a}relationship", identifier="id-agg", source="id-group",
                           target=f"id-aplikasi-{first.pk}", attrib={XSI_TYPE: "Aggregation"})
    etree.SubElement(relationships, f"{a}relationship", identifier="id-flow-in", source=f"id-aplikasi-{first.pk}",
                     target="id-and", attrib={XSI_TYPE: "Flow"})
    etree.SubElement(relationships, f"{a}relationship", identifier="id-flow-out", source="id-and",
                     target=f"id-aplikasi-{second.pk}", attrib={XSI_TYPE: "Flow"})
    etree.SubElement(relationships, f"{a}relationship", identifier="id-on-rel", source=f"id-aplikasi-{second.pk}",
                     target=rel.get("identifier"), attrib={XSI_TYPE: "Association"})


def test_groupings_and_junctions_are_set_aside_and_the_rest_is_imported(world, filled, client):  # noqa: F811
    applications = list(Application.objects.filter(institution=world.inst).order_by("pk")[:2])
    renamed = f"{applications[0].name} (diubah di Archi)"

    def edit(root):
        add_arrangements(root, applications)
        for node in root.iterfind("a:elements/a:element", NS):
            if node.get("identifier") == f"id-aplikasi-{applications[0].pk}":
                node.find("a:name", NS).text = renamed

    content = rewrite(filled, edit)
    result = importer.preview(content, user=world.users["admin"], institution=world.inst)
    assert result.is_clean, result.problems
    assert {finding.identifier for finding in result.ignored} == {
        "id-group", "id-and", "id-agg", "id-flow-in", "id-flow-out", "id-on-rel"}
    assert result.counts()["update"] == 1

    client.force_login(world.users["admin"])
    page = client.post(reverse("exchange:archimate") + f"?instansi={world.inst.pk}",
                       {"file": SimpleUploadedFile("model.xml", content, "application/xml")})
    body = page.content.decode()
    assert page.status_code == 200 and 'data-testid="ignored"' in body and 'id="archimate-commit"' in body
    client.post(reverse("exchange:archimate_commit"))
    assert Application.objects.get(pk=applications[0].pk).name == renamed
