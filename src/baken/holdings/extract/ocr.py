"""Optical character recognition through the Tesseract and Poppler command-line tools.

Both run as child processes with a timeout, on files in a temporary directory that the
caller owns and removes; nothing here touches the network.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
from functools import cache
from pathlib import Path

from baken.holdings.types import Quarantined

RESOLUTION = 200  # dpi for rendering a scanned page
MAX_RENDER_PX = 8_000  # longest side of a rendered page; a poster-sized page is scaled down
MAX_PIXELS = 200_000_000  # an image claiming more is refused before Tesseract decodes it
RENDER_TIMEOUT = 60
OCR_TIMEOUT = 180
LIST_TIMEOUT = 10


def ocr_available() -> bool:
    """True when both Tesseract and pdftoppm (poppler-utils) are installed."""
    return shutil.which("tesseract") is not None and shutil.which("pdftoppm") is not None


@cache
def _installed_languages(tesseract: str) -> frozenset[str]:
    try:
        listing = subprocess.run(  # noqa: S603 - a fixed command, no shell
            [tesseract, "--list-langs"],
            capture_output=True,
            timeout=LIST_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    lines = listing.stdout.decode("utf-8", "replace").splitlines()
    return frozenset(line.strip() for line in lines[1:] if line.strip())


def usable_languages(wanted: str) -> str | None:
    """The requested ``nld+eng``-style languages that are installed, or None for none."""
    tesseract = shutil.which("tesseract")
    installed = _installed_languages(tesseract) if tesseract is not None else frozenset()
    usable = [code for code in wanted.split("+") if code in installed]
    return "+".join(usable) or None


def _environment() -> dict[str, str]:
    # Tesseract's OpenMP threads fight with parallel workers; one page, one thread.
    return {**os.environ, "OMP_THREAD_LIMIT": "1"}


def recognise(image: Path, languages: str, what: str) -> str:
    """Tesseract's text for an image file; ``ocr_failed`` when it fails or takes too long."""
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        raise Quarantined("ocr_failed", "tesseract is not installed")
    try:
        done = subprocess.run(  # noqa: S603 - arguments are ours, no shell
            [tesseract, str(image), "stdout", "-l", languages],
            capture_output=True,
            timeout=OCR_TIMEOUT,
            check=False,
            env=_environment(),
        )
    except subprocess.TimeoutExpired as exc:
        raise Quarantined("ocr_failed", f"{what}: tesseract timed out") from exc
    except OSError as exc:
        raise Quarantined("ocr_failed", f"{what}: {exc}") from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
        raise Quarantined("ocr_failed", f"{what}: tesseract exit {done.returncode} {message}")
    return done.stdout.decode("utf-8", "replace").strip()


def render_page(pdf: Path, page: int, out_dir: Path, longest_side_px: float) -> Path:
    """Render one page (1-based) of ``pdf`` to a PNG with pdftoppm."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise Quarantined("ocr_failed", "pdftoppm is not installed")
    prefix = out_dir / f"page-{page}"
    scale = ["-r", str(RESOLUTION)]
    if longest_side_px > MAX_RENDER_PX:
        scale = ["-scale-to", str(MAX_RENDER_PX)]
    command = [pdftoppm, *scale, "-f", str(page), "-l", str(page), "-png", "-singlefile"]
    try:
        done = subprocess.run(  # noqa: S603 - arguments are ours, no shell
            [*command, str(pdf), str(prefix)],
            capture_output=True,
            timeout=RENDER_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise Quarantined("ocr_failed", f"page {page}: pdftoppm timed out") from exc
    except OSError as exc:
        raise Quarantined("ocr_failed", f"page {page}: {exc}") from exc
    image = prefix.with_name(prefix.name + ".png")
    if done.returncode != 0 or not image.is_file():
        raise Quarantined("ocr_failed", f"page {page}: pdftoppm exit {done.returncode}")
    return image


def image_pixels(data: bytes) -> int | None:
    """Width times height from a PNG or JPEG header, without decoding the image."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24 and data[12:16] == b"IHDR":
        width, height = struct.unpack(">II", data[16:24])
        return int(width) * int(height)
    if data.startswith(b"\xff\xd8"):
        return _jpeg_pixels(data)
    return None


SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def _jpeg_pixels(data: bytes) -> int | None:
    position = 2
    while position + 9 <= len(data):
        if data[position] != 0xFF:
            return None
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        if marker in SOF_MARKERS:
            height, width = struct.unpack(">HH", data[position + 5 : position + 9])
            return int(width) * int(height)
        position += 2 + int(length)
    return None
