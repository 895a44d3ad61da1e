"""`near-gov projections`: the read models' positions, and rebuilding them from the log."""

from __future__ import annotations

import click

from near_gov.cli.base import Env, Group, format_option, pass_env, progress
from near_gov.cli.output import Column, show_list, show_record


@click.group(cls=Group)
def projections() -> None:
    """Read models: their position in the log, and rebuilding them.

    Reads catch up incrementally by themselves; a rebuild replays the whole log on purpose.

    \b
    Example:
      near-gov projections status
    """


@projections.command()
@format_option(csv=True)
@pass_env
def status(env: Env, fmt: str) -> None:
    """Show each read model's position against the log's head.

    \b
    Example:
      near-gov projections status --format json
    """
    columns = [Column("Name", "name"), Column("Position", "position"), Column("Head", "head")]
    show_list(fmt, env.reads.status(), columns=columns, fields=["name", "position", "head", "behind", "read_models"])


@projections.command()
@format_option()
@pass_env
def rebuild(env: Env, fmt: str) -> None:
    """Rebuild the read models from the whole log.

    They are dropped and refilled by replaying every event (progress shows on a terminal).

    \b
    Example:
      near-gov projections rebuild
    """
    env.writable()
    with progress("Rebuilding") as bar:
        events = env.reads.rebuild(progress=bar)
    show_record(fmt, {"rebuilt": [p["name"] for p in env.reads.status()], "events": events})


COMMANDS = [projections]
