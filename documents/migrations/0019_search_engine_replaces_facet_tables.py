"""The search index (search/) replaces the facet tables, the precounted totals, the search
postings, the archive version and the search vector: their triggers and functions go first
(PostgreSQL; dropping a function drops its triggers), then the tables and the column."""

from django.db import migrations

FUNCTIONS = [
    "documents_facets_refresh(bigint[])",
    "documents_facets_documents_changed()",
    "documents_facets_documents_deleted()",
    "documents_facets_links_changed()",
    "documents_facets_regions_moved()",
    "documents_facet_totals_changed()",
    "documents_facet_totals_defer()",
    "documents_facet_totals_apply_deferred()",
    "documents_archive_version_bump()",
    "documents_search_postings_keep()",
]


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for function in FUNCTIONS:
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {function} CASCADE")


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0018_search_postings'),
        # Its trigger calls the archive version's function, which this drops.
        ('versions', '0003_archive_version_trigger'),
    ]

    operations = [
        # Not reversible: the index, not these tables, is what the lists read now, and their
        # triggers lived only in migrations 0007-0018. Unapplying it is refused with
        # Django's IrreversibleError (it once ran, and failed halfway, on "multiple primary
        # keys"); go back to before it by restoring a backup (docs/operations.md).
        migrations.RunPython(drop_triggers),
        migrations.DeleteModel(
            name='ArchiveVersion',
        ),
        migrations.RemoveField(
            model_name='documentfacets',
            name='document',
        ),
        migrations.DeleteModel(
            name='FacetTotal',
        ),
        migrations.DeleteModel(
            name='PrecountedScope',
        ),
        migrations.DeleteModel(
            name='SearchPostings',
        ),
        migrations.DeleteModel(
            name='SearchWord',
        ),
        migrations.RemoveField(
            model_name='document',
            name='search_vector',
        ),
        migrations.DeleteModel(
            name='DocumentFacets',
        ),
    ]
