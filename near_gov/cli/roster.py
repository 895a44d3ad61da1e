"""`near-gov roster`: who is a member or observer, now or on any date, as known at any time."""

from __future__ import annotations

import click

from near_gov.cli.base import Command, Env, format_option, pass_env
from near_gov.cli.output import Column, show_list
from near_gov.naming import with_now

FIELDS = ["name", "country", "status", "since", "cause", "source", "current_name"]
COLUMNS = [Column("Name", lambda e: with_now(e["name"], e["current_name"])), Column("Country", "country"),
           Column("Status", "status"), Column("Since", "since"),
           Column("Cause / source", lambda e: e.get("cause") or e.get("source"), 60)]


@click.command(cls=Command)
@click.option("--as-of", metavar="DATE", help="The roster in force on this effective date.  [default: today]")
@click.option("--known-at", metavar="TIMESTAMP",
              help="As the register knew it at this recorded time, e.g. 2024-05-01T12:00:00Z.")
@click.option("--country", metavar="CC", help="Only regions of this country.")
@click.option("--status", type=click.Choice(["member", "observer"]), help="Only members, or only observers.")
@format_option(csv=True)
@pass_env
def roster(env: Env, as_of: str | None, known_at: str | None, country: str | None, status: str | None,
           fmt: str) -> None:
    """Members and observers on a date, with their causes.

    Each entry names the decision or document that gave the region its status, and the
    region by the name it held on that date (today's name beside it where it differs).

    \b
    Example:
      near-gov roster --as-of 2010-11-01 --country KP
    """
    data = env.reads.roster(as_of=as_of, known_at=known_at, country=country, status=status)
    title = f"NEAR roster as of {data['as_of']}" + (f", as known at {known_at}" if known_at else "")
    show_list(fmt, data, rows=data["entries"], columns=COLUMNS, fields=FIELDS, title=title)


COMMANDS = [roster]
