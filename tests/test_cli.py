"""The command line as a whole: help and examples everywhere, global options, the store in
use, one-line errors with their exit codes, fast start-up and quiet progress."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from domain.errors import ConcurrentChange, IntegrityFailure
from near_gov.cli import main
from near_gov.cli.base import progress
from near_gov.service import Governance
from tests.cli_support import Cli, subcommands


def every_command(group: click.Group = main, path: tuple[str, ...] = ()):
    yield path
    for name, command in subcommands(group):
        if isinstance(command, click.Group):
            yield from every_command(command, (*path, name))
        else:
            yield (*path, name)


def command_at(path: tuple[str, ...]) -> click.Command:
    command = main
    for name in path:
        command = command.get_command(None, name)
    return command


COMMANDS = list(every_command())
LEAVES = [p for p in COMMANDS if not isinstance(command_at(p), click.Group)]


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "near-gov")
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_every_command_has_help_with_an_example(path, flag):
    result = CliRunner().invoke(main, [*path, flag])

    assert result.exit_code == 0, result.output
    assert "\n  Example:\n    near-gov " in result.stdout


def test_every_contract_command_exists():
    contract = {
        "region register", "region record", "region rename", "region withdraw", "region show", "region list",
        "application submit", "application screen", "application schedule", "application withdraw",
        "application show", "application list", "assembly convene", "assembly attend", "assembly close",
        "assembly decide", "assembly show", "assembly list", "assembly replay", "committee list",
        "committee show", "committee elect", "charter show", "charter history", "charter diff", "roster",
        "history", "audit membership", "audit seal", "audit verify", "tasks", "load", "export", "import",
        "projections status", "projections rebuild", "report", "store",
    }

    assert contract <= {" ".join(p) for p in COMMANDS}


@pytest.mark.parametrize("path", LEAVES, ids=" ".join)
def test_every_command_takes_format(path):
    assert "fmt" in {p.name for p in command_at(path).params}


def test_version_names_the_program():
    result = CliRunner().invoke(main, ["--version"])

    assert result.exit_code == 0
    assert result.stdout.startswith("near-gov 0.")


def test_store_prints_the_store_in_use_without_opening_it(tmp_path):
    path = tmp_path / "sub" / "register.db"

    result = Cli(str(path)).ok("store")

    assert result.stdout == f"sqlite {path}\n"
    assert not path.exists()


def test_store_is_read_from_the_environment_and_hides_the_password():
    result = CliRunner(env={"NEAR_GOV_STORE": "postgresql://near:secret@db.example:5433/near?schema=gov"}).invoke(
        main, ["store", "--format", "json"])

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"kind": "postgres",
                                         "store": "postgresql://near@db.example:5433/near (schema gov)"}


def test_default_store_is_a_file_in_the_data_directory(tmp_path):
    result = CliRunner(env={"XDG_DATA_HOME": str(tmp_path), "NEAR_GOV_STORE": None}).invoke(main, ["store"])

    assert result.stdout == f"sqlite {tmp_path}/near-gov/register.db\n"


def test_default_store_file_is_created_for_its_owner_only(tmp_path):
    result = CliRunner(env={"XDG_DATA_HOME": str(tmp_path), "NEAR_GOV_STORE": None}).invoke(
        main, ["region", "register", "Rasun City", "--country", "KP"])

    assert result.exit_code == 0, result.output
    assert (tmp_path / "near-gov" / "register.db").stat().st_mode & 0o777 == 0o600


def test_bad_store_url_is_bad_usage(cli):
    result = CliRunner().invoke(main, ["--store", "mysql://db/near", "region", "register", "X", "--country", "KP"])

    assert result.exit_code == 2
    assert result.stderr.startswith("Error: unsupported store 'mysql://db/near': use a file path")
    assert result.stderr.count("\n") == 1


def test_unknown_option_is_one_line_with_a_hint(cli):
    cli.fails("region", "register", "Rasun City", "--county", "KP",
              error="No such option '--county'. Did you mean '--country'? "
                    "Try 'near-gov region register -h' for help.", code=2)


def test_missing_option_is_one_line(cli):
    cli.fails("region", "register", "Rasun City",
              error="Missing option '--country'. Try 'near-gov region register -h' for help.", code=2)


def test_unknown_command_is_one_line(cli):
    cli.fails("regions", error="No such command 'regions'. (Did you mean one of: 'projections', 'region'?) "
                               "Try 'near-gov -h' for help.", code=2)


def test_unknown_global_option_is_one_line():
    result = CliRunner().invoke(main, ["--stor", "x.db", "store"])

    assert (result.exit_code, result.stderr) == (
        2, "Error: No such option '--stor'. (Did you mean one of: '--actor', '--store'?) Try 'near-gov -h' for help.\n")


def test_csv_is_refused_where_the_result_is_not_a_list(cli):
    cli.fails("region", "register", "Rasun City", "--country", "KP", "--format", "csv",
              error="Invalid value for '--format': 'csv' is not one of 'table', 'json'. "
                    "Try 'near-gov region register -h' for help.", code=2)


def test_actor_from_the_environment_is_recorded_on_events(tmp_path):
    url = str(tmp_path / "register.db")

    result = CliRunner(env={"NEAR_GOV_ACTOR": "secretariat"}).invoke(
        main, ["--store", url, "region", "register", "Rasun City", "--country", "KP"])

    assert result.exit_code == 0, result.output
    with Cli(url).gov() as app:
        (notification, *_) = app.recorder.select_notifications(start=1, limit=10)
        assert app.mapper.to_domain_event(notification).actor == "secretariat"


@pytest.mark.parametrize("command", [["region", "register", "Rasun City", "--country", "KP"], ["roster"]],
                         ids=["write", "query"])
def test_unreachable_postgresql_is_one_line_exit_5(monkeypatch, command):
    monkeypatch.setattr("near_gov.persistence.stores.CONNECT_TIMEOUT", 1)
    url = "postgresql://postgres@127.0.0.1:1/test"

    result = CliRunner().invoke(main, ["--store", url, *command])

    assert result.exit_code == 5, result.output
    assert result.stderr == ("Error: cannot open the store postgresql://postgres@127.0.0.1:1/test: Connection refused; "
                             "check that the server is running and the URL's host and port\n")


def test_help_does_not_import_the_register():
    code = "import sys; from near_gov.cli import main; " \
           "print(sorted(m for m in ('eventsourcing', 'pydantic', 'domain', 'projections', 'tabulate', " \
           "'near_gov.service') if m in sys.modules))"

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    assert out.stdout == "[]\n"


def test_progress_is_quiet_when_stderr_is_not_a_terminal():
    with progress("Loading") as bar:
        assert bar is None


def test_progress_draws_a_bar_on_a_terminal(monkeypatch, capsys):
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)

    with progress("Loading") as bar:
        bar(5, 10)
        bar(10, 10)

    assert "Loading" in capsys.readouterr().err


def test_python_dash_m_runs_the_same_command_line(tmp_path):
    out = subprocess.run([sys.executable, "-m", "near_gov.cli", "--store", str(tmp_path / "r.db"), "store"],
                         capture_output=True, text=True)

    assert (out.returncode, out.stdout) == (0, f"sqlite {tmp_path / 'r.db'}\n")


def test_a_write_command_prints_one_json_document(cli: Cli):
    result = cli.ok("region", "register", "Rasun City", "--country", "KP", "--format", "json")

    assert json.loads(result.stdout) == {"name": "Rasun City", "country": "KP"}


def test_refusal_leaves_the_store_unchanged(scheduled: Cli):
    scheduled.fails("assembly", "decide", "GA-9", "--approve", "APP-2002-001",
                    error="no assembly GA-9; known: GA-4 (see `near-gov assembly list`)", code=1)


def test_path_argument_of_a_missing_file_is_bad_usage(cli: Cli, tmp_path: Path):
    cli.fails("load", str(tmp_path / "nope.yaml"),
              error=f"Invalid value for 'FILE': File '{tmp_path / 'nope.yaml'}' does not exist. "
                    "Try 'near-gov load -h' for help.", code=2)


@pytest.mark.parametrize(("error", "code"), [
    (ConcurrentChange(), 3),
    (IntegrityFailure("the chain breaks at event 7: recompute it with `near-gov audit verify`"), 4),
    (RuntimeError("boom"), 1),
], ids=["concurrent-change", "integrity-failure", "unexpected"])
def test_every_failure_is_one_line_with_its_exit_code(cli: Cli, monkeypatch, error, code):
    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(Governance, "register_region", fail)

    result = cli.fails("region", "register", "Rasun City", "--country", "KP", code=code, error={
        3: "the register was changed concurrently by another writer; retry",
        4: "the chain breaks at event 7: recompute it with `near-gov audit verify`",
        1: "unexpected RuntimeError: boom (please report this with the command you ran)",
    }[code])

    assert "Traceback" not in result.output


def test_shell_completion_is_clicks_own():
    result = CliRunner(env={"_NEAR_GOV_COMPLETE": "bash_complete", "COMP_WORDS": "near-gov reg", "COMP_CWORD": "1"}
                       ).invoke(main, [])

    assert result.stdout == "plain,region\n"


@pytest.mark.parametrize("command", [["region", "register", "Rasun City", "--country", "KP"], ["roster"]],
                         ids=["write", "query"])
def test_a_store_file_that_is_not_a_database_is_one_line_exit_2_and_left_alone(tmp_path, command):
    path = tmp_path / "notes.txt"
    path.write_text("minutes of GA-4\n")

    result = CliRunner().invoke(main, ["--store", str(path), *command])

    assert result.exit_code == 2, result.output
    assert result.stderr == (f"Error: cannot use the store sqlite {path}: the file is not a SQLite database; "
                             "give a near-gov register file or a new path\n")
    assert path.read_text() == "minutes of GA-4\n"


def test_every_command_a_cli_module_defines_is_loaded_from_that_module():
    """The root group finds a command's module by name (`MODULES`): a command a module
    defines but the map leaves out would be missing from `near-gov` with no error."""
    from importlib import import_module
    from pathlib import Path

    from near_gov.cli import MODULES

    package = Path(import_module("near_gov.cli").__file__).parent
    defined = {}
    for path in sorted(p for p in package.glob("*.py") if not p.stem.startswith("_")):
        module = import_module(f"near_gov.cli.{path.stem}")
        for command in getattr(module, "COMMANDS", ()):
            defined[command.name] = path.stem

    assert defined == MODULES
