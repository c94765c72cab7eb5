"""Every kind goes through the review: submit → return with a comment → submit → verify → validate, by
API and by the detail page's buttons; a link its declaration requires ("1", "1..*") blocks the submit
while missing."""

import pytest
from django.urls import reverse

from sia.architecture import workflow
from sia.architecture.choices import ReviewStatus as S

from .domains import over_kinds, over_required_links

pytestmark = pytest.mark.django_db


@over_kinds
def test_review_path_through_the_api(api, world, kinds, model):
    obj = kinds.build(model)
    url = f"/api/architecture/{model.spec.api_name}/{obj.pk}/"
    operator, verifier, admin = (api(world.users[r]) for r in ("operator", "verifier", "admin"))
    submitted = operator.post(url + "submit/")
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == S.SUBMITTED
    assert verifier.post(url + "return/", {"comment": " "}, format="json").status_code == 400
    returned = verifier.post(url + "return/", {"comment": "Lengkapi uraian"}, format="json")
    assert returned.json()["status"] == S.RETURNED
    assert operator.post(url + "submit/").status_code == 200
    assert operator.post(url + "verify/").status_code == 403
    assert verifier.post(url + "verify/").json()["status"] == S.VERIFIED
    assert verifier.post(url + "validate/").status_code == 403
    assert admin.post(url + "validate/").json()["status"] == S.VALIDATED
    events = admin.get(url + "comments/").json()
    assert [e["action"] for e in events] == ["ajukan", "kembalikan", "ajukan", "verifikasi", "validasi"]
    assert events[1]["comment"] == "Lengkapi uraian"
    obj.refresh_from_db()
    assert obj.status == S.VALIDATED


@over_kinds
def test_review_path_through_the_page(client, world, kinds, model):
    obj = kinds.build(model)
    action = reverse(f"architecture:{model._meta.model_name}_action", args=[obj.pk])

    def act(role, name, comment=""):
        client.force_login(world.users[role])
        client.post(action, {"action": name, "comment": comment})
        obj.refresh_from_db()
        return obj.status

    assert act("operator", workflow.A.SUBMIT) == S.SUBMITTED
    assert act("verifier", workflow.A.RETURN) == S.SUBMITTED  # no reason given: nothing happens
    assert act("verifier", workflow.A.RETURN, "Referensi kurang tepat") == S.RETURNED
    assert "Referensi kurang tepat" in client.get(obj.get_absolute_url()).content.decode()
    assert act("operator", workflow.A.SUBMIT) == S.SUBMITTED
    assert act("verifier", workflow.A.VERIFY) == S.VERIFIED
    assert act("admin", workflow.A.VALIDATE) == S.VALIDATED


@over_required_links
def test_a_missing_required_link_blocks_the_submit(api, world, kinds, model, part):
    obj = kinds.build(model)
    target = part.target_model(model)
    kinds.clear(obj, part.field)
    with pytest.raises(workflow.TransitionError) as refused:
        workflow.apply(obj, workflow.A.SUBMIT, world.users["operator"])
    names = {str(target._meta.verbose_name), str(target._meta.verbose_name_plural),
             str(getattr(model._meta.get_field(part.field), "verbose_name", target._meta.verbose_name))}
    message = " ".join(refused.value.messages).lower()
    assert any(name.lower() in message for name in names), (message, names)
    url = f"/api/architecture/{model.spec.api_name}/{obj.pk}/submit/"
    assert api(world.users["operator"]).post(url).status_code == 400
    obj.refresh_from_db()
    assert obj.status == S.DRAFT and not workflow.conversation(obj).exists()
    kinds.fill(obj, part.field)
    workflow.apply(obj, workflow.A.SUBMIT, world.users["operator"])
    obj.refresh_from_db()
    assert obj.status == S.SUBMITTED
