"""A declared cardinality of "1" or "1..*" (``LinkSpec.cardinality``) is a submit precondition: an object
whose required link is empty cannot be submitted, with a message that names the link. Tested over every
declared required link of every domain, from the declarations alone."""

import pytest

from sia.architecture import workflow
from sia.architecture.choices import ReviewStatus
from sia.architecture.linkspec import declared_links
from sia.architecture.models import Application, DataItem

pytestmark = pytest.mark.django_db

REQUIRED = [
    pytest.param(model, link, id=f"{model.__name__}.{link.field}")
    for model, link in declared_links() if link.cardinality in ("1", "1..*")
]


def test_the_required_links_are_declared():
    """Not a vacuous run: the declarations hold required links, Aplikasi's processes among them."""
    found = {(model.__name__, link.field, link.cardinality) for model, link in declared_links()
             if link.cardinality in ("1", "1..*")}
    assert ("Application", "processes", "1..*") in found
    assert ("DataItem", "processes", "1..*") in found


def make(model, department, name):
    return model.objects.create(department=department, name=name)


def fill(obj, link, world):
    """Gives ``obj`` one object through ``link`` (of the kind the declaration names)."""
    model = type(obj)
    target = make(link.target_model(model), world.kominfo, f"Tertaut {link.field}")
    if link.through:
        source_field, target_field = link.through_fields
        link.through_model().objects.create(**{source_field: obj, target_field: target})
    elif model._meta.get_field(link.field).many_to_many:
        getattr(obj, link.field).add(target)
    else:
        setattr(obj, link.field, target)
        obj.save()


def message_for(model, link):
    target = link.target_model(model)._meta.verbose_name
    amount = "minimal satu" if link.cardinality == "1..*" else "satu"
    return f"{model._meta.verbose_name} harus {link.meaning} {amount} {target} sebelum diajukan."


@pytest.mark.parametrize("model, link", REQUIRED)
def test_an_empty_required_link_blocks_submission(model, link, arch, world):
    obj = make(model, world.kominfo, "Tanpa tautan wajib")
    for other in workflow.required_links(model):
        if other is not link:
            fill(obj, other, world)
    problems = [str(p) for p in workflow.submit_problems(obj)]
    assert message_for(model, link) in problems
    with pytest.raises(workflow.TransitionError) as error:
        workflow.apply(obj, workflow.A.SUBMIT, world.users["operator"])
    assert message_for(model, link) in error.value.messages
    obj.refresh_from_db()
    assert obj.status == ReviewStatus.DRAFT
    assert not workflow.conversation(obj).exists()

    fill(obj, link, world)
    assert message_for(model, link) not in [str(p) for p in workflow.submit_problems(obj)]


def test_an_application_without_a_supported_process_cannot_be_submitted(arch, world, api):
    app = Application.objects.create(department=world.kominfo, name="SIMPEG", reference=arch.node("RAA.01.01"))
    response = api(world.users["operator"]).post(f"/api/architecture/applications/{app.pk}/submit/", {}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == ["Aplikasi harus mendukung minimal satu Proses Bisnis sebelum diajukan."]
    app.refresh_from_db()
    assert app.status == ReviewStatus.DRAFT

    app.processes.add(arch.process)
    response = api(world.users["operator"]).post(f"/api/architecture/applications/{app.pk}/submit/", {}, format="json")
    assert response.status_code == 200, response.content
    app.refresh_from_db()
    assert app.status == ReviewStatus.SUBMITTED


def test_data_keeps_its_rule_of_a_producing_process(arch, world, client):
    """The hand-written rule of Data dan Informasi is now the declaration's, with the same meaning."""
    data = DataItem.objects.create(department=world.kominfo, name="Data Tanpa Proses", reference=arch.node("RAD.09.03.04"))
    assert [str(p) for p in workflow.submit_problems(data)] == [
        "Data dan Informasi harus dihasilkan oleh minimal satu Proses Bisnis sebelum diajukan."
    ]
    client.force_login(world.users["operator"])
    page = client.get(data.get_absolute_url()).content.decode()
    assert "Data dan Informasi harus dihasilkan oleh minimal satu Proses Bisnis sebelum diajukan." in page
    data.processes.add(arch.process)
    assert workflow.submit_problems(data) == []
