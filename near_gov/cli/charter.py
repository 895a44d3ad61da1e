"""`near-gov charter`: the Charter version by version, and what changed between two."""

from __future__ import annotations

import textwrap
from typing import Any

import click

from near_gov.cli.base import Env, Group, format_option, pass_env
from near_gov.cli.output import record, show_list, show_record


@click.group(cls=Group)
def charter() -> None:
    """The Charter: show a version, its history, diff two versions.

    It is amended by General Assembly decisions: see `near-gov assembly decide
    --amend-charter` and `--set-scope`.

    \b
    Example:
      near-gov charter show --as-of 2004-01-01
    """


def _version(data: dict[str, Any]) -> str:
    """A Charter version for people: its facts, then every article in full."""
    facts = record({k: v for k, v in data.items() if k != "articles"})
    articles = [f"Article {a['article']}\n{textwrap.indent(textwrap.fill(a['text'], 86), '  ')}"
                for a in data["articles"]]
    return "\n\n".join([facts, *articles] if articles else [facts, "No article recorded."])


@charter.command()
@click.option("--as-of", metavar="DATE", help="The version in force on this date.  [default: the latest]")
@format_option()
@pass_env
def show(env: Env, as_of: str | None, fmt: str) -> None:
    """Show the Charter in force on a date.

    Its articles and its membership scope (the eligible countries).

    \b
    Example:
      near-gov charter show --as-of 2004-01-01
    """
    show_record(fmt, env.reads.charter(as_of=as_of), _version)


@charter.command()
@format_option(csv=True)
@pass_env
def history(env: Env, fmt: str) -> None:
    """List the Charter's versions.

    Each with its date and the decision that made it.

    \b
    Example:
      near-gov charter history
    """
    show_list(fmt, env.reads.charter_history(),
              fields=["version", "on", "cause", "change", "article", "scope", "recorded_at"])


@charter.command()
@click.argument("a")
@click.argument("b")
@format_option()
@pass_env
def diff(env: Env, a: str, b: str, fmt: str) -> None:
    """Show what changed between two versions.

    A and B are version numbers (3 or v3, see `near-gov charter history`) or dates (the
    version in force on that date).

    \b
    Example:
      near-gov assembly convene GA 9 --host "Gyeonggi-do Province" --on 2012-09
      near-gov assembly decide GA-9 --set-scope CN,JP,KR,KP,MN,RU,KZ
      near-gov charter diff 1 2
      near-gov charter diff 2010-10 2012-10
    """
    show_record(fmt, env.reads.charter_diff(a, b))


COMMANDS = [charter]
