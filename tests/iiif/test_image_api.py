"""The IIIF Image API 3.0 of scans' pages (iiif/image_api.py, iiif/views.py): info.json, any
region at any size, and 400 with the reason for anything out of range, never 500 (issue 23)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from documents.models import Status
from iiif.image_api import BadImageRequest, parse
from versions.models import PageState, VersionPage

pytestmark = pytest.mark.django_db


def base(page: VersionPage) -> str:
    return reverse("iiif:image", kwargs={"image_id": page.image_id})


def test_info_json_describes_the_page_for_any_viewer(client, scanned):
    page = VersionPage.objects.get()
    response = client.get(f"{base(page)}/info.json")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Type"] == "application/json"
    info = response.json()
    assert info["@context"] == "http://iiif.io/api/image/3/context.json"
    assert info["id"] == f"http://testserver{base(page)}"
    assert (info["type"], info["protocol"], info["profile"]) == (
        "ImageService3",
        "http://iiif.io/api/image",
        "level2",
    )
    assert (info["width"], info["height"]) == (1240, 1754)
    assert info["sizes"][-1] == {"width": 1240, "height": 1754}
    assert info["sizes"][0]["width"] < 256
    assert info["tiles"] == [{"width": 256, "height": 256, "scaleFactors": [1, 2, 4, 8]}]
    ld = client.get(f"{base(page)}/info.json", HTTP_ACCEPT="application/ld+json")
    assert ld["Content-Type"].startswith("application/ld+json")
    assert client.get(base(page)).status_code == 303


@pytest.mark.parametrize(
    ("region", "size", "rotation", "quality", "answer"),
    [
        ("full", "max", "0", "default.jpg", ("JPEG", (1240, 1754))),
        ("0,0,256,256", "256,", "0", "default.jpg", ("JPEG", (256, 256))),
        ("1024,1536,256,256", "max", "0", "default.jpg", ("JPEG", (216, 218))),  # clipped
        ("full", "!200,200", "90", "gray.png", ("PNG", (200, 141))),
        ("square", "pct:10", "!180", "bitonal.png", ("PNG", (124, 124))),
        ("full", "!100,100", "270", "default.webp", ("WEBP", (100, 70))),
        ("pct:0,0,50,50", ",100", "0", "color.jpg", ("JPEG", (71, 100))),
    ],
)
def test_a_region_at_a_size(client, scanned, region, size, rotation, quality, answer):
    page = VersionPage.objects.get()
    response = client.get(f"{base(page)}/{region}/{size}/{rotation}/{quality}")
    assert response.status_code == 200, response.content
    assert response["Access-Control-Allow-Origin"] == "*"
    picture = Image.open(io.BytesIO(response.content))
    assert (picture.format, picture.size) == answer
    if quality.startswith(("gray", "bitonal")):
        assert picture.mode in ("L", "1", "LA")


@pytest.mark.parametrize(
    ("region", "size", "rotation", "quality", "message"),
    [
        ("2000,0,10,10", "max", "0", "default.jpg", "lies outside the image (1240 x 1754"),
        ("0,0,0,10", "max", "0", "default.jpg", "its width and height must be more than 0"),
        ("left", "max", "0", "default.jpg", "write full, square, x,y,w,h or pct:x,y,w,h"),
        ("full", "2000,", "0", "default.jpg", "larger than the region (1240 x 1754)"),
        ("full", "^2481,", "0", "default.jpg", "at most 2480 x 3508 pixels"),
        ("full", "!2000,2000", "0", "default.jpg", "larger than the region"),
        ("full", "0,", "0", "default.jpg", "must be more than 0"),
        ("full", ",", "0", "default.jpg", "give a width, a height or both"),
        ("full", "!100,", "0", "default.jpg", "!w,h needs both"),
        ("full", "max", "45", "default.jpg", "only 0, 90, 180 and 270"),
        ("full", "max", "400", "default.jpg", "at most 360 degrees"),
        ("full", "max", "0", "sepia.jpg", "write default, color, gray or bitonal"),
        ("full", "max", "0", "default.gif", "the formats offered are jpg, png and webp"),
        ("pct:0,0,1e9,5", "max", "0", "default.jpg", "write full, square"),
    ],
)
def test_out_of_range_parameters_answer_400_with_the_reason(
    client, scanned, region, size, rotation, quality, message
):
    page = VersionPage.objects.get()
    response = client.get(f"{base(page)}/{region}/{size}/{rotation}/{quality}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_draft_s_pages_and_unready_pages_are_not_there(client, scanned):
    page = VersionPage.objects.get()
    urls = [base(page), f"{base(page)}/info.json", f"{base(page)}/full/max/0/default.jpg"]
    scanned.status = Status.DRAFT
    scanned.save()
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    scanned.status = Status.PUBLISHED
    scanned.save()
    VersionPage.objects.update(state=PageState.PENDING)
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    assert client.get("/iiif/image/999999-1/info.json").status_code == 404


SEGMENT = st.text(
    alphabet=st.sampled_from("0123456789,.:!^-pctmaxfulsqrdeingyjpwb%"), min_size=0, max_size=24
)
NUMBERS = st.integers(min_value=0, max_value=10**10).map(str)
REGION = st.one_of(
    SEGMENT,
    st.sampled_from(["full", "square"]),
    st.tuples(NUMBERS, NUMBERS, NUMBERS, NUMBERS).map(",".join),
    st.tuples(NUMBERS, NUMBERS, NUMBERS, NUMBERS).map(lambda t: "pct:" + ",".join(t)),
)
SIZE = st.one_of(
    SEGMENT,
    st.sampled_from(["max", "^max"]),
    st.tuples(
        st.sampled_from(["", "^", "!", "^!"]), NUMBERS | st.just(""), NUMBERS | st.just("")
    ).map(lambda t: f"{t[0]}{t[1]},{t[2]}"),
    NUMBERS.map(lambda n: f"pct:{n}"),
)
ROTATION = st.one_of(SEGMENT, st.sampled_from(["0", "90", "!180", "270", "360", "1.5"]))
QUALITY = st.one_of(
    SEGMENT, st.sampled_from(["default.jpg", "gray.png", "bitonal.webp", "color.jpg"])
)


@settings(max_examples=300, deadline=None)
@given(region=REGION, size=SIZE, rotation=ROTATION, quality=QUALITY)
def test_any_request_is_parsed_inside_the_image_or_refused(region, size, rotation, quality):
    try:
        wanted = parse(region, size, rotation, quality, width=1240, height=1754)
    except BadImageRequest:
        return
    assert 0 <= wanted.x < 1240 and 0 <= wanted.y < 1754
    assert wanted.x + wanted.width <= 1240 and wanted.y + wanted.height <= 1754
    assert 1 <= wanted.out_width <= 2480 and 1 <= wanted.out_height <= 3508
    assert wanted.out_width * wanted.out_height <= 36_000_000


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(region=REGION, size=SIZE, rotation=ROTATION, quality=QUALITY)
def test_any_request_answers_200_or_400_never_500(client, scanned, region, size, rotation, quality):
    page = VersionPage.objects.get()
    segments = [part.replace("/", "") or "x" for part in (region, size, rotation, quality)]
    response = client.get(f"{base(page)}/{'/'.join(segments)}")
    assert response.status_code in (200, 400, 404), (segments, response.status_code)


def test_the_iiif_services_answer_429_past_their_limit(client, scanned, settings):
    settings.ARCHIVE_RATE_LIMITS = {**settings.ARCHIVE_RATE_LIMITS, "iiif": "3/m"}
    page = VersionPage.objects.get()
    urls = [
        f"{base(page)}/info.json",
        "/iiif/documents/ru-1956/manifest",
        f"{base(page)}/info.json",
    ]
    assert [client.get(url).status_code for url in urls] == [200, 200, 200]
    refused = client.get(f"{base(page)}/full/max/0/default.jpg")
    assert refused.status_code == 429 and refused["Retry-After"]
