"""OAI-PMH responses as XML: the envelope, headers, records and oai_dc metadata.

Written with Django's SimplerXMLGenerator (the writer its feeds and sitemaps use), so every
value is escaped; characters XML 1.0 cannot carry are dropped first.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from io import StringIO

from django.conf import settings
from django.utils.xmlutils import SimplerXMLGenerator

from core.xml_text import xml_safe
from documents.citations import document_people
from documents.models import Document

from .protocol import format_datestamp
from .records import Item

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
OAI_IDENTIFIER_NS = "http://www.openarchives.org/OAI/2.0/oai-identifier"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
OAI_IDENTIFIER_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"


class Writer:
    """One response: write() the verb's element into it, then .text()."""

    def __init__(self):
        self.stream = StringIO()
        self.xml = SimplerXMLGenerator(self.stream, "utf-8", short_empty_elements=True)

    def element(self, name: str, text: str | None = None, attrs: dict | None = None) -> None:
        self.xml.startElement(name, attrs or {})
        if text:
            self.xml.characters(xml_safe(text))
        self.xml.endElement(name)

    def start(self, name: str, attrs: dict | None = None) -> None:
        self.xml.startElement(name, attrs or {})

    def end(self, name: str) -> None:
        self.xml.endElement(name)


def envelope(base_url: str, request_args: dict[str, str], body: Callable[[Writer], None]) -> str:
    writer = Writer()
    writer.xml.startDocument()
    writer.start(
        "OAI-PMH",
        {
            "xmlns": OAI_NS,
            "xmlns:xsi": XSI_NS,
            "xsi:schemaLocation": f"{OAI_NS} {OAI_SCHEMA}",
        },
    )
    writer.element("responseDate", format_datestamp(datetime.now(UTC)))
    writer.element("request", base_url, {key: xml_safe(v) for key, v in request_args.items()})
    body(writer)
    writer.end("OAI-PMH")
    writer.xml.endDocument()
    return writer.stream.getvalue()


def oai_identifier(identifier: str) -> str:
    return f"oai:{settings.ARCHIVE_OAI_REPOSITORY_IDENTIFIER}:{identifier}"


def write_header(writer: Writer, item: Item) -> None:
    writer.start("header", {"status": "deleted"} if item.deleted else {})
    writer.element("identifier", oai_identifier(item.identifier))
    writer.element("datestamp", format_datestamp(item.datestamp))
    for spec in item.sets:
        writer.element("setSpec", spec)
    writer.end("header")


def write_record(writer: Writer, item: Item, absolute_url: Callable[[str], str]) -> None:
    writer.start("record")
    write_header(writer, item)
    if item.document is not None:
        writer.start("metadata")
        write_oai_dc(writer, item.document, absolute_url(item.document.get_absolute_url()))
        writer.end("metadata")
    writer.end("record")


def start_oai_dc(writer: Writer) -> None:
    writer.start(
        "oai_dc:dc",
        {
            "xmlns:oai_dc": OAI_DC_NS,
            "xmlns:dc": DC_NS,
            "xmlns:xsi": XSI_NS,
            "xsi:schemaLocation": f"{OAI_DC_NS} {OAI_DC_SCHEMA}",
        },
    )


def write_oai_dc(writer: Writer, document: Document, url: str) -> None:
    """Unqualified Dublin Core, keeping the date's precision (1967-11; spans as start/end)."""
    span = document.date_span
    people = document_people(document)
    start_oai_dc(writer)
    elements = [
        ("title", [document.title]),
        ("creator", [person.name for person in people.authors]),
        ("contributor", [person.name for person in people.recipients + people.participants]),
        (
            "subject",
            [person.name for person in people.mentioned]
            + [collection.title for collection in document.collections.all()],
        ),
        ("description", [document.summary]),
        ("publisher", [settings.ARCHIVE_NAME]),
        ("date", [span.start.iso() + (f"/{span.end.iso()}" if span.end else "")]),
        ("type", ["Text"]),
        ("identifier", [url, document.identifier]),
        ("source", [document.source, document.original_archive]),
        ("language", [document.language]),
        ("coverage", [region.name for region in document.regions.all()]),
        ("rights", [document.rights]),
    ]
    for name, values in elements:
        for value in values:
            if value and value.strip():
                writer.element(f"dc:{name}", value)
    writer.end("oai_dc:dc")
