"""The architecture API's answers, byte for byte, on fixed data: a list and one object's page (with its incoming
links, hidden links and value lists) of two kinds, for the koordinator and for an operator. The golden file was
written by the code before the API's Python was made cheaper (issue 18); a change of output shows here.

Rewrite it only for an intended change of the answers: ``SIA_WRITE_GOLDEN=1 pytest tests/architecture/test_api_golden.py``.
"""

import datetime
import json
import os
from pathlib import Path

import pytest

from sia.architecture.models import Application, BusinessProcess, DataItem, Service, ValueListItem
from sia.core.roles import Role
from sia.organizations.models import Department, DepartmentFunction, Institution
from sia.reference.loader import ensure_default_catalogs
from sia.reference.models import ReferenceNode

from .. import factories as f

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).parent / "golden" / "api_answers.json"
WHEN = datetime.datetime(2026, 3, 4, 5, 6, 7, 891011, tzinfo=datetime.timezone.utc)
BASE = 880000  # explicit keys: the answers do not depend on the database's sequences


def build():
    inst = Institution.objects.create(pk=BASE + 1, name="Pemerintah Provinsi Golden", kind="provinsi", code="97")
    own = Department.objects.create(pk=BASE + 11, institution=inst, name="Dinas Komunikasi dan Informatika",
                                    abbreviation="DISKOMINFO", code="2.16.01", kind="dinas")
    other = Department.objects.create(pk=BASE + 12, institution=inst, name="Dinas Kesehatan", abbreviation="DINKES",
                                      code="1.02.01", kind="dinas")
    function = DepartmentFunction.objects.create(pk=BASE + 21, department=own, order=1,
                                                 description="Perumusan kebijakan teknis di bidang informatika")
    values = {kind: ValueListItem.objects.create(pk=BASE + 30 + i, institution=inst, kind=kind, name=name, order=1)
              for i, (kind, name) in enumerate((("sifat-data", "Terbuka (uji)"), ("jenis-data", "Data Statistik (uji)"),
                                                 ("validitas-data", "Valid (uji)")))}
    ensure_default_catalogs()
    node = ReferenceNode.objects.current().national().get(code="RAB.09.03.04")
    p1 = BusinessProcess.objects.create(pk=BASE + 101, department=own, code="PB-DISKOMINFO-001", reference=node,
                                        name="Pengelolaan Data Statistik", description="Uraian “proses” <b>satu</b>",
                                        status="divalidasi", period="2025-2029")
    p1.functions.set([function])
    BusinessProcess.objects.create(pk=BASE + 102, department=own, code="PB-DISKOMINFO-002", parent=p1,
                                   name="Penyusunan Statistik Sektoral", status="draf")
    p3 = BusinessProcess.objects.create(pk=BASE + 103, department=other, code="PB-DINKES-001",
                                        name="Surveilans Penyakit", status="draf")
    s1 = Service.objects.create(pk=BASE + 201, department=own, code="LY-DISKOMINFO-001", name="Layanan Data Statistik",
                                status="diajukan")
    s1.processes.set([p1, p3])
    d1 = DataItem.objects.create(
        pk=BASE + 301, department=own, code="DI-DISKOMINFO-001", name="Data Statistik Sektoral", status="diverifikasi",
        producer_department=other, custodian_department=own, nature=values["sifat-data"], kind=values["jenis-data"],
        validity=values["validitas-data"], purpose="Perencanaan", interoperable=True,
    )
    d1.processes.set([p1, p3])
    d1.services.set([s1])
    d2 = DataItem.objects.create(pk=BASE + 302, department=other, code="DI-DINKES-001", name="Data Kasus Penyakit",
                                 status="draf")
    d2.processes.set([p3])
    a1 = Application.objects.create(pk=BASE + 401, department=other, code="AP-DINKES-001", name="Aplikasi Surveilans",
                                    status="draf")
    a1.processes.set([p1])
    for model in (BusinessProcess, Service, DataItem, Application):
        model.objects.filter(institution=inst).update(created=WHEN, updated=WHEN, status_since=WHEN)
    users = {"koordinator": f.member(inst, Role.ADMIN, username="golden.koord"),
             "operator": f.member(inst, Role.OPERATOR, own, username="golden.op")}
    return users, node, p1, d1


def answers(api) -> dict:
    users, node, p1, d1 = build()
    node_url = f'{{"id":{node.pk},"url":"http://testserver/api/reference/nodes/{node.pk}/"'
    out = {}
    for who, user in users.items():
        client = api(user)
        for url in ("/api/architecture/business-processes/", "/api/architecture/data-items/",
                    f"/api/architecture/business-processes/{p1.pk}/", f"/api/architecture/data-items/{d1.pk}/",
                    "/api/architecture/business-processes/?status=draf&q=statistik"):
            response = client.get(url)
            body = response.content.decode()
            assert node_url in body or "data-items" in url or "draf" in url, (who, url)
            out[f"{who} {url}"] = f"{response.status_code} {response['Content-Type']}\n" + body.replace(
                node_url, '{"id":"NODE","url":"http://testserver/api/reference/nodes/NODE/"')
    return out


def test_answers_are_byte_identical(api):
    got = answers(api)
    if os.environ.get("SIA_WRITE_GOLDEN"):
        GOLDEN.write_text(json.dumps(got, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert got.keys() == expected.keys()
    for key in expected:
        assert got[key] == expected[key], key
