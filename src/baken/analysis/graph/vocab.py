"""The graph vocabulary: its object kind, and the FollowTheMoney relationship schemata
whose two entity-typed ends make the edges of the graph."""

from __future__ import annotations

VIEW = "netwerkweergave"

# FtM interval schemata with an edge (source property, target property). A test checks
# this against the FtM model; the migration's partial index names the same properties.
EDGES: dict[str, tuple[str, str]] = {
    "Associate": ("person", "associate"),
    "Control": ("controller", "controlled"),
    "ContractAward": ("contract", "supplier"),
    "CourtCaseParty": ("party", "case"),
    "Debt": ("debtor", "creditor"),
    "Directorship": ("director", "organization"),
    "Documentation": ("document", "entity"),
    "Employment": ("employee", "employer"),
    "Family": ("person", "relative"),
    "Membership": ("member", "organization"),
    "Occupancy": ("holder", "post"),
    "Ownership": ("owner", "asset"),
    "Payment": ("payer", "beneficiary"),
    "ProjectParticipant": ("participant", "project"),
    "Representation": ("agent", "client"),
    "Succession": ("predecessor", "successor"),
    "UnknownLink": ("subject", "object"),
}

EDGE_PROPS: tuple[str, ...] = tuple(sorted({p for pair in EDGES.values() for p in pair}))
