"""`near-gov report`: a self-contained HTML report of the register."""

from __future__ import annotations

import click

from near_gov.cli.base import Command, Env, format_option, new_file, pass_env
from near_gov.cli.output import show_done


@click.command(cls=Command)
@click.option("--out", required=True, type=click.Path(dir_okay=False, writable=True, allow_dash=True),
              callback=new_file, metavar="FILE.html", help="Where to write the report (- for stdout).")
@click.option("--as-of", metavar="DATE", help="The register as in force on this date.  [default: today]")
@format_option()
@pass_env
def report(env: Env, out: str, as_of: str | None, fmt: str) -> None:
    """Write a self-contained HTML report.

    It holds the roster, the assemblies and their decisions, the Sub-Committees and the
    Charter. FILE.html is written whole or not at all, readable by you only (0600); with
    --out -, stdout carries the report and nothing else.

    \b
    Example:
      near-gov report --out near-report.html
      near-gov report --out - | gzip > near-report.html.gz
    """
    from near_gov.report import render_report, write_report  # noqa: PLC0415 - slow import

    if out == "-":
        if fmt == "json":
            raise click.UsageError("--format json needs --out FILE.html: with --out -, stdout carries the report")
        page, _ = render_report(env.reader, as_of=as_of)
        click.echo(page, nl=False)
        return
    done = write_report(env.reader, out, as_of=as_of)
    show_done(fmt, done, f"Wrote {out}: the register as of {done['as_of']}, {done['members']} members and "
                         f"{done['observers']} observers.")


COMMANDS = [report]
