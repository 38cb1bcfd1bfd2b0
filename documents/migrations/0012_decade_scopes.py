from importlib import import_module

from django.db import migrations

# A precounted decade ("decade:195", the years 1950-1959) holds the documents of its years:
# the totals trigger of migration 0010 learns to put a document into its decade's scope too.

previous = import_module("documents.migrations.0010_precounted_scopes")

DECADES = """
            UNION ALL
            SELECT v.d, v.n, p.scope FROM v
            JOIN documents_precountedscope AS p
                ON v.facet = 'year' AND p.scope = 'decade:' || floor(v.value::int / 10.0)::int
        )"""

_ANCHOR = """
            JOIN documents_precountedscope AS p ON p.scope = v.facet || ':' || v.value
        )"""

TOTALS_FUNCTION = previous.TOTALS_FUNCTION.replace(
    _ANCHOR, _ANCHOR.removesuffix("\n        )") + DECADES
)
assert TOTALS_FUNCTION.count("'decade:'") == 3  # once in each of the three branches


def with_decades(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TOTALS_FUNCTION, params=None)


def without_decades(apps, schema_editor):
    # The previous trigger would no longer keep the decades' counts: they stop being precounted.
    decades = {"scope__startswith": "decade:"}
    apps.get_model("documents", "FacetTotal").objects.filter(**decades).delete()
    apps.get_model("documents", "PrecountedScope").objects.filter(**decades).delete()
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(previous.TOTALS_FUNCTION, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0011_spanning_documents_index"),
    ]

    operations = [migrations.RunPython(with_decades, without_decades)]
