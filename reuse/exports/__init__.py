"""Reference exports: small streaming renderers of the same queryset, one module a format.

Each format module has `MEDIA_TYPE`, `EXTENSION`, `LABEL` and `render(documents, context)`,
a generator of text chunks over documents fetched with `with_relations()`; the views in
`views.py` stream them. `FORMATS` names them as they appear in URLs (`/documents/export.ris?...`).
"""

from . import bibtex, csljson, csv, jsonl, ris

FORMATS = {
    "ris": ris,
    "bib": bibtex,
    "csl.json": csljson,
    "csv": csv,
    "jsonl": jsonl,
}
# For URL patterns: `export\.(?P<fmt>...)`.
FORMAT_PATTERN = "|".join(name.replace(".", r"\.") for name in FORMATS)
