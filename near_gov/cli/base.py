"""What every command shares: the group that turns every failure into one `Error:`
line and its exit code (and an interrupt into exit 130, a closed pipe into a quiet
end), the per-invocation environment (store, actor, the opened register), the
`--format` option and progress bars.

Only click is imported at module level: `near-gov --help` must stay fast, so the
register (eventsourcing, pydantic, projections) is opened on first use."""

from __future__ import annotations

import errno
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


class Interrupted(click.ClickException):
    """Ctrl-C (SIGINT): one line on stderr, exit 130. Every commit is atomic: the
    register holds a command's effects whole or not at all (an import, which commits a
    batch at a time, is finished by running it again)."""

    exit_code = 130

    def __init__(self) -> None:
        super().__init__("Interrupted.")

    def show(self, file: Any = None) -> None:
        click.echo(self.message, err=True)


#: Set by the console script's SIGINT handler: an exception raised after Ctrl-C is the
#: interrupt's, whatever a library turned it into (pydantic reports a KeyboardInterrupt
#: raised inside a serializer as a PydanticSerializationError, say).
INTERRUPTED: list[bool] = []


def on_sigint(signum: int, frame: Any) -> None:
    INTERRUPTED.append(True)
    raise KeyboardInterrupt


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
    code (1 refused, 2 bad usage or input, 3 concurrent change, 4 integrity failure,
    5 store cannot be opened or reached, 130 interrupted), never a traceback; where
    output to a closed pipe (`near-gov export | head -1`) ends quietly with exit 0."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().main(*args, **kwargs)
        finally:
            _flush_stdout()  # here, not at interpreter exit, where a closed pipe would print a warning

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: Any) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except BaseException as e:  # noqa: BLE001 - every failure is classified
            raise _classify(e, None) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            try:
                return super().invoke(ctx)
            except BaseException as e:
                if isinstance(ctx.obj, Env):  # made by the group's callback, inside super().invoke
                    ctx.obj.failed = not _ends_well(e)
                raise
            finally:
                # Close the register (and remove a store a failed command created) here
                # rather than after, so that an interrupt meanwhile is still exit 130.
                ctx.close()
        except BaseException as e:  # noqa: BLE001 - every failure is classified
            failure = _classify(e, ctx.obj if isinstance(ctx.obj, Env) else None)
            if failure is e:
                raise
            raise failure from None


def _ends_well(e: BaseException) -> bool:
    """Whether a command that raised `e` still succeeded: an exit 0, or output cut short
    by its reader (`| head -1`)."""
    if isinstance(e, click.exceptions.Exit):
        return e.exit_code == 0
    return isinstance(e, OSError) and e.errno == errno.EPIPE


def _classify(e: BaseException, env: Env | None) -> BaseException:
    """What to raise to click for an exception: a Failure (an `Error:` line and its
    exit code), Interrupted, a quiet exit for a closed pipe, or click's own."""
    if isinstance(e, click.UsageError):
        return _usage_failure(e)
    if isinstance(e, click.ClickException | click.exceptions.Exit | SystemExit):
        return e
    if isinstance(e, KeyboardInterrupt | click.Abort) or (INTERRUPTED and isinstance(e, Exception)):
        return Interrupted()
    if isinstance(e, OSError) and e.errno == errno.EPIPE:
        _discard_stdout()
        return click.exceptions.Exit(0)
    if isinstance(e, Exception):
        return _failure(e, env)
    return e


def _flush_stdout() -> None:
    try:
        sys.stdout.flush()
    except OSError as e:
        if e.errno != errno.EPIPE:
            raise
        _discard_stdout()


def _discard_stdout() -> None:
    """Send what is left of stdout nowhere: the reader closed the pipe (`| head -1`)."""
    try:
        fd = sys.stdout.fileno()
    except (OSError, ValueError, AttributeError):  # not a file (a test's captured output)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


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
    if stores and isinstance(e, stores.StoreUnavailable):
        return Failure(str(e), 5)
    persistence = sys.modules.get("eventsourcing.persistence")
    denied = _denied(e)
    if denied:
        return Failure(denied if env is None else _refused(env.store(), denied), 5)
    sqlite = sys.modules.get("sqlite3")
    if sqlite and isinstance(e, sqlite.DatabaseError) and "file is not a database" in str(e):
        where = env.store_description() if env else "the store"
        return Failure(f"cannot use the store {where}: the file is not a SQLite database; "
                       "give a near-gov register file or a new path", 2)
    psycopg = sys.modules.get("psycopg")
    if persistence and isinstance(e, persistence.OperationalError | persistence.InterfaceError) \
            or sqlite and isinstance(e, sqlite.OperationalError) \
            or psycopg and isinstance(e, psycopg.OperationalError | psycopg.InterfaceError):  # read models: the drivers
        where = env.store_description() if env else "the store"
        detail = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        action = "check that the server is running and the URL is right" \
            if where.startswith("postgresql") else "check the file and its folder, and retry"
        return Failure(f"cannot use the store {where} ({detail}): {action}", 5)
    if persistence and isinstance(e, persistence.MapperDeserialisationError):
        # A stored event or snapshot that does not decode into its class, met by a
        # command that loads its record: the log was changed outside near-gov.
        from projections.events import RESTORE  # noqa: PLC0415 - only on this failure
        return Failure(f"{e}; it was changed outside near-gov: {RESTORE}", 4)
    if isinstance(e, OSError) and e.filename:
        return Failure(f"{e.strerror or e}: {e.filename}", 1)
    return Failure(f"unexpected {type(e).__name__}: {e} (please report this with the command you ran)", 1)


def _denied(e: BaseException) -> str:
    """The server's reason if `e` (or the error the library wrapped in it) is PostgreSQL's
    refusal of the role's privileges, else ""."""
    psycopg = sys.modules.get("psycopg")
    if psycopg is None:
        return ""
    cause = e if isinstance(e, psycopg.Error) else e.__cause__
    if not isinstance(cause, psycopg.errors.InsufficientPrivilege):
        return ""
    return " ".join(str(cause).strip().splitlines()[0].split()) or "permission denied"


def _refused(store: Store, reason: str) -> str:
    """What to tell the user when the server refused this role (`store grant` sets roles up)."""
    return (f"the store {store.describe()} refused role {store.user} ({reason}); nothing was changed: "
            f"a role the store's owner set up with `near-gov store grant ROLE --read` may only read, "
            f"one with --write may also append, and changing events or rebuilding the read models is the owner's")


class Env:
    """One invocation's store and actor; opens the register when a command needs it, as
    the command needs it (`persistence.opening`: a query never creates a store, a write
    refuses a read-only one), and closes it when the command ends."""

    def __init__(self, ctx: click.Context, store: str | None, actor: str | None):
        self.store_url = store
        self.actor = actor
        #: Whether the command failed (set by NearGroup.invoke): a store it created goes.
        self.failed = False
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
        """The `Governance` application on this invocation's store, to write: the store
        is created if it is missing, and refused (exit 5) if it may not be written."""
        return self._governance(write=True)

    @property
    def reader(self) -> Governance:
        """The `Governance` application on this invocation's store, for a query."""
        return self._governance(write=False)

    def writable(self) -> None:
        """Check that the store exists and may be written (for maintenance such as a
        rebuild of the read models, which writes but creates nothing)."""
        from near_gov.persistence.opening import for_query, for_write  # noqa: PLC0415 - only commands need it

        for_write(for_query(self.store()))

    def _governance(self, write: bool) -> Governance:
        if self._gov is None:
            from near_gov.service import Governance  # noqa: PLC0415 - slow import

            self._gov = Governance(self._open(write), actor=self.actor)
            self._ctx.call_on_close(self._gov.close)
        return self._gov

    def _open(self, write: bool) -> Store:
        from near_gov.persistence.opening import Creation, for_query, for_write  # noqa: PLC0415 - only commands

        store = self.store()
        if not write:
            return for_query(store)
        if store.path is None:
            return for_write(store)
        creation = Creation(store.path)
        # Arranged before anything is created; it runs after the register is closed
        # (callbacks run last in, first out).
        self._ctx.call_on_close(lambda: creation.finish(succeeded=not self.failed))
        return for_write(store, creation)

    @property
    def reads(self) -> Reads:
        """The read models, caught up with the register."""
        if self._reads is None:
            from near_gov.reads import Reads  # noqa: PLC0415 - slow import

            # A query alone opens the store without the write side (fast start-up);
            # a memory store lives in its application, so it shares the command's.
            store = self.store()
            share = self._gov is not None or store.kind == "memory"
            self._reads = Reads(self.reader) if share else Reads(store=self._open(write=False))
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
