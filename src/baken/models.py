"""Every module's tables in one metadata, for migrations and tests.

A module that adds tables imports its ``models`` here.
"""

from __future__ import annotations

import baken.analysis.graph.models
import baken.analysis.products.models
import baken.analysis.tagging.models
import baken.analysis.warning.models
import baken.core.models
import baken.holdings.models
import baken.notices.models
import baken.oversight.lifecycle.models
import baken.oversight.permissions.models
import baken.protect.industrial.models
import baken.protect.resilience.models
import baken.protect.sweeps.models
import baken.protect.threats.models
import baken.resolve.models
import baken.steering.models
import baken.vetting.capacity.models
import baken.vetting.portal.models
import baken.vetting.positions.models
import baken.vetting.register.models
import baken.vetting.screenings.models  # noqa: F401
from baken.core.db import Base

metadata = Base.metadata
__all__ = ["metadata"]
