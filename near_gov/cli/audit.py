"""`near-gov audit`: a region's membership timeline, and the hash chain over the log."""

from __future__ import annotations

from typing import Any

import click

from near_gov.cli.base import Env, format_option, pass_env
from near_gov.cli.output import Column, show_done, show_record, table


@click.group()
def audit() -> None:
    """Audit: how a region's membership changed and why; seal and verify the log.

    \b
    Example:
      near-gov audit membership "Rasun City"
    """


def _timeline(data: dict[str, Any]) -> str:
    columns = [Column("Status", "status"), Column("Since", "since"), Column("Cause", "cause"),
               Column("Source", "source"), Column("Recorded at", "recorded_at"), Column("Corrects", "corrects")]
    return f"{data['region']} ({data['country']})\n\n" + table(data["timeline"], columns)


@audit.command()
@click.argument("name")
@click.option("--country", metavar="CC", help="The region's country, where names are shared across countries.")
@click.option("--known-at", metavar="TIMESTAMP", help="As the register knew it at this recorded time.")
@format_option()
@pass_env
def membership(env: Env, name: str, country: str | None, known_at: str | None, fmt: str) -> None:
    """Show a region's status timeline, each change with its cause (decision) and source,
    and the earlier record it corrects, if any.

    \b
    Example:
      near-gov audit membership "Rasun City" --format json
    """
    show_record(fmt, env.reads.audit_membership(name, country, known_at), _timeline)


@audit.command()
@format_option()
@pass_env
def seal(env: Env, fmt: str) -> None:
    """Extend the hash chain over every event recorded so far and print its head.

    \b
    Example:
      near-gov audit seal
    """
    from near_gov.integrity import seal as run  # noqa: PLC0415 - slow import

    done = run(env.gov)
    show_done(fmt, done, f"{done['head']}  (through event {done['position']})")


@audit.command()
@click.option("--head", metavar="HASH", help="A head printed earlier by `audit seal`; it must still be on the chain.")
@format_option()
@pass_env
def verify(env: Env, head: str | None, fmt: str) -> None:
    """Recompute the hash chain over the whole log and check it (exit 4 if it fails).

    \b
    Example:
      near-gov audit verify --head 3f9c...e1
    """
    from near_gov.integrity import verify as run  # noqa: PLC0415 - slow import

    show_record(fmt, run(env.gov, head=head))


COMMANDS = [audit]
