"""Sample files for the extraction tests, generated in code (no binary fixtures).

PDFs with a text layer are written by hand (a catalog, a font and content streams);
scans are rendered with typst, so OCR sees real glyphs.
"""

from __future__ import annotations

import io
import zipfile
from email.message import EmailMessage
from pathlib import Path

import docx
import openpyxl  # type: ignore[import-untyped]
import typst
from pypdf import PdfReader, PdfWriter

MB = 1024 * 1024

DUTCH = (
    "De gemeente Amsterdam heeft het jaarverslag over de subsidieregeling gepubliceerd. "
    "Volgens de wethouder zijn de doelen van het programma grotendeels bereikt."
)
ENGLISH = (
    "The ministry published its annual report on the grant scheme on Tuesday. "
    "According to the minister, most of the programme's goals have been met."
)
GERMAN = (
    "Das Ministerium hat am Dienstag seinen Jahresbericht über das Förderprogramm "
    "veröffentlicht. Die meisten Ziele wurden nach Angaben der Ministerin erreicht."
)


def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def text_pdf(pages: list[list[str]], title: str | None = None) -> bytes:
    """A valid PDF whose pages show ``pages`` (lines of text) in Helvetica."""
    objects: list[bytes] = [b"", b"", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                            b"/Encoding /WinAnsiEncoding >>"]  # fmt: skip
    kids: list[int] = []
    for lines in pages:
        ops = [b"BT /F1 12 Tf 16 TL 72 720 Td"]
        ops += [_pdf_string(line) + b" Tj T*" for line in lines]
        ops.append(b"ET")
        stream = b"\n".join(ops)
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        content = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % content
        )
        kids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % kid for kid in kids),
        len(kids),
    )
    info = None
    if title is not None:
        objects.append(b"<< /Title " + _pdf_string(title) + b" >>")
        info = len(objects)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    trailer = b"<< /Size %d /Root 1 0 R" % (len(objects) + 1)
    if info is not None:
        trailer += b" /Info %d 0 R" % info
    out += b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def encrypted_pdf(user_password: str, owner_password: str | None = None) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf([[DUTCH[:60]]]))))
    writer.encrypt(user_password, owner_password, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def text_png(text: str) -> bytes:
    """A PNG of ``text`` in a plain font at 200 ppi: what a scanner would produce."""
    source = "#set page(width: 14cm, height: auto, margin: 1cm)\n#set text(size: 14pt)\n" + text
    return bytes(typst.compile(source.encode("utf-8"), format="png", ppi=200.0))


def scanned_pdf(directory: Path, text: str) -> bytes:
    """A PDF whose only page is an image of ``text``: no text layer at all."""
    (directory / "scan.png").write_bytes(text_png(text))
    main = directory / "scan.typ"
    main.write_text(
        '#set page(width: auto, height: auto, margin: 0pt)\n#image("scan.png", width: 14cm)\n',
        encoding="utf-8",
    )
    return bytes(typst.compile(str(main), root=str(directory), format="pdf"))


def docx_bytes(paragraphs: list[str], table: list[list[str]], title: str) -> bytes:
    document = docx.Document()
    document.core_properties.title = title
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    grid = document.add_table(rows=len(table), cols=len(table[0]))
    for row, values in zip(grid.rows, table, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes(sheets: dict[str, list[list[object]]], title: str) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = title
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + b"".join(
        b' <!ENTITY lol%d "%s">\n'
        % (level, (b"&lol%d;" % (level - 1) if level > 1 else b"&lol;") * 10)
        for level in range(1, 10)
    )
    + b']>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
)


def replace_member(archive: bytes, name: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(archive)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, data if info.filename == name else source.read(info))
    return out.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def zip_bomb(megabytes: int = 200) -> bytes:
    """One member of ``megabytes`` zeros, streamed through deflate (about 200 KB out)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        info = zipfile.ZipInfo("zeros.bin")
        info.compress_type = zipfile.ZIP_DEFLATED
        info._compresslevel = 1  # type: ignore[attr-defined]  # fast, and still ~1000:1
        with archive.open(info, "w", force_zip64=True) as member:
            block = bytes(MB)
            for _ in range(megabytes):
                member.write(block)
    return out.getvalue()


def lying_zip() -> bytes:
    """A member whose directory claims 1,000 bytes while its data inflates to 2 MB."""
    data = bytearray(zip_bytes({"small.txt": bytes(2 * MB)}))
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(signature)
        data[at + offset : at + offset + 4] = (1000).to_bytes(4, "little")
    return bytes(data)


def encrypted_zip() -> bytes:
    """A zip whose member says it is encrypted (zipfile cannot write real encryption)."""
    data = bytearray(zip_bytes({"geheim.txt": b"vertrouwelijk"}))
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        data[at + offset] |= 0x1
    return bytes(data)


def nested_zip(levels: int) -> bytes:
    """``levels`` zips, each holding the next; the innermost holds a text file."""
    data = zip_bytes({"leaf.txt": DUTCH.encode()})
    for level in range(levels - 1, 0, -1):
        data = zip_bytes({f"level-{level + 1}.zip": data})
    return data


def eml_bytes() -> bytes:
    message = EmailMessage()
    message["Subject"] = "Jaarverslag subsidieregeling"
    message["From"] = "Jan de Vries <jan@example.nl>"
    message["To"] = "redactie@example.nl"
    message["Date"] = "Tue, 04 Mar 2025 10:00:00 +0100"
    message.set_content(DUTCH)
    message.add_attachment(
        text_pdf([["Bijlage bij het jaarverslag"]]),
        maintype="application",
        subtype="pdf",
        filename="../../Rapport 2024.pdf",
    )
    message.add_attachment("kolom;waarde\nbudget;12\n", subtype="csv", filename="cijfers.csv")
    return message.as_bytes()


def mbox_bytes() -> bytes:
    first = EmailMessage()
    first["Subject"] = "Eerste bericht"
    first["From"] = "a@example.nl"
    first.set_content("Dit is het eerste bericht.")
    second = EmailMessage()
    second["Subject"] = "Second message"
    second["From"] = "b@example.com"
    second.set_content("From here on, this is the second message.")  # mboxo escapes it
    out = bytearray()
    for message in (first, second):
        body = message.as_bytes().replace(b"\nFrom ", b"\n>From ")
        out += b"From sender@example.nl Tue Mar  4 10:00:00 2025\n" + body + b"\n"
    return bytes(out)


HTML = (
    b"<!DOCTYPE html><html><head><title>Nieuws  van de gemeente</title>"
    b"<style>body { color: red }</style><script>var secret = 'niet tonen';</script></head>"
    b"<body><h1>Raadsvergadering</h1><p>De raad vergadert op dinsdag &amp; woensdag.</p>"
    b"<noscript>Zet JavaScript aan</noscript><p>Caf&eacute; de Kroon</p></body></html>"
)
