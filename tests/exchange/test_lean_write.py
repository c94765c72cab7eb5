"""The commit's lean inserts (``sia.core.bulk_insert``) write exactly the rows Django's ``bulk_create`` and
simple-history's ``bulk_history_create`` wrote before them: objects, links, audit records and review events,
field by field (ids and timestamps aside)."""

import pytest
from django.db import transaction

from sia.architecture.models import BusinessProcess, DataItem, ReviewEvent, Service
from sia.core import bulk_insert
from sia.exchange.uploads import commit_import, start_import

from .helpers import upload, workbook

pytestmark = pytest.mark.django_db

MODELS = (BusinessProcess, Service, DataItem)
SKIPPED = {"id", "created", "updated", "history_id", "history_date", "request_id", "status_since"}  # times of the run


def reference_insert_objects(model, objects, using=None):
    model._default_manager.bulk_create(objects, batch_size=500)


def reference_insert_rows(model, names, rows, using=None):
    attnames = [model._meta.get_field(name).attname for name in names]
    model._default_manager.bulk_create([model(**dict(zip(attnames, row))) for row in rows], batch_size=500)


def reference_insert_history(model, objects, **kwargs):
    model.history.bulk_history_create(objects, batch_size=500, **kwargs)


def upload_content(ex):
    process, service = ex.process.code, ex.service.code
    return workbook({
        "Proses Bisnis": [
            ["ID", "Perangkat daerah *", "Nama *", "Proses induk", "Fungsi OPD", "Target IKU"],
            ["PB-BARU-001", "DISKOMINFO", "Proses Induk Baru", "", "1; 2", "90%"],
            ["", "DISKOMINFO", "Sub-proses Baru", "PB-BARU-001", "2", ""],
            ["", "DINKES", "Proses Kesehatan Baru", "", "", "80%"],
            [process, "DISKOMINFO", "Pengelolaan Data Statistik (ubah)", "", "1", "99%"],
        ],
        "Layanan": [
            ["ID", "Perangkat daerah *", "Nama *", "Proses bisnis", "Tujuan"],
            ["", "DISKOMINFO", "Layanan Baru", f"PB-BARU-001; {process}", "Tujuan layanan baru"],
            [service, "DISKOMINFO", "Layanan Data Statistik", process, "Tujuan yang diubah"],
        ],
        "Data dan Informasi": [
            ["ID", "Perangkat daerah *", "Nama *", "Proses bisnis penghasil", "Layanan yang memakai", "Interoperabilitas"],
            ["", "DISKOMINFO", "Data Baru", "PB-BARU-001", service, "Ya"],
            ["", "DINKES", "Data Kesehatan Baru", "", "", "Tidak"],
        ],
    })


def snapshot() -> dict:
    """Every row of the objects', links', audit trails' and review events' tables, with each architecture object
    named by its ID (code) instead of its database id."""
    codes = {(model, pk): code for model in MODELS for pk, code in model._base_manager.values_list("pk", "code")}
    by_content_type = {content_type_id(model): model for model in MODELS}

    def named(model, row):
        out = {}
        for key, value in row.items():
            target = _target(model, key)
            if target is not None and value is not None:
                value = codes[(target, value)]
            if key not in SKIPPED:
                out[key] = value
        return out

    result = {}
    for model in MODELS:
        result[model.__name__] = sorted(repr(sorted(named(model, r).items())) for r in model._base_manager.values())
        history = model.history.model
        result[f"{model.__name__} history"] = sorted(
            repr((codes[(model, r["id"])], sorted(named(history, r).items()))) for r in history.objects.values())
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            source, target = field.m2m_column_name(), field.m2m_reverse_name()
            target_model = field.related_model
            result[f"{model.__name__}.{field.name}"] = sorted(
                (codes[(model, s)], codes.get((target_model, t), t)) for s, t in through.objects.values_list(source, target))
    result["review events"] = sorted(
        repr((codes[(by_content_type[r["content_type_id"]], r["object_id"])],
              sorted((k, v) for k, v in r.items() if k not in SKIPPED | {"object_id"})))
        for r in ReviewEvent.objects.values())
    return result


def content_type_id(model):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(model).pk


def _target(model, attname):
    for field in model._meta.concrete_fields:
        if field.attname == attname and field.many_to_one and field.related_model in MODELS:
            return field.related_model
    return None


def imported(user, institution, content) -> dict:
    """The tables after the upload and commit of ``content``, then rolled back."""
    with transaction.atomic():
        record = start_import(upload(content), user=user, institution=institution)
        assert record.error_count == 0, record.problems
        commit_import(record, user=user)
        result = snapshot()
        transaction.set_rollback(True)
    return result


def test_lean_inserts_write_the_rows_bulk_create_and_simple_history_wrote(ex, world, monkeypatch):
    admin, content = world.users["admin"], upload_content(ex)
    lean = imported(admin, world.inst, content)
    with monkeypatch.context() as patched:
        patched.setattr(bulk_insert, "insert_objects", reference_insert_objects)
        patched.setattr(bulk_insert, "insert_rows", reference_insert_rows)
        patched.setattr(bulk_insert, "insert_history", reference_insert_history)
        reference = imported(admin, world.inst, content)
    assert lean == reference
    # what was compared: 6 new objects and 2 updates, each with its audit record and (new ones) review event
    assert len(lean["BusinessProcess history"]) == len(snapshot()["BusinessProcess history"]) + 4
    assert len(lean["review events"]) == len(snapshot()["review events"]) + 6
    assert ("DI-DISKOMINFO-002", "PB-BARU-001") in lean["DataItem.processes"]
    assert any("Sub-proses Baru" in row and "PB-BARU-001" in row for row in lean["BusinessProcess"])
    assert any("Dibuat dengan tautan" in row and "Layanan Baru" in row for row in lean["Service history"])
