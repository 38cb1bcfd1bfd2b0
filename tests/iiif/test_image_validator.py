"""The Image API checked by IIIF's own validator (iiif-validator, the code behind
https://iiif.io/api/image/validator/), run against the archive on a live server: every test of
version 3.0 up to level 2 (issue 23).

The validator asks for its test image (ten by ten squares of known colours) and checks the
colours of what comes back for regions, sizes, rotations, qualities and formats; the test
makes that image and imports it as a scan, as an archivist would."""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from iiif_validator.validator import ImageAPI, TestSuite, ValidationInfo
from PIL import Image

from tests.factories import DocumentFactory
from tests.versions.files import add_version
from versions.models import VersionPage

pytestmark = pytest.mark.django_db(transaction=True)


def validator_image() -> bytes:
    colours = ValidationInfo().colorInfo
    picture = Image.new("RGB", (1000, 1000))
    for x in range(10):
        for y in range(10):
            picture.paste(colours[x][y], (x * 100, y * 100, x * 100 + 100, y * 100 + 100))
    output = io.BytesIO()
    picture.save(output, format="PNG")
    return output.getvalue()


@pytest.fixture
def image_id(live_server):
    document = DocumentFactory(identifier="validator")
    add_version(document, "original", "en", validator_image(), "squares.png")
    # The squares have no words: only the pages' images are wanted, OCR finds nothing.
    call_command("ocr_versions", stdout=io.StringIO(), stderr=io.StringIO())
    return VersionPage.objects.get().image_id


def run(name: str, server: str, image_id: str):
    suite = TestSuite(ValidationInfo())
    result = ImageAPI(image_id, server, "iiif/image", "http", "", "3.0", debug=False)
    suite.run_test(name, result)
    return result


def test_the_iiif_validator_passes_every_level_2_test(live_server, image_id):
    server = urlsplit(live_server.url).netloc
    tests = TestSuite(ValidationInfo()).list_tests("3.0")
    # Level 2 and below, less rotation by any angle (level 3, not offered), and the level-3
    # features the archive offers besides: mirroring, the profile link. Two offered features
    # are left out: the validator's WebP test is Python 2 code (urllib.urlopen), and its
    # enlarging test takes ^max to be the full size, where the specification (and the
    # archive) enlarge it to maxWidth, twice the page; every other size it asks there passes.
    offered = {"rot_mirror", "rot_mirror_180", "linkheader_profile"}
    wanted = sorted(
        name
        for name, test in tests.items()
        if (test["level"] <= 2 and name not in {"rot_full_non90", "rot_region_non90"})
        or name in offered
    )
    failed = {}
    for name in wanted:
        try:
            result = run(name, server, image_id)
        except Exception as exc:  # the validator's own way of failing some tests
            failed[name] = f"{type(exc).__name__}: {exc}"
            continue
        if result.exception and not getattr(result.exception, "warning", False):
            error = result.exception
            failed[name] = (
                f"{result.urls}: got {error.got!r}, expected {error.expected!r}: {error.message}"
            )
    assert failed == {}
    assert len(wanted) > 20
