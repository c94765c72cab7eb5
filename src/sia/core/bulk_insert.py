"""Inserts many rows of one model in one statement per batch, without Django's per-value SQL compilation.

``QuerySet.bulk_create`` compiles every value of every row (``pre_save``, ``get_db_prep_save``, a placeholder
each): for the Excel import's 50,000 rows (objects, audit records, review events, links) that was several times the
cost of the insert itself. Here each column's conversion is chosen once: text in a plain text field goes as it is
(Django's conversion returns it unchanged), every other value goes through the field's own ``get_db_prep_save``,
once per distinct value of the batch (timestamps, foreign keys, statuses repeat). The statement is written once per
batch size.

- ``insert_objects``: model instances, as ``bulk_create`` writes them (``pre_save`` values such as ``auto_now``,
  defaults of a pk with a default, the pks set on the instances from ``RETURNING``).
- ``insert_rows``: rows given as values of named fields, no instance built (audit records, review events, links);
  fields not named take their default (``auto_now``/``auto_now_add``: the time of the call). No pks come back.

Neither sends signals, like ``bulk_create``.
"""

from __future__ import annotations

import datetime
import uuid

from django.db import connections, models, router
from django.db.models.fields import Field
from django.utils import timezone

ROWS_PER_STATEMENT = 500  # where the database sets no lower limit on parameters
ROWS_PER_UNNEST = 5000  # PostgreSQL: one array parameter per column, whatever the number of rows
_PLAIN_TEXT = (models.CharField.get_prep_value, models.TextField.get_prep_value)
_MEMO_TYPES = {int, bool, str, type(None), uuid.UUID, datetime.date}


def insert_objects(model, objects, *, using: str | None = None) -> None:
    """Inserts ``objects`` (instances of ``model`` without a pk, or with one a default gave them) and sets their
    pks, as ``model.objects.bulk_create(objects)`` does."""
    objects = list(objects)
    if not objects:
        return
    opts = model._meta
    if opts.parents:
        raise ValueError("insert_objects cannot insert a multi-table inherited model")
    using = using or router.db_for_write(model)
    if not connections[using].features.can_return_rows_from_bulk_insert:
        model._default_manager.using(using).bulk_create(objects)
        return
    pk = opts.pk
    returning = pk.db_returning
    for obj in objects:
        if obj.pk is None and pk.has_default():
            obj.pk = pk.get_default()
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
    if returning and any(obj.pk is not None for obj in objects):
        raise ValueError("insert_objects: mixing objects with and without a pk is not supported")
    fields = [f for f in opts.local_concrete_fields if not (returning and f is pk)]
    now = timezone.now()
    columns = [_column_values(f, objects, now) for f in fields]
    pks = _execute(model, fields, columns, using, returning=pk if returning else None)
    for obj, value in zip(objects, pks or [None] * len(objects)):
        if returning:
            setattr(obj, pk.attname, value)
        obj._state.adding = False
        obj._state.db = using


def insert_rows(model, names, rows, *, using: str | None = None) -> None:
    """Inserts ``rows`` (sequences of values of the fields ``names``, attnames such as ``user_id`` or names) into
    ``model``'s table; its other fields but an auto pk take their default."""
    rows = list(rows)
    if not rows:
        return
    opts = model._meta
    using = using or router.db_for_write(model)
    given = [opts.get_field(name) for name in names]
    columns = [list(values) for values in zip(*rows)]
    now = timezone.now()
    fields = list(given)
    for model_field in opts.local_concrete_fields:
        if model_field in given or (model_field is opts.pk and model_field.db_returning):
            continue
        fields.append(model_field)
        columns.append(_defaults(model_field, len(rows), now))
    _execute(model, fields, columns, using, returning=None)


def _column_values(model_field, objects, now) -> list:
    """The values ``pre_save`` gives; ``auto_now``/``auto_now_add`` take ``now`` (one time per call)."""
    attname = model_field.attname
    pre_save = type(model_field).pre_save
    if pre_save is Field.pre_save:
        return [getattr(obj, attname) for obj in objects]
    if isinstance(model_field, models.DateField) and pre_save in (models.DateField.pre_save, models.DateTimeField.pre_save):
        if model_field.auto_now or model_field.auto_now_add:
            value = now if isinstance(model_field, models.DateTimeField) else datetime.date.today()
            for obj in objects:
                setattr(obj, attname, value)
            return [value] * len(objects)
        return [getattr(obj, attname) for obj in objects]
    return [model_field.pre_save(obj, True) for obj in objects]


def _defaults(model_field, count: int, now) -> list:
    if isinstance(model_field, models.DateField) and (model_field.auto_now or model_field.auto_now_add):
        return [now if isinstance(model_field, models.DateTimeField) else datetime.date.today()] * count
    if model_field.has_default() and callable(model_field.default):
        return [model_field.get_default() for _ in range(count)]
    return [model_field.get_default()] * count


def _prepared(model_field, values, connection) -> list:
    """``model_field.get_db_prep_save`` of every value: as it is for text in a plain text field, else once per
    distinct (hashable, exactly typed) value."""
    cls = type(model_field)
    plain_text = (cls.get_prep_value in _PLAIN_TEXT and cls.get_db_prep_value is Field.get_db_prep_value
                  and cls.get_db_prep_save is Field.get_db_prep_save and cls.to_python in (
                      models.CharField.to_python, models.TextField.to_python))
    convert, memo, result = model_field.get_db_prep_save, {}, []
    append = result.append
    for value in values:
        kind = type(value)
        if kind is str and plain_text:
            append(value)
            continue
        if kind in _MEMO_TYPES or kind is datetime.datetime:
            # A datetime's key holds its offset: the repeated hour of a DST zone (``fold``) compares and hashes
            # equal to the hour before it, an hour apart (a naive one too, made aware in the default zone).
            key = ((kind, value, value.tzinfo, value.fold, value.utcoffset()) if kind is datetime.datetime
                   else (kind, value))
            try:
                append(memo[key])
            except KeyError:
                memo[key] = prepared = convert(value, connection)
                append(prepared)
        else:
            append(convert(value, connection))
    return result


def _execute(model, fields, columns, using, *, returning) -> list | None:
    connection = connections[using]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(f.column) for f in fields)
    prepared = [_prepared(f, values, connection) for f, values in zip(fields, columns)]
    unnest = _unnest_types(fields, prepared, connection)
    if unnest is not None:
        return _execute_unnest(connection, table, names, unnest, prepared, returning)
    rows = list(zip(*prepared)) if prepared else []
    one = "(%s)" % ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        if returning is None:
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES {one}", rows)
            return None
        size = min(ROWS_PER_STATEMENT, max(connection.ops.bulk_batch_size(fields, rows), 1))
        suffix = f" RETURNING {quote(returning.column)}"
        pks, statements = [], {}
        for start in range(0, len(rows), size):
            batch = rows[start:start + size]
            sql = statements.get(len(batch))
            if sql is None:
                sql = statements[len(batch)] = f"INSERT INTO {table} ({names}) VALUES {', '.join([one] * len(batch))}{suffix}"
            cursor.execute(sql, [value for row in batch for value in row])
            pks.extend(r[0] for r in cursor.fetchall())
        return pks


def insert_history(model, objects, *, update: bool = False, default_user=None, default_change_reason: str = "",
                   default_date=None, custom_historical_attrs: dict | None = None, using: str | None = None) -> None:
    """The audit records of saved ``objects`` of ``model``, the rows simple-history's ``bulk_history_create`` writes
    with the same arguments (an object's ``_history_user``, ``_change_reason``, ``_history_date`` first), without
    building a record instance per object."""
    from django.conf import settings
    from simple_history.utils import get_change_reason_from_object

    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    objects = list(objects)
    if not objects:
        return
    history = model.history.model
    extra = dict(custom_historical_attrs or {})
    tracked = [f.attname for f in history.tracked_fields]
    names = ["history_date", "history_user_id", "history_change_reason", "history_type", *tracked, *extra]
    relation = hasattr(history, "history_relation")
    if relation:
        names.append("history_relation")
    history_type = "~" if update else "+"
    missing, date = object(), default_date or timezone.now()  # one time for the batch (simple-history: one each)
    rows = []
    for instance in objects:
        user = getattr(instance, "_history_user", missing)
        if user is missing:
            user = default_user or history.get_default_history_user(instance)
        row = [getattr(instance, "_history_date", date), getattr(user, "pk", user),
               get_change_reason_from_object(instance) or default_change_reason, history_type,
               *[getattr(instance, attname) for attname in tracked], *extra.values()]
        if relation:
            row.append(instance.pk)
        rows.append(row)
    insert_rows(history, names, rows, using=using)


def _unnest_types(fields, prepared, connection) -> list[str] | None:
    """PostgreSQL: each column's array type for ``INSERT ... SELECT * FROM UNNEST((%b)::type[], ...)`` (one parameter
    per column: psycopg neither parses a statement of thousands of placeholders nor formats each row of an
    ``executemany``), under the conditions of Django's own ``bulk_create`` (``SQLInsertCompiler.assemble_as_sql``);
    None where they do not hold or on another database."""
    if connection.vendor != "postgresql" or not fields:
        return None
    for model_field in fields:
        if hasattr(model_field, "get_placeholder"):
            return None
        target = model_field.target_field if model_field.is_relation else model_field
        if target.get_internal_type() not in connection.data_types:
            return None
    if any(hasattr(value, "as_sql") for values in prepared for value in values):
        return None
    # Without the type's parameters, as Django does (varchar[], not varchar(50)[]: no truncation).
    return [model_field.db_type(connection).split("(")[0] for model_field in fields]


def _execute_unnest(connection, table, names, types, prepared, returning) -> list | None:
    """Each column goes as one array in PostgreSQL's binary format (``%b``) of the Python values' own types, cast to
    the column's type: psycopg writes the text format of an array element by element in Python, quoting each text
    with a regular expression (30% of the import's commit); the binary one packs each element with psycopg's C dumper
    of its type (the import's write 1.75 -> 1.35-1.46 s for 50,000 rows)."""
    arrays = ", ".join(f"(%b)::{db_type}[]" for db_type in types)
    sql = f"INSERT INTO {table} ({names}) SELECT * FROM UNNEST({arrays})"
    if returning is not None:
        sql += f" RETURNING {connection.ops.quote_name(returning.column)}"
    pks = []
    total = len(prepared[0])
    with connection.cursor() as cursor:
        for start in range(0, total, ROWS_PER_UNNEST):
            cursor.execute(sql, [values[start:start + ROWS_PER_UNNEST] for values in prepared])
            if returning is not None:
                pks.extend(r[0] for r in cursor.fetchall())
    return pks if returning is not None else None
