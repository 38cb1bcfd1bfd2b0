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


def insert_instances(
    model: type[models.Model],
    instances: list[models.Model],
    *,
    computed: tuple[str, str, dict[str, list[str]]] | None = None,
) -> None:
    """Insert unsaved instances and give them their ids, like `bulk_create`, but faster.

    `auto_now` and `auto_now_add` fields get the current time; JSON fields are adapted.
    `computed` is (column, SQL expression, inputs): on PostgreSQL the rows go through a
    staging table that also holds the named inputs (one text a row), and the column is
    computed from them by the expression as the rows are inserted, so it never needs an
    UPDATE (which would write every row and its indexes twice).
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
    target = computed[0] if computed else None
    attnames = [field.attname for field in fields if field.column != target]
    inputs = computed[2] if computed else {}

    def rows():
        for index, instance in enumerate(instances):
            values = []
            for attname in attnames:
                value = getattr(instance, attname)
                values.append(Jsonb(value) if attname in json_fields else value)
            values += [texts[index] for texts in inputs.values()]
            yield values

    if computed is None:
        insert_rows(model, attnames, rows())
    else:
        _insert_staged(model, attnames, rows(), computed)
    for instance in instances:
        instance._state.adding = False


def _insert_staged(model, attnames: list[str], rows, computed) -> None:
    target, expression, inputs = computed
    table = _quote(model._meta.db_table)
    columns = [_quote(model._meta.get_field(name).column) for name in attnames]
    extra = [_quote(name) for name in inputs]
    stage = _quote(f"stage_{model._meta.db_table}")
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {stage} "
            f"(LIKE {table} INCLUDING DEFAULTS) ON COMMIT DROP"
        )
        for name in extra:
            cursor.execute(f"ALTER TABLE {stage} ADD COLUMN IF NOT EXISTS {name} text")
        statement = f"COPY {stage} ({', '.join(columns + extra)}) FROM STDIN"
        with cursor.cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}, {_quote(target)}) "
            f"SELECT {', '.join(columns)}, {expression} FROM {stage}"
        )
        cursor.execute(f"TRUNCATE {stage}")
