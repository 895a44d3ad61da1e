"""`near-gov tasks`: what awaits action in open cases."""

from __future__ import annotations

import click

from near_gov.cli.base import Command, Env, format_option, pass_env
from near_gov.cli.output import Column, show_list

FIELDS = ["case", "process", "state", "step", "by", "due", "waiting_since", "subject"]


@click.command(cls=Command)
@format_option(csv=True)
@pass_env
def tasks(env: Env, fmt: str) -> None:
    """What awaits action in open cases, oldest first.

    Cases are applications, Charter amendments, coordinator elections and withdrawals;
    each task names the step and the body that takes it. "Due" is the effective date
    from which the step is due (the date of the case's latest dated step, of the
    assembly that decides it, or when a General Assembly fell due); "Waiting since" is
    the recorded time at which the register learnt it (UTC). JSON and CSV give them as
    `due` and `waiting_since`.

    \b
    Example:
      near-gov tasks --format csv
    """
    columns = [Column("Case", "case"), Column("State", "state"), Column("Step", "step"), Column("By", "by"),
               Column("Due", "due"), Column("Waiting since", "waiting_since")]
    show_list(fmt, env.reads.tasks(), columns=columns, fields=FIELDS)


COMMANDS = [tasks]
