"""`near-gov roster`: who is a member or observer, now or on any date, as known at any time."""

from __future__ import annotations

import click

from near_gov.cli.base import Command, Env, format_option, pass_env
from near_gov.cli.output import Column, show_list, table
from near_gov.naming import with_now

FIELDS = ["name", "country", "status", "since", "cause", "source", "current_name", "documented", "basis"]
COLUMNS = [Column("Name", lambda e: with_now(e["name"], e["current_name"])), Column("Country", "country"),
           Column("Status", "status"), Column("Since", "since"),
           Column("Cause / source", lambda e: e.get("cause") or e.get("source"), 60)]


@click.command(cls=Command)
@click.option("--as-of", metavar="DATE", help="The roster in force on this effective date.  [default: today]")
@click.option("--known-at", metavar="TIMESTAMP",
              help="As the register knew it at this recorded time, e.g. 2024-05-01T12:00:00Z.")
@click.option("--country", metavar="CC", help="Only regions of this country.")
@click.option("--status", type=click.Choice(["member", "observer"]), help="Only members, or only observers.")
@click.option("--documented-only", is_flag=True,
              help="Leave out the regions the record only allows in that status on the date.")
@format_option(csv=True)
@pass_env
def roster(env: Env, as_of: str | None, known_at: str | None, country: str | None, status: str | None,
           documented_only: bool, fmt: str) -> None:
    """Members and observers on a date, with their causes, documented or not.

    Each entry names the decision or document that gave the region its status, and the
    region by the name it held on that date (today's name beside it where it differs).
    An entry is undocumented where the record allows the status on that date but does
    not document it (a date known by bounds, e.g. listed as a member by 2010-10 with no
    joining date): the table sets those apart; --documented-only leaves them out.

    \b
    Example:
      near-gov roster --as-of 2010-11-01 --country KP
    """
    data = env.reads.roster(as_of=as_of, known_at=known_at, country=country, status=status)
    if documented_only:
        data = {**data, "entries": [e for e in data["entries"] if e["documented"]]}
    title = f"NEAR roster as of {data['as_of']}" + (f", as known at {known_at}" if known_at else "")
    documented = [e for e in data["entries"] if e["documented"]]
    undocumented = [e for e in data["entries"] if not e["documented"]]
    if fmt != "table" or not undocumented:
        show_list(fmt, data, rows=data["entries"], columns=COLUMNS, fields=FIELDS, title=title)
        return
    click.echo(f"{title}\n\n" + (table(documented, COLUMNS) if documented else "No entry is documented on that date.")
               + f"\n\nUndocumented on {data['as_of']}: {len(undocumented)} regions the record allows but does not"
               " document in that status then (their dates are known only by bounds; --documented-only leaves"
               " them out):\n\n" + table(undocumented, COLUMNS))


COMMANDS = [roster]
