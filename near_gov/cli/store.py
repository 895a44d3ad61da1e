"""`near-gov store`: which store this invocation uses."""

from __future__ import annotations

import click

from near_gov.cli.base import Command, Env, format_option, pass_env
from near_gov.cli.output import show_done


@click.command(cls=Command)
@format_option()
@pass_env
def store(env: Env, fmt: str) -> None:
    """Print the store in use, without opening it.

    The store comes from --store, else NEAR_GOV_STORE, else the default SQLite file.

    \b
    Example:
      near-gov --store postgresql://near@db.example/near store
    """
    chosen = env.store()
    data = {"kind": chosen.kind, "store": chosen.describe()}
    if chosen.path is not None:
        data["path"] = str(chosen.path)
    show_done(fmt, data, data["store"])


COMMANDS = [store]
