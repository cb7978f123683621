"""The user guide (docs/guide): one chapter per role in Dutch and English, and every
link and picture in it resolves.

A chapter names its role in a first-line comment ``<!-- role: CODE -->``; the codes are
those of ``core/vocab/roles.yaml``, so a new role without a chapter fails here.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from baken.core.vocab import load

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "guide"
LANGS = ("nl", "en")
FICTIONAL = {"nl": "fictie", "en": "fiction"}  # fictief, fictieve; fictional
ROLE_MARK = re.compile(r"\A<!-- role: ([a-z_]+) -->\n")
# [text](target) and ![alt](target); the text may span lines, the target may not.
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
EXPLICIT_ANCHOR = re.compile(r'<a id="([^"]+)"></a>')
HEADING = re.compile(r"^#{1,6} +(.+?) *$", re.MULTILINE)
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)


def roles() -> dict[str, Any]:
    table = load("roles")["roles"]
    assert isinstance(table, dict)
    return table


def pages() -> list[Path]:
    return sorted(GUIDE.glob("*/*.md"))


def chapters(lang: str) -> dict[str, Path]:
    """Role code → the chapter of that role in ``lang`` (each role once)."""
    found: dict[str, Path] = {}
    for page in sorted((GUIDE / lang).glob("*.md")):
        mark = ROLE_MARK.match(page.read_text("utf-8"))
        if mark is None:
            continue
        role = mark.group(1)
        assert role not in found, f"{lang}: {found[role].name} and {page.name} both cover {role}"
        found[role] = page
    return found


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to '-'."""
    text = re.sub(r"[*_`]", "", heading).strip().lower()
    kept = "".join(c for c in text if c in " -" or unicodedata.category(c)[0] in "LN")
    return kept.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    text = FENCE.sub("", page.read_text("utf-8"))
    return {slug(h) for h in HEADING.findall(text)} | set(EXPLICIT_ANCHOR.findall(text))


def targets(page: Path) -> list[str]:
    return LINK.findall(FENCE.sub("", page.read_text("utf-8")))


@pytest.mark.parametrize("lang", LANGS)
def test_every_role_has_one_chapter_that_names_it(lang: str) -> None:
    table = roles()
    found = chapters(lang)
    assert sorted(found) == sorted(table), f"{lang}: roles without a chapter or unknown roles"
    index = (GUIDE / lang / "README.md").read_text("utf-8")
    for role, page in found.items():
        text = page.read_text("utf-8")
        label = table[role][lang]
        assert label in text, f"{lang}/{page.name} does not name the role {label!r}"
        assert FICTIONAL[lang] in text.lower(), f"{lang}/{page.name} does not say it is fictional"
        assert f"]({page.name})" in index, f"{lang}/README.md does not list {page.name}"


@pytest.mark.parametrize("lang", LANGS)
def test_the_index_says_what_it_needs_to(lang: str) -> None:
    index = (GUIDE / lang / "README.md").read_text("utf-8")
    assert "make run" in index
    assert "http://127.0.0.1:8000" in index
    assert FICTIONAL[lang] in index.lower()


def test_every_chapter_has_its_counterpart_in_the_other_language() -> None:
    nl, en = chapters("nl"), chapters("en")
    for role, page in nl.items():
        assert f"../en/{en[role].name}" in page.read_text("utf-8"), page.name
        assert f"../nl/{page.name}" in en[role].read_text("utf-8"), en[role].name


@pytest.mark.parametrize("page", pages(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_link_and_image_resolves(page: Path) -> None:
    bad: list[str] = []
    for target in targets(page):
        if re.match(r"[a-z]+:", target):  # http(s), mailto: not checked offline
            continue
        path, _, anchor = target.partition("#")
        resolved = (page.parent / path).resolve() if path else page
        if not resolved.is_file():
            bad.append(f"{target}: no such file")
        elif not resolved.is_relative_to(GUIDE):
            bad.append(f"{target}: outside docs/guide")
        elif anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
            bad.append(f"{target}: no such anchor")
        elif target.endswith(".png") and resolved.parent.parent.name != "img":
            bad.append(f"{target}: pictures live in docs/guide/img/<journey>/")
    assert not bad, f"{page.parent.name}/{page.name}: " + "; ".join(bad)


def test_the_link_checker_finds_a_broken_link(tmp_path: Path) -> None:
    """The checks above must be able to fail: a page with a broken link, picture and
    anchor yields all three."""
    page = tmp_path / "page.md"
    page.write_text(
        "# Kop één\n[ok](#kop-één) [gone](missing.md) ![pic](../img/x/01-a.png) [a](#nope)\n",
        "utf-8",
    )
    found = targets(page)
    assert found == ["#kop-één", "missing.md", "../img/x/01-a.png", "#nope"]
    assert anchors(page) == {"kop-één"}
    assert slug("B. Industriële veiligheid (NBIV, ABRO 2026)") == (
        "b-industriële-veiligheid-nbiv-abro-2026"
    )
