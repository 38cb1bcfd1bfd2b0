"""A document's versions are on its public page: writing them changes the archive's version
(documents/migrations/0008_archive_version.py), so no cached page outlives a new scan, a
replaced translation or a removed transcript."""

from django.db import migrations

TRIGGER = """
CREATE TRIGGER documents_archive_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
ON versions_documentversion FOR EACH STATEMENT EXECUTE FUNCTION documents_archive_version_bump();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "DROP TRIGGER IF EXISTS documents_archive_version ON versions_documentversion;",
            params=None,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("versions", "0002_archivist_permissions"),
        ("documents", "0008_archive_version"),
    ]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
