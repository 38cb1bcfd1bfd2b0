"""Bulk inserts at the speed of the database: COPY on PostgreSQL, executemany elsewhere.

`bulk_create` spends most of a large import in Python (model instances, field preparation,
array adaptation). Imports insert hundreds of thousands of plain rows, so they write them
through COPY, which PostgreSQL reads as fast as the rows arrive, and reserve ids from the
table's own sequence so that what is inserted can be linked to straight away.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection, models
from django.utils import timezone


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def insert_rows(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence]
) -> None:
    """Insert plain rows (values in `columns` order, ready for the database)."""
    table = _quote(model._meta.db_table)
    names = [_quote(model._meta.get_field(column).column) for column in columns]
    if connection.vendor == "postgresql":
        statement = f"COPY {table} ({', '.join(names)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
        return
    placeholders = ", ".join(["%s"] * len(names))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({', '.join(names)}) VALUES ({placeholders})", list(rows)
        )


def reserve_ids(cursor, model: type[models.Model], count: int) -> list[int]:
    """`count` new ids from the table's own sequence (PostgreSQL). A sequence is outside
    transactions, so any session's cursor can reserve them."""
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
        [model._meta.db_table, model._meta.pk.column, count],
    )
    return [new_id for (new_id,) in cursor.fetchall()]


def instance_rows(
    model: type[models.Model], instances: list[models.Model]
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


def insert_instances(model: type[models.Model], instances: list[models.Model]) -> None:
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
