"""What the CLI suites share: running `near-gov` on one store with CliRunner, counting the
store's events, and the histories the tests start from (given through the service, which
is faster than the command line and tested on its own). The fixtures built from these
are in conftest.py."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from click.testing import CliRunner, Result

from near_gov.cli import main
from near_gov.service import Governance
from tests.histories import given_rasun_city_admitted_at_ga4


class Cli:
    """`near-gov --store URL --actor clerk ...` run in-process."""

    def __init__(self, url: str):
        self.url = url

    def __call__(self, *args: str, input: str | bytes | None = None, env: dict[str, str] | None = None) -> Result:
        return CliRunner(env=env).invoke(main, ["--store", self.url, "--actor", "clerk", *args], input=input)

    def ok(self, *args: str) -> Result:
        result = self(*args)
        assert result.exit_code == 0, result.output
        assert result.stderr == "", result.stderr
        return result

    def json(self, *args: str) -> Any:
        """The one JSON document a command prints with `--format json`."""
        return json.loads(self.ok(*args, "--format", "json").stdout)

    @contextmanager
    def gov(self) -> Iterator[Governance]:
        app = Governance(self.url, actor="clerk")
        try:
            yield app
        finally:
            app.close()

    def given(self, history: Callable[[Governance], Any]) -> Cli:
        """Record a history through the service; return this command line."""
        with self.gov() as app:
            history(app)
        return self

    def events(self) -> int:
        with self.gov() as app:
            return app.recorder.max_notification_id() or 0

    def fails(self, *args: str, error: str, code: int) -> Result:
        """Run a command that must fail with exactly `Error: {error}` and write nothing."""
        before = self.events()
        result = self(*args)
        assert (result.exit_code, result.stderr, result.stdout) == (code, f"Error: {error}\n", ""), result.output
        assert self.events() == before
        return result


def cli_on(path: Path) -> Cli:
    """The command line on a SQLite file in `path` (created on first use)."""
    return Cli(str(path / "register.db"))


def given_admitted(app: Governance) -> None:
    """Rasun City admitted by GA-4/D1, Khabarovsk Territory attending, GA-4 closed on 2002-09-13."""
    given_rasun_city_admitted_at_ga4(app)
    app.attend("GA-4", ["Khabarovsk Territory"])
    app.close_assembly("GA-4", "2002-09-13")


def subcommands(group: click.Group) -> list[tuple[str, click.Command]]:
    """A group's commands by name, as click finds them: the root group loads each
    command's module on first use, so its `.commands` holds only those used so far."""
    ctx = click.Context(group)
    found = ((name, group.get_command(ctx, name)) for name in group.list_commands(ctx))
    return [(name, command) for name, command in found if command is not None]
