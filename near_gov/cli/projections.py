"""`near-gov projections`: the read models' positions, and rebuilding them from the log."""

from __future__ import annotations

import click

from near_gov.cli.base import Env, format_option, pass_env, progress
from near_gov.cli.output import Column, show_list, show_record


@click.group()
def projections() -> None:
    """Read models (roster, history, assemblies, ...): status and rebuild.

    Reads catch up incrementally by themselves; a rebuild replays the whole log on purpose.

    \b
    Example:
      near-gov projections status
    """


@projections.command()
@format_option(csv=True)
@pass_env
def status(env: Env, fmt: str) -> None:
    """Show each read model's position in the log against the log's head.

    \b
    Example:
      near-gov projections status --format json
    """
    show_list(fmt, env.reads.status(), columns=[Column("Name", "name"), Column("Position", "position"), Column("Head", "head")],
              fields=["name", "position", "head"])


@projections.command()
@format_option()
@pass_env
def rebuild(env: Env, fmt: str) -> None:
    """Drop the read models and rebuild them by replaying every event (progress on a terminal).

    \b
    Example:
      near-gov projections rebuild
    """
    with progress("Rebuilding") as bar:
        events = env.reads.rebuild(progress=bar)
    show_record(fmt, {"rebuilt": [p["name"] for p in env.reads.status()], "events": events})


COMMANDS = [projections]
