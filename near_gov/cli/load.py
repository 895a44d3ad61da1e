"""`near-gov load`: apply a file of governance records, all or nothing."""

from __future__ import annotations

import click

from near_gov.cli.base import Command, Env, format_option, pass_env, progress
from near_gov.cli.output import show_done


@click.command(cls=Command)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@format_option()
@pass_env
def load(env: Env, file: str, fmt: str) -> None:
    """Apply a file of governance records, all or nothing.

    FILE is in format near-gov/1 (- reads stdin). The whole file is validated first; an
    error names the record and its line. Records the register already holds are
    skipped: loading a file again changes nothing, and a file grown by new records
    applies only those.

    \b
    Example:
      near-gov load examples/near/history.yaml
    """
    from near_gov.loader import load as run  # noqa: PLC0415 - slow import

    with progress("Loading") as bar:
        done = run(env.gov, click.open_file(file) if file == "-" else file, progress=bar)
    show_done(fmt, done, f"Loaded {file}: {done['records']} records ({done['held']} already held), "
                         f"{done['events']} new events.")


COMMANDS = [load]
