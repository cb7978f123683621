"""Record linkage with splink: which records of different collections are one person,
company, organisation or vessel.

:func:`prepare` turns :class:`Record` values into one Arrow table of comparable columns
(names through :func:`baken.resolve.names.match_columns`, so a name in Cyrillic, Arabic
or Chinese meets its Latin renderings). :func:`link` runs one splink job on a batch
engine: the same code on DuckDB (local) and on a Spark cluster, because splink renders
the SQL in the engine's dialect.

The model
    Records are blocked (candidate pairs) on name keys, dates of birth, identifiers and
    phonetic keys with the year of birth, always within one *schema group* (people with
    people; companies, organisations and legal entities together; vessels with vessels),
    and compared on names, date of birth, nationality, identifiers and address. Without a
    ``model``, :func:`link` trains one: u by random sampling with a fixed seed, m and
    the prior by expectation maximisation on two blocking rules. With a ``model`` (a
    dict that :func:`link` returned before, JSON-able), only its trained parameters are
    read: the comparisons are always rendered afresh for the engine's SQL dialect, so a
    model trained on DuckDB scores alike on Spark.

Only pairs at or above the threshold leave the engine (splink filters inside predict);
all pairwise scores are never materialised. Every pair carries its explanation: the match
weight (log2 Bayes factor) each comparison added, plus the prior, which sum to the pair's
match weight.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
from normality import ascii_text

from baken.core.errors import DomainError
from baken.core.i18n import N_
from baken.engines import BatchEngine, ProgressCallback
from baken.resolve import names as name_forms

SEED = 42
"""Random sampling for u is seeded: the same input trains the same model."""
U_MAX_PAIRS = 100_000
LINK_TYPES = ("link_only", "link_and_dedupe", "dedupe_only")
SCHEMA_GROUPS = {
    "Person": "person",
    "Company": "organisation",
    "Organization": "organisation",
    "LegalEntity": "organisation",
    "PublicBody": "organisation",
    "Vessel": "vessel",
}
MIN_TRAIN_RECORDS = 100
"""Below this many records there is too little to train on: the defaults score."""
# Per comparison, (m, u) of each level below the null level, in order: what scores a
# small input, and where training starts. Set from a model trained on FEBRL4, widened
# for names that are not corrupted as often as FEBRL's; m and u each sum to 1.
DEFAULT_PARAMETERS: dict[str, tuple[tuple[float, float], ...]] = {
    "name": (
        (0.6, 1e-4),  # same name
        (0.05, 1e-5),  # other order
        (0.1, 1e-5),  # another script or transliteration
        (0.1, 1e-4),  # Jaro-Winkler >= 0.95
        (0.03, 1e-4),  # same consonants
        (0.05, 5e-3),  # Jaro-Winkler >= 0.8
        (0.03, 7e-3),  # sounds alike
        (0.04, 0.98768),
    ),
    "birth_date": (
        (0.9, 3e-4),  # same date
        (0.01, 1e-5),  # day and month swapped
        (0.02, 1e-3),  # one digit
        (0.01, 0.01),  # same year
        (0.01, 0.01),  # two digits
        (0.05, 0.97869),
    ),
    "nationality": ((0.95, 0.2), (0.05, 0.8)),
    "identifier": ((0.9, 2e-4), (0.05, 2e-5), (0.05, 0.99978)),
    "address": ((0.5, 2e-5), (0.2, 1e-4), (0.15, 1e-4), (0.15, 0.99978)),
}
DEFAULT_PRIOR = 1e-4
PRIOR = "prior"
"""The name of the contribution that is the prior (the odds before any comparison)."""

INPUT_SCHEMA = pa.schema(
    [
        ("unique_id", pa.string()),
        ("source", pa.string()),
        ("schema", pa.string()),
        ("schema_group", pa.string()),
        ("name_primary", pa.string()),
        ("name_sorted", pa.string()),
        ("name_skeleton", pa.string()),
        ("name_phonetic", pa.list_(pa.string())),
        ("name_forms", pa.list_(pa.string())),
        ("birth_date", pa.string()),
        ("birth_year", pa.string()),
        ("nationalities", pa.list_(pa.string())),
        ("identifiers", pa.list_(pa.string())),
        ("identifier", pa.string()),
        ("address", pa.string()),
    ]
)


class LinkageError(DomainError):
    """Input that cannot be linked (the message says why)."""


@dataclass(frozen=True)
class Record:
    """One entity as one collection knows it: the values linkage compares."""

    entity_id: str
    source: str  # the collection
    schema: str
    names: tuple[str, ...]
    birth_dates: tuple[str, ...] = ()
    nationalities: tuple[str, ...] = ()
    identifiers: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()


@dataclass(frozen=True)
class Contribution:
    """What one comparison said about a pair: its level and the match weight (log2
    Bayes factor) it added. The prior is a contribution named ``prior``."""

    comparison: str
    level: str
    weight: float


@dataclass(frozen=True)
class Pair:
    """Two records that may be the same entity; ``left_id`` < ``right_id``."""

    left_id: str
    right_id: str
    probability: float
    match_weight: float
    contributions: tuple[Contribution, ...]


@dataclass(frozen=True)
class Linked:
    """The pairs at or above the threshold (sorted by ids), the model that scored them
    (JSON-able; pass it back to :func:`link` to score without training) and how many
    candidate pairs were compared."""

    pairs: list[Pair]
    model: dict[str, Any]
    compared: int


# -- preparing records ----------------------------------------------------------------

_NON_ID = re.compile(r"[^0-9A-Z]+")
_SPACES = re.compile(r"\s+")


def prepare(records: Iterable[Record]) -> Any:
    """The comparable columns of ``records``, one row per record (a ``pa.Table`` with
    :data:`INPUT_SCHEMA`). Values that cannot be compared are left out: a name without
    letters, a date that is not one. Empty lists become nulls, so that splink treats
    them as unknown rather than as a disagreement."""
    rows: dict[str, list[Any]] = {field.name: [] for field in INPUT_SCHEMA}
    for record in records:
        usable = [n for n in record.names if _usable_name(n)]
        columns = name_forms.match_columns(usable) if usable else {}
        dates = _dates(record.birth_dates)
        identifiers = sorted({i for i in (_identifier(v) for v in record.identifiers) if i})
        addresses = [a for a in (_address(v) for v in record.addresses) if a]
        rows["unique_id"].append(record.entity_id)
        rows["source"].append(record.source)
        rows["schema"].append(record.schema)
        rows["schema_group"].append(SCHEMA_GROUPS.get(record.schema, record.schema.lower()))
        rows["name_primary"].append(columns.get("name_primary") or None)
        rows["name_sorted"].append(columns.get("name_sorted") or None)
        rows["name_skeleton"].append(columns.get("name_skeleton") or None)
        rows["name_phonetic"].append(columns.get("name_phonetic") or None)
        rows["name_forms"].append(columns.get("name_forms") or None)
        rows["birth_date"].append(dates[0] if dates else None)
        rows["birth_year"].append(dates[0][:4] if dates else None)
        nationalities = sorted({n.strip().lower() for n in record.nationalities if n.strip()})
        rows["nationalities"].append(nationalities or None)
        rows["identifiers"].append(identifiers or None)
        rows["identifier"].append(identifiers[0] if identifiers else None)
        rows["address"].append(addresses[0] if addresses else None)
    return pa.table(rows, schema=INPUT_SCHEMA)


def _usable_name(name: str) -> bool:
    try:
        return bool(name_forms.primary(name_forms.clean_name(name)))
    except DomainError:
        return False


def _dates(values: Sequence[str]) -> list[str]:
    out = []
    for value in values:
        try:
            out.append(name_forms.parse_date(value))
        except DomainError:
            continue
    return out


def _identifier(value: str) -> str:
    return _NON_ID.sub("", value.upper())


def _address(value: str) -> str:
    return _SPACES.sub(" ", ascii_text(value).lower()).strip()


# -- the splink settings --------------------------------------------------------------


def _settings(link_type: str) -> Any:
    """The model without its parameters, as a splink ``SettingsCreator``."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    def null(column: str) -> Any:
        return cll.NullLevel(column)

    names = cl.CustomComparison(
        output_column_name="name",
        comparison_description="names, across scripts",
        comparison_levels=[
            null("name_primary"),
            cll.ExactMatchLevel("name_primary").configure(label_for_charts="same name"),
            cll.ExactMatchLevel("name_sorted").configure(label_for_charts="same name, other order"),
            cll.ArrayIntersectLevel("name_forms", 1).configure(
                label_for_charts="same name in another script or transliteration"
            ),
            cll.JaroWinklerLevel("name_primary", 0.95).configure(
                label_for_charts="name nearly the same (Jaro-Winkler >= 0.95)"
            ),
            cll.ExactMatchLevel("name_skeleton").configure(label_for_charts="same consonants"),
            cll.JaroWinklerLevel("name_primary", 0.8).configure(
                label_for_charts="name similar (Jaro-Winkler >= 0.8)"
            ),
            cll.ArrayIntersectLevel("name_phonetic", 1).configure(
                label_for_charts="one name sounds alike"
            ),
            cll.ElseLevel(),
        ],
    )
    swapped = (
        "substr(birth_date_l, 6, 2) = substr(birth_date_r, 9, 2)"
        " AND substr(birth_date_l, 9, 2) = substr(birth_date_r, 6, 2)"
        " AND substr(birth_date_l, 1, 4) = substr(birth_date_r, 1, 4)"
    )
    birth = cl.CustomComparison(
        output_column_name="birth_date",
        comparison_description="date of birth (incorporation, build)",
        comparison_levels=[
            null("birth_date"),
            cll.ExactMatchLevel("birth_date").configure(label_for_charts="same date"),
            cll.CustomLevel(swapped, label_for_charts="day and month swapped"),
            cll.LevenshteinLevel("birth_date", 1).configure(label_for_charts="one digit differs"),
            cll.ExactMatchLevel("birth_year").configure(label_for_charts="same year"),
            cll.LevenshteinLevel("birth_date", 2).configure(label_for_charts="two digits differ"),
            cll.ElseLevel(),
        ],
    )
    nationality = cl.CustomComparison(
        output_column_name="nationality",
        comparison_description="nationality (jurisdiction, flag)",
        comparison_levels=[
            null("nationalities"),
            cll.ArrayIntersectLevel("nationalities", 1).configure(
                label_for_charts="a nationality in common"
            ),
            cll.ElseLevel(),
        ],
    )
    identifiers = cl.CustomComparison(
        output_column_name="identifier",
        comparison_description="identifiers (passport, registration, IMO numbers)",
        comparison_levels=[
            null("identifiers"),
            cll.ArrayIntersectLevel("identifiers", 1).configure(
                label_for_charts="an identifier in common"
            ),
            cll.DamerauLevenshteinLevel("identifier", 1).configure(
                label_for_charts="identifier with one typo"
            ),
            cll.ElseLevel(),
        ],
    )
    address = cl.CustomComparison(
        output_column_name="address",
        comparison_description="address",
        comparison_levels=[
            null("address"),
            cll.ExactMatchLevel("address").configure(label_for_charts="same address"),
            cll.JaroWinklerLevel("address", 0.95).configure(
                label_for_charts="address nearly the same (Jaro-Winkler >= 0.95)"
            ),
            cll.JaroWinklerLevel("address", 0.85).configure(
                label_for_charts="address similar (Jaro-Winkler >= 0.85)"
            ),
            cll.ElseLevel(),
        ],
    )
    group = "schema_group"
    return SettingsCreator(
        link_type=link_type,  # type: ignore[arg-type]  # checked by _check
        unique_id_column_name="unique_id",
        comparisons=[names, birth, nationality, identifiers, address],
        blocking_rules_to_generate_predictions=[
            block_on(group, "name_sorted"),
            block_on(group, "name_skeleton"),
            block_on(group, "birth_date"),
            block_on(group, "name_forms", arrays_to_explode=["name_forms"]),
            block_on(group, "identifiers", arrays_to_explode=["identifiers"]),
            block_on(group, "birth_year", "name_phonetic", arrays_to_explode=["name_phonetic"]),
        ],
        # gamma (the level) comes only with the compared values; _OUTPUT drops those.
        retain_matching_columns=True,
        retain_intermediate_calculation_columns=True,
        probability_two_random_records_match=DEFAULT_PRIOR,
        em_convergence=0.001,
        max_iterations=25,
    )


def _em_rules() -> list[Any]:
    """EM blocks: the first trains everything but names, the second the names."""
    from splink import block_on

    return [block_on("schema_group", "name_sorted"), block_on("schema_group", "birth_date")]


# -- linking --------------------------------------------------------------------------


def link(
    table: Any,
    *,
    engine: BatchEngine,
    threshold: float = 0.9,
    link_type: str = "link_only",
    model: dict[str, Any] | None = None,
    progress: ProgressCallback | None = None,
) -> Linked:
    """Score the candidate pairs of ``table`` (made by :func:`prepare`) on ``engine``
    and return those with a match probability of at least ``threshold``.

    ``link_type``: ``link_only`` pairs records of different sources only,
    ``link_and_dedupe`` also within a source, ``dedupe_only`` treats all as one source.
    Without a ``model``, fewer than :data:`MIN_TRAIN_RECORDS` records are scored with
    :data:`DEFAULT_PARAMETERS`; more train a model from those defaults. Raises
    :class:`LinkageError` for unusable input or model, and
    :class:`~baken.engines.EngineError` if the engine fails; nothing is returned half-way.
    """
    _check(table, threshold, link_type)
    train = model is None and table.num_rows >= MIN_TRAIN_RECORDS
    steps = 7 if train else 4
    step = 0

    def advance() -> None:
        nonlocal step
        step += 1
        if progress:
            progress(step, steps)

    if progress:
        progress(0, steps)
    from splink import Linker, SettingsCreator

    with _quiet_splink(), engine.linkage_api() as api:
        inputs = _register(api, table, link_type)
        advance()
        settings = _settings(link_type).create_settings_dict(api.sql_dialect.sql_dialect_str)
        if model is not None:
            _set_parameters(settings, model)
        else:
            _set_defaults(settings)
        settings.pop("sql_dialect", None)
        linker = Linker(inputs, SettingsCreator(**settings), log_level=None)
        if train:
            _train(linker, table, advance)
        blocked = linker.inference.compute_blocked_pairs_for_predict()
        compared = int(
            blocked.query_sql("SELECT count(*) AS n FROM {this}").as_record_list()[0]["n"]
        )
        advance()
        predictions = linker.inference.predict(
            threshold_match_probability=threshold, warning_mode="never"
        )
        result = predictions.query_sql(_OUTPUT).as_pyarrow_table()  # type: ignore[no-untyped-call]
        advance()
        trained = linker.misc.save_model_to_json()
    pairs = _pairs(result, trained, threshold)
    advance()
    return Linked(pairs=pairs, model=trained, compared=compared)


# What leaves the engine per pair: ids, score, and each comparison's level and weight.
_OUTPUT = """
SELECT unique_id_l, unique_id_r, match_weight, match_probability,
    gamma_name, mw_name, gamma_birth_date, mw_birth_date, gamma_nationality, mw_nationality,
    gamma_identifier, mw_identifier, gamma_address, mw_address
FROM {this}
"""


@contextmanager
def _quiet_splink() -> Iterator[None]:
    """splink logs its training chatter (untrained levels, EM iterations) as warnings;
    the job reports through ``progress`` instead."""
    logger = logging.getLogger("splink")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _check(table: Any, threshold: float, link_type: str) -> None:
    if link_type not in LINK_TYPES:
        raise ValueError(f"link_type must be one of {LINK_TYPES}, not {link_type!r}")
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], not {threshold!r}")
    if not isinstance(table, pa.Table):
        raise LinkageError(N_("linkage needs a table made by prepare()"))
    missing = [f.name for f in INPUT_SCHEMA if f.name not in table.schema.names]
    if missing:
        raise LinkageError(
            N_("the table lacks the columns {columns}; make it with prepare()"),
            columns=", ".join(missing),
        )
    wrong = [f.name for f in INPUT_SCHEMA if not table.schema.field(f.name).type.equals(f.type)]
    if wrong:
        raise LinkageError(
            N_("the columns {columns} have the wrong type; make the table with prepare()"),
            columns=", ".join(wrong),
        )
    if table.num_rows == 0:
        raise LinkageError(N_("there are no records to link"))
    if table.column("unique_id").null_count or len(pc.unique(table.column("unique_id"))) != len(
        table
    ):
        raise LinkageError(N_("every record needs its own id"))
    if table.column("source").null_count:
        raise LinkageError(N_("every record needs the collection it comes from"))
    if link_type == "link_only" and len(pc.unique(table.column("source"))) < 2:
        raise LinkageError(N_("linking needs records from at least two collections"))


def _register(api: Any, table: Any, link_type: str) -> Any:
    """One input table per source (splink links between its inputs), in a fixed order."""
    table = table.select(INPUT_SCHEMA.names)
    if link_type == "dedupe_only":
        return api.register(table, dataset_display_name="baken_records")
    sources = sorted(pc.unique(table.column("source")).to_pylist())
    return [
        api.register(
            table.filter(pc.equal(table.column("source"), source)),
            dataset_display_name=f"baken_source_{n}",
        )
        for n, source in enumerate(sources)
    ]


def _train(linker: Any, table: Any, advance: Any) -> None:
    from splink.internals.exceptions import EMTrainingException

    pairs = min(U_MAX_PAIRS, max(1, table.num_rows) ** 2)
    linker.training.estimate_u_using_random_sampling(
        max_pairs=float(pairs), seed=SEED, min_count_per_level=None, num_chunks=1
    )
    advance()
    for rule in _em_rules():
        # No term-frequency adjustments in the model: EM on agreement-pattern counts
        # gives the same estimates, and each iteration is a small query. The prior is
        # EM's too (splink adjusts it for the blocking rule): on FEBRL4 it scores better
        # than one from deterministic rules, and costs nothing extra.
        # A block without pairs leaves its levels at their defaults.
        with suppress(EMTrainingException):
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule,
                estimate_without_term_frequencies=True,
                populate_probability_two_random_records_match_from_trained_values=True,
            )
        advance()


def _set_parameters(settings: dict[str, Any], model: dict[str, Any]) -> None:
    """Put the trained m and u of ``model`` (and its prior) into fresh ``settings``."""
    try:
        trained = {c["output_column_name"]: c for c in model["comparisons"]}
        for comparison in settings["comparisons"]:
            levels = trained[comparison["output_column_name"]]["comparison_levels"]
            if len(levels) != len(comparison["comparison_levels"]):
                raise KeyError(comparison["output_column_name"])
            for level, known in zip(comparison["comparison_levels"], levels, strict=True):
                for key in ("m_probability", "u_probability"):
                    if key in known:
                        level[key] = known[key]
        settings["probability_two_random_records_match"] = float(
            model["probability_two_random_records_match"]
        )
    except (KeyError, TypeError, ValueError):
        raise LinkageError(
            N_("the model does not fit these comparisons; train a new one")
        ) from None


def _set_defaults(settings: dict[str, Any]) -> None:
    for comparison in settings["comparisons"]:
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        defaults = DEFAULT_PARAMETERS[comparison["output_column_name"]]
        for level, (m, u) in zip(levels, defaults, strict=True):
            level["m_probability"], level["u_probability"] = m, u
    settings["probability_two_random_records_match"] = DEFAULT_PRIOR


def _labels(model: dict[str, Any]) -> dict[str, dict[int, str]]:
    """Per comparison, gamma value -> level label (splink numbers the non-null levels
    from the top down to 0, and the null level -1)."""
    labels: dict[str, dict[int, str]] = {}
    for comparison in model["comparisons"]:
        levels = comparison["comparison_levels"]
        values = [lv for lv in levels if not lv.get("is_null_level")]
        by_gamma = {
            len(values) - 1 - n: lv.get("label_for_charts", "") for n, lv in enumerate(values)
        }
        by_gamma[-1] = "unknown"
        labels[comparison["output_column_name"]] = by_gamma
    return labels


def _pairs(result: Any, model: dict[str, Any], threshold: float) -> list[Pair]:
    labels = _labels(model)
    prior = float(model["probability_two_random_records_match"])
    prior_weight = math.log2(prior / (1.0 - prior))
    rows = result.to_pylist()
    pairs = []
    for row in rows:
        probability = float(row["match_probability"])
        if probability < threshold:  # splink's filter is > or >=, by backend: be exact
            continue
        contributions = [Contribution(PRIOR, "", prior_weight)]
        for name, by_gamma in labels.items():
            weight = float(row[f"mw_{name}"])
            contributions.append(
                Contribution(name, by_gamma.get(int(row[f"gamma_{name}"]), ""), weight)
            )
        left, right = str(row["unique_id_l"]), str(row["unique_id_r"])
        if right < left:
            left, right = right, left
        pairs.append(
            Pair(
                left_id=left,
                right_id=right,
                probability=probability,
                match_weight=float(row["match_weight"]),
                contributions=tuple(contributions),
            )
        )
    pairs.sort(key=lambda p: (p.left_id, p.right_id))
    return pairs


__all__ = [
    "INPUT_SCHEMA",
    "PRIOR",
    "Contribution",
    "LinkageError",
    "Linked",
    "Pair",
    "Record",
    "link",
    "prepare",
]
