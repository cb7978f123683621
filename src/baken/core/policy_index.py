"""The read rule of :mod:`baken.core.policy`, compiled for a search index.

:func:`baken.core.policy.read_filter` compiles the rule to SQL; this module compiles the
same rule to a backend-neutral clause, :class:`IndexPolicy`: plain data that an index
turns into its own query, and that :func:`index_admits` evaluates in Python. A property
test checks ``index_admits == can_read`` for every principal and marking, and that the
Tantivy query admits exactly what ``index_admits`` admits.

The clause is a conjunction over a document's kind and marking:

1. ``kind`` is one of :attr:`IndexPolicy.kinds` (the roles part);
2. ``level <= max_level``;
3. ``compartments`` is a subset of :attr:`IndexPolicy.compartments` (waived: ``None``);
4. ``owner`` in :attr:`IndexPolicy.owners` or some ``releasable_to`` in
   :attr:`IndexPolicy.releasable_to` (waived: ``owners is None``).

How an index applies it is the index's business, with one condition: it must judge
*every* kind and marking it holds, or fail closed. Rule 3 is a subset test, which an
inverted index cannot express per field without knowing every compartment that exists
("no compartment outside the principal's" becomes "none of the others"), and a list of
compartments read from the database before the search can miss one created a moment
later. The Tantivy index (:mod:`baken.holdings.search`) therefore does as the SQL filter
does with ``marking_id IN readable_markings``: it evaluates the clause once per distinct
(kind, marking) term in the very searcher that runs the query, and asks for the admitted
terms only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from baken.core.markings import Marking, Service
from baken.core.policy import role_may_read
from baken.core.principals import Principal


@dataclass(frozen=True, slots=True)
class IndexPolicy:
    """What one principal may read, as a conjunction over a document's kind and marking."""

    kinds: frozenset[str]
    """Object kinds the principal's roles may read; empty admits nothing."""
    max_level: int
    """The principal's clearance: documents up to this level."""
    compartments: frozenset[str] | None
    """The principal's compartments; ``None`` when the compartment rule is waived."""
    owners: frozenset[str] | None
    """Owners the service rule admits; ``None`` when the service rule is waived."""
    releasable_to: frozenset[str] = frozenset()
    """A document released to any of these is admitted by the service rule."""

    @property
    def service_rule(self) -> bool:
        return self.owners is not None

    @property
    def admits_nothing(self) -> bool:
        """True when no document can pass (no kind, or no way through the service rule);
        an index may then skip the query."""
        return not self.kinds or (
            self.owners is not None and not self.owners and not self.releasable_to
        )


def index_policy(principal: Principal, kinds: Iterable[str]) -> IndexPolicy:
    """Compile the read rule for ``principal`` over documents of ``kinds``.

    Kinds the principal's roles may not read are dropped; an unknown kind raises
    ``KeyError`` (as :func:`baken.core.policy.kind` does), so a typo fails closed.
    """
    readable = frozenset(k for k in kinds if role_may_read(principal, k))
    if principal.is_overseer:
        return IndexPolicy(readable, int(principal.clearance), None, None)
    if principal.is_external:
        org = principal.organisation
        return IndexPolicy(
            kinds=readable,
            max_level=int(principal.clearance),
            compartments=principal.compartments,
            owners=frozenset(),
            releasable_to=frozenset({org}) if org is not None else frozenset(),
        )
    assert principal.service is not None
    own = principal.service.value
    return IndexPolicy(
        kinds=readable,
        max_level=int(principal.clearance),
        compartments=principal.compartments,
        # Marking.reader_services: joint material is for both services, owned material
        # for its owner and for the services it is released to.
        owners=frozenset({Service.JOINT.value, own}),
        releasable_to=frozenset({own}),
    )


def index_admits(clause: IndexPolicy, kind: str, marking: Marking) -> bool:
    """The clause evaluated in Python: the reference for every index's query."""
    if kind not in clause.kinds or int(marking.level) > clause.max_level:
        return False
    if clause.compartments is not None and not marking.compartments <= clause.compartments:
        return False
    if clause.owners is None:
        return True
    return marking.owner.value in clause.owners or bool(
        marking.releasable_to & clause.releasable_to
    )


__all__ = ["IndexPolicy", "index_admits", "index_policy"]
