"""Reading OAI-PMH responses in tests: well-formed, valid against the protocol's schema, and
oai_dc records made of Dublin Core's fifteen elements only."""

from pathlib import Path

from lxml import etree

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
NS = {"o": OAI, "oai_dc": OAI_DC, "dc": DC}
SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).with_name("schemas") / "OAI-PMH.xsd")))
DC_ELEMENTS = {
    "title",
    "creator",
    "subject",
    "description",
    "publisher",
    "contributor",
    "date",
    "type",
    "format",
    "identifier",
    "source",
    "language",
    "relation",
    "coverage",
    "rights",
}
REPOSITORY = "cold-war-archive.example.org"


def oai_id(identifier: str) -> str:
    return f"oai:{REPOSITORY}:{identifier}"


def parse(content: bytes):
    root = etree.fromstring(content)
    SCHEMA.assertValid(root)
    for record in root.iterfind(".//oai_dc:dc", NS):
        assert record.attrib.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation")
        for element in record:
            assert etree.QName(element).namespace == DC
            assert etree.QName(element).localname in DC_ELEMENTS
            assert (element.text or "").strip()
    return root


def oai(client, method: str = "get", **params):
    response = getattr(client, method)("/oai/", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    return parse(response.content)


def error(root) -> str | None:
    codes = root.xpath("/o:OAI-PMH/o:error/@code", namespaces=NS)
    return codes[0] if codes else None


def headers(root) -> list[tuple[str, bool]]:
    """(local identifier, deleted) of every header in the response, in order."""
    found = []
    for header in root.iterfind(".//o:header", NS):
        identifier = header.findtext("o:identifier", namespaces=NS)
        found.append(
            (identifier.removeprefix(f"oai:{REPOSITORY}:"), header.get("status") == "deleted")
        )
    return found


def dc(record) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for element in record.iterfind(".//oai_dc:dc/*", NS):
        values.setdefault(etree.QName(element).localname, []).append(element.text)
    return values
