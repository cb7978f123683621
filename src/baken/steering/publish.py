"""The public jaarplanbrief and the public annual-report chapter, as PDF and as HTML.

Parliament gets a public letter about each service's jaarplan (the plan itself is Stg.
Geheim and goes to the CIVD), and each April a public annual report. This module lays
out text that is *already public*: the dataclasses hold no marking because nothing
marked may reach them — what goes in has been through sanitisation and approval first.

Both outputs come from one document model (``_Document``), so the PDF and the HTML
have the same sections in the same order.

User text is data, never markup. For the PDF the model goes to Typst as one JSON string
in ``sys.inputs``; the templates decode it and place each value as a string, which
Typst shows literally (nothing is evaluated). The compile root is a fresh temporary
directory holding only the templates, figures travel inside the JSON as SVG text, system
fonts are ignored (only the fonts typst embeds are used, the same on every machine), and
no package path is reachable. For the HTML every value is escaped. Figures must be SVG
in the small vocabulary of :mod:`baken.core.charts`; :func:`~baken.core.charts.clean_svg`
refuses anything else and rewrites what it accepts.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from html import escape
from importlib import resources
from pathlib import Path
from typing import Literal, NamedTuple

import typst
from babel.dates import format_date

from baken.core.charts import clean_svg

NOTICE = "Dit document is openbaar."


class ServiceInfo(NamedTuple):
    name: str
    ministry: str


#: The services that publish, with the ministry that sends their letter to parliament.
SERVICES: Mapping[str, ServiceInfo] = {
    "AIVD": ServiceInfo(
        "Algemene Inlichtingen- en Veiligheidsdienst",
        "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties",
    ),
    "MIVD": ServiceInfo("Militaire Inlichtingen- en Veiligheidsdienst", "Ministerie van Defensie"),
}


class Figure(NamedTuple):
    """A chart to embed: a caption and SVG text (from :mod:`baken.core.charts`).

    ``section`` places it at the end of that section: a :class:`PublicLetter` section
    key (see ``LETTER_SECTIONS``) or an :class:`AnnualReportChapter` section heading.
    Without it the figure goes to an appendix at the end. A plain ``(caption, svg)``
    tuple is taken as a figure without a section.
    """

    caption: str
    svg: str
    section: str | None = None


@dataclass(frozen=True, slots=True)
class BudgetLine:
    """One line of the budget table, in EUR million (negative for a reduction).

    ``detail`` indents the line under the one before it ("waarvan …"); ``total`` sets it
    in bold.
    """

    label: str
    amount_mln: Decimal | float
    detail: bool = False
    total: bool = False


#: The sections of a jaarplanbrief in their order: key and heading.
LETTER_SECTIONS: tuple[tuple[str, str], ...] = (
    ("inleiding", "Inleiding"),
    ("geintegreerde_aanwijzing", "De Geïntegreerde Aanwijzing Inlichtingen en Veiligheid"),
    ("prioriteiten", "Prioriteiten per thema"),
    ("veiligheidsbevordering", "Veiligheidsbevorderende taken"),
    ("randvoorwaarden", "Randvoorwaarden"),
    ("begroting", "Begroting"),
    ("verantwoording", "Verantwoording en toezicht"),
)


@dataclass(frozen=True, slots=True)
class PublicLetter:
    """The public jaarplanbrief of one service for one year; all text is public.

    Text fields hold paragraphs separated by a blank line; a paragraph whose lines all
    start with ``- `` or ``• `` becomes a bulleted list. A section without text, items,
    rows or figures is left out and the numbering closes up.
    """

    service: str
    year: int
    title: str
    date: dt.date
    addressee: str  # lines separated by newlines
    signatory: Sequence[str]  # an empty line leaves room for the signature
    inleiding: str
    geintegreerde_aanwijzing: str = ""
    prioriteiten_inleiding: str = ""
    prioriteiten: Sequence[tuple[str, str]] = ()  # (theme, text)
    veiligheidsbevordering: str = ""
    streefcijfers: Sequence[tuple[str, str]] = ()  # (product or task, public target)
    randvoorwaarden: str = ""
    begroting: str = ""
    begrotingsregels: Sequence[BudgetLine] = ()
    verantwoording: str = ""
    charts: Sequence[Figure | tuple[str, str]] = ()
    reference: str = ""
    sender_address: Sequence[str] = ()

    def __post_init__(self) -> None:
        if self.service not in SERVICES:
            raise ValueError(f"unknown service {self.service!r}; known: {', '.join(SERVICES)}")
        if not self.title.strip():
            raise ValueError("a letter needs a title (Betreft)")


@dataclass(frozen=True, slots=True)
class AnnualReportChapter:
    """A public chapter of a service's annual report: numbered sections of public text."""

    title: str
    year: int
    sections: Sequence[tuple[str, str]]  # (heading, text)
    charts: Sequence[Figure | tuple[str, str]] = ()
    service: str | None = None

    def __post_init__(self) -> None:
        if self.service is not None and self.service not in SERVICES:
            raise ValueError(f"unknown service {self.service!r}; known: {', '.join(SERVICES)}")
        if not self.title.strip():
            raise ValueError("a chapter needs a title")


Publication = PublicLetter | AnnualReportChapter


# The document model: what both renderers read. Field names are the templates' keys.


@dataclass(frozen=True, slots=True)
class _Block:
    kind: Literal["p", "ul"]
    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Fig:
    caption: str
    svg: str


@dataclass(frozen=True, slots=True)
class _Row:
    label: str
    value: str
    detail: bool = False
    total: bool = False


@dataclass(frozen=True, slots=True)
class _Table:
    header: tuple[str, str]
    rows: tuple[_Row, ...]


@dataclass(frozen=True, slots=True)
class _Section:
    key: str
    heading: str
    blocks: tuple[_Block, ...] = ()
    table: _Table | None = None
    figures: tuple[_Fig, ...] = ()
    subsections: tuple[_Section, ...] = ()


@dataclass(frozen=True, slots=True)
class _Document:
    kind: Literal["letter", "chapter"]
    title: str
    author: str
    service: str
    service_name: str
    ministry: str
    date: str
    reference: str
    running_head: str
    timestamp: dt.datetime
    addressee: tuple[str, ...] = ()
    sender_address: tuple[str, ...] = ()
    sections: tuple[_Section, ...] = ()
    signatory: tuple[str, ...] = ()
    appendix_figures: tuple[_Fig, ...] = ()
    notice: str = NOTICE


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BULLET = re.compile(r"^[-•]\s+")


def _clean(text: str) -> str:
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))


def _blocks(text: str) -> tuple[_Block, ...]:
    blocks: list[_Block] = []
    for chunk in re.split(r"\n[ \t]*\n", _clean(text).strip()):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        if all(_BULLET.match(line) for line in lines):
            blocks.append(_Block("ul", tuple(_BULLET.sub("", line) for line in lines)))
        else:
            blocks.append(_Block("p", (" ".join(lines),)))
    return tuple(blocks)


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in _clean(text).strip().split("\n"))


def dutch_date(day: dt.date) -> str:
    return format_date(day, "d MMMM y", locale="nl")


def format_mln(amount: Decimal | float) -> str:
    """EUR million in Dutch notation: ``544``, ``3,4``, ``−3,4``, ``1.250,5``."""
    value = Decimal(str(amount)).quantize(Decimal("0.1"))
    text = f"{abs(value):,.1f}".removesuffix(".0")
    text = text.translate(str.maketrans(",.", ".,"))
    return ("−" if value < 0 else "") + text


def _figures(
    charts: Sequence[Figure | tuple[str, str]], keys: Sequence[str]
) -> tuple[dict[str, list[_Fig]], list[_Fig]]:
    placed: dict[str, list[_Fig]] = {key: [] for key in keys}
    appendix: list[_Fig] = []
    for chart in charts:
        figure = chart if isinstance(chart, Figure) else Figure(*chart)
        fig = _Fig(_clean(figure.caption), clean_svg(figure.svg))
        if figure.section is None:
            appendix.append(fig)
        elif figure.section in placed:
            placed[figure.section].append(fig)
        else:
            raise ValueError(f"figure {figure.caption!r}: no section {figure.section!r}")
    return placed, appendix


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _letter_model(letter: PublicLetter) -> _Document:
    info = SERVICES[letter.service]
    placed, appendix = _figures(letter.charts, [key for key, _ in LETTER_SECTIONS])
    texts = {
        "inleiding": letter.inleiding,
        "geintegreerde_aanwijzing": letter.geintegreerde_aanwijzing,
        "prioriteiten": letter.prioriteiten_inleiding,
        "veiligheidsbevordering": letter.veiligheidsbevordering,
        "randvoorwaarden": letter.randvoorwaarden,
        "begroting": letter.begroting,
        "verantwoording": letter.verantwoording,
    }
    sections: list[_Section] = []
    for key, heading in LETTER_SECTIONS:
        table = None
        subsections: tuple[_Section, ...] = ()
        if key == "prioriteiten":
            subsections = tuple(
                _Section(f"thema-{i}", _clean(theme).strip(), _blocks(text))
                for i, (theme, text) in enumerate(letter.prioriteiten, start=1)
            )
        elif key == "veiligheidsbevordering" and letter.streefcijfers:
            rows = tuple(_Row(_clean(k), _clean(v)) for k, v in letter.streefcijfers)
            table = _Table(("Taak of product", "Streefcijfer"), rows)
        elif key == "begroting" and letter.begrotingsregels:
            rows = tuple(
                _Row(_clean(line.label), format_mln(line.amount_mln), line.detail, line.total)
                for line in letter.begrotingsregels
            )
            table = _Table(("Post", "€ mln"), rows)
        section = _Section(
            key, heading, _blocks(texts[key]), table, tuple(placed[key]), subsections
        )
        if section.blocks or section.table or section.figures or section.subsections:
            sections.append(section)
    date = dutch_date(letter.date)
    return _Document(
        kind="letter",
        title=_clean(letter.title).strip(),
        author=info.ministry,
        service=letter.service,
        service_name=info.name,
        ministry=info.ministry,
        date=date,
        reference=_clean(letter.reference).strip(),
        running_head=f"{letter.service} · {date}",
        timestamp=_midnight(letter.date),
        addressee=_lines(letter.addressee),
        sender_address=tuple(_clean(line).strip() for line in letter.sender_address),
        sections=tuple(sections),
        signatory=tuple(_clean(line).strip() for line in letter.signatory),
        appendix_figures=tuple(appendix),
    )


def _chapter_model(chapter: AnnualReportChapter) -> _Document:
    info = SERVICES[chapter.service] if chapter.service else ServiceInfo("", "")
    headings = [_clean(heading).strip() for heading, _ in chapter.sections]
    placed, appendix = _figures(chapter.charts, headings)
    sections = tuple(
        _Section(f"sectie-{i}", heading, _blocks(text), figures=tuple(placed.pop(heading, [])))
        for i, (heading, (_, text)) in enumerate(zip(headings, chapter.sections, strict=True), 1)
    )
    head = " ".join(part for part in ("Jaarverslag", chapter.service, str(chapter.year)) if part)
    return _Document(
        kind="chapter",
        title=_clean(chapter.title).strip(),
        author=info.name or head,
        service=chapter.service or "",
        service_name=info.name,
        ministry=info.ministry,
        date=str(chapter.year),
        reference="",
        running_head=head,
        # Annual reports appear in April of the following year.
        timestamp=dt.datetime(chapter.year + 1, 4, 1, tzinfo=dt.UTC),
        sections=sections,
        appendix_figures=tuple(appendix),
    )


def _model(publication: Publication) -> _Document:
    if isinstance(publication, PublicLetter):
        return _letter_model(publication)
    return _chapter_model(publication)


_TEMPLATES = "baken.steering.typst"
_TEMPLATE_FILES = ("common.typ", "jaarplanbrief.typ", "jaarverslag.typ")


def render_pdf(publication: Publication) -> bytes:
    """Lay out a :class:`PublicLetter` or :class:`AnnualReportChapter` as an A4 PDF."""
    model = _model(publication)
    data = asdict(model)
    data["timestamp"] = model.timestamp.isoformat()
    document = json.dumps(data, ensure_ascii=False, sort_keys=True)
    main = "jaarplanbrief.typ" if model.kind == "letter" else "jaarverslag.typ"
    with tempfile.TemporaryDirectory(prefix="baken-typst-") as tmp:
        root = Path(tmp)
        package = resources.files(_TEMPLATES)
        for name in _TEMPLATE_FILES:
            (root / name).write_bytes(package.joinpath(name).read_bytes())
        # No packages: point both package locations at an empty folder inside the root.
        no_packages = root / "geen-pakketten"
        no_packages.mkdir()
        pdf: bytes = typst.compile(
            str(root / main),
            root=str(root),
            format="pdf",
            ignore_system_fonts=True,
            sys_inputs={"document": document},
            timestamp=model.timestamp,
            package_path=str(no_packages),
            package_cache_path=str(no_packages),
        )
    return pdf


def _html_blocks(blocks: Sequence[_Block]) -> list[str]:
    out: list[str] = []
    for block in blocks:
        if block.kind == "ul":
            items = "".join(f"<li>{escape(item)}</li>" for item in block.items)
            out.append(f"<ul>{items}</ul>")
        else:
            out.append(f"<p>{escape(block.items[0])}</p>")
    return out


@dataclass
class _FigureCounter:
    count: int = field(default=0)

    def html(self, figures: Sequence[_Fig]) -> list[str]:
        out = []
        for fig in figures:
            self.count += 1
            out.append(
                f'<figure class="publicatie-figuur">{fig.svg}'
                f"<figcaption>Figuur {self.count}: {escape(fig.caption)}</figcaption></figure>"
            )
        return out


def _html_table(table: _Table) -> str:
    def row_html(row: _Row) -> str:
        kind = "totaal" if row.total else "detail" if row.detail else "regel"
        return f'<tr class="{kind}"><td>{escape(row.label)}</td><td>{escape(row.value)}</td></tr>'

    rows = "".join(row_html(row) for row in table.rows)
    return (
        f'<table class="publicatie-tabel"><thead><tr><th scope="col">{escape(table.header[0])}'
        f'</th><th scope="col">{escape(table.header[1])}</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def render_html(publication: Publication) -> str:
    """The same publication as an HTML fragment for the web app: escaped, no inline
    styles or scripts, charts inline as cleaned SVG. Headings start at ``<h2>``."""
    model = _model(publication)
    figures = _FigureCounter()
    out = [f'<article class="publicatie publicatie-{model.kind}" lang="nl">', "<header>"]
    if model.kind == "letter":
        out.append(
            f'<p class="publicatie-afzender"><strong>{escape(model.service_name)}</strong><br>'
            f"{escape(model.ministry)}</p>"
        )
        lines = "<br>".join(escape(line) for line in model.addressee)
        out.append(f'<p class="publicatie-geadresseerde">{lines}</p>')
        out.append('<dl class="publicatie-kenmerken">')
        out.append(f"<dt>Datum</dt><dd>{escape(model.date)}</dd>")
        out.append(f"<dt>Betreft</dt><dd>{escape(model.title)}</dd>")
        if model.reference:
            out.append(f"<dt>Onze referentie</dt><dd>{escape(model.reference)}</dd>")
        out.append("</dl>")
    else:
        out.append(f'<p class="publicatie-kop">{escape(model.running_head)}</p>')
    out.append(f"<h2>{escape(model.title)}</h2></header>")
    for number, section in enumerate(model.sections, start=1):
        out.append(f'<section class="publicatie-sectie" id="{model.kind}-{section.key}">')
        out.append(f'<h3><span class="nummer">{number}</span> {escape(section.heading)}</h3>')
        out.extend(_html_blocks(section.blocks))
        if section.table:
            out.append(_html_table(section.table))
        out.extend(figures.html(section.figures))
        for sub_number, sub in enumerate(section.subsections, start=1):
            out.append(
                f'<h4><span class="nummer">{number}.{sub_number}</span> {escape(sub.heading)}</h4>'
            )
            out.extend(_html_blocks(sub.blocks))
        out.append("</section>")
    if model.signatory:
        lines = "<br>".join(escape(line) for line in model.signatory if line)
        out.append(f'<p class="publicatie-ondertekening">{lines}</p>')
    if model.appendix_figures:
        out.append('<section class="publicatie-bijlage"><h3>Bijlage: figuren</h3>')
        out.extend(figures.html(model.appendix_figures))
        out.append("</section>")
    out.append(f'<footer><p class="publicatie-openbaar">{escape(model.notice)}</p></footer>')
    out.append("</article>")
    return "\n".join(out)
