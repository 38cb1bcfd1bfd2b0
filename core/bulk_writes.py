"""Bulk inserts at the speed of the database: COPY on PostgreSQL, executemany elsewhere.

`bulk_create` spends most of a large import in Python (model instances, field preparation,
array adaptation). Imports insert hundreds of thousands of plain rows, so they write them
through COPY, which PostgreSQL reads as fast as the rows arrive, and reserve ids from the
table's own sequence so that what is inserted can be linked to straight away.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from django.db import connection, models
from django.utils import timezone


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _field(model: type[models.Model], name: str) -> models.Field:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field), f"{model.__name__}.{name} is not a column"
    return field


def _columns(model: type[models.Model], columns: Sequence[str]) -> str:
    return ", ".join(_quote(_field(model, column).column) for column in columns)


def insert_rows(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence]
) -> None:
    """Insert plain rows (values in `columns` order, ready for the database)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            insert_formatted(format_rows(cursor.cursor, model, columns, rows))
        return
    table, placeholders = _quote(model._meta.db_table), ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({_columns(model, columns)}) VALUES ({placeholders})",
            list(rows),
        )


@dataclass(frozen=True)
class FormattedRows:
    """Rows for one table, already in COPY's binary format (PostgreSQL)."""

    model: type[models.Model]
    columns: tuple[str, ...]
    data: bytes
    count: int  # rows


def format_rows(
    cursor, model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence]
) -> FormattedRows:
    """`rows` in COPY's binary format, adapted by `cursor`'s session but sent nowhere (psycopg's
    `Copy` with a `FileWriter`, its documented way to format COPY data offline).

    An import formats in its planning thread, with its second session's cursor, what its own
    session then sends (`insert_formatted`): the formatting (a sixth of the import's own
    thread at 100k documents) then runs while that session waits on the database. Binary, as
    reading text costs PostgreSQL more: 1.5–1.7 s against 0.6 s for 100k documents' rows.
    `tsvector` values must already be in PostgreSQL's binary form (`bytes`), as a binary
    query gives them.
    """
    from psycopg import Copy
    from psycopg.copy import FileWriter

    # The type's name without its modifier (varchar(100) is varchar), which psycopg knows.
    types = [(_field(model, column).db_type(connection) or "").split("(")[0] for column in columns]
    if "tsvector" in types:
        cursor.adapters.register_dumper(None, _binary_vector_dumper())
    buffer, count = io.BytesIO(), 0
    with Copy(cursor, binary=True, writer=FileWriter(buffer)) as copy:
        copy.set_types(types)
        for row in rows:
            copy.write_row(row)
            count += 1
    return FormattedRows(model, tuple(columns), buffer.getvalue(), count)


@cache
def _binary_vector_dumper() -> type:
    from psycopg import adapt, pq
    from psycopg.postgres import types

    class BinaryVector(adapt.Dumper):
        """A `tsvector` already in PostgreSQL's binary form: passed through as it is."""

        format = pq.Format.BINARY
        oid = types["tsvector"].oid

        def dump(self, obj: bytes) -> bytes:
            return obj

    return BinaryVector


def insert_formatted(rows: FormattedRows) -> None:
    """Send rows formatted by `format_rows` (PostgreSQL) in one COPY; none, no COPY (its
    statement triggers would still fire, bumping the archive's version for nothing)."""
    if not rows.count:
        return
    table, columns = _quote(rows.model._meta.db_table), _columns(rows.model, rows.columns)
    statement = f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        copy.write(rows.data)


def reserve_ids(cursor, model: type[models.Model], count: int) -> list[int]:
    """`count` new ids from the table's own sequence (PostgreSQL). A sequence is outside
    transactions, so any session's cursor can reserve them."""
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
        [model._meta.db_table, model._meta.pk.column, count],
    )
    return [new_id for (new_id,) in cursor.fetchall()]


def instance_rows(
    model: type[models.Model], instances: Sequence[models.Model]
) -> tuple[list[str], list[list]]:
    """The columns and the COPY rows of instances that have their ids (PostgreSQL).

    `auto_now` and `auto_now_add` fields get the current time; JSON fields are adapted. No
    query: an import builds the rows in its planning thread.
    """
    from psycopg.types.json import Jsonb

    now = timezone.now()
    fields = model._meta.concrete_fields
    stamped = [
        f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    json_fields = {f.attname for f in fields if isinstance(f, models.JSONField)}
    for instance in instances:
        for field in stamped:
            if getattr(instance, field.attname) is None or getattr(field, "auto_now", False):
                setattr(instance, field.attname, now)
    attnames = [field.attname for field in fields]
    rows = []
    for instance in instances:
        values = []
        for attname in attnames:
            value = getattr(instance, attname)
            values.append(Jsonb(value) if attname in json_fields else value)
        rows.append(values)
    return attnames, rows


def insert_instances(model: type[models.Model], instances: Sequence[models.Model]) -> None:
    """Insert unsaved instances and give them their ids, like `bulk_create`, but faster."""
    if not instances:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(instances, batch_size=2000)
        return
    with connection.cursor() as cursor:
        new_ids = reserve_ids(cursor, model, len(instances))
    for instance, new_id in zip(instances, new_ids, strict=True):
        instance.pk = new_id
    insert_rows(model, *instance_rows(model, instances))
    for instance in instances:
        instance._state.adding = False
