"""Full-text search: the stored search vector, and (below) parsing and ranking queries.

On PostgreSQL every document has a `search_vector`, weighted A (title, record ID), B (summary,
people's names and alternate names), C (places and collections) and D (full text), built with
the English stemmer over unaccented text, so "Práth" finds "Prath" and "talks" finds "talk".
It is rebuilt by `refresh_search_vectors` whenever a document, its links, or a name it shows
changes: imports, admin edits, merges. Queries never compute it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

VECTOR_CHUNK = 5000

_REFRESH_SQL = """
UPDATE documents_document AS d SET search_vector =
    setweight(to_tsvector('english', unaccent(d.title || ' ' || d.identifier)), 'A')
    || setweight(to_tsvector('english', unaccent(d.summary)), 'B')
    || setweight(to_tsvector('english', unaccent(coalesce((
        SELECT string_agg(p.name || ' ' || coalesce((
            SELECT string_agg(alternate, ' ')
            FROM jsonb_array_elements_text(p.alternate_names) AS alternate
        ), ''), ' ')
        FROM documents_documentparticipant AS dp
        JOIN people_person AS p ON p.id = dp.person_id
        WHERE dp.document_id = d.id
    ), ''))), 'B')
    || setweight(to_tsvector('english', unaccent(coalesce((
        SELECT string_agg(r.name, ' ')
        FROM documents_document_regions AS dr
        JOIN documents_region AS r ON r.id = dr.region_id
        WHERE dr.document_id = d.id
    ), '') || ' ' || coalesce((
        SELECT string_agg(c.title, ' ')
        FROM documents_document_collections AS dc
        JOIN documents_collection AS c ON c.id = dc.collection_id
        WHERE dc.document_id = d.id
    ), ''))), 'C')
    || setweight(to_tsvector('english', unaccent(d.text)), 'D')
WHERE d.id = ANY(%s)
"""


def refresh_search_vectors(document_ids: Iterable[int]) -> None:
    """Rebuild the search vectors of these documents (PostgreSQL; SQLite searches the text)."""
    if connection.vendor != "postgresql":
        return
    ids = sorted(set(document_ids))
    with connection.cursor() as cursor:
        for start in range(0, len(ids), VECTOR_CHUNK):
            cursor.execute(_REFRESH_SQL, [ids[start : start + VECTOR_CHUNK]])


def refresh_search_vectors_of_people(person_ids: Iterable[int]) -> None:
    """A person's names changed: rebuild the vectors of every document they are in."""
    from .models import DocumentParticipant

    refresh_search_vectors(
        DocumentParticipant.objects.filter(person_id__in=list(person_ids)).values_list(
            "document_id", flat=True
        )
    )
