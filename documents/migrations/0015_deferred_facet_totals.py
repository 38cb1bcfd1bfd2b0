from importlib import import_module

from django.db import migrations

# An import may defer the facet totals of the facet rows it inserts to the end of its
# transaction: the totals trigger (migrations 0010 and 0012) then only notes the new rows'
# documents, and `documents_facet_totals_apply_deferred()` adds them all in one statement
# before the import commits. Readers see nothing of an import until it commits, so they never
# see the totals behind; the one statement upserts each (scope, facet, value) once for the
# whole import instead of once per chunk of rows, which into a large archive with precounted
# scopes is most of the import's time.
#
# Only inserts are deferred. A deferred row can still change before the totals are applied
# (a place the import files under a new parent moves the rows of the documents under it):
# updates and deletes then leave the deferred rows out, since those are counted from their
# final state when the totals are applied.

previous = import_module("documents.migrations.0012_decade_scopes")

_BEGIN = "BEGIN\n    IF TG_OP = 'INSERT' THEN\n"
_, _rest = previous.TOTALS_FUNCTION.split(_BEGIN)
_insert, _rest = _rest.split("    ELSIF TG_OP = 'DELETE' THEN\n")
_delete, _rest = _rest.split("    ELSE\n")
_update = _rest.split("    END IF;")[0]
assert all(
    statement.strip().startswith("WITH v AS MATERIALIZED")
    for statement in (_insert, _delete, _update)
)


def _without_deferred(statement: str, *names: str) -> str:
    """The statement over its transition tables less the rows whose totals are deferred."""
    ctes = ""
    for name in names:
        kept = f"kept_{name}"
        statement = statement.replace(name, kept)
        ctes += f"""{kept} AS MATERIALIZED (
            SELECT * FROM {name} AS r WHERE NOT EXISTS (
                SELECT 1 FROM deferred_facet_rows AS d WHERE d.document_id = r.document_id)),
        """
    return statement.replace("WITH v AS MATERIALIZED", f"WITH {ctes}v AS MATERIALIZED", 1)


_DEFERRING = f"""BEGIN
    IF current_setting('archive.defer_facet_totals', true) = 'on' THEN
        IF TG_OP = 'INSERT' THEN
            INSERT INTO deferred_facet_rows SELECT document_id FROM new_rows;
        ELSIF TG_OP = 'DELETE' THEN
{_without_deferred(_delete, "old_rows")}
        ELSE
{_without_deferred(_update, "new_rows", "old_rows")}
        END IF;
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
"""
TOTALS_FUNCTION = previous.TOTALS_FUNCTION.replace(_BEGIN, _DEFERRING, 1)

# The trigger's INSERT statement over every deferred row at once, with one difference: the
# whole archive's totals ("") take every value without joining each row to its scopes, which
# for a large import was most of the statement (2.6 s of an import of 100k into an empty
# archive). Every deferred row is an insert, so there are no signs to tell apart.
_values = import_module("documents.migrations.0010_precounted_scopes")._VALUES
_APPLY = f"""WITH new_rows AS MATERIALIZED (
            SELECT f.* FROM documents_documentfacets AS f
            WHERE f.document_id IN (SELECT document_id FROM deferred_facet_rows)
        ),
        v AS MATERIALIZED ({_values.format(rows="new_rows", sign=1)}),
        s AS (
            SELECT v.d, p.scope FROM v
            JOIN documents_precountedscope AS p ON p.scope = v.facet || ':' || v.value
            UNION ALL
            SELECT v.d, p.scope FROM v
            JOIN documents_precountedscope AS p
                ON v.facet = 'year' AND p.scope = 'decade:' || floor(v.value::int / 10.0)::int
        )
        INSERT INTO documents_facettotal AS total (scope, facet, value, count)
        SELECT scope, facet, value, count(*) FROM (
            SELECT '' AS scope, facet, value FROM v
            UNION ALL
            SELECT s.scope, v.facet, v.value FROM s JOIN v ON v.d = s.d
        ) AS counted
        GROUP BY scope, facet, value
        ORDER BY 1, 2, 3
        ON CONFLICT (scope, facet, value) DO UPDATE SET count = total.count + excluded.count;"""
assert previous.DECADES.strip().splitlines()[-2].strip() in _APPLY  # the decades, as in 0012

DEFER_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION documents_facet_totals_defer() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    CREATE TEMP TABLE IF NOT EXISTS deferred_facet_rows (document_id bigint) ON COMMIT DROP;
    PERFORM set_config('archive.defer_facet_totals', 'on', true);
END $$;

CREATE OR REPLACE FUNCTION documents_facet_totals_apply_deferred() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('archive.defer_facet_totals', 'off', true);
    IF to_regclass('pg_temp.deferred_facet_rows') IS NULL THEN
        RETURN;
    END IF;
    {_APPLY}
    TRUNCATE deferred_facet_rows;
END $$;
"""

_DROP = """
DROP FUNCTION IF EXISTS documents_facet_totals_defer();
DROP FUNCTION IF EXISTS documents_facet_totals_apply_deferred();
"""


def deferrable(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DEFER_FUNCTIONS, params=None)
        schema_editor.execute(TOTALS_FUNCTION, params=None)


def immediate(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(previous.TOTALS_FUNCTION, params=None)
        schema_editor.execute(_DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0014_record_hash_index"),
    ]

    operations = [migrations.RunPython(deferrable, immediate)]
