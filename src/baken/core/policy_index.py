"""The read rule of :mod:`baken.core.policy`, compiled for a search index.

:func:`baken.core.policy.read_filter` compiles the rule to SQL; this module compiles the
same rule to a backend-neutral clause, :class:`IndexPolicy`, that an index turns into its
own query (:mod:`baken.holdings.search` into a Tantivy boolean query). The clause is
plain data so that it can be evaluated in Python too (:func:`index_admits`); a property
test checks ``index_admits == can_read`` for every principal and marking, and that the
index query admits exactly what ``index_admits`` admits.

An index document carries its kind and, per marking part, one indexed field: the level
(a number), the compartments (one term each), the owner and the releasability list (one
term each). The rule then reads, per document:

1. ``kind`` is one of :attr:`IndexPolicy.kinds`;
2. ``level <= max_level``;
3. no compartment outside :attr:`IndexPolicy.compartments` (waived for oversight);
4. ``owner`` in :attr:`IndexPolicy.owners` or some ``releasable_to`` in
   :attr:`IndexPolicy.releasable_to` (waived for oversight).

Rule 3 is a subset test, which an inverted index cannot express directly: the index
compiles it to "none of the *forbidden* compartments", the compartments that exist minus
the principal's. That is exact only under a precondition: the universe of compartments
must cover every compartment of every indexed document. A universe read from the
database before the search can miss a compartment created a moment later (and indexed
before the search runs), so :meth:`IndexPolicy.forbidden_compartments` takes the universe
at query time: the Tantivy index passes the compartment terms of the very searcher that
runs the query, which makes the precondition hold by construction. Compartments the
caller names when compiling (``compartment_universe``) are forbidden as well, which can
only narrow. Any other index using this clause must read its universe the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from baken.core import policy
from baken.core.markings import Marking, Service
from baken.core.principals import Principal


@dataclass(frozen=True, slots=True)
class IndexPolicy:
    """What one principal may read, as a conjunction over a document's index fields."""

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
    known_compartments: frozenset[str] = frozenset()
    """Compartments known to exist when the clause was compiled (optional; see above)."""

    @property
    def service_rule(self) -> bool:
        return self.owners is not None

    @property
    def admits_nothing(self) -> bool:
        """True when no document at all can pass (no kind, or no way through the service
        rule); an index may then skip the query."""
        return not self.kinds or (
            self.owners is not None and not self.owners and not self.releasable_to
        )

    def forbidden_compartments(self, universe: Iterable[str]) -> frozenset[str]:
        """The compartments a document must not carry, given every compartment that any
        indexed document carries (``universe``). Exact only under that precondition."""
        if self.compartments is None:
            return frozenset()
        return (frozenset(universe) | self.known_compartments) - self.compartments


def index_policy(
    principal: Principal, kinds: Iterable[str], compartment_universe: Iterable[str] = ()
) -> IndexPolicy:
    """Compile the read rule for ``principal`` over documents of ``kinds``.

    Kinds the principal's roles may not read are dropped; an unknown kind raises
    ``KeyError`` (as :func:`baken.core.policy.kind` does), so a typo fails closed.
    ``compartment_universe`` is optional: the index adds the compartments it holds at
    query time (see the module's docstring).
    """
    readable = frozenset(k for k in kinds if policy.role_may_read(principal, k))
    if principal.is_overseer:
        return IndexPolicy(readable, int(principal.clearance), None, None)
    known = frozenset(compartment_universe)
    if principal.is_external:
        org = principal.organisation
        return IndexPolicy(
            kinds=readable,
            max_level=int(principal.clearance),
            compartments=principal.compartments,
            owners=frozenset(),
            releasable_to=frozenset({org}) if org is not None else frozenset(),
            known_compartments=known,
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
        known_compartments=known,
    )


def index_admits(clause: IndexPolicy, kind: str, marking: Marking) -> bool:
    """The clause evaluated in Python, field by field as an index evaluates it."""
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
