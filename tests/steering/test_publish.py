"""The public jaarplanbrief and annual-report chapter: PDF through Typst, HTML escaped.

The main assertions need only the project's own dependencies. Text extraction from the
PDF uses ``pdftotext`` (poppler-utils) when it is installed and is skipped otherwise.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from baken.core import charts
from baken.steering.publish import (
    LETTER_SECTIONS,
    AnnualReportChapter,
    BudgetLine,
    Figure,
    PublicLetter,
    format_mln,
    render_html,
    render_pdf,
)

HOSTILE = (
    '#import "@preview/cetz:0.3.0": * #read("/etc/passwd") $x^2$ *vet* _schuin_ '
    '<label> @ref ] [ \\ #eval("1+1") {code} `raw` = kop & "q" \'q\' </p><script>x</script>'
)
PDFTOTEXT = shutil.which("pdftotext")
PDFTOPPM = shutil.which("pdftoppm")


def sample_letter() -> PublicLetter:
    """The AIVD's jaarplanbrief 2026, written from the public facts in DOMAIN.md."""
    return PublicLetter(
        service="AIVD",
        year=2026,
        title="Jaarplan AIVD 2026",
        date=dt.date(2025, 12, 15),
        reference="2025-0000123456",
        sender_address=("Postbus 20010", "2500 EA Den Haag"),
        addressee=(
            "Aan de Voorzitter van de Tweede Kamer\nder Staten-Generaal\n"
            "Postbus 20018\n2500 EA  DEN HAAG"
        ),
        signatory=(
            "De Minister van Binnenlandse Zaken en Koninkrijksrelaties,",
            "",
            "[naam]",
        ),
        inleiding=(
            "Hierbij informeer ik uw Kamer over de hoofdlijnen van het jaarplan 2026 van de "
            "Algemene Inlichtingen- en Veiligheidsdienst (AIVD). Het jaarplan zelf is "
            "gerubriceerd als Stg. Geheim en is aan de Commissie voor de Inlichtingen- en "
            "Veiligheidsdiensten (CIVD) van uw Kamer gezonden.\n\n"
            "In deze brief schets ik de onderwerpen waarop de AIVD zich in 2026 richt, de "
            "veiligheidsbevorderende taken, de randvoorwaarden en de begroting."
        ),
        geintegreerde_aanwijzing=(
            "De Geïntegreerde Aanwijzing Inlichtingen en Veiligheid (GA I&V) bepaalt, op grond "
            "van artikel 6, eerste lid, van de Wet op de inlichtingen- en veiligheidsdiensten "
            "2017, de onderzoeksopdrachten van de AIVD en de MIVD. De Minister-President stelt "
            "haar vast met de ministers van Binnenlandse Zaken en Koninkrijksrelaties en van "
            "Defensie, na overleg met de ministers van Justitie en Veiligheid en van "
            "Buitenlandse Zaken.\n\n"
            "De GA I&V 2023–2026 is voor 2026 geactualiseerd. In 2026 wordt de GA I&V "
            "2027–2030 opgesteld. De inhoud is geheim; het besluit wordt in de Staatscourant "
            "bekendgemaakt."
        ),
        prioriteiten_inleiding=(
            "De dienst maakt scherpe keuzes. Hieronder staan de thema's waarop de AIVD in 2026 "
            "de meeste capaciteit inzet."
        ),
        prioriteiten=(
            (
                "Rusland",
                "Rusland blijft een ernstige dreiging voor de nationale veiligheid, onder meer "
                "door spionage, sabotagevoorbereiding en beïnvloeding.",
            ),
            (
                "China",
                "China zet heimelijke middelen in om kennis en technologie te verwerven en om "
                "politieke besluitvorming te beïnvloeden.",
            ),
            (
                "Extremisme en terrorisme",
                "De dreiging komt van jihadisme, met ISIS als belangrijkste organisatie, van "
                "rechts-extremisme en van anti-institutioneel extremisme.\n\n"
                "- Minderjarigen die online radicaliseren\n"
                "- Aanslagplanning door eenlingen",
            ),
            (
                "Cyber",
                "De AIVD verstoort en ontmaskert statelijke cyberoperaties en informeert "
                "slachtoffers.",
            ),
            (
                "Criminele netwerken",
                "Criminele netwerken die de nationale veiligheid bedreigen: geweld tegen "
                "belangendragers van de democratische rechtsorde en infiltratie van overheid, "
                "bedrijfsleven en vitale infrastructuur.",
            ),
        ),
        veiligheidsbevordering=(
            "Naast de onderzoekstaken voert de AIVD taken uit die de veiligheid bevorderen: "
            "veiligheidsonderzoeken voor vertrouwensfuncties, elektronische "
            "veiligheidsonderzoeken, industrieveiligheid via het NBIV, het vergroten van de "
            "weerbaarheid en dreigingsproducten voor het Stelsel Bewaken en Beveiligen.\n\n"
            "De AIVD verwacht in 2026 een sterke stijging van het aantal "
            "veiligheidsonderzoeken, onder meer door de gewijzigde Wet veiligheidsonderzoeken."
        ),
        streefcijfers=(
            ("Veiligheidsonderzoeken binnen de wettelijke termijn van acht weken", "90%"),
            ("Elektronische veiligheidsonderzoeken", "op aanvraag"),
            ("Dreigingsproducten Stelsel Bewaken en Beveiligen", "op aanvraag"),
        ),
        randvoorwaarden=(
            "De Tijdelijke wet (Stb. 2024, 88) is op 1 juli 2024 in werking getreden. De AIVD "
            "past haar gefaseerd toe.\n\n"
            "De groei van de dienst vraagt om personeel en huisvesting."
        ),
        begroting=(
            "De begroting van de AIVD bedraagt in 2026 € 544 miljoen. Daarin zijn extra "
            "middelen opgenomen die in latere jaren oplopen tot € 74 miljoen."
        ),
        begrotingsregels=(
            BudgetLine("Begroting AIVD 2026", Decimal(544), total=True),
            BudgetLine("waarvan extra middelen", Decimal(29), detail=True),
            BudgetLine(
                "waarvan structureel voor het Stelsel Bewaken en Beveiligen",
                Decimal(7),
                detail=True,
            ),
            BudgetLine(
                "waarvan korting door onvolledige loon- en prijsbijstelling",
                Decimal("-3.4"),
                detail=True,
            ),
        ),
        verantwoording=(
            "De Commissie van Toezicht op de Inlichtingen- en Veiligheidsdiensten (CTIVD) "
            "houdt toezicht op de rechtmatigheid. De Toetsingscommissie Inzet Bevoegdheden "
            "(TIB) toetst vooraf de rechtmatigheid van de toestemming voor bijzondere "
            "bevoegdheden.\n\n"
            "De CIVD ontvangt het gerubriceerde jaarplan en de voortgangsrapportages. In "
            "april verschijnt het openbare jaarverslag."
        ),
        charts=(
            Figure(
                "Begroting AIVD 2026 (€ mln)",
                charts.bar_chart(
                    [("Extra middelen", 29), ("Bewaken en Beveiligen", 7), ("Korting LPO", 3.4)],
                    title="Begroting AIVD 2026",
                    unit="mln",
                    show_title=False,
                ),
                "begroting",
            ),
        ),
    )


def sample_chapter() -> AnnualReportChapter:
    return AnnualReportChapter(
        title="Veiligheidsonderzoeken",
        year=2025,
        service="AIVD",
        sections=(
            ("Aantallen", "De UVO nam besluiten over veiligheidsonderzoeken."),
            ("Bezwaar en beroep", "Tegen een weigering staat bezwaar en beroep open."),
        ),
        charts=(
            Figure(
                "Besluiten per kwartaal",
                charts.line_chart(["Q1", "Q2"], [("Besluiten", [10.0, 12.0])], title="Besluiten"),
                "Aantallen",
            ),
        ),
    )


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    if PDFTOTEXT is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: cannot read the PDF's text")
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(
        [PDFTOTEXT, "-layout", str(path), "-"], capture_output=True, check=True, text=True
    )
    return result.stdout


def page_count(pdf: bytes) -> int:
    # Each page object is "/Type /Page" (not "/Pages"); enough for our own PDFs.
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def letter_pdf() -> bytes:
    return render_pdf(sample_letter())


def test_letter_pdf_has_the_letter_layout(letter_pdf: bytes, tmp_path: Path) -> None:
    assert letter_pdf.startswith(b"%PDF")
    assert page_count(letter_pdf) >= 2
    text = squash(pdf_text(letter_pdf, tmp_path))
    for expected in (
        "Algemene Inlichtingen- en Veiligheidsdienst",
        "Datum",
        "15 december 2025",
        "Betreft",
        "Jaarplan AIVD 2026",
        "Aan de Voorzitter van de Tweede Kamer",
        "Dit document is openbaar.",
        "Pagina 1 van",
        "€ mln",
        "544",
        "−3,4",
        "De Minister van Binnenlandse Zaken en Koninkrijksrelaties,",
        "Figuur 1",
    ):
        assert expected in text, expected


def test_letter_sections_come_numbered_and_in_order(letter_pdf: bytes, tmp_path: Path) -> None:
    text = squash(pdf_text(letter_pdf, tmp_path))
    positions = [text.find(f"{n} {heading}") for n, (_, heading) in enumerate(LETTER_SECTIONS, 1)]
    assert -1 not in positions, positions
    assert positions == sorted(positions)
    assert text.find("3.1 Rusland") < text.find("3.2 China") < text.find("4 Veiligheids")


def test_html_has_the_same_sections_in_order() -> None:
    html = render_html(sample_letter())
    headings = re.findall(r'<h3><span class="nummer">(\d+)</span> ([^<]+)</h3>', html)
    assert headings == [
        (str(n), heading.replace("&", "&amp;")) for n, (_, heading) in enumerate(LETTER_SECTIONS, 1)
    ]
    assert '<span class="nummer">3.2</span> China' in html
    assert "<dt>Datum</dt><dd>15 december 2025</dd>" in html
    assert "<td>−3,4</td>" in html
    assert "Dit document is openbaar." in html
    assert "<svg" in html
    assert "Figuur 1: Begroting AIVD 2026 (€ mln)" in html


def test_html_has_no_inline_style_or_script() -> None:
    html = render_html(replace(sample_letter(), title=HOSTILE, inleiding=HOSTILE))
    assert "style=" not in html
    assert "<style" not in html
    assert "<script" not in html
    assert " on" not in re.sub(r">[^<]*<", "><", html)  # no event-handler attributes


def test_html_escapes_hostile_text() -> None:
    letter = replace(
        sample_letter(), title=HOSTILE, prioriteiten=((HOSTILE, HOSTILE),), reference=HOSTILE
    )
    html = render_html(letter)
    assert HOSTILE not in html
    assert "&lt;/p&gt;&lt;script&gt;x&lt;/script&gt;" in html
    assert "&amp; &quot;q&quot; &#x27;q&#x27;" in html
    # The fragment is well-formed once the HTML-only <br> is closed: nothing broke out.
    ET.fromstring(html.replace("<br>", "<br/>"))  # noqa: S314 - our own output


def test_hostile_text_is_literal_in_the_pdf(tmp_path: Path) -> None:
    letter = replace(
        sample_letter(),
        title=HOSTILE,
        inleiding=HOSTILE,
        prioriteiten=((HOSTILE, HOSTILE),),
        signatory=(HOSTILE,),
        addressee=HOSTILE,
        begrotingsregels=(BudgetLine(HOSTILE, 1),),
        charts=(Figure(HOSTILE, charts.bar_chart([(HOSTILE, 1)], title=HOSTILE)),),
    )
    pdf = render_pdf(letter)
    assert pdf.startswith(b"%PDF")
    text = squash(pdf_text(pdf, tmp_path))
    assert "root:x:0:0" not in text
    # Each literal piece survives, markup characters included.
    for piece in ('#read("/etc/passwd")', "$x^2$", "*vet*", "_schuin_", "<label>", "@ref ] [ \\"):
        assert piece in text, piece
    assert text.count('#read("/etc/passwd")') >= 5


def test_read_cannot_reach_the_file_system(tmp_path: Path) -> None:
    secret = tmp_path / "geheim.txt"
    secret.write_text("STG-GEHEIM-INHOUD")
    payload = f'#read("{secret}") #read("../geheim.txt") #include "{secret}"'
    pdf = render_pdf(replace(sample_letter(), inleiding=payload, title=payload))
    assert b"STG-GEHEIM-INHOUD" not in pdf
    text = pdf_text(pdf, tmp_path)
    assert "STG-GEHEIM-INHOUD" not in text
    # A long path may be wrapped at a slash: compare without white space.
    assert f'#read("{secret}")' in re.sub(r"\s+", "", text)


def test_control_characters_are_dropped() -> None:
    letter = replace(sample_letter(), title="Jaar\x00plan\x1b 2026")
    assert "<h2>Jaarplan 2026</h2>" in render_html(letter)
    assert render_pdf(letter).startswith(b"%PDF")


def test_two_renders_have_the_same_pages() -> None:
    first, second = render_pdf(sample_letter()), render_pdf(sample_letter())
    assert page_count(first) == page_count(second)
    assert first == second  # fixed timestamp and embedded fonts: byte for byte the same


def test_empty_sections_are_left_out_and_numbering_closes_up() -> None:
    letter = replace(sample_letter(), geintegreerde_aanwijzing="", randvoorwaarden="")
    html = render_html(letter)
    assert "Geïntegreerde Aanwijzing Inlichtingen" not in html
    assert '<span class="nummer">2</span> Prioriteiten per thema' in html


def test_bullets_become_a_list() -> None:
    html = render_html(sample_letter())
    assert "<ul><li>Minderjarigen die online radicaliseren</li>" in html


def test_figures_without_a_section_go_to_the_appendix() -> None:
    svg = charts.bar_chart([("a", 1)], title="t")
    letter = replace(sample_letter(), charts=(("Los", svg),))
    html = render_html(letter)
    assert html.index("Bijlage: figuren") < html.index("Figuur 1: Los")
    assert render_pdf(letter).startswith(b"%PDF")


def test_unknown_figure_section_is_refused() -> None:
    svg = charts.bar_chart([("a", 1)], title="t")
    with pytest.raises(ValueError, match="no section"):
        render_html(replace(sample_letter(), charts=(Figure("x", svg, "bestaat-niet"),)))


def test_unsafe_svg_is_refused() -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    with pytest.raises(ValueError, match="script"):
        render_pdf(replace(sample_letter(), charts=(("x", svg),)))


def test_letter_validates_service() -> None:
    with pytest.raises(ValueError, match="unknown service"):
        replace(sample_letter(), service="NCTV")


def test_mivd_letter_names_defence() -> None:
    html = render_html(replace(sample_letter(), service="MIVD"))
    assert "Militaire Inlichtingen- en Veiligheidsdienst" in html
    assert "Ministerie van Defensie" in html


@pytest.mark.parametrize(
    ("amount", "text"),
    [(Decimal(544), "544"), (Decimal("-3.4"), "−3,4"), (1250.5, "1.250,5"), (0, "0")],
)
def test_format_mln(amount: Decimal | float, text: str) -> None:
    assert format_mln(amount) == text


def test_chapter_pdf_and_html(tmp_path: Path) -> None:
    chapter = sample_chapter()
    pdf = render_pdf(chapter)
    assert pdf.startswith(b"%PDF")
    html = render_html(chapter)
    assert html.index("1</span> Aantallen") < html.index("Figuur 1") < html.index("2</span> Bez")
    assert "Jaarverslag AIVD 2025" in html
    text = squash(pdf_text(pdf, tmp_path))
    assert "1 Aantallen" in text
    assert "2 Bezwaar en beroep" in text
    assert "Dit document is openbaar." in text


def test_chapter_escapes_hostile_text(tmp_path: Path) -> None:
    chapter = AnnualReportChapter(title=HOSTILE, year=2025, sections=((HOSTILE, HOSTILE),))
    assert "<script>" not in render_html(chapter)
    text = squash(pdf_text(render_pdf(chapter), tmp_path))
    assert '#read("/etc/passwd")' in text


@pytest.mark.skipif(PDFTOPPM is None, reason="pdftoppm (poppler-utils) is not installed")
def test_first_page_renders_to_an_image(letter_pdf: bytes, tmp_path: Path) -> None:
    source = tmp_path / "brief.pdf"
    source.write_bytes(letter_pdf)
    subprocess.run(
        [str(PDFTOPPM), "-png", "-r", "40", "-f", "1", "-l", "1", str(source), str(tmp_path / "p")],
        check=True,
    )
    [png] = tmp_path.glob("p*.png")
    assert png.read_bytes().startswith(b"\x89PNG")
