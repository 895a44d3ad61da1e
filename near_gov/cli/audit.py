"""`near-gov audit`: a region's membership timeline, and the hash chain over the log."""

from __future__ import annotations

from typing import Any

import click

from near_gov.cli.base import Env, Group, country_option, format_option, pass_env
from near_gov.cli.output import Column, show_done, show_record, table


@click.group(cls=Group)
def audit() -> None:
    """Membership timelines; seal and verify the log.

    \b
    Example:
      near-gov audit membership "Rasun City"
    """


def _timeline(data: dict[str, Any]) -> str:
    columns = [Column("Status", "status"), Column("Since", "since"), Column("Cause", "cause"),
               Column("Source", "source"), Column("Recorded at", "recorded_at"), Column("Corrects", "corrects")]
    if any(p["name"] != data["region"] for p in data["timeline"]):  # renamed: the name each period began under
        columns.insert(0, Column("Name then", "name"))
    return f"{data['region']} ({data['country']})\n\n" + table(data["timeline"], columns)


@audit.command()
@click.argument("name")
@country_option()
@click.option("--known-at", metavar="TIMESTAMP", help="As the register knew it at this recorded time.")
@format_option()
@pass_env
def membership(env: Env, name: str, country: str | None, known_at: str | None, fmt: str) -> None:
    """Show how a region's membership changed, and why.

    Each status change with its cause (decision), its source (document), when it was
    recorded and the earlier record it corrects, if any.

    \b
    Example:
      near-gov audit membership "Rasun City" --format json
    """
    show_record(fmt, env.reads.audit_membership(name, country, known_at), _timeline)


@audit.command()
@format_option()
@pass_env
def seal(env: Env, fmt: str) -> None:
    """Extend the hash chain over the log; prints its head.

    Keep the head: `audit verify --head HEAD` later proves nothing before it changed.

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
    """Check the hash chain over the whole log (exit 4 if it fails).

    \b
    Example:
      near-gov audit verify
      near-gov audit verify --format json
    """
    from near_gov.integrity import verify as run  # noqa: PLC0415 - slow import

    done = run(env.reader, head=head)
    show_done(fmt, done, f"The chain holds through event {done['position']} (head {done['head']}); "
                         f"{done['seals_checked']} seals checked" + (", and the given head is on it." if head else "."))


COMMANDS = [audit]
