"""Text extraction: every format, every refusal with its exact reason, and no crash on
damaged bytes."""

from __future__ import annotations

import os
import random
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PageObject
from pypdf.errors import DependencyError

import baken.holdings.extract as extract_module
from baken.holdings.extract import (
    Limits,
    detect,
    extract,
    extract_path,
    ocr_available,
)
from baken.holdings.extract.archive import member_name
from baken.holdings.types import Child, Extracted, Quarantined
from tests.holdings import extract_samples as samples

needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None or shutil.which("pdftoppm") is None,
    reason="OCR needs the tesseract and pdftoppm (poppler-utils) programs",
)
NO_OCR = Limits(ocr=False)


def reason_for(data: bytes, name: str, limits: Limits = NO_OCR, depth: int = 0) -> str:
    with pytest.raises(Quarantined) as caught:
        extract(data, name, limits, depth)
    return caught.value.reason


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point tempfile at an empty directory, to check that extraction leaves nothing."""
    directory = tmp_path / "tmp"
    directory.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(directory))
    yield directory
    assert list(directory.iterdir()) == []


# --- detection -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "mime"),
    [
        (samples.text_pdf([["x"]]), "report.txt", "application/pdf"),
        (samples.zip_bytes({"a.txt": b"a"}), "a.docx", "application/zip"),
        (b"plain words", "no-suffix", "text/plain"),
        (b"a;b\n1;2\n", "data.csv", "text/csv"),
        (samples.HTML, "page", "text/html"),
        (samples.eml_bytes(), "message", "message/rfc822"),
        (samples.mbox_bytes(), "inbox", "application/mbox"),
        (b"\x7fELF\x02\x01\x01" + bytes(64), "tool", "application/x-executable"),
        (bytes(range(256)) * 4, "blob", "application/octet-stream"),
        (b"", "empty", "application/octet-stream"),
    ],
)
def test_detect_trusts_magic_before_name(data: bytes, name: str, mime: str) -> None:
    assert detect(data, name) == mime


def test_detect_names_office_files_by_their_parts() -> None:
    document = samples.docx_bytes(["tekst"], [["a"]], "t")
    workbook = samples.xlsx_bytes({"Blad": [["a"]]}, "t")
    assert detect(document, "x.bin").endswith("wordprocessingml.document")
    assert detect(workbook, "x.bin").endswith("spreadsheetml.sheet")


# --- PDF ---------------------------------------------------------------------------------


def test_pdf_text_layer_pages_and_title() -> None:
    data = samples.text_pdf(
        [["Jaarverslag 2024", "Coördinatie van één project"], ["Tweede pagina"]],
        title="Het jaarverslag",
    )
    result = extract(data, "verslag.pdf", NO_OCR)
    assert result.mime == "application/pdf"
    assert result.pages == 2
    assert result.title == "Het jaarverslag"
    assert "Coördinatie van één project" in result.text
    assert result.text.index("Jaarverslag") < result.text.index("Tweede pagina")
    assert not result.ocr


def test_pdf_encrypted_with_a_password_is_quarantined() -> None:
    assert reason_for(samples.encrypted_pdf("secret"), "geheim.pdf") == "encrypted"


def test_pdf_encrypted_with_an_empty_user_password_is_read() -> None:
    result = extract(samples.encrypted_pdf("", owner_password="owner"), "open.pdf", NO_OCR)
    assert "gemeente Amsterdam" in result.text


def test_pdf_we_cannot_decrypt_is_encrypted(monkeypatch: pytest.MonkeyPatch) -> None:
    def needs_cryptography(*args: object, **kwargs: object) -> str:
        raise DependencyError("cryptography>=3.1 is required for AES algorithm")

    monkeypatch.setattr(PageObject, "extract_text", needs_cryptography)
    assert reason_for(samples.text_pdf([["x"]]), "aes.pdf") == "encrypted"


@pytest.mark.parametrize("keep", [0.1, 0.5])
def test_pdf_truncated_is_corrupt(keep: float) -> None:
    data = samples.text_pdf([["Jaarverslag"]])
    assert reason_for(data[: int(len(data) * keep)], "kapot.pdf") == "corrupt"


def test_pdf_scan_without_ocr_yields_no_text_not_an_error(tmp_path: Path) -> None:
    data = samples.scanned_pdf(tmp_path, "Gescande brief")
    result = extract(data, "scan.pdf", NO_OCR)
    assert (result.text, result.ocr, result.pages) == ("", False, 1)
    assert result.meta["ocr"] == "disabled"


def test_pdf_scan_when_ocr_is_unavailable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda *_args, **_kwargs: None)
    assert not ocr_available()
    result = extract(samples.scanned_pdf(tmp_path, "Gescande brief"), "scan.pdf")
    assert (result.text, result.ocr, result.meta["ocr"]) == ("", False, "unavailable")


@needs_tesseract
def test_pdf_scanned_page_is_read_by_ocr(tmp_path: Path, private_tmp: Path) -> None:
    data = samples.scanned_pdf(tmp_path, "De gemeente Amsterdam publiceert het jaarverslag.")
    result = extract(data, "scan.pdf")
    assert result.ocr
    assert result.meta["ocr"] == "used"
    assert "Amsterdam" in result.text
    assert "jaarverslag" in result.text


@needs_tesseract
def test_image_is_read_by_ocr(private_tmp: Path) -> None:
    result = extract(samples.text_png("Ministerie van Justitie en Veiligheid"), "foto.png")
    assert result.mime == "image/png"
    assert result.ocr
    assert "Justitie" in result.text


@needs_tesseract
def test_ocr_failure_is_quarantined() -> None:
    broken_png = samples.text_png("tekst")[:200]  # a header and no picture
    assert reason_for(broken_png, "kapot.png", Limits()) == "ocr_failed"


def test_image_claiming_huge_dimensions_is_refused_before_decoding() -> None:
    header = bytearray(samples.text_png("x")[:64])
    header[16:24] = (100_000).to_bytes(4, "big") * 2  # IHDR width and height
    assert reason_for(bytes(header), "groot.png", Limits()) == "too_large"


# --- Office ------------------------------------------------------------------------------


def test_docx_paragraphs_tables_and_title() -> None:
    data = samples.docx_bytes(
        [samples.DUTCH, "Tweede alinea."],
        [["Post", "Bedrag"], ["Subsidie", "€ 12.000"]],
        title="Verslag",
    )
    result = extract(data, "verslag.docx", NO_OCR)
    assert result.mime.endswith("wordprocessingml.document")
    assert result.title == "Verslag"
    assert samples.DUTCH in result.text
    assert "Subsidie\t€ 12.000" in result.text


def test_xlsx_rows_and_sheet_names() -> None:
    data = samples.xlsx_bytes(
        {"Begroting": [["Post", "Bedrag"], ["Subsidie", 12000]], "Toelichting": [["Zie nota"]]},
        title="Begroting 2025",
    )
    result = extract(data, "begroting.xlsx", NO_OCR)
    assert result.title == "Begroting 2025"
    assert result.meta["sheets"] == '["Begroting", "Toelichting"]'
    assert "Subsidie\t12000" in result.text
    assert "Zie nota" in result.text


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_docx_with_an_xml_bomb_is_refused(encoding: str) -> None:
    document = samples.docx_bytes(["tekst"], [["a"]], "t")
    bomb = samples.BILLION_LAUGHS
    if encoding != "utf-8":
        bomb = bomb.decode().replace('"1.0"', '"1.0" encoding="UTF-16"').encode(encoding)
    data = samples.replace_member(document, "word/document.xml", bomb)
    assert reason_for(data, "bom.docx") == "xml_bomb"


def test_xlsx_with_a_doctype_is_refused() -> None:
    workbook = samples.xlsx_bytes({"Blad": [["a"]]}, "t")
    data = samples.replace_member(workbook, "xl/workbook.xml", samples.BILLION_LAUGHS)
    assert reason_for(data, "bom.xlsx") == "xml_bomb"


def test_password_protected_office_file_is_encrypted() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500) + "EncryptedPackage".encode("utf-16-le")
    assert reason_for(ole, "geheim.docx") == "encrypted"
    assert reason_for(ole.replace(b"E\x00n", b"X\x00n"), "oud.doc") == "unknown_type"


# --- archives ----------------------------------------------------------------------------


def test_zip_members_become_children() -> None:
    data = samples.zip_bytes({"map/": b"", "map/a.txt": b"A", "b\\c.txt": b"C"})
    result = extract(data, "map.zip", NO_OCR)
    assert result.children == [Child("map/a.txt", b"A"), Child("b/c.txt", b"C")]
    assert result.meta["members"] == "2"
    assert result.text == ""


@pytest.mark.parametrize(
    "evil", ["../evil.txt", "a/../../evil.txt", "/etc/passwd", "C:/windows/x", "..\\evil.txt"]
)
def test_zip_with_an_unsafe_member_name_is_refused_whole(evil: str) -> None:
    data = samples.zip_bytes({"good.txt": b"ok", evil: b"pwned"})
    with pytest.raises(Quarantined) as caught:
        extract(data, "evil.zip", NO_OCR)
    assert caught.value.reason == "unsafe_name"
    assert repr(evil) in caught.value.detail


def test_member_names_are_normalised() -> None:
    assert member_name("./a//b/./c.txt") == "a/b/c.txt"
    assert member_name("dir/") is None
    assert member_name("tab\there.txt") == "tab_here.txt"


def test_zip_bomb_is_refused_from_its_directory() -> None:
    data = samples.zip_bomb(200)
    assert len(data) < 2 * samples.MB
    started = time.perf_counter()
    assert reason_for(data, "bom.zip") == "zip_bomb"
    assert time.perf_counter() - started < 1.0  # refused without inflating 200 MB


def test_zip_over_the_total_limit_is_a_bomb() -> None:
    members = {f"{n}.bin": random.Random(n).randbytes(300_000) for n in range(4)}
    data = samples.zip_bytes(members)
    assert reason_for(data, "veel.zip", Limits(ocr=False, max_archive_total=1_000_000)) == (
        "zip_bomb"
    )
    assert len(extract(data, "veel.zip", NO_OCR).children) == 4


def test_zip_whose_headers_lie_is_not_inflated_past_them() -> None:
    assert reason_for(samples.lying_zip(), "leugen.zip") == "corrupt"


def test_containers_with_too_many_members() -> None:
    data = samples.zip_bytes({f"{n}.txt": b"x" for n in range(11)})
    assert reason_for(data, "veel.zip", Limits(ocr=False, max_members=10)) == "too_many"
    few = Limits(ocr=False, max_members=1)
    assert reason_for(samples.mbox_bytes(), "postvak.mbox", few) == "too_many"
    assert reason_for(samples.eml_bytes(), "bericht.eml", few) == "too_many"


def test_zip_with_an_encrypted_member() -> None:
    assert reason_for(samples.encrypted_zip(), "geheim.zip") == "encrypted"


def walk(data: bytes, name: str, limits: Limits, depth: int = 0) -> list[Extracted]:
    """What the ingest pipeline does: extract, then each child one level deeper."""
    result = extract(data, name, limits, depth)
    found = [result]
    for child in result.children:
        found += walk(child.data, child.name, limits, depth + 1)
    return found


def test_nested_zips_past_the_depth_limit_are_too_deep() -> None:
    with pytest.raises(Quarantined) as caught:
        walk(samples.nested_zip(7), "diep.zip", NO_OCR)
    assert caught.value.reason == "too_deep"
    found = walk(samples.nested_zip(6), "diep.zip", NO_OCR)  # depths 0..5, leaf at 6
    assert found[-1].text == samples.DUTCH


def test_corrupt_zip() -> None:
    data = samples.zip_bytes({"a.txt": b"x" * 1000})
    assert reason_for(data[:40] + data[60:], "kapot.zip") == "corrupt"


# --- text --------------------------------------------------------------------------------


def test_utf8_text_with_and_without_bom() -> None:
    assert extract("één".encode(), "a.txt").text == "één"
    result = extract(b"\xef\xbb\xbfkolom;waarde\n", "a.csv")
    assert (result.text, result.mime) == ("kolom;waarde\n", "text/csv")


def test_legacy_western_text_is_decoded_confidently() -> None:
    text = "Café in Zürich: één keer per week overleg over de coördinatie van het project."
    result = extract(text.encode("cp1252"), "oud.txt")
    assert result.text == text
    assert result.meta["encoding"] == "cp1252"


@pytest.mark.parametrize("text", ["Prijs: 5 €", "Notulen van 3 maart: één besluit genomen."])
def test_short_western_text_with_a_few_legacy_bytes(text: str) -> None:
    assert extract(text.encode("cp1252"), "kort.txt").text == text


def test_invalid_utf8_text_has_a_bad_encoding() -> None:
    garbage = bytes([0x80, 0x81, 0xC3, 0x28, 0xA0, 0xA1, 0xE2, 0x28, 0xFF, 0xFE, 0xFD]) * 6
    assert reason_for(garbage, "kapot.txt") == "bad_encoding"


@pytest.mark.parametrize(
    "data", [b"tekst\x00met\x00nullen\xff", b"\x01\x02\x03\x04\x05\x06 abc \x07\x08\x0e\x0f"]
)
def test_binary_named_as_text_is_not_text(data: bytes) -> None:
    assert reason_for(data, "binair.txt") == "unknown_type"


def test_long_text_is_truncated() -> None:
    result = extract(b"abcdefghij" * 10, "lang.txt", Limits(ocr=False, max_text_chars=25))
    assert (result.text, result.meta["truncated"]) == ("abcdefghij" * 2 + "abcde", "true")


def test_html_drops_scripts_and_styles() -> None:
    result = extract(samples.HTML, "pagina.html", NO_OCR)
    assert result.title == "Nieuws van de gemeente"
    assert result.text == (
        "Raadsvergadering\nDe raad vergadert op dinsdag & woensdag.\nCafé de Kroon"
    )


def test_html_honours_its_declared_charset() -> None:
    page = '<html><head><meta charset="windows-1252"></head><body>Coördinatie</body></html>'
    assert extract(page.encode("cp1252"), "p.html").text == "Coördinatie"


# --- mail --------------------------------------------------------------------------------


def test_eml_headers_body_and_attachments() -> None:
    result = extract(samples.eml_bytes(), "bericht.eml", NO_OCR)
    assert result.title == "Jaarverslag subsidieregeling"
    assert result.text.startswith("Subject: Jaarverslag subsidieregeling\nFrom: Jan de Vries")
    assert samples.DUTCH in result.text
    assert [child.name for child in result.children] == ["Rapport 2024.pdf", "cijfers.csv"]
    assert extract(result.children[0].data, result.children[0].name, NO_OCR).pages == 1
    assert result.children[1].data == b"kolom;waarde\nbudget;12\n"


def test_mbox_messages_become_children(private_tmp: Path) -> None:
    result = extract(samples.mbox_bytes(), "postvak.mbox", NO_OCR)
    assert [child.name for child in result.children] == ["message-0001.eml", "message-0002.eml"]
    second = extract(result.children[1].data, result.children[1].name, NO_OCR)
    assert second.title == "Second message"
    assert "this is the second message" in second.text


def test_mail_counts_toward_the_depth_limit() -> None:
    assert reason_for(samples.eml_bytes(), "x.eml", depth=6) == "too_deep"
    assert extract(samples.eml_bytes(), "x.eml", NO_OCR, depth=5).children


# --- size, type and robustness ----------------------------------------------------------


def test_unknown_binary_and_executables() -> None:
    assert reason_for(random.Random(7).randbytes(4096), "blob.bin") == "unknown_type"
    assert reason_for(b"\x7fELF\x02\x01\x01" + bytes(4000), "tool") == "unknown_type"


def test_too_large_bytes() -> None:
    assert reason_for(b"x" * 101, "a.txt", Limits(ocr=False, max_bytes=100)) == "too_large"


def test_sparse_2gb_file_is_refused_without_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "groot.bin"
    path.touch()
    os.truncate(path, 2 * 1024 * 1024 * 1024)

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.setattr(extract_module, "open", no_reading, raising=False)
    with pytest.raises(Quarantined) as caught:
        extract_path(path)
    assert caught.value.reason == "too_large"


def test_extract_path_reads_a_normal_file(tmp_path: Path) -> None:
    path = tmp_path / "notitie.txt"
    path.write_text("Korte notitie", encoding="utf-8")
    assert extract_path(path).text == "Korte notitie"
    assert reason_for_path(tmp_path) == "unknown_type"  # a directory is no file


def reason_for_path(path: Path) -> str:
    with pytest.raises(Quarantined) as caught:
        extract_path(path)
    return caught.value.reason


def _mutants(data: bytes, seed: int, count: int) -> Iterator[bytes]:
    rng = random.Random(seed)
    for _ in range(count):
        mutant = bytearray(data)
        for _ in range(rng.randint(1, 12)):
            mutant[rng.randrange(len(mutant))] = rng.randrange(256)
        if rng.random() < 0.3:
            mutant = mutant[: rng.randrange(1, len(mutant))]
        yield bytes(mutant)


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("a.pdf", lambda: samples.text_pdf([["Jaarverslag", "tekst"]], title="t")),
        ("a.docx", lambda: samples.docx_bytes(["tekst"], [["a", "b"]], "t")),
        ("a.xlsx", lambda: samples.xlsx_bytes({"Blad": [["a", 1]]}, "t")),
        ("a.zip", lambda: samples.zip_bytes({"a.txt": b"tekst" * 50, "b/c.txt": b"c"})),
        ("a.eml", samples.eml_bytes),
        ("a.mbox", samples.mbox_bytes),
        ("a.html", lambda: samples.HTML),
    ],
)
def test_damaged_files_only_ever_quarantine(name: str, make: object) -> None:
    assert callable(make)
    data = make()
    for seed, mutant in enumerate(_mutants(data, seed=len(name) * 31, count=40)):
        try:
            result = extract(mutant, name, NO_OCR)
        except Quarantined:
            continue
        assert isinstance(result, Extracted), seed
