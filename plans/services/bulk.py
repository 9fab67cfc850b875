"""Write many rows of one model fast: plain tuples, not model instances.

The results import writes up to millions of results and as many change entries.
``bulk_create`` spends most of that time building and preparing model instances, so these
functions write plain tuples: multi-row INSERT ... RETURNING (as bulk_create does) on SQLite,
COPY on PostgreSQL with psycopg2, and an ``executemany`` of one UPDATE for changed rows. Only
the model's own tables and columns are used, and values the ORM would convert (datetimes,
JSON) are converted as their fields convert them. No signal is sent and no ``save()`` runs:
callers check their rows first and run inside their own transaction.
"""


import csv
import io
import json
import sqlite3
from typing import Any, cast

from django.db import connections, models, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field


def insert_rows(
    model: type[models.Model], fields: list[str], rows: list[tuple], *,
    constants: dict | None = None, return_ids: bool = False,
) -> list:
    """Insert ``rows`` (values in the order of ``fields``) into ``model``'s table.

    ``constants`` gives the value of other fields for every row (prepared once). A JSONField
    in ``fields`` takes JSON text. Return the new primary keys in the order of ``rows`` if
    ``return_ids``.
    """
    if not rows:
        return []
    connection = connections[router.db_for_write(model)]
    connection.ensure_connection()
    constants = constants or {}
    names = [*fields, *constants]
    model_fields = [_concrete_field(model, name) for name in names]
    # COPY through psycopg2's copy_expert; another driver gets the INSERT statements below.
    copy = _is_psycopg2(connection)
    fixed = tuple(
        _prepared(_concrete_field(model, name), value, connection, copy=copy)
        for name, value in constants.items()
    )
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = [quote(model_field.column) for model_field in model_fields]
    if copy:
        return _copy_rows(connection, model, model_fields, table, columns, rows, fixed, return_ids)
    if fixed:
        rows = [(*row, *fixed) for row in rows]
    if connection.vendor != "sqlite":
        rows = _with_json_adapted(rows, model_fields[:len(fields)], connection)

    head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
    tail = f" RETURNING {quote(model._meta.pk.column)}" if return_ids else ""
    if connection.vendor == "sqlite":
        # Django's SQLite cursor rewrites every %s to ? with a regular expression, which on
        # statements of thousands of values costs more than the insert: use the driver's
        # cursor (same connection, same transaction) and its own placeholder.
        cursor = connection.connection.cursor()
        placeholder = "?"
        max_params = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    else:
        cursor = connection.cursor()
        placeholder = "%s"
        max_params = connection.features.max_query_params or 65_535
    one_row = "(" + ", ".join([placeholder] * len(names)) + ")"
    answers = []
    try:
        if return_ids and not connection.features.can_return_rows_from_bulk_insert:
            # A database without multi-row RETURNING: one statement per row.
            for row in rows:
                cursor.execute(head + one_row, row)
                answers.append(cursor.lastrowid)
            return answers
        per_statement = max(1, min(2000, max_params // len(names)))
        for start in range(0, len(rows), per_statement):
            part = rows[start:start + per_statement]
            params = [value for row in part for value in row]
            cursor.execute(head + ", ".join([one_row] * len(part)) + tail, params)
            if return_ids:
                answers.extend(answer for (answer,) in cursor.fetchall())
    finally:
        cursor.close()
    return answers


def update_rows(
    model: type[models.Model], fields: list[str], rows: list[tuple], *,
    constants: dict | None = None,
) -> None:
    """Set ``fields`` (and ``constants``) of the rows ``(values..., pk)`` of ``model``.

    One statement run for every row by the driver: SQLite's ``executemany`` loops in C, and
    psycopg2's ``execute_batch`` sends a thousand statements per round trip, where
    ``bulk_update`` would build a CASE expression per row and field.
    """
    if not rows:
        return
    constants = constants or {}
    connection = connections[router.db_for_write(model)]
    connection.ensure_connection()
    quote = connection.ops.quote_name
    fixed = [
        _prepared(_concrete_field(model, name), value, connection, copy=False)
        for name, value in constants.items()
    ]
    names = [*fields, *constants]
    placeholder = "?" if connection.vendor == "sqlite" else "%s"
    sql = "UPDATE {} SET {} WHERE {} = {}".format(
        quote(model._meta.db_table),
        ", ".join(f"{quote(_concrete_field(model, name).column)} = {placeholder}"
                  for name in names),
        quote(model._meta.pk.column),
        placeholder,
    )
    rows = [(*row[:-1], *fixed, row[-1]) for row in rows]
    if connection.vendor == "sqlite":
        # The driver's cursor: Django's rewrites %s with a regular expression per statement.
        cursor = connection.connection.cursor()
        try:
            cursor.executemany(sql, rows)
        finally:
            cursor.close()
    elif _is_psycopg2(connection):
        from psycopg2.extras import execute_batch

        with connection.connection.cursor() as cursor:
            execute_batch(cursor, sql, rows, page_size=1000)
    else:
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)


def _is_psycopg2(connection: BaseDatabaseWrapper) -> bool:
    """Return True if ``connection`` is to PostgreSQL through psycopg2 (not psycopg 3)."""
    if connection.vendor != "postgresql":
        return False
    # Every backend's DatabaseWrapper names its driver module; the stubs' base class lacks it.
    return connection.Database.__name__ == "psycopg2"  # type: ignore[attr-defined]


def _concrete_field(model: type[models.Model], name: str) -> Field:
    """Return ``model``'s field ``name``: a column of its table (bulk writes take no relation
    from the other side)."""
    return cast(Field, model._meta.get_field(name))


def _prepared(
    model_field: Field, value: Any, connection: BaseDatabaseWrapper, *, copy: bool,
) -> Any:
    """Return ``value`` of ``model_field`` as the database takes it (in COPY's CSV if ``copy``)."""
    if value is None:
        return None
    if copy and model_field.get_internal_type() == "DateTimeField":
        return value.isoformat(sep=" ")
    if copy and model_field.get_internal_type() == "JSONField":
        return json.dumps(value)
    return model_field.get_db_prep_save(value, connection)


def _with_json_adapted(rows: list, model_fields: list, connection: BaseDatabaseWrapper) -> list:
    """Return ``rows`` with their JSON text adapted as JSONField does for this driver."""
    indexes = [i for i, f in enumerate(model_fields) if f.get_internal_type() == "JSONField"]
    if not indexes:
        return rows
    adapted = []
    for row in rows:
        row = list(row)
        for index in indexes:
            if row[index] is not None:
                row[index] = connection.ops.adapt_json_value(json.loads(row[index]), None)
        adapted.append(row)
    return adapted


def _copy_rows(
    connection: BaseDatabaseWrapper, model: type[models.Model], model_fields: list,
    table: str, columns: list[str], rows: list[tuple], fixed: tuple, return_ids: bool,
) -> list:
    """Write ``rows`` (each followed by ``fixed``) with PostgreSQL's COPY; ids, if wanted, are
    drawn from the sequence first."""
    ids: list = []
    if return_ids:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, model._meta.pk.column, len(rows)],
            )
            ids = [pk for (pk,) in cursor.fetchall()]
        columns = [connection.ops.quote_name(model._meta.pk.column), *columns]
        model_fields = [model._meta.pk, *model_fields]
    nullable = [column for column, field in zip(columns, model_fields, strict=True) if field.null]
    options = "FORMAT csv" + (f", FORCE_NULL ({', '.join(nullable)})" if nullable else "")
    with connection.connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH ({options})",
                           _CopyText(rows, fixed, ids))
    return ids


class _CopyText:
    """The rows of a COPY as CSV text, made a batch at a time as the driver reads it.

    psycopg2 sends each ``read()`` as it gets it, so the database parses and writes one batch
    while the next is made here, instead of waiting for the text of every row. The csv module
    (in C) writes numbers bare and everything else quoted, None as ""; the COPY's FORCE_NULL
    reads "" as NULL in the nullable columns, and the others (text) keep "".
    """

    BATCH = 1000

    def __init__(self, rows: list[tuple], fixed: tuple, ids: list) -> None:
        self.rows, self.fixed, self.ids = rows, fixed, ids
        self.start = 0
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")

    def read(self, size: int = -1) -> str:
        start, end = self.start, self.start + self.BATCH
        if start >= len(self.rows):
            return ""
        self.start = end
        part, fixed = self.rows[start:end], self.fixed
        if self.ids:
            self.writer.writerows(
                (pk, *row, *fixed) for pk, row in zip(self.ids[start:end], part, strict=True)
            )
        elif fixed:
            self.writer.writerows((*row, *fixed) for row in part)
        else:
            self.writer.writerows(part)
        text = self.buffer.getvalue()
        self.buffer.seek(0)
        self.buffer.truncate()
        return text
