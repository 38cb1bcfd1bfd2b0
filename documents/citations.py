"""Citations in the real archive's form, honest to the precision of the date.

Also the one reading of who a document's people are to a citation: every format (the "Cite
this" line, meta tags, JSON-LD, RIS, BibTeX, CSL-JSON, OAI-PMH Dublin Core) takes its authors,
recipients and subjects from `document_people`, so they never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.translation import pgettext

from .models import Document, Role


@dataclass
class DocumentPeople:
    """A document's people by the part they play: creators, recipients, others, subjects."""

    authors: list = field(default_factory=list)
    recipients: list = field(default_factory=list)
    participants: list = field(default_factory=list)  # "participant" or no role given
    mentioned: list = field(default_factory=list)

    @property
    def everyone(self) -> list:
        return self.authors + self.recipients + self.participants + self.mentioned

    @property
    def not_authors(self) -> list:
        return self.recipients + self.participants + self.mentioned


def document_people(document: Document) -> DocumentPeople:
    """The document's people (Person objects) in the source's order, grouped by role.

    Reads `document.participations.all()`, so a list prefetched by `with_relations()` costs no
    query.
    """
    people = DocumentPeople()
    groups: dict[str, list] = {
        Role.AUTHOR: people.authors,
        Role.RECIPIENT: people.recipients,
        Role.MENTIONED: people.mentioned,
    }
    for participation in document.participations.all():
        groups.get(participation.role, people.participants).append(participation.person)
    return people


def _quoted_title(title: str) -> str:
    """The title in quotation marks with the comma inside, unless it ends in its own mark."""
    title = title.strip()
    if title.endswith(("?", "!")):
        return f"“{title}”"
    return f"“{title.rstrip('.')},”"


def chicago_citation(document: Document, *, url: str, archive_name: str) -> str:
    """`"Title," June 4, 1984, <archive>, <source>. <URL>` ("November 1967" stays a month)."""
    parts = [f"{_quoted_title(document.title)} {document.date_display}", archive_name]
    source = document.source.strip().rstrip(".")
    if source:
        parts.append(source)
    return ", ".join(parts) + f". {url}"


def page_citation(document: Document, *, url: str, archive_name: str) -> str:
    """The document page's "Cite this" line in the interface language: in English exactly
    `chicago_citation`; in another, the same parts in its own order and punctuation, the date
    as the page shows it ("23 сентября 1956 г.") and the archive's name translated."""
    if translation.get_language() == settings.LANGUAGE_CODE:
        return chicago_citation(document, url=url, archive_name=archive_name)
    values = {
        "title": document.title.strip(),
        "date": document.date_local,
        "archive": translation.gettext(archive_name),
        "source": document.source.strip().rstrip("."),
        "url": url,
    }
    if values["source"]:
        return pgettext("citation", "“%(title)s,” %(date)s, %(archive)s, %(source)s. %(url)s") % (
            values
        )
    return pgettext("citation", "“%(title)s,” %(date)s, %(archive)s. %(url)s") % values
