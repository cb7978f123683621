"""The ``baken vetting`` command group, which every vetting part adds its commands to."""

from __future__ import annotations

import typer


def group(app: typer.Typer) -> typer.Typer:
    """The ``vetting`` group of ``app``, made by the first part that asks for it."""
    for info in app.registered_groups:
        if info.name == "vetting" and info.typer_instance is not None:
            return info.typer_instance
    found = typer.Typer(help="Vetting: security screenings, the register, capacity.")
    app.add_typer(found, name="vetting")
    return found
