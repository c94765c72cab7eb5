"""A link declared with ``LinkSpec(through=...)`` gets its own sheet in its holder's workbook, from the declaration."""

import dataclasses

from sia.architecture.linkspec import LinkSpec
from sia.architecture.models import Application, ApplicationIntegration, BusinessProcess
from sia.exchange.checks import sheet_problems
from sia.exchange.relations import relation_sheets


def test_the_integration_sheet_follows_the_declaration():
    [spec] = relation_sheets([Application])
    assert spec.model is ApplicationIntegration and spec.owner is Application and spec.title == "Integrasi Aplikasi"
    assert spec.key == ("source", "target")
    assert [column.header for column in spec.columns] == [
        "Aplikasi sumber *", "Aplikasi tujuan *", "Arah", "Jalur", "Data yang dipertukarkan *", "Keterangan"]
    assert [column.kind for column in spec.columns] == ["object", "object", "choice", "choice", "text", "text"]
    assert relation_sheets([BusinessProcess]) == []


def test_a_through_link_the_workbook_cannot_express_fails_the_check(monkeypatch):
    """A stand-in declaration whose through model keeps an uploader (a user) and an instansi: sia.E109 names both."""
    odd = LinkSpec("outgoing_integrations", meaning="m", inverse="i", relationship="flow", cross_opd=True,
                   through="exchange.ImportRecord", through_fields=("institution", "user"))
    monkeypatch.setattr(Application, "spec", dataclasses.replace(Application.spec, links=(odd,)))
    problems = sheet_problems(Application)
    assert {p.id for p in problems} == {"sia.E109"}
    assert any("“user”" in p.msg and "exchange.ImportRecord" in p.msg for p in problems)
    assert any("“institution”" in p.msg for p in problems)
