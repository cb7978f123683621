"""The demo data of analysis (tagging).

Nothing is stored here: the demo documents do not exist yet when the demo world is
built. ``make run`` ingests the holdings demo corpus afterwards, and the holdings
pipeline scores every document as it arrives against the active requirements of the
established demo GA I&V (:func:`baken.analysis.tagging.service.score_arrival`), so the
review queue at ``/labels`` fills with proposed tags and their explanations. Existing
material can be (re)tagged with ``baken tag -u analist.zg``.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from baken.core.config import Settings


def load(session: Session, users: dict[str, int], settings: Settings) -> None:
    """Tags arrive with the corpus (see above)."""
