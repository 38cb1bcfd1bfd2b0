"""Citations in the real archive's form, honest to the precision of the date."""

from .models import Document


def chicago_citation(document: Document, *, url: str, archive_name: str) -> str:
    """`"Title," June 4, 1984, <archive>, <source>. <URL>` ("November 1967" stays a month)."""
    parts = [f"“{document.title},” {document.date_display}", archive_name]
    source = document.source.strip().rstrip(".")
    if source:
        parts.append(source)
    return ", ".join(parts) + f". {url}"
