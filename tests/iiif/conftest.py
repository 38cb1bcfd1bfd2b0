import io
import json
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.factories import DocumentFactory
from tests.versions.files import add_version, typed_page

PARSER = Path(__file__).parent / "js" / "read_manifest.mjs"
RUSSIAN = "Совершенно секретно\nЗапись беседы с послом\nо положении в Венгрии"


def read_pages() -> None:
    call_command("ocr_versions", stdout=io.StringIO(), stderr=io.StringIO())


@pytest.fixture
def scanned(db):
    """A published Russian document with a typed one-page scan, read by OCR."""
    document = DocumentFactory(
        identifier="ru-1956", title="Record of a conversation", language="ru", text=""
    )
    add_version(document, "original", "ru", typed_page(RUSSIAN), "scan.png")
    read_pages()
    return document


def iiif_parser(resource: dict) -> dict:
    """What @iiif/parser (the parser IIIF viewers are built on) reads in a resource."""
    done = subprocess.run(
        ["node", str(PARSER)],
        input=json.dumps(resource).encode(),
        capture_output=True,
        check=True,
        timeout=60,
    )
    return json.loads(done.stdout)
