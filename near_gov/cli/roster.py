"""`near-gov roster`: who is a member or observer, now or on any date, as known at any time."""

from __future__ import annotations

from typing import Any

import click

from near_gov.cli.base import Command, Env, format_option, pass_env
from near_gov.cli.output import Column, show_list, table
from near_gov.naming import with_now

FIELDS = ["name", "country", "status", "since", "cause", "source", "current_name", "documented", "basis",
          "counts.status", "counts.count", "counts.named", "counts.countries", "counts.since", "counts.source",
          "counts.basis"]
COLUMNS = [Column("Name", lambda e: with_now(e["name"], e["current_name"])), Column("Country", "country"),
           Column("Status", "status"), Column("Since", "since"),
           Column("Cause / source", lambda e: e.get("cause") or e.get("source"), 60)]
COUNT_COLUMNS = [Column("Status", "status"), Column("Count", "count"), Column("Named", "named"),
                 Column("Countries", lambda c: ", ".join(c["countries"]) or "not stated"),
                 Column("Since", "since"), Column("Source", "source", 60)]


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
    """Members and observers on a date, with their causes, documented or not, and the
    counts the record states without naming every region.

    Each entry names the decision or document that gave the region its status, and the
    region by the name it held on that date (today's name beside it where it differs).
    An entry is undocumented where the record allows the status on that date but does
    not document it (a date known by bounds, e.g. listed as a member by 2010-10 with no
    joining date): the table sets those apart; --documented-only leaves them out.

    A count (`region count`: "29 regions of CN, JP, KR, RU became members in 1996-09")
    is in force from its date until the earliest day one of the regions it may count
    (of its countries, taking that status within its date) may have left it; a later
    count does not end it (its regions took the status later: they are others). Named:
    how many regions the record documents as taking that status within the count's
    date, of its countries. The summary line (JSON "at_least") gives, for each status
    counted, at least the larger of the documented entries and the sum of the counts
    whose dates cannot overlap (where they may, the larger set of counts apart), and
    how many of them the record names (the documented entries). With --country, a count
    of several countries is listed but not summed (how many of its regions are of that
    country is not stated). CSV repeats the counts in force on every row (counts.*).

    \b
    Example:
      near-gov roster --as-of 2010-11-01 --country KP
      near-gov roster --as-of 1996-12-31 --documented-only
    """
    data = env.reads.roster(as_of=as_of, known_at=known_at, country=country, status=status)
    if documented_only:
        data = {**data, "entries": [e for e in data["entries"] if e["documented"]]}
    if fmt != "table":
        rows = [{**e, "counts": data["counts"]} for e in data["entries"]]
        show_list(fmt, data, rows=rows, fields=FIELDS)
        return
    title = f"NEAR roster as of {data['as_of']}" + (f", as known at {known_at}" if known_at else "")
    documented = [e for e in data["entries"] if e["documented"]]
    undocumented = [e for e in data["entries"] if not e["documented"]]
    summary = "".join(f"\n\n{line}" for line in summary_lines(data))
    if not undocumented:
        body = table(data["entries"], COLUMNS)
    else:
        body = ((table(documented, COLUMNS) if documented else "No entry is documented on that date.")
                + f"\n\nUndocumented on {data['as_of']}: {len(undocumented)} regions the record allows but does"
                " not document in that status then (their dates are known only by bounds; --documented-only"
                " leaves them out):\n\n" + table(undocumented, COLUMNS))
    click.echo(f"{title}{summary}\n\n{body}" + counts_part(data, country))


def summary_lines(data: dict[str, Any]) -> list[str]:
    """For each status a count in force counts: at least how many regions held it on the
    day, and how many of them the record names (those documented then)."""
    return [f"At least {s['count']} {s['status']}{'s' if s['count'] != 1 else ''} on {data['as_of']}; "
            f"{s['named']} of them named in the record." for s in data["at_least"]]


def counts_part(data: dict[str, Any], country: str | None) -> str:
    if not data["counts"]:
        return ""
    cc = country.strip().upper() if country else None
    shared = cc is not None and any(c["countries"] != [cc] for c in data["counts"])
    note = (f" Counts of regions from several countries (or countries not stated) are listed, not summed: how many"
            f" of their regions are of {cc} is not stated." if shared else "")
    return (f"\n\nCounts the record states without naming every region, in force on {data['as_of']} (named: how"
            f" many of them the record names, documented as taking that status within the count's date).{note}\n\n"
            + table(data["counts"], COUNT_COLUMNS))


COMMANDS = [roster]
