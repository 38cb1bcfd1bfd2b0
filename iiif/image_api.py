"""The IIIF Image API 3.0 (https://iiif.io/api/image/3.0/), level 2: any region of a page at
any size up to the page's own, turned by quarter turns, in colour, grey or black and white,
as JPEG, PNG or WebP.

`parse` checks a request's four parameters against the page's size and says what is wrong in
a `BadImageRequest` (the view answers 400); nothing is read from the image until a request is
known to lie inside it. `render` cuts the answer from the page's pyramid TIFF
(`versions/pages.py`), starting from the smallest level that is still large enough, so a
thumbnail of a 6,000-pixel page reads a few tiles and never the whole page.

Dynamic tiles (this) rather than static level-0 tiles made once: see bench/README.md, "IIIF
tiles", for the measurement behind the choice.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

TILE = 256  # the pyramid's tile size (versions/pages.py), offered to viewers as theirs
MAX_AREA = 36_000_000  # the most pixels one answer may have (a 6,000 x 6,000 page)
UPSCALE = 2  # with ^, a region may be enlarged to at most twice the page's width and height
FORMATS = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
QUALITIES = ("default", "color", "gray", "bitonal")
# Numbers of at most nine digits (more is no page's size, and floats must stay finite).
_NUMBER = r"\d{1,9}(?:\.\d{1,9})?"
_PIXELS = re.compile(r"(\d{1,9}),(\d{1,9}),(\d{1,9}),(\d{1,9})")
_PERCENT = re.compile(rf"pct:({_NUMBER}),({_NUMBER}),({_NUMBER}),({_NUMBER})")
_SIZE = re.compile(r"(\^)?(?:(max)|pct:(" + _NUMBER + r")|(!)?(\d{0,9}),(\d{0,9}))")
_ROTATION = re.compile(rf"(!)?({_NUMBER})")


class BadImageRequest(ValueError):
    """A request the Image API cannot answer; the message says which parameter and why."""


@dataclass(frozen=True)
class ImageRequest:
    x: int
    y: int
    width: int  # the region, in the page's pixels
    height: int
    out_width: int  # the answer's size, before rotation
    out_height: int
    mirrored: bool
    rotation: int  # 0, 90, 180 or 270
    quality: str
    format: str

    @property
    def media_type(self) -> str:
        return FORMATS[self.format]


def _region(region: str, width: int, height: int) -> tuple[int, int, int, int]:
    if region == "full":
        return 0, 0, width, height
    if region == "square":
        side = min(width, height)
        return (width - side) // 2, (height - side) // 2, side, side
    if match := _PIXELS.fullmatch(region):
        x, y, w, h = (int(value) for value in match.groups())
    elif match := _PERCENT.fullmatch(region):
        px, py, pw, ph = (float(value) for value in match.groups())
        x, y = math.floor(px * width / 100), math.floor(py * height / 100)
        w, h = math.ceil(pw * width / 100), math.ceil(ph * height / 100)
    else:
        raise BadImageRequest(
            f"region “{region}”: write full, square, x,y,w,h or pct:x,y,w,h (numbers only)"
        )
    if w <= 0 or h <= 0:
        raise BadImageRequest(f"region “{region}”: its width and height must be more than 0")
    if x >= width or y >= height:
        raise BadImageRequest(
            f"region “{region}”: it lies outside the image ({width} x {height} pixels)"
        )
    return x, y, min(w, width - x), min(h, height - y)


def _size(size: str, w: int, h: int, max_width: int, max_height: int) -> tuple[int, int]:
    match = _SIZE.fullmatch(size)
    if not match:
        raise BadImageRequest(
            f"size “{size}”: write max, w,, ,h, pct:n, w,h or !w,h (with ^ before to enlarge)"
        )
    upscale, is_max, percent, confined, wanted_w, wanted_h = match.groups()
    if is_max:
        scale = min(max_width / w, max_height / h, math.sqrt(MAX_AREA / (w * h)))
        if not upscale:
            scale = min(scale, 1.0)
        out = (max(round(w * scale), 1), max(round(h * scale), 1))
    elif percent is not None:
        scale = float(percent) / 100
        if scale <= 0:
            raise BadImageRequest(f"size “{size}”: the percentage must be more than 0")
        out = (max(round(w * scale), 1), max(round(h * scale), 1))
    elif not wanted_w and not wanted_h:
        raise BadImageRequest(f"size “{size}”: give a width, a height or both")
    elif confined:
        if not (wanted_w and wanted_h):
            raise BadImageRequest(f"size “{size}”: !w,h needs both a width and a height")
        box_w, box_h = int(wanted_w), int(wanted_h)
        if box_w == 0 or box_h == 0:
            raise BadImageRequest(f"size “{size}”: the width and height must be more than 0")
        # Without ^ a box larger than the region is refused, as the other sizes are (IIIF's
        # validator asks so), rather than answered with the region at its own size.
        scale = min(box_w / w, box_h / h)
        out = (max(math.floor(w * scale), 1), max(math.floor(h * scale), 1))
    else:
        if (wanted_w and not int(wanted_w)) or (wanted_h and not int(wanted_h)):
            raise BadImageRequest(f"size “{size}”: the width and height must be more than 0")
        if not wanted_w:
            out = (max(round(w * int(wanted_h) / h), 1), int(wanted_h))
        elif not wanted_h:
            out = (int(wanted_w), max(round(h * int(wanted_w) / w), 1))
        else:
            out = (int(wanted_w), int(wanted_h))
    if not upscale and (out[0] > w or out[1] > h):
        raise BadImageRequest(
            f"size “{size}”: larger than the region ({w} x {h}); write ^ before it to enlarge"
        )
    if out[0] > max_width or out[1] > max_height or out[0] * out[1] > MAX_AREA:
        raise BadImageRequest(
            f"size “{size}”: at most {max_width} x {max_height} pixels can be asked for"
        )
    return out


def _rotation(rotation: str) -> tuple[bool, int]:
    match = _ROTATION.fullmatch(rotation)
    if not match:
        raise BadImageRequest(f"rotation “{rotation}”: write a number of degrees, e.g. 0 or !90")
    degrees = float(match.group(2))
    if degrees > 360:
        raise BadImageRequest(f"rotation “{rotation}”: at most 360 degrees")
    if degrees % 90:
        raise BadImageRequest(f"rotation “{rotation}”: only 0, 90, 180 and 270 are offered")
    return bool(match.group(1)), int(degrees) % 360


def parse(
    region: str, size: str, rotation: str, quality_format: str, *, width: int, height: int
) -> ImageRequest:
    """The request for a page of `width` x `height` pixels, or BadImageRequest."""
    quality, dot, file_format = quality_format.rpartition(".")
    if not dot or quality not in QUALITIES:
        raise BadImageRequest(
            f"quality “{quality_format}”: write default, color, gray or bitonal, then the format"
        )
    if file_format not in FORMATS:
        raise BadImageRequest(f"format “{file_format}”: the formats offered are jpg, png and webp")
    x, y, w, h = _region(region, width, height)
    out_w, out_h = _size(size, w, h, UPSCALE * width, UPSCALE * height)
    mirrored, degrees = _rotation(rotation)
    return ImageRequest(x, y, w, h, out_w, out_h, mirrored, degrees, quality, file_format)


def render(path: Path, request: ImageRequest) -> bytes:
    """The answer to a parsed request, cut from the page's pyramid image at `path`."""
    import pyvips

    full = pyvips.Image.new_from_file(str(path), access="random")
    levels = pyramid_levels(full)
    scale = min(request.out_width / request.width, request.out_height / request.height)
    level = 0
    while level + 1 < levels and scale <= 0.5 ** (level + 1):
        level += 1
    image = pyvips.Image.new_from_file(str(path), page=level, access="random") if level else full
    factor_x, factor_y = image.width / full.width, image.height / full.height
    left, top = math.floor(request.x * factor_x), math.floor(request.y * factor_y)
    right = min(math.ceil((request.x + request.width) * factor_x), image.width)
    bottom = min(math.ceil((request.y + request.height) * factor_y), image.height)
    cut = image.crop(left, top, max(right - left, 1), max(bottom - top, 1))
    cut = cut.resize(request.out_width / cut.width, vscale=request.out_height / cut.height)
    if cut.width != request.out_width or cut.height != request.out_height:  # rounding
        cut = cut.gravity("north-west", request.out_width, request.out_height, extend="copy")
    if request.mirrored:
        cut = cut.fliphor()
    if request.rotation:
        cut = cut.rotate(request.rotation)
    if request.quality in ("gray", "bitonal"):
        cut = cut.colourspace("b-w")
        if request.quality == "bitonal":
            cut = (cut > 128).ifthenelse(255, 0).cast("uchar")
    if request.format == "jpg":
        return cut.jpegsave_buffer(Q=85, keep="none")
    if request.format == "png":
        return cut.pngsave_buffer(compression=6)
    return cut.webpsave_buffer(Q=85)


def pyramid_levels(image) -> int:
    """How many levels a pyramid TIFF holds (each half the size of the one before)."""
    return int(image.get("n-pages")) if image.get_typeof("n-pages") else 1


def pyramid_sizes(path: Path) -> list[tuple[int, int]]:
    """The pyramid's levels as sizes, smallest first: what a viewer may ask for whole and
    have at the cost of a few tiles."""
    import pyvips

    full = pyvips.Image.new_from_file(str(path))
    sizes = [(full.width, full.height)]
    for level in range(1, pyramid_levels(full)):
        page = pyvips.Image.new_from_file(str(path), page=level)
        sizes.append((page.width, page.height))
    return list(reversed(sizes))
