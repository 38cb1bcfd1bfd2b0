from django.db import migrations

# The facet tables are updated heavily (every write changes a row's counts in each scope it
# is in) and read on every cold list page. PostgreSQL's default autovacuum waits until a fifth
# of a table is dead rows: at 1M documents an import and its undo left 4.9M dead rows in the
# totals, and cold pages were ten times slower until vacuum came. These tables' own storage
# parameters (not the server's configuration) have them vacuumed and analysed much sooner.

TABLES = ["documents_facettotal", "documents_documentfacets"]
PARAMETERS = (
    "autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 5000, "
    "autovacuum_analyze_scale_factor = 0.02"
)


def vacuum_sooner(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"ALTER TABLE {table} SET ({PARAMETERS})")


def vacuum_as_default(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        names = ", ".join(part.split("=")[0].strip() for part in PARAMETERS.split(","))
        for table in TABLES:
            schema_editor.execute(f"ALTER TABLE {table} RESET ({names})")


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0012_decade_scopes"),
    ]

    operations = [migrations.RunPython(vacuum_sooner, vacuum_as_default)]
