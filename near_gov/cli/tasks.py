"""`near-gov tasks`: what awaits action in open cases."""

from __future__ import annotations

import click

from near_gov.cli.base import Env, format_option, pass_env
from near_gov.cli.output import Column, show_list

FIELDS = ["case", "state", "step", "by", "waiting_since"]


@click.command()
@format_option(csv=True)
@pass_env
def tasks(env: Env, fmt: str) -> None:
    """What awaits action in open cases, oldest first.

    Cases are applications, Charter amendments, coordinator elections and withdrawals;
    each task names the step and the body that takes it.

    \b
    Example:
      near-gov tasks --format csv
    """
    columns = [Column("Case", "case"), Column("State", "state"), Column("Step", "step"), Column("By", "by"),
               Column("Waiting since", "waiting_since")]
    show_list(fmt, env.reads.tasks(), columns=columns, fields=FIELDS)


COMMANDS = [tasks]
