"""`near-gov export` and `near-gov import`: every event as JSON Lines, to move or back up
a register; an import into an empty store reproduces the same register and chain head."""

from __future__ import annotations

from typing import BinaryIO

import click

from near_gov.cli.base import Command, Env, format_option, new_file, pass_env, progress
from near_gov.cli.output import show_done


@click.command("export", cls=Command)
@click.argument("file", default="-", type=click.Path(dir_okay=False, allow_dash=True), callback=new_file)
@format_option()
@pass_env
def export(env: Env, file: str, fmt: str) -> None:
    """Write every event as JSON Lines, to FILE or stdout.

    FILE is written whole or not at all, readable by you only (0600). With no FILE (or
    -), stdout carries the events and nothing else.

    \b
    Example:
      near-gov export near-events.jsonl
      near-gov export | gzip > near-events.jsonl.gz
    """
    if file == "-" and fmt == "json":
        raise click.UsageError("--format json needs a FILE: without one, stdout carries the events")
    from near_gov.transfer import export_events  # noqa: PLC0415 - slow import

    if file == "-":
        with click.open_file("-", "wb") as stdout:
            export_events(env.reader, stdout)
    else:
        from near_gov.files import private_file  # noqa: PLC0415 - only a file needs it

        with private_file(file, "wb") as out:
            done = export_events(env.reader, out)
        sentence = f"Exported {done['events']} events to {file}; chain head {done['head']}."
        show_done(fmt, {"file": file, **done}, sentence)


@click.command("import", cls=Command)
@click.argument("file", type=click.File("rb"))
@format_option()
@pass_env
def import_(env: Env, file: BinaryIO, fmt: str) -> None:
    """Load a JSON Lines export into an empty store.

    FILE is an export written by `near-gov export` (- reads stdin). Every line is checked
    first; the imported register has the same events and chain head as the exported one.
    An import cut short is finished by running it again with the same file.

    \b
    Example:
      near-gov export near-events.jsonl
      near-gov --store copy.db import near-events.jsonl
    """
    from near_gov.transfer import import_events  # noqa: PLC0415 - slow import

    with progress("Importing") as bar:
        done = import_events(env.gov, file, progress=bar)
    already = f" (the first {done['resumed']} were already there)" if done["resumed"] else ""
    show_done(fmt, done, f"Imported {done['events']} events{already}; chain head {done['head']}.")


COMMANDS = [export, import_]
