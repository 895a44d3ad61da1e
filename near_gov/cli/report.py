"""`near-gov report`: a self-contained HTML report of the register."""

from __future__ import annotations

import click

from near_gov.cli.base import Env, format_option, new_file, pass_env
from near_gov.cli.output import show_done


@click.command()
@click.option("--out", required=True, type=click.Path(dir_okay=False, writable=True), callback=new_file,
              metavar="FILE.html", help="Where to write the report.")
@click.option("--as-of", metavar="DATE", help="The register as in force on this date.  [default: today]")
@format_option()
@pass_env
def report(env: Env, out: str, as_of: str | None, fmt: str) -> None:
    """Write a self-contained HTML report.

    It holds the roster, the assemblies and their decisions, the Sub-Committees and the
    Charter.

    \b
    Example:
      near-gov report --out near-report.html
    """
    from near_gov.report import write_report  # noqa: PLC0415 - slow import

    done = write_report(env.reader, out, as_of=as_of)
    show_done(fmt, done, f"Wrote {out}: the register as of {done['as_of']}, {done['members']} members and "
                         f"{done['observers']} observers.")


COMMANDS = [report]
