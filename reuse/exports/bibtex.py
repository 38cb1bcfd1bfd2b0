"""BibTeX, written here with its escaping rather than by a library.

bibtexparser's writer builds a whole library in memory before writing, which an export of
thousands of records must not do, and does not escape LaTeX's special characters by itself.
So each entry is written as it is read: an `@misc` keyed by the record identifier (its
characters, letters, digits and `. _ : -`, are all legal in a key), every value braced, the
ten special characters replaced by commands that keep braces balanced, Unicode kept as it
is (biber, JabRef and Zotero read UTF-8). The title is braced twice so styles keep its
capitals ("Kim Il Sung"), each name once so it is never split into first and last names.
The date keeps its precision: biblatex's `date` (1967-11, or 1956-09-01/1956-09-05), and
BibTeX's `year` and `month` only as far as they are known.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from documents.citations import document_people
from documents.dates import Precision
from documents.models import Document

from .context import ExportContext

MEDIA_TYPE = "application/x-bibtex; charset=utf-8"
EXTENSION = "bib"
LABEL = "BibTeX"

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

_SPECIAL = {
    "\\": r"{\textbackslash}",
    "{": r"{\textbraceleft}",
    "}": r"{\textbraceright}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"{\textasciitilde}",
    "^": r"{\textasciicircum}",
}
_TABLE = str.maketrans(_SPECIAL)


def escape(value: str) -> str:
    """Text as a BibTeX value: LaTeX's specials as commands, whitespace folded to spaces."""
    return " ".join(value.split()).translate(_TABLE)


def entry(document: Document, context: ExportContext) -> str:
    span = document.date_span
    date = span.start.iso() + (f"/{span.end.iso()}" if span.end else "")
    people = document_people(document)
    keywords = (
        [person.name for person in people.not_authors]
        + [region.name for region in document.regions.all()]
        + [collection.title for collection in document.collections.all()]
    )
    fields: list[tuple[str, str]] = [
        ("title", "{" + escape(document.title) + "}"),
        ("author", " and ".join("{" + escape(person.name) + "}" for person in people.authors)),
        ("date", date),
        ("year", f"{span.start.value.year:04d}"),
    ]
    month = MONTHS[span.start.value.month - 1] if span.start.precision != Precision.YEAR else ""
    fields += [
        ("howpublished", escape(context.archive_name)),
        ("archive", escape(document.original_archive)),
        ("note", escape(document.source)),
        ("url", context.url(document)),
        ("language", escape(document.language)),
        ("keywords", escape(", ".join(keywords))),
        ("abstract", escape(document.summary)),
        ("rights", escape(document.rights)),
    ]
    lines = [f"@misc{{{document.identifier},"]
    for name, value in fields:
        if value:
            lines.append(f"  {name} = {{{value}}},")
        if name == "year" and month:
            lines.append(f"  month = {month},")  # the standard macro, so styles localise it
    return "\n".join(lines) + "\n}\n\n"


def render(documents: Iterable[Document], context: ExportContext) -> Iterator[str]:
    for document in documents:
        yield entry(document, context)
