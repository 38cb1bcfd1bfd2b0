"""The IIIF services at size: the manifest of a 500-page scan (target: served in 200 ms),
tiles cut on request from a page's pyramid TIFF, and what static level-0 tiles made once
(libvips' dzsave, IIIF layout) would cost instead.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/archive_iiif_bench \\
        .venv/bin/python bench/iiif_bench.py [--pages 500] [--repeat 30]

It makes its database's tables (migrate), one published document with a scan of --pages
pages (their rows as OCR leaves them: text and hOCR), and one real page image; then asks
through Django's test client, the whole middleware stack included. Figures go to
bench/README.md, "IIIF".
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings.dev")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def timed(function, repeat: int) -> tuple[float, float, float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))], times[-1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    folder = Path(tempfile.mkdtemp(prefix="iiif-bench-"))
    settings.ARCHIVE_PAGE_IMAGES_DIR = folder / "pages"
    settings.ARCHIVE_INDEX_DIR = folder / "index"
    call_command("migrate", verbosity=0)

    from documents.models import Document, Status
    from tests.versions.files import add_version, pdf, typed_page
    from versions.models import PageState, TextSource, VersionPage
    from versions.ocr import read_page
    from versions.pages import _save_pyramid, page_image_path

    Document.objects.filter(identifier="iiif-bench").delete()
    document = Document.objects.create(
        identifier="iiif-bench",
        title="A long scanned file",
        date="1956-10-24",
        language="ru",
        status=Status.PUBLISHED,
        summary="Five hundred typed pages.",
    )
    version = add_version(document, "original", "ru", pdf(*["x"] * args.pages), "long.pdf")
    sample = typed_page("Совершенно секретно\nЗапись беседы с послом\nо положении в Венгрии")
    reading = read_page(sample, "ru")
    VersionPage.objects.bulk_create(
        VersionPage(
            version=version,
            number=number,
            width=2479,
            height=3508,
            state=PageState.DONE,
            text_source=TextSource.OCR,
            ocr_text=reading.text,
            hocr=reading.hocr,
            ocr_languages=reading.languages,
        )
        for number in range(1, args.pages + 1)
    )
    type(version).objects.filter(pk=version.pk).update(pages_of=version.sha256)
    client = Client()
    url = f"/iiif/documents/{document.identifier}/manifest"

    def cold():
        cache.clear()
        assert client.get(url).status_code == 200

    def warm():
        assert client.get(url).status_code == 200

    warm()
    size = len(client.get(url).content)
    connection.queries_log.clear()  # full after the setup: counts would read 0
    with CaptureQueriesContext(connection) as built:
        cold()
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as cached:
        warm()
    print(f"manifest of {args.pages} pages: {size / 1024:.0f} KB")
    for label, function, queries in (("built", cold, built), ("cached", warm, cached)):
        p50, p95, worst = timed(function, args.repeat)
        print(
            f"  {label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {worst:.1f} ms, "
            f"{len(queries)} queries"
        )

    # Tiles: one real page, 2479 x 3508 (A4 at 300 dpi), as versions/pages.py stores it.
    from PIL import Image

    page = VersionPage.objects.get(version=version, number=1)
    picture = Image.open(io.BytesIO(sample)).resize((2479, 3508))
    started = time.perf_counter()
    _save_pyramid(picture, page_image_path(page))
    pyramid_ms = (time.perf_counter() - started) * 1000
    pyramid_kb = page_image_path(page).stat().st_size / 1024
    base = f"/iiif/image/{page.image_id}"
    chance = random.Random(1)
    requests = []
    for _ in range(args.repeat * 10):
        scale = chance.choice([1, 2, 4, 8])
        side = 256 * scale
        x = chance.randrange(0, 2479 // side + 1) * side
        y = chance.randrange(0, 3508 // side + 1) * side
        w, h = min(side, 2479 - x), min(side, 3508 - y)
        if w <= 0 or h <= 0:
            continue
        requests.append(f"{base}/{x},{y},{w},{h}/{max(w // scale, 1)},/0/default.jpg")
    tile_times = []
    for request in requests:
        started = time.perf_counter()
        assert client.get(request).status_code == 200, request
        tile_times.append((time.perf_counter() - started) * 1000)
    tile_times.sort()
    thumb = timed(lambda: client.get(f"{base}/full/!240,240/0/default.jpg"), args.repeat)
    print(f"pyramid TIFF of a page: made in {pyramid_ms:.0f} ms, {pyramid_kb:.0f} KB")
    print(
        f"tiles on request ({len(tile_times)}): p50 {statistics.median(tile_times):.1f} ms, "
        f"p95 {tile_times[int(0.95 * (len(tile_times) - 1))]:.1f} ms; "
        f"a 240-px thumbnail p50 {thumb[0]:.1f} ms"
    )

    import pyvips

    picture.save(folder / "page.png")
    started = time.perf_counter()
    pyvips.Image.new_from_file(str(folder / "page.png")).dzsave(
        str(folder / "static"), layout="iiif3", tile_size=256, id="https://example.org/iiif"
    )
    static_ms = (time.perf_counter() - started) * 1000
    files = [path for path in (folder / "static").rglob("*") if path.is_file()]
    static_kb = sum(path.stat().st_size for path in files) / 1024
    print(
        f"static level-0 tiles of a page (dzsave, IIIF layout): made in {static_ms:.0f} ms, "
        f"{len(files)} files, {static_kb:.0f} KB; for {args.pages} pages "
        f"{len(files) * args.pages:,} files"
    )


if __name__ == "__main__":
    main()
