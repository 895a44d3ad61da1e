"""`near-gov region`: regional governments known to the register."""

from __future__ import annotations

import click

from near_gov.cli.base import Env, Group, country_option, format_option, pass_env
from near_gov.cli.output import Column, show_done, show_list, show_record

FIELDS = ["name", "country", "status", "since", "cause", "source", "former_names"]
COLUMNS = [Column("Name", "name"), Column("Country", "country"), Column("Status", "status"),
           Column("Since", "since"), Column("Cause / source", lambda r: r.get("cause") or r.get("source"), 60)]


@click.group(cls=Group)
def region() -> None:
    """Regions: register, record, count, rename, withdraw, show, list.

    \b
    Example:
      near-gov region register "Fujian Province" --country CN
    """


@region.command()
@click.argument("name")
@click.option("--country", required=True, metavar="CC", help="ISO 3166-1 alpha-2 code, e.g. KP.")
@format_option()
@pass_env
def register(env: Env, name: str, country: str, fmt: str) -> None:
    """Make a region known to the register.

    It has no status until it is admitted or a status is recorded.

    \b
    Example:
      near-gov region register "Fujian Province" --country CN
    """
    done = env.gov.register_region(name, country)
    show_done(fmt, done, f"Registered {done['name']} ({done['country']}).")


@region.command()
@click.argument("name")
@click.option("--status", required=True, type=click.Choice(["member", "observer"]), help="The documented status.")
@click.option("--since", required=True, metavar="DATE",
              help="When it took effect, as the document gives it (EDTF): 1996-09, 2004~, [..2010-10], "
                   "2002-09/2010-10.")
@click.option("--source", required=True, metavar="TEXT", help="The document it is taken from.")
@click.option("--inferred-from", "inferred", metavar="TEXT",
              help="What the date was inferred from, where the document does not state it.")
@country_option()
@format_option()
@pass_env
def record(env: Env, name: str, status: str, since: str, source: str, inferred: str | None,
           country: str | None, fmt: str) -> None:
    """Record a status taken from a document, dated as the document dates it.

    For historic data and observers. Recording the status the region already holds with
    another date corrects the earlier record: `roster --as-of` follows the correction,
    `roster --known-at` an earlier time still gives the earlier answer. NAME may be a
    former name; --country settles a name held in two countries.

    \b
    Example:
      near-gov region register "Fujian Province" --country CN
      near-gov region record "Fujian Province" --status observer --since 2011-01 \\
        --source "Secretariat list of observers, 2011"
      near-gov region record "Amur Region" --country RU --status member --since 1996-09/2004-09 \\
        --source "NEAR brochure, Members: Russia" --inferred-from "a member when it hosted a meeting"
    """
    done = env.gov.record_status(name, status, since, source, country=country, inferred=inferred)
    show_done(fmt, done, f"Recorded {done['name']} as {done['status']} since {done['since']}.")


@region.command()
@click.argument("count")
@click.option("--status", required=True, type=click.Choice(["member", "observer"]),
              help="The status the regions took.")
@click.option("--since", required=True, metavar="DATE",
              help="When they took it, as the document gives it (EDTF): 1996-09, [..2010-10].")
@click.option("--countries", metavar="CC,CC,...",
              help="The countries the document says they are from; leave it out where it names none.")
@click.option("--source", required=True, metavar="TEXT", help="The document it is taken from, quoted.")
@click.option("--inferred-from", "inferred", metavar="TEXT",
              help="What the date was inferred from, where the document does not state it.")
@format_option()
@pass_env
def count(env: Env, count: str, status: str, since: str, countries: str | None, source: str,
          inferred: str | None, fmt: str) -> None:
    """Record a count a document states without naming the regions.

    COUNT regions took the status on that date, from those countries: the roster
    reports the count beside the regions it names, from that date until the earliest
    day one of the regions it may count may have left the status (see the roster's
    help). In a records file: `kind: count`.
    One count per status and date: recording it again with another COUNT, other
    countries or another source corrects it (`roster --known-at` an earlier time still
    gives the earlier count).

    \b
    Example:
      near-gov region count 2 --status observer --since 2011-01 --countries CN \\
        --source "Secretariat list of observers, 2011: two regions of China joined as observers"
    """
    done = env.gov.record_count(count, status, since, source, countries=countries, inferred=inferred)
    from domain.phrasing import counted  # noqa: PLC0415 - the domain loads on first use, not for --help

    show_done(fmt, done, f"Recorded: {counted(done['count'], done['status'], done['countries'])} "
                         f"in {done['since']}.")


@region.command()
@click.argument("name")
@click.argument("new_name")
@click.option("--on", "on", required=True, metavar="DATE", help="When the new name took effect.")
@country_option("the region NAME names (NEW_NAME is its own)")
@format_option()
@pass_env
def rename(env: Env, name: str, new_name: str, on: str, country: str | None, fmt: str) -> None:
    """Rename a region; its history stays with it under the new name.

    NAME may be a former name; --country settles a name held in two countries.

    \b
    Example:
      near-gov region rename "Primorsky Territory" "Primorsky Krai" --on 2011-01
      near-gov region rename "Amur Region" "Amur Oblast" --country RU --on 2012-01
    """
    done = env.gov.rename_region(name, new_name, on, country=country)
    show_done(fmt, done, f"Renamed {done['former_name']} to {done['name']} on {done['on']}.")


@region.command()
@click.argument("name")
@click.option("--on", "on", required=True, metavar="DATE", help="When the withdrawal took effect.")
@click.option("--decision", metavar="REF", help="The decision that caused it, e.g. GA-6/D3.")
@click.option("--source", metavar="TEXT", help="The document it is taken from.")
@country_option()
@format_option()
@pass_env
def withdraw(env: Env, name: str, on: str, decision: str | None, source: str | None, country: str | None,
             fmt: str) -> None:
    """Record that a member or observer left NEAR.

    NAME may be a former name; --country settles a name held in two countries.

    \b
    Example:
      near-gov assembly convene GA 9 --host "Gyeonggi-do Province" --on 2012-09
      near-gov assembly decide GA-9 --resolve "The withdrawal of Rasun City is accepted"
      near-gov region withdraw "Rasun City" --on 2012-10 --decision GA-9/D1
    """
    done = env.gov.withdraw_region(name, on, decision=decision, source=source, country=country)
    show_done(fmt, done, f"{done['name']} is withdrawn since {done['since']}.")


@region.command()
@click.argument("name")
@country_option()
@format_option()
@pass_env
def show(env: Env, name: str, country: str | None, fmt: str) -> None:
    """Show a region, its status and its timeline.

    Each status change shows its cause (decision) or source (document).

    \b
    Example:
      near-gov region show "Rasun City"
    """
    show_record(fmt, env.reads.region(name, country))


@region.command("list")
@format_option(csv=True)
@pass_env
def list_(env: Env, fmt: str) -> None:
    """Every region known to the register, with its status.

    \b
    Example:
      near-gov region list --format csv
    """
    show_list(fmt, env.reads.regions(), columns=COLUMNS, fields=FIELDS)


COMMANDS = [region]
