from django.db import migrations

# The documents that begin in one year and end in a later one: a range of whole years counts
# them on demand (they are few), and adds the precounted counts of its years for the rest
# (documents/facets.py). A partial index, so only they are in it. PostgreSQL only, like the
# facet tables' other indexes (migration 0007).

FORWARD = """
CREATE INDEX document_facets_spanning_idx ON documents_documentfacets (date_last)
WHERE year < extract(year FROM date_last);
"""
BACKWARD = "DROP INDEX IF EXISTS document_facets_spanning_idx;"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0010_precounted_scopes"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
