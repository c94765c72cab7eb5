"""Evaluation filters take codes (instansi code, framework code) as well as IDs."""

import pytest

from sia.evaluation.models import Assessment

pytestmark = pytest.mark.django_db


def test_assessments_filter_by_instansi_and_framework_code_or_id(world, framework, api):
    Assessment.objects.create(institution=world.inst, framework=framework, year=2024)
    client = api(world.users["admin"])
    url = "/api/evaluation/assessments/"
    for params in ({"institution": "82"}, {"institution": world.inst.pk}, {"institution_id": world.inst.pk},
                   {"framework": framework.code}, {"framework": framework.code.upper()}, {"framework": framework.pk}):
        response = client.get(url, params)
        assert response.status_code == 200, (params, response.content[:300])
        assert [row["year"] for row in response.json()["results"]] == [2024], params
    assert client.get(url, {"institution": "99999999"}).status_code == 400
    indicators = client.get("/api/evaluation/indicators/", {"framework": framework.code, "aspect": 2}).json()
    assert indicators["count"] > 0


def test_assessment_list_page_filters_by_code(client, world, framework):
    Assessment.objects.create(institution=world.inst, framework=framework, year=2024)
    client.force_login(world.users["admin"])
    body = client.get("/evaluasi/penilaian/", {"institution": "82"}).content.decode()
    assert 'name="institution"' in body and 'name="institution_id"' not in body
    assert '<option value="82" selected>' in body
