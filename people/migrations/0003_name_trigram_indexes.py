"""Trigram indexes for finding people by any part of their names (PostgreSQL only).

A keyword page asks whether the query is exactly someone's name (`search.matching_person`),
first finding everyone whose folded name or alternate names hold the query's longest word:
`name_key LIKE '%word%'` and `UPPER(alternate_names::text) LIKE '%WORD%'`, as Django writes
`contains` and `icontains`. Without these indexes that was a scan of every person, 13-26 ms
at 40k people. The expressions are Django's own, so the planner matches them.
"""

from django.db import migrations


def create_name_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS person_name_key_trgm_idx ON people_person "
        "USING gin (name_key gin_trgm_ops)"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS person_alternate_names_trgm_idx ON people_person "
        "USING gin (UPPER(alternate_names::text) gin_trgm_ops)"
    )


def drop_name_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS person_name_key_trgm_idx")
        schema_editor.execute("DROP INDEX IF EXISTS person_alternate_names_trgm_idx")


class Migration(migrations.Migration):
    dependencies = [("people", "0002_edit_history")]

    operations = [migrations.RunPython(create_name_indexes, drop_name_indexes)]
