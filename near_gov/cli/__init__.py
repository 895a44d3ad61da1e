"""The `near-gov` command line: one click group, one module per command group, each
imported when its command runs (`MODULES`).

Every module here imports only click and this package's small helpers; the register
is opened inside the commands that need it, so `near-gov --help` starts fast, and a
command does not pay for the others' modules."""

from __future__ import annotations

import signal
from importlib import import_module

import click
from click.core import ParameterSource

from near_gov.cli.base import CONTEXT_SETTINGS, Env, NearGroup, on_sigint

#: Each command of the group, and the module (of this package) that defines it: a
#: module is imported when its command runs (or help lists it), so that a command
#: loads only its own module and what that imports.
MODULES = {
    "application": "application", "assembly": "assembly", "audit": "audit", "case": "case",
    "charter": "charter", "committee": "committee", "export": "transfer", "history": "history",
    "import": "transfer", "load": "load", "projections": "projections", "region": "region",
    "report": "report", "roster": "roster", "store": "store", "tasks": "tasks",
}


class Commands(NearGroup):
    """The root group, its commands loaded by name from `MODULES` on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(MODULES.keys() | self.commands.keys())

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in MODULES:
            module = import_module(f"near_gov.cli.{MODULES[cmd_name]}")
            self.add_command(next(c for c in module.COMMANDS if c.name == cmd_name))
        return self.commands.get(cmd_name)

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[str | None, click.Command | None,
                                                                              list[str]]:
        if args and args[0] not in MODULES:  # no such command: click suggests the closest of all
            for name in MODULES:
                self.get_command(ctx, name)
        return super().resolve_command(ctx, args)


@click.group(name="near-gov", cls=Commands, context_settings=CONTEXT_SETTINGS)
@click.option("--store", envvar="NEAR_GOV_STORE", metavar="URL",
              help="Where the register is kept: a file path or sqlite:///PATH, "
                   "postgresql://USER[:PASS]@HOST[:PORT]/DB[?schema=NAME], or memory. "
                   "[env NEAR_GOV_STORE; default: a SQLite file in your data directory; "
                   "`near-gov store` shows it]")
@click.option("--actor", envvar="NEAR_GOV_ACTOR", metavar="NAME",
              help="Who records the changes, kept on every event (not blank). "
                   "[env NEAR_GOV_ACTOR; default: your login name]")
@click.version_option(package_name="near-gov", message="%(prog)s %(version)s")
@click.pass_context
def main(ctx: click.Context, store: str | None, actor: str | None) -> None:
    """The register of NEAR, the Association of North East Asia Regional Governments:
    membership, admissions, assemblies and their decisions, Sub-Committees and the Charter,
    every change recorded as an event with its cause.

    Dates are ISO 8601 at the precision known: 1996, 1996-09 or 1996-09-15. Countries are
    ISO 3166-1 alpha-2 codes (CN JP KR KP MN RU). Exit codes: 0 done, 1 refused by the
    register, 2 bad usage or input, 3 a concurrent change won (retry), 4 integrity check failed,
    5 the store cannot be opened or reached, 130 interrupted.

    \b
    Example:
      near-gov --store register.db load examples/near/history.yaml
      near-gov --store register.db roster --as-of 2004-01-01

    \b
    Shell completion (click's own): add to ~/.bashrc
      eval "$(_NEAR_GOV_COMPLETE=bash_source near-gov)"
    or for zsh (~/.zshrc) use zsh_source, for fish
      _NEAR_GOV_COMPLETE=fish_source near-gov | source
    """
    if actor is not None and not actor.strip():
        given = "NEAR_GOV_ACTOR" if ctx.get_parameter_source("actor") == ParameterSource.ENVIRONMENT else "--actor"
        raise click.UsageError(f"{given} names no one: give the name of who records the changes, "
                               "or leave it out to record your login name", ctx)
    ctx.obj = Env(ctx, store, actor)


def run() -> None:
    """The `near-gov` program (the console script, and `python -m near_gov.cli`)."""
    signal.signal(signal.SIGINT, on_sigint)
    try:
        main(prog_name="near-gov")
    finally:
        # The command has ended and its output is out: an interrupt now would only cut
        # the interpreter's shutdown short, ending the process by the signal instead of
        # with the command's exit code.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
