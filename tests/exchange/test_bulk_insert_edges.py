"""Review of the UNNEST inserts: text an array literal must quote, JSON scalars, NULLs, a whole batch and one more
row, the pks in order (``sia.core.bulk_insert`` against ``bulk_create``, on both databases)."""

import datetime

import pytest

from sia.core import bulk_insert
from sia.exchange.models import ImportRecord

pytestmark = pytest.mark.django_db

TEXTS = ["", "NULL", "null", 'a"b', "a\\b", "{x}", "a,b", " spasi ", "\t", "é漢", "'", "\\N", "x\ny"]
JSONS = ["NULL", "", [], {}, 0, False, "teks", [None], {"a": "b\\c"}]


def objects(world, tag):
    admin = world.users["admin"]
    made = []
    for i, text in enumerate(TEXTS):
        made.append(ImportRecord(institution=world.inst, user=admin, file_name=f"{tag}{i}", domains=text,
                                 job_error=text, problems=JSONS[i % len(JSONS)], sheets=JSONS[(i + 3) % len(JSONS)]))
    return made


def stored(tag):
    return [(r.domains, r.job_error, r.problems, r.sheets)
            for r in ImportRecord.objects.filter(file_name__startswith=tag).order_by("pk")]


def test_awkward_text_and_json_are_written_as_bulk_create_writes_them(world):
    lean = objects(world, "lean")
    bulk_insert.insert_objects(ImportRecord, lean)
    ImportRecord.objects.bulk_create(objects(world, "dj"))
    assert stored("lean") == stored("dj")
    assert [o.pk for o in lean] == list(ImportRecord.objects.filter(file_name__startswith="lean").order_by("pk")
                                        .values_list("pk", flat=True))
    for obj in lean:
        assert ImportRecord.objects.get(pk=obj.pk).file_name == obj.file_name


def test_insert_rows_of_awkward_text(world):
    admin = world.users["admin"]
    bulk_insert.insert_rows(ImportRecord, ["institution", "user_id", "file_name", "domains", "job_error"],
                            [(world.inst.pk, admin.pk, f"rows{i}", t, t) for i, t in enumerate(TEXTS)])
    got = dict(ImportRecord.objects.filter(file_name__startswith="rows").values_list("file_name", "domains"))
    assert got == {f"rows{i}": t for i, t in enumerate(TEXTS)}


@pytest.mark.parametrize("count", [bulk_insert.ROWS_PER_UNNEST, bulk_insert.ROWS_PER_UNNEST + 1])
def test_a_whole_batch_and_one_more(world, count):
    admin = world.users["admin"]
    made = [ImportRecord(institution=world.inst, user=admin, file_name=f"n{i}",
                         committed_at=None if i % 3 else datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
            for i in range(count)]
    bulk_insert.insert_objects(ImportRecord, made)
    by_pk = dict(ImportRecord.objects.filter(file_name__startswith="n").values_list("pk", "file_name"))
    assert len(by_pk) == count and all(by_pk[o.pk] == o.file_name for o in made)
