"""`near-gov committee`: Sub-Committees and the history of their coordinators."""

from __future__ import annotations

from typing import Any

import click

from near_gov.cli.base import Env, Group, country_option, format_option, pass_env
from near_gov.cli.output import Column, record, show_done, show_list, show_record
from near_gov.naming import with_now


@click.group(cls=Group)
def committee() -> None:
    """Sub-Committees: list, show, elect a coordinator, record.

    A Sub-Committee is established by a General Assembly decision:
    see `near-gov assembly decide --establish-committee`.

    \b
    Example:
      near-gov committee show "Sub-Committee on Tourism"
    """


@committee.command("list")
@format_option(csv=True)
@pass_env
def list_(env: Env, fmt: str) -> None:
    """List Sub-Committees with their current coordinator.

    \b
    Example:
      near-gov committee list
    """
    show_list(fmt, env.reads.committees(),
              columns=[Column("Name", "name"), Column("Coordinator", "coordinator"),
                       Column("Established", "established")],
              fields=["name", "coordinator", "established", "purpose", "dissolved"])


def _committee(data: dict[str, Any]) -> str:
    """A Sub-Committee for people: each coordinator by the name it held when its term
    began, with today's name beside where it differs, and its term worded as documented
    ("coordinator by 2010-10" where only a bound is known)."""
    from projections.common import phrase  # noqa: PLC0415 - `--help` imports no read model
    terms = [{"region": with_now(k["region"], k["current_name"]), "term": f"coordinator {phrase(k['since'])}",
              **{f: v for f, v in k.items() if f not in ("region", "current_name")}} for k in data["coordinators"]]
    return record({**data, "coordinators": terms})


@committee.command()
@click.argument("name")
@format_option()
@pass_env
def show(env: Env, name: str, fmt: str) -> None:
    """Show a Sub-Committee and its coordinators.

    Every coordinator it has had, with the cause of each election; each named as it was
    when its term began, with today's name beside where it differs.

    \b
    Example:
      near-gov committee show "Sub-Committee on Tourism"
    """
    show_record(fmt, env.reads.committee(name), _committee)


@committee.command()
@click.argument("name")
@click.option("--coordinator", required=True, metavar="REGION", help="The elected region (a member on that date).")
@click.option("--on", "on", required=True, metavar="DATE", help="When it was elected.")
@click.option("--decision", metavar="REF", help="The decision that elected it, e.g. GA-8/D4.")
@click.option("--source", metavar="TEXT", help="The document it is taken from.")
@country_option("the --coordinator region")
@format_option()
@pass_env
def elect(env: Env, name: str, coordinator: str, on: str, decision: str | None, source: str | None,
          country: str | None, fmt: str) -> None:
    """Record the election of a Sub-Committee's coordinator.

    The coordinator may be named by a former name; --country settles a name held in two
    countries.

    \b
    Example:
      near-gov committee elect "Sub-Committee on Tourism" --coordinator "Toyama Prefecture" \\
        --on 2011-05 --source "minutes of the Sub-Committee, May 2011"
    """
    done = env.gov.elect_coordinator(name, coordinator, on, decision=decision, source=source, country=country)
    show_done(fmt, done, f"{done['coordinator']} coordinates the {done['committee']} since {done['since']}.")


@committee.command("record")
@click.argument("name")
@click.option("--source", required=True, metavar="TEXT", help="The document that shows it exists.")
@click.option("--purpose", metavar="TEXT", help="Its field and purpose.")
@format_option()
@pass_env
def record_(env: Env, name: str, source: str, purpose: str | None, fmt: str) -> None:
    """Record a Sub-Committee known from a document.

    For historic data: a Sub-Committee documented without its establishing decision.

    \b
    Example:
      near-gov committee record "Sub-Committee on Culture" --source "NEAR brochure, Sub-Committees"
    """
    done = env.gov.record_committee(name, source, purpose)
    show_done(fmt, done, f"Recorded the {done['committee']}.")


COMMANDS = [committee]
