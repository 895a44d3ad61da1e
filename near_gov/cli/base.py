"""What every command shares: the group that turns every failure into one `Error:`
line and its exit code, the per-invocation environment (store, actor, the opened
register), the `--format` option and progress bars.

Only click is imported at module level: `near-gov --help` must stay fast, so the
register (eventsourcing, pydantic, projections) is opened on first use."""

from __future__ import annotations

import inspect
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from near_gov.persistence.stores import Store
    from near_gov.reads import Reads
    from near_gov.service import Governance

F = TypeVar("F", bound=Callable[..., Any])

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class Failure(click.ClickException):
    """A failure shown as `Error: MESSAGE` on stderr, exiting with `exit_code`."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        # click declares `exit_code` a class variable, but reads it from the instance it catches.
        self.exit_code = exit_code  # type: ignore[misc]


def check_given_once(command: click.Command, ctx: click.Context, args: list[str]) -> None:
    """Refuse an option given twice that takes one value (click keeps the last one
    silently): `--resolve a --resolve b` is a mistake, not a choice of "b". The parser
    lists each option every time it is given; options that collect repeats
    (`multiple`, `count`) and help are left alone."""
    if ctx.resilient_parsing:
        return
    _, _, order = command.make_parser(ctx).parse_args(args=list(args))
    seen: set[click.Parameter] = set()
    for param in order:
        repeatable = getattr(param, "multiple", False) or getattr(param, "count", False) or param.is_eager
        if param in seen and isinstance(param, click.Option) and not repeatable:
            times = sum(1 for p in order if p is param)
            names = " / ".join(f"'{name}'" for name in [*param.opts, *param.secondary_opts])
            raise click.UsageError(f"option {names} is given {times} times; give it once", ctx)
        seen.add(param)


class Command(click.Command):
    """Every command of near-gov: an option that takes one value is given at most once."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        check_given_once(self, ctx, args)
        return super().parse_args(ctx, args)


class Group(click.Group):
    """Every command group of near-gov: its options given at most once, its commands
    `Command`s, and run without a command it shows a short usage (exit 0), not an error."""

    command_class = Command
    group_class = type

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args and self.no_args_is_help and not ctx.resilient_parsing:
            click.echo(self.short_usage(ctx))
            ctx.exit(0)
        check_given_once(self, ctx, args)
        return super().parse_args(ctx, args)

    def short_usage(self, ctx: click.Context) -> str:
        """The usage line, what the group is for, its commands and where help is."""
        about = inspect.cleandoc(self.help or "").split("\n\n")[0]
        commands = ", ".join(self.list_commands(ctx))
        path = ctx.command_path
        return "\n\n".join([
            self.get_usage(ctx),
            click.wrap_text(about, 88),
            click.wrap_text(f"Commands: {commands}", 88, subsequent_indent="  "),
            f"Try '{path} -h' for help, and '{path} COMMAND -h' for a command's.",
        ])


class NearGroup(Group):
    """The root group: the one place where errors become an `Error:` line and an exit
    code (1 refused, 2 bad usage or input, 3 concurrent change, 4 integrity failure),
    never a traceback."""

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: Any) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as e:
            raise _usage_failure(e) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as e:
            raise _usage_failure(e) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort, BrokenPipeError):
            raise
        except Exception as e:  # noqa: BLE001 - every other failure is reported in one line
            raise _failure(e, ctx.obj) from None


def _usage_failure(e: click.UsageError) -> Failure:
    message = e.format_message().rstrip()
    message += "" if message.endswith((".", "?", "!", "?)")) else "."
    hint = f" Try '{e.ctx.command_path} -h' for help." if e.ctx else ""
    return Failure(message + hint, e.exit_code)


def _failure(e: Exception, env: Env | None) -> Failure:
    """Classify an exception raised by a command. Modules are looked up in sys.modules:
    an exception of a module that was never imported cannot have been raised."""
    errors = sys.modules.get("domain.errors")
    if errors and isinstance(e, errors.GovernanceError):
        return Failure(str(e), e.exit_code)
    stores = sys.modules.get("near_gov.persistence.stores")
    if stores and isinstance(e, stores.StoreError):
        return Failure(str(e), 2)
    persistence = sys.modules.get("eventsourcing.persistence")
    sqlite = sys.modules.get("sqlite3")
    if sqlite and isinstance(e, sqlite.DatabaseError) and "file is not a database" in str(e):
        where = env.store_description() if env else "the store"
        return Failure(f"cannot use the store {where}: the file is not a SQLite database; "
                       "give a near-gov register file or a new path", 1)
    if persistence and isinstance(e, persistence.OperationalError | persistence.InterfaceError):
        where = env.store_description() if env else "the store"
        detail = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        action = "check that the server is running and the URL is right" \
            if where.startswith("postgresql") else "check the file and retry"
        return Failure(f"cannot use the store {where} ({detail}): {action}", 1)
    if isinstance(e, OSError) and e.filename:
        return Failure(f"{e.strerror or e}: {e.filename}", 1)
    return Failure(f"unexpected {type(e).__name__}: {e} (please report this with the command you ran)", 1)


class Env:
    """One invocation's store and actor; opens the register when a command needs it,
    and closes it when the command ends."""

    def __init__(self, ctx: click.Context, store: str | None, actor: str | None):
        self.store_url = store
        self.actor = actor
        self._ctx = ctx
        self._gov: Governance | None = None
        self._reads: Reads | None = None

    def store(self) -> Store:
        from near_gov.persistence.stores import parse_store  # noqa: PLC0415 - cheap, but only commands need it

        return parse_store(self.store_url)

    def store_description(self) -> str:
        return self.store().describe()

    @property
    def gov(self) -> Governance:
        """The `Governance` application on this invocation's store."""
        if self._gov is None:
            from near_gov.service import Governance  # noqa: PLC0415 - slow import

            self._gov = Governance(self.store(), actor=self.actor)
            self._ctx.call_on_close(self._gov.close)
        return self._gov

    @property
    def reads(self) -> Reads:
        """The read models, caught up with the register."""
        if self._reads is None:
            from near_gov.reads import Reads  # noqa: PLC0415 - slow import

            # A query alone opens the store without the write side (fast start-up);
            # a memory store lives in its application, so it shares the command's.
            store = self.store()
            share = self._gov is not None or store.kind == "memory"
            self._reads = Reads(self.gov) if share else Reads(store=store)
            self._ctx.call_on_close(self._reads.close)
        return self._reads


pass_env = click.make_pass_decorator(Env)


def format_option(*, csv: bool = False) -> Callable[[F], F]:
    """`--format table|json[|csv]`, passed to the command as `fmt`."""
    choices = ["table", "json", "csv"] if csv else ["table", "json"]
    return click.option(
        "--format", "fmt", type=click.Choice(choices), default="table", show_default=True,
        help="Output: an aligned table for people, one JSON document"
        + (", or CSV with a header row" if csv else "") + " for scripts.",
    )


def country_option(of: str = "the region named") -> Callable[[F], F]:
    """`--country CC`: which region a name means where it has been held in two countries
    (checked as a country code by the command, like every country it is given)."""
    return click.option("--country", metavar="CC",
                        help=f"The country of {of}, where the name has been held in two countries, e.g. KR.")


def new_file(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Check, before any work, that a file to write is named and can be created there."""
    if value is not None and not value.strip():
        raise click.BadParameter("the file name is empty: give a file name, or - for stdout")
    if value not in (None, "-"):
        folder = os.path.dirname(os.path.abspath(value))
        if not os.path.isdir(folder):
            raise click.BadParameter(f"{value!r}: there is no directory {folder}")
    return value


@contextmanager
def progress(label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A `progress(done, total)` callback drawing a bar on a terminal's stderr, or None
    when stderr is not a terminal (piped output stays quiet)."""
    if not sys.stderr.isatty():
        yield None
        return
    with ExitStack() as stack:
        bar: Any = None

        def update(done: int, total: int) -> None:
            nonlocal bar
            if bar is None:
                bar = stack.enter_context(click.progressbar(length=max(total, 1), label=label, file=sys.stderr))
            bar.update(max(done - bar.pos, 0))

        yield update
