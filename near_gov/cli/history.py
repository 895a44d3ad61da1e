"""`near-gov history`: every recorded event, oldest first."""

from __future__ import annotations

import click

from near_gov.cli.base import Command, Env, country_option, format_option, pass_env
from near_gov.cli.output import Column, show_list, with_db_role
from near_gov.naming import subject_with_now

FIELDS = ["position", "recorded_at", "effective", "kind", "subject", "actor", "db_role", "cause", "source",
          "summary", "region", "current_name"]
COLUMNS = [Column("#", "position"), Column("Recorded at", "recorded_at"), Column("Effective", "effective"),
           Column("Event", "kind"), Column("Subject", subject_with_now, 40), Column("Actor", "actor"),
           Column("Cause / source", lambda e: e.get("cause") or e.get("source"), 40)]


@click.command(cls=Command)
@click.option("--region", metavar="NAME", help="Only events about this region (its name now or a former one).")
@country_option("the --region region")
@click.option("--assembly", metavar="ID", help="Only events of this assembly and its decisions' effects.")
@click.option("--since", metavar="DATE", help="Only events effective on or after this date.")
@click.option("--until", metavar="DATE", help="Only events effective on or before this date.")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many events.")
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip this many events first.")
@format_option(csv=True)
@pass_env
def history(env: Env, region: str | None, country: str | None, assembly: str | None, since: str | None,
            until: str | None, limit: int | None, offset: int, fmt: str) -> None:
    """Every recorded event, oldest first, with who and why.

    Each event shows when it was recorded, when it took effect, who recorded it, and its
    cause (decision) or source (document). Regions are named as they were on the event's
    date, with today's name beside where it differs.

    \b
    Example:
      near-gov history --region "Rasun City"
      near-gov history --region "Amur Region" --country RU
    """
    if country is not None and region is None:
        raise click.UsageError("--country goes with --region: it gives the country of the region named")
    events = env.reads.history(region=region, assembly=assembly, since=since, until=until,
                               limit=limit, offset=offset, country=country)
    show_list(fmt, events, columns=with_db_role(COLUMNS, events, after="actor"), fields=FIELDS)



COMMANDS = [history]
