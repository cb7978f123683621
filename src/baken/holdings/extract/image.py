"""Images (PNG, JPEG, TIFF): their text is whatever OCR reads in them."""

from __future__ import annotations

import tempfile
from pathlib import Path

from baken.holdings.extract import ocr
from baken.holdings.extract.limits import Limits
from baken.holdings.types import Extracted, Quarantined

SUFFIX = {"image/png": ".png", "image/jpeg": ".jpg", "image/tiff": ".tif"}


def extract_image(data: bytes, mime: str, limits: Limits) -> Extracted:
    result = Extracted(mime=mime)
    languages = ocr.usable_languages(limits.ocr_languages) if limits.ocr else None
    if not limits.ocr:
        result.meta["ocr"] = "disabled"
        return result
    if languages is None or not ocr.ocr_available():
        result.meta["ocr"] = "unavailable"
        return result
    pixels = ocr.image_pixels(data)
    if pixels is not None and pixels > ocr.MAX_PIXELS:
        raise Quarantined("too_large", f"an image of {pixels} pixels")
    with tempfile.TemporaryDirectory(prefix="baken-ocr-") as directory:
        image = Path(directory) / f"image{SUFFIX.get(mime, '')}"
        image.write_bytes(data)
        text = ocr.recognise(image, languages, "image")
    result.text = text[: limits.max_text_chars]
    if len(text) > limits.max_text_chars:
        result.meta["truncated"] = "true"
    result.ocr = True
    result.meta["ocr"] = "used"
    return result
