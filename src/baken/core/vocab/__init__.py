"""Load the YAML vocabularies shipped with the package (read on first use, then cached)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml


@cache
def load(name: str, package: str = __name__) -> dict[str, Any]:
    """``name``.yaml from ``package`` (the core's vocabularies by default)."""
    text = resources.files(package).joinpath(f"{name}.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ValueError(f"vocabulary {name} is not a mapping")
    return data
