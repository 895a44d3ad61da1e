"""`near-gov projections`: the read models' positions, and rebuilding them from the log."""

from __future__ import annotations

from typing import Any

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
    """Show each read model's position against the log's head, and its state.

    Stale read models stop before an event that cannot be read (changed outside
    near-gov) and say which; queries refuse to answer from them (exit 4). A rebuild
    that has not completed shows on a line of its own.

    \b
    Example:
      near-gov projections status --format json
    """
    found = env.reads.status()
    columns = [Column("Name", "name"), Column("Position", "position"), Column("Head", "head"),
               Column("State", "state")]
    if fmt == "table":
        rows = [row for entry in found for row in _lines(entry)]
    else:  # no rebuild under way: its two columns empty, so that CSV's columns never change
        rows = [{**e, "rebuild": e["rebuild"] or {"position": None, "error": None}} for e in found]
    show_list(fmt, found, rows=rows if fmt != "json" else found, columns=columns,
              fields=["name", "position", "head", "behind", "stale", "error", "rebuild.position", "rebuild.error",
                      "read_models"])


def _lines(entry: dict[str, Any]) -> list[dict[str, Any]]:
    """The table lines of one entry of `status`: the read models in use, then a rebuild under way."""
    if entry["stale"]:
        state = f"stale: {entry['error']}"
    else:
        state = f"behind by {entry['behind']}: the next read catches up" if entry["behind"] else "current"
    lines = [{**entry, "state": state}]
    rebuild = entry["rebuild"]
    if rebuild is not None:
        lines.append({"name": f"{entry['name']} (rebuild)", "position": rebuild["position"], "head": entry["head"],
                      "state": f"stopped: {rebuild['error']}" if rebuild["error"] else
                      "under way, or interrupted (the next rebuild starts afresh)"})
    return lines


@projections.command()
@format_option()
@pass_env
def rebuild(env: Env, fmt: str) -> None:
    """Rebuild the read models from the whole log.

    New tables are filled by replaying every event (progress shows on a terminal) and
    swapped in at the end, in one transaction: the read models in use answer until
    then, and stay as they were if the rebuild is interrupted or stops at an event
    that cannot be read (exit 4).

    \b
    Example:
      near-gov projections rebuild
    """
    env.writable()
    with progress("Rebuilding") as bar:
        events = env.reads.rebuild(progress=bar)
    show_record(fmt, {"rebuilt": [p["name"] for p in env.reads.status()], "events": events})


COMMANDS = [projections]
