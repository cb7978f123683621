"""Names across scripts: cleaning, Latin renderings, comparison and blocking keys.

A name is compared through its *forms*: Latin, ASCII, lower-case renderings with the
tokens separated by one space (:func:`forms`). A Latin name has one or two (accents
folded, honorifics and legal forms dropped; German umlauts also as ``ue``). A name in
another script has one per common transliteration convention:

* Cyrillic: English/BGN (``yuriy``), popular English (``yury``), Russian passports since
  2013 / ICAO (``iurii``), the ``j`` convention of German and Dutch sources (``jurij``);
* Arabic (and Persian): a romanisation that writes long vowels and common names as
  they are usually spelt (``محمد`` → ``mohammed``); short vowels are not written, so
  the comparison also uses the consonant *skeleton* (:func:`skeleton`: ``mhmt`` for
  ``mohammed``, ``muhammad`` and ``محمد``);
* Chinese: pinyin without tones, surname first and the given name joined
  (``xi jinping``), then the given name split (``xi jin ping``) and Western order
  (``jinping xi``);
* anything else (Greek, Hebrew, Georgian, Hangul, kana, …) by ICU through
  :func:`normality.ascii_text`; Hebrew, like Arabic, is compared by skeleton too.

:func:`similarity` is the best score over pairs of forms, insensitive to token order and
to small typos. :func:`blocking_keys` gives the terms under which screening indexes a
name (see its docstring for their design). :func:`match_columns` gives the columns the
linkage engine compares (splink), all from the same functions:

``name_primary``
    the primary form of the first name (``"xi jinping"``);
``name_sorted``
    its tokens sorted (order-insensitive comparisons: ``"jinping xi"``);
``name_skeleton``
    the skeleton of the primary form (``"ks anpnk"``);
``name_phonetic``
    the sorted phonetic codes of every token of every form (a list);
``name_forms``
    every form of every name (a list, primary forms first).

Input checks raise :class:`NameInputError` and :class:`DateInputError` (both
:class:`~baken.core.errors.DomainError`) with a message id and keyword parameters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from itertools import combinations

import jellyfish
from normality import ascii_text
from pypinyin import lazy_pinyin
from rapidfuzz.distance import Indel, JaroWinkler
from rigour.text.scripts import text_scripts

from baken.core.errors import DomainError
from baken.core.i18n import N_

MAX_NAME_CHARS = 300
MIN_YEAR = 1850
# Scripts that may appear together in one name: Japanese and Korean writing.
SCRIPT_FAMILIES = (
    frozenset({"han", "hiragana", "katakana"}),
    frozenset({"han", "hangul"}),
)
# Scripts that do not write (short) vowels: their names are also compared by skeleton.
ABJADS = frozenset({"arabic", "hebrew", "syriac", "thaana"})


class NameInputError(DomainError):
    """A name that cannot be used: empty, no letters, mixed scripts, too long."""


class DateInputError(DomainError):
    """A date that cannot be read or cannot be a date of birth."""


# -- cleaning -------------------------------------------------------------------------

_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")


def scripts(text: str) -> frozenset[str]:
    """The scripts of the letters (and numbers) of ``text``, lower-case:
    ``latin``, ``cyrillic``, ``arabic``, ``han``, ``greek``, ``hebrew``, …"""
    return frozenset(s.lower() for s in text_scripts(text))


def clean_name(raw: str) -> str:
    """The name in NFC with its whitespace collapsed; raises :class:`NameInputError` for
    an empty name, one without letters, one longer than 300 characters, or one that
    mixes scripts (``Pаvel`` with a Cyrillic ``а`` is a spoof, not a name)."""
    text = " ".join(_INVISIBLE.sub("", unicodedata.normalize("NFC", raw)).split())
    if not text:
        raise NameInputError(N_("The name is empty."))
    if len(text) > MAX_NAME_CHARS:
        raise NameInputError(
            N_("The name is {length} characters long; at most {limit} are allowed."),
            length=len(text),
            limit=MAX_NAME_CHARS,
        )
    if not any(unicodedata.category(c).startswith("L") for c in text):
        raise NameInputError(N_("The name {name} has no letters."), name=text)
    found = scripts(text)
    if len(found) > 1 and not any(found <= family for family in SCRIPT_FAMILIES):
        raise NameInputError(
            N_(
                "The name {name} mixes scripts ({scripts}); a name is written in one "
                "script. Give each spelling as a name of its own."
            ),
            name=text,
            scripts=", ".join(sorted(found)),
        )
    return text


# -- dates ----------------------------------------------------------------------------

_ISO = re.compile(r"^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def parse_date(raw: str) -> str:
    """``raw`` as ISO ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``.

    Reads ISO dates (``-``, ``/`` or ``.``), ``YYYYMMDD``, and day-first dates as written
    in the Netherlands (``31-12-1970``, ``31.12.1970``). Raises :class:`DateInputError`
    for anything else, impossible dates (``2023-02-30``, month 13), years before 1850 and
    dates in the future.
    """
    text = raw.strip()
    match = _ISO.match(text) or _COMPACT.match(text)
    if match:
        year, month, day = match.group(1), match.group(2), match.group(3)
    elif m := _DAY_FIRST.match(text):
        day, month, year = m.group(1), m.group(2), m.group(3)
    else:
        raise DateInputError(
            N_("{value} is not a date; write it as YYYY-MM-DD, YYYY-MM or YYYY."), value=text
        )
    today = datetime.now(UTC).date()
    y = int(year)
    if y < MIN_YEAR or y > today.year:
        raise DateInputError(
            N_("The year of {value} is not between {first} and {last}."),
            value=text,
            first=MIN_YEAR,
            last=today.year,
        )
    if month is None:
        return f"{y:04d}"
    mo = int(month)
    if not 1 <= mo <= 12:
        raise DateInputError(N_("{value} has no month {month}."), value=text, month=mo)
    if day is None:
        if (y, mo) > (today.year, today.month):
            raise DateInputError(N_("{value} is in the future."), value=text)
        return f"{y:04d}-{mo:02d}"
    try:
        when = date(y, mo, int(day))
    except ValueError:
        raise DateInputError(
            N_("{value} does not exist: that month has no day {day}."), value=text, day=int(day)
        ) from None
    if when > today:
        raise DateInputError(N_("{value} is in the future."), value=text)
    return when.isoformat()


# -- transliteration ------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return text.split()


_CYRILLIC_BASE = dict(
    zip(
        "абвгдезиклмнопрстуфыэіґўђјћ",
        _words("a b v g d e z i k l m n o p r s t u f y e i g u dj j c"),
        strict=True,
    )
)
_CYRILLIC_BASE.update({"ъ": "", "ь": "", "љ": "lj", "њ": "nj", "џ": "dz"})
# Per convention: the letters whose rendering differs.
_CYRILLIC = {
    "bgn": {
        "ё": "yo", "ж": "zh", "й": "y", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
        "щ": "shch", "ю": "yu", "я": "ya", "ї": "yi", "є": "ye",
    },
    "icao": {
        "ё": "e", "ж": "zh", "й": "i", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
        "щ": "shch", "ъ": "ie", "ю": "iu", "я": "ia", "ї": "i", "є": "ie",
    },
    "j": {
        "ё": "jo", "ж": "zh", "й": "j", "х": "ch", "ц": "c", "ч": "ch", "ш": "sh",
        "щ": "shch", "ю": "ju", "я": "ja", "ї": "ji", "є": "je",
    },
}  # fmt: skip
# Popular English: BGN with -ий/-ый as -y (Yury, Dmitry) and кс as x (Alexander).
_POPULAR_ENDINGS = (("iy", "y"), ("yy", "y"))

_ARABIC = {
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ٱ": "a", "ب": "b", "ت": "t", "ث": "th",
    "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh", "ر": "r", "ز": "z", "س": "s",
    "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "ع": "", "غ": "gh", "ف": "f",
    "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "ة": "a", "ى": "a",
    "ء": "", "ؤ": "", "ئ": "", "پ": "p", "چ": "ch", "ژ": "zh", "گ": "g", "ک": "k",
    "ی": "y", "\u064e": "a", "\u064f": "u", "\u0650": "i",
}  # fmt: skip
_ARABIC_SILENT = frozenset("\u064b\u064c\u064d\u0652\u0640\u0670")  # tanwin, sukun, tatweel
_SHADDA = "\u0651"
# Common names as they are usually spelt in Latin sources (unvocalised keys).
_ARABIC_NAMES = {
    "محمد": "mohammed", "احمد": "ahmed", "محمود": "mahmoud", "مصطفى": "mustafa",
    "علي": "ali", "عمر": "omar", "عثمان": "othman", "حسن": "hassan", "حسين": "hussein",
    "خالد": "khalid", "يوسف": "yusuf", "ابراهيم": "ibrahim", "عبد": "abd",
    "عبدالله": "abdullah", "الله": "allah", "عبدالرحمن": "abdulrahman",
    "عبدالعزيز": "abdulaziz", "سلمان": "salman", "فيصل": "faisal", "فاطمة": "fatima",
    "عائشة": "aisha", "مريم": "maryam", "زينب": "zainab", "سعيد": "saeed", "سعد": "saad",
    "صالح": "saleh", "ناصر": "nasser", "جمال": "jamal", "كمال": "kamal", "طارق": "tariq",
    "زياد": "ziad", "حمد": "hamad", "راشد": "rashid", "خليفة": "khalifa", "بشار": "bashar",
    "الاسد": "al assad", "اسامة": "osama", "لادن": "laden", "بن": "bin", "ابن": "ibn",
    "ابو": "abu", "نور": "nour", "ياسين": "yasin", "اسماعيل": "ismail", "موسى": "musa",
    "عيسى": "issa", "هادي": "hadi", "قاسم": "qasim", "سليمان": "suleiman",
    "منصور": "mansour", "زايد": "zayed", "حمدان": "hamdan", "مكتوم": "maktoum",
    "نهيان": "nahyan", "سعود": "saud", "تميم": "tamim", "ثاني": "thani", "عباس": "abbas",
    "رضا": "reza", "جعفر": "jafar", "كريم": "karim", "حيدر": "haidar", "بكر": "bakr",
    "عائلة": "aila", "امين": "amin", "رحمن": "rahman", "عزيز": "aziz", "ليلى": "layla",
}  # fmt: skip
_HAMZA_ALEF = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا"})

# Two-character Chinese surnames (the rest are one character).
_HAN_DOUBLE_SURNAMES = frozenset(
    _words("欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕")
    + _words("令狐 端木 西门 南宫")
)

_FOLD = str.maketrans(
    {"ß": "ss", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "œ": "oe", "Œ": "oe", "ł": "l",
     "Ł": "l", "đ": "d", "Đ": "d", "þ": "th", "Þ": "th", "ð": "d", "ı": "i", "ĳ": "ij",
     "’": "", "'": "", "ʼ": "", "`": "", "´": ""}
)  # fmt: skip
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "ae", "Ö": "oe", "Ü": "ue"})
_NON_WORD = re.compile(r"[^a-z0-9]+")

# Dropped from every form (unless nothing else is left): honorifics, titles, generation
# suffixes and legal forms.
NOISE = frozenset(
    _words(
        """mr mrs ms miss mx dr prof sir dame lord lady hon rev sheikh shaikh sheik haji hajji
    hadji gen col maj capt lt sgt dhr mevr mw drs ir ing jr sr ii iii
    bv nv vof cv ltd llc lp llp inc gmbh ag sa sarl sas srl spa plc corp co oao ooo zao
    pao jsc ojsc pjsc kg bvba"""
    )
)
# Kept in the forms but weighed lightly and left out of blocking keys.
PARTICLES = frozenset(
    _words(
        """al el ul bin ibn bn ben bint binti van von der den de la le di da du del della dos
    das ter ten op zu"""
    )
)


def _latin(text: str) -> str:
    text = text.translate(_FOLD)
    if not text.isascii():
        folded = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in folded if not unicodedata.combining(c))
        if not text.isascii():
            text = ascii_text(text)
    return _NON_WORD.sub(" ", text.lower()).strip()


_CYRILLIC_TABLES = {
    convention: str.maketrans({**_CYRILLIC_BASE, **table})
    for convention, table in _CYRILLIC.items()
}


def _cyrillic(text: str, convention: str) -> str:
    return text.lower().translate(_CYRILLIC_TABLES[convention])


def _popular(bgn: str) -> str:
    words = []
    for word in bgn.split():
        for end, repl in _POPULAR_ENDINGS:
            if word.endswith(end) and len(word) > 3:
                word = word[: -len(end)] + repl
        words.append(word.replace("ks", "x") if word.startswith("aleks") else word)
    return " ".join(words)


def _arabic_word(word: str) -> str:
    bare = "".join(c for c in word if c not in _ARABIC_SILENT and c not in "\u064e\u064f\u0650")
    bare = bare.replace(_SHADDA, "")
    known = _ARABIC_NAMES.get(bare.translate(_HAMZA_ALEF))
    if known:
        return known
    if bare.startswith("ال") and len(bare) > 3:
        rest = _ARABIC_NAMES.get(bare[2:].translate(_HAMZA_ALEF))
        return "al " + (rest or _arabic_letters(word[2:]))
    return _arabic_letters(word)


def _arabic_letters(word: str) -> str:
    out: list[str] = []
    for i, c in enumerate(word):
        if c == _SHADDA and out:
            out.append(out[-1][-1])  # doubled consonant
        elif c in ("و", "ي", "ی"):
            # A consonant at the start, a long vowel after a consonant.
            out.append(("w" if c == "و" else "y") if i == 0 else ("u" if c == "و" else "i"))
        elif c == "ع" and i == 0:
            out.append("a")  # Ali, Omar, Abbas: written with a vowel in Latin
        elif c not in _ARABIC_SILENT:
            out.append(_ARABIC.get(c, ""))
    return "".join(out)


def _han(text: str) -> tuple[str, ...]:
    chars = [c for c in text if not c.isspace() and c not in "·・."]
    if not chars:
        return ()
    split = 2 if "".join(chars[:2]) in _HAN_DOUBLE_SURNAMES and len(chars) > 2 else 1
    surname = "".join(lazy_pinyin("".join(chars[:split])))
    given = lazy_pinyin("".join(chars[split:]))
    surname, given = _latin(surname), [_latin(g) for g in given if _latin(g)]
    if not given:
        return (surname,)
    joined = "".join(given)
    return tuple(
        dict.fromkeys(
            [f"{surname} {joined}", f"{surname} {' '.join(given)}", f"{joined} {surname}"]
        )
    )


def _script_of(token: str) -> str:
    found = scripts(token)
    return next(iter(found)) if len(found) == 1 else ("latin" if not found else "mixed")


def _drop_noise(tokens: list[str]) -> list[str]:
    # Dotted initials come apart ("B.V." -> "b v"): a run of one-letter tokens that
    # spells a noise word is that word.
    out: list[str] = []
    run: list[str] = []
    for token in [*tokens, ""]:
        if len(token) == 1:
            run.append(token)
            continue
        if "".join(run) not in NOISE:
            out.extend(run)
        run = []
        if token and token not in NOISE:
            out.append(token)
    return out or tokens


def _form(text: str) -> str:
    return " ".join(_drop_noise(text.split()))


@lru_cache(maxsize=200_000)
def forms(name: str) -> tuple[str, ...]:
    """Latin ASCII lower-case renderings of ``name``, primary first (see the module).

    Lenient: stored names are not checked here (a mixed-script name is rendered word by
    word); a name with nothing to render has no forms.
    """
    text = " ".join(unicodedata.normalize("NFC", name).split())
    found = scripts(text)
    if not found:
        return ()
    if found <= {"latin"}:
        out = [_form(_latin(text))]
        if any(c in text for c in "äöüÄÖÜ"):
            out.append(_form(_latin(text.translate(_UMLAUTS))))
    elif found == {"cyrillic"}:
        bgn = _form(_latin(_cyrillic(text, "bgn")))
        out = [bgn, _popular(bgn)] + [_form(_latin(_cyrillic(text, c))) for c in ("icao", "j")]
    elif found == {"arabic"}:
        words = [_arabic_word(w) for w in re.split(r"[\s\u060c\-]+", text) if w]
        out = [_form(_latin(" ".join(words)))]
    elif found == {"han"}:
        out = [_form(f) for f in _han(text)]
    elif len(found) > 1 and not any(found <= family for family in SCRIPT_FAMILIES):
        # Stored data may mix scripts: render each word by its own script.
        out = [" ".join(f for f in (_first_form(w) for w in text.split()) if f)]
    else:
        out = [_form(_latin(ascii_text(text)))]
    return tuple(f for f in dict.fromkeys(out) if f)


def _first_form(word: str) -> str:
    if _script_of(word) == "mixed":
        return _latin(ascii_text(word))
    rendered = forms(word)
    return rendered[0] if rendered else ""


def primary(name: str) -> str:
    """The primary form of ``name`` ("" when it has none)."""
    rendered = forms(name)
    return rendered[0] if rendered else ""


# -- skeletons and phonetic codes -----------------------------------------------------

# Spellings of one sound, longest first; upper-case marks a rendered class.
_SOUNDS = (
    ("shch", "S"), ("tsch", "C"), ("sch", "S"), ("tch", "C"), ("ch", "C"), ("sh", "S"),
    ("zh", "J"), ("kh", "K"), ("gh", "G"), ("ph", "F"), ("th", "T"), ("dh", "D"),
    ("ts", "Z"), ("tz", "Z"), ("ck", "K"), ("dj", "J"), ("x", "KS"),
)  # fmt: skip
_CLASSES = str.maketrans(
    {"q": "k", "c": "k", "w": "v", "z": "s", "p": "b", "S": "s", "C": "c",
     "J": "j", "K": "k", "G": "g", "F": "f", "T": "t", "D": "d", "Z": "c", "Y": "y"}
)  # fmt: skip
_VOWELS = frozenset("aeiouy")


@lru_cache(maxsize=200_000)
def _skeleton_token(token: str) -> str:
    if not token or token.isdigit():
        return token
    out = token
    for spelling, sound in _SOUNDS:
        out = out.replace(spelling, sound)
    out = out.translate(_CLASSES)
    # An initial vowel (or y/j, which transliterations swap with i) is kept as one mark.
    head = "a" if out[0] in _VOWELS or out[0] == "j" else out[0]
    tail = out[1:-1] if out.endswith("j") else out[1:]  # й at the end: Jurij / Yuriy
    body = [c for c in tail if c not in _VOWELS]
    keep = [head]
    for c in body:
        if c != keep[-1]:
            keep.append(c)
    if len(keep) > 1 and keep[-1] == "d":
        keep[-1] = "t"  # final devoicing: Mohammed / Mehmet
    return "".join(keep)


def skeleton(form: str) -> str:
    """The consonant skeleton of each token of a form, for scripts that write no short
    vowels: ``mohammed``, ``muhammad`` and ``محمد`` (``mhmd``) are all ``mhmt``.

    Spellings of one sound are merged first (``kh``/``ch``, ``q``/``k``/``c``, ``z``/``s``,
    ``w``/``v``), vowels are dropped after the first letter, an initial vowel (or ``y``,
    ``j``) becomes ``a``, doubled letters collapse and a final ``d`` is ``t``.
    """
    return " ".join(_skeleton_token(t) for t in form.split())


_DUTCH = (("sch", "s"), ("ij", "y"), ("ei", "y"), ("oe", "u"), ("dt", "t"), ("ck", "k"))


def _phonetic_token(token: str) -> str:
    for spelling, sound in _DUTCH:
        token = token.replace(spelling, sound)
    return jellyfish.metaphone(token) or token


def phonetic_keys(name: str) -> frozenset[str]:
    """Metaphone codes (after a Dutch simplification: ``ij``, ``sch``, ``oe``, ``dt``)
    of every token of every form, for blocking; particles and digits left out."""
    return frozenset(
        _phonetic_token(t)
        for f in forms(name)
        for t in f.split()
        if t not in PARTICLES and not t.isdigit()
    )


# -- similarity -----------------------------------------------------------------------

# Weight of a token of one name without a counterpart in the other (a middle name or a
# patronymic one source leaves out), relative to a matched token.
UNMATCHED_WEIGHT = 0.15
PARTICLE_WEIGHT = 0.3
# A match found only through skeletons is less certain than one of spelt forms.
SKELETON_FACTOR = 0.93
COMPACT_FACTOR = 0.97


@dataclass(frozen=True, slots=True)
class Prepared:
    """A name ready to compare: its forms as token lists (see :func:`prepare`)."""

    name: str
    forms: tuple[tuple[str, ...], ...]
    skeletons: tuple[tuple[str, ...], ...]
    abjad: bool


def _distinct(token_lists: Iterable[tuple[str, ...]]) -> tuple[tuple[str, ...], ...]:
    """Without lists that hold the same tokens in another order (the alignment pairs
    tokens regardless of order): ``jinping xi`` adds nothing to ``xi jinping``."""
    seen: set[tuple[str, ...]] = set()
    out = []
    for tokens in token_lists:
        key = tuple(sorted(tokens))
        if key not in seen:
            seen.add(key)
            out.append(tokens)
    return tuple(out)


def prepare(name: str, rendered: Sequence[str] | None = None) -> Prepared:
    """``name`` ready for :func:`similarity_prepared`; ``rendered`` are its
    :func:`forms` when they are known already (stored beside the name)."""
    if rendered is None:
        return _prepared(name)
    abjad = bool(scripts(name) & ABJADS)
    token_lists = [tuple(f.split()) for f in rendered]
    return Prepared(
        name=name,
        forms=_distinct(token_lists),
        skeletons=_distinct(tuple(map(_skeleton_token, t)) for t in token_lists) if abjad else (),
        abjad=abjad,
    )


@lru_cache(maxsize=200_000)
def _prepared(name: str) -> Prepared:
    return prepare(name, forms(name))


@lru_cache(maxsize=1 << 18)
def _token_sim(a: str, b: str) -> float:
    if a == b:
        return 1.0
    return (JaroWinkler.normalized_similarity(a, b) + Indel.normalized_similarity(a, b)) / 2


def _weight(token: str) -> float:
    return PARTICLE_WEIGHT * len(token) if token in PARTICLES else float(len(token))


def _aligned(a: Sequence[str], b: Sequence[str]) -> float:
    """Tokens paired best-first regardless of order, weighted by length."""
    if not a or not b:
        return 0.0
    if len(a) == 1 and len(b) == 1:
        return _token_sim(a[0], b[0])
    # Best first; ties broken by the tokens themselves, so that sim(a, b) == sim(b, a).
    pairs = sorted(
        (
            (-_token_sim(x, y), min(x, y), max(x, y), i, j)
            for i, x in enumerate(a)
            for j, y in enumerate(b)
        ),
    )
    used_a: set[int] = set()
    used_b: set[int] = set()
    score = weight = 0.0
    worst = 1.0
    for negative, _, _, i, j in pairs:
        sim = -negative
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        w = max(_weight(a[i]), _weight(b[j]))
        score += sim * w
        weight += w
        if a[i] not in PARTICLES and b[j] not in PARTICLES:
            worst = min(worst, sim)
    rest = [a[i] for i in range(len(a)) if i not in used_a] + [
        b[j] for j in range(len(b)) if j not in used_b
    ]
    weight += UNMATCHED_WEIGHT * sum(_weight(t) for t in rest)
    # One clearly different token (Mohammed bin Salman / Mohammed bin Rashid) weighs more
    # than its length: a shared common first name does not make the same person.
    return score / weight * max(0.3, worst**0.5) if weight else 0.0


def _form_sim(a: Sequence[str], b: Sequence[str]) -> float:
    best = _aligned(a, b)
    if best < 1.0 and len(a) != len(b):
        # "jin ping" / "jinping", "abdul aziz" / "abdulaziz"
        compact = _token_sim("".join(a), "".join(b))
        if len(a) == 2:
            compact = max(compact, _token_sim(a[1] + a[0], "".join(b)))
        if len(b) == 2:
            compact = max(compact, _token_sim("".join(a), b[1] + b[0]))
        best = max(best, compact * COMPACT_FACTOR)
    return best


def similarity(a: str, b: str) -> float:
    """How alike two names are, 0..1: the best over pairs of their forms, with tokens
    paired regardless of order; names in an abjad (Arabic, Hebrew) also by skeleton.
    Symmetric. Names with nothing to compare score 0."""
    return similarity_prepared(_prepared(a), _prepared(b))


def similarity_prepared(pa: Prepared, pb: Prepared) -> float:
    """:func:`similarity` of two prepared names."""
    best = 0.0
    for fa in pa.forms:
        for fb in pb.forms:
            best = max(best, _form_sim(fa, fb))
            if best >= 1.0:
                return 1.0
    if pa.abjad or pb.abjad:
        for sa in pa.skeletons or _skeletons(pa):
            for sb in pb.skeletons or _skeletons(pb):
                best = max(best, _form_sim(sa, sb) * SKELETON_FACTOR)
    return min(1.0, best)


def _skeletons(prepared: Prepared) -> tuple[tuple[str, ...], ...]:
    return _distinct(tuple(skeleton(" ".join(f)).split()) for f in prepared.forms)


def best_pair(left: Iterable[str], right: Iterable[str]) -> tuple[float, str, str]:
    """The most similar pair of names from two lists: (score, left name, right name)."""
    return best_prepared([_prepared(a) for a in left], [_prepared(b) for b in right])


def best_prepared(left: Sequence[Prepared], right: Sequence[Prepared]) -> tuple[float, str, str]:
    """:func:`best_pair` of prepared names."""
    best = (0.0, "", "")
    for a in left:
        for b in right:
            score = similarity_prepared(a, b)
            if score > best[0]:
                best = (score, a.name, b.name)
    return best


# -- blocking -------------------------------------------------------------------------


def _codes(name: str) -> list[tuple[str, ...]]:
    """Per form, the skeleton codes of its significant tokens (no particles, no
    one-letter initials), in order, without repeats."""
    out = []
    for f in forms(name):
        tokens = [t for t in f.split() if t not in PARTICLES and len(t) > 1] or [
            t for t in f.split() if len(t) > 1
        ]
        codes = tuple(dict.fromkeys(_skeleton_token(t) for t in tokens))
        if codes:
            out.append(codes)
    return list(dict.fromkeys(out))


@lru_cache(maxsize=200_000)
def _deletions(code: str) -> frozenset[str]:
    """``code`` with one letter left out (not the first, which typos rarely touch and
    which keeps blocks apart); none for codes of three letters or fewer."""
    if len(code) <= 3:
        return frozenset()
    return frozenset(code[:i] + code[i + 1 :] for i in range(1, len(code)))


def _date_variants(birth_date: str) -> set[str]:
    """A full date and the slips a clerk makes: day and month swapped, the year one
    off, a wrong day (the month alone)."""
    y, _, rest = birth_date.partition("-")
    out = {birth_date}
    if len(birth_date) == 10:
        mo, d = rest.split("-")
        if int(d) <= 12 and d != mo:
            out.add(f"{y}-{d}-{mo}")
        for dy in (-1, 1):
            out.add(f"{int(y) + dy:04d}-{mo}-{d}")
    return out


def blocking_keys(name: str, birth_date: str | None, *, query: bool = False) -> frozenset[str]:
    """Terms under which a name (with its date of birth) is indexed and looked up.

    Every key is built from skeleton codes of single tokens (:func:`skeleton`), taken
    over every form, so transliteration differences and most vowel typos do not matter;
    tokens are combined without order, so swapped names do not matter either:

    * ``p:<code>|<code>`` for each pair of tokens (sorted): the person without a date,
      or with a wrong one. Blocks are one first name with one surname. Also with one
      letter left out of either code (a symmetric deletion neighbourhood), so that a
      typo in one of the names still shares a key.
    * ``d:<code>|<YYYY-MM-DD>`` for each token with the full date of birth: the person
      with a typo in the other names. Blocks are one name born on one day.
    * ``m:<code>|<YYYY-MM>`` the same with the month: a wrong day.
    * ``s:<code>`` for a one-token name (with ``d:``/``m:`` when dated).

    With ``query=True`` the date also stands for its usual slips (day and month swapped,
    the year one off) so that a query finds the indexed date. The index side stores the
    exact date only, so that blocks stay small.
    """
    codes = _codes(name)
    keys: set[str] = set()
    dates: set[str] = set()
    months: set[str] = set()
    if birth_date and len(birth_date) == 10:
        dates = _date_variants(birth_date) if query else {birth_date}
        months = {d[:7] for d in dates}
    elif birth_date and len(birth_date) == 7:
        months = {birth_date}
    for tokens in codes:
        if len(tokens) == 1:
            keys.add(f"s:{tokens[0]}")
        for x, y in combinations(tokens, 2):
            keys.add("p:{}|{}".format(*sorted((x, y))))
            # One letter less in either code: a typo in one name (a letter changed,
            # added, dropped or two swapped) leaves a shared variant on both sides.
            keys.update("p:{}|{}".format(*sorted((v, y))) for v in _deletions(x))
            keys.update("p:{}|{}".format(*sorted((x, v))) for v in _deletions(y))
        for code in tokens:
            keys.update(f"d:{code}|{d}" for d in dates)
            keys.update(f"m:{code}|{m}" for m in months)
    return frozenset(keys)


# -- for the linkage engine -----------------------------------------------------------


def match_columns(names: Sequence[str]) -> dict[str, object]:
    """The name columns the linkage engine compares (see the module docstring)."""
    rendered = [f for n in names for f in forms(n)]
    all_forms = list(dict.fromkeys([*(primary(n) for n in names if primary(n)), *rendered]))
    first = all_forms[0] if all_forms else ""
    return {
        "name_primary": first,
        "name_sorted": " ".join(sorted(first.split())),
        "name_skeleton": skeleton(first),
        "name_phonetic": sorted({k for n in names for k in phonetic_keys(n)}),
        "name_forms": all_forms,
    }


__all__ = [
    "DateInputError",
    "NameInputError",
    "Prepared",
    "best_pair",
    "best_prepared",
    "blocking_keys",
    "clean_name",
    "forms",
    "match_columns",
    "parse_date",
    "phonetic_keys",
    "prepare",
    "primary",
    "scripts",
    "similarity",
    "similarity_prepared",
    "skeleton",
]
