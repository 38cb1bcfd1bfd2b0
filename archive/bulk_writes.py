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


def assign_ids(model: type[models.Model], instances: list[models.Model]) -> None:
    """Give unsaved instances ids from the table's own sequence before they are inserted
    (PostgreSQL only), so that rows pointing at them can be written first."""
    if not instances:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, len(instances)],
        )
        for instance, (new_id,) in zip(instances, cursor.fetchall(), strict=True):
            instance.pk = new_id


def insert_instances(model: type[models.Model], instances: list[models.Model]) -> None:
    """Insert unsaved instances and give them their ids, like `bulk_create`, but faster.

    `auto_now` and `auto_now_add` fields get the current time; JSON fields are adapted.
    """
    if not instances:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(instances, batch_size=2000)
        return
    from psycopg.types.json import Jsonb

    if instances[0].pk is None:  # not given ids by `assign_ids` already
        assign_ids(model, instances)
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

    def rows():
        for instance in instances:
            values = []
            for attname in attnames:
                value = getattr(instance, attname)
                values.append(Jsonb(value) if attname in json_fields else value)
            yield values

    insert_rows(model, attnames, rows())
    for instance in instances:
        instance._state.adding = False
