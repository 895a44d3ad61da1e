"""Golden files of every query command's JSON output, on NEAR's documented history.

A guard for restructuring the write side: the register built by `near-gov load
examples/near/history.yaml` (and, for the commands that need open cases, a few more
commands on top of it) must answer every query exactly as before. Each query's stdout
is compared, after `normalise`, with `tests/golden/<register>/<command>.json`.

To regenerate the goldens after an intended change of output, run

    NEAR_GOV_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py

which writes the files (and skips the comparisons), then review `git diff tests/golden`
and commit. In a normal run a missing golden file is a failure, never written.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path

import click
import pytest

from near_gov.cli import main
from tests.cli_support import Cli, cli_on, subcommands

HISTORY = Path(__file__).parent.parent / "examples" / "near" / "history.yaml"
GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("NEAR_GOV_UPDATE_GOLDEN") == "1"
STORE_DIR = "{store_dir}"  # in a command's arguments: the directory of the store it runs on

# The queries run on the documented history alone. Fixed dates are given where the
# command takes one, so that only `roster`'s default `--as-of` is today.
DOCUMENTED = [
    ("roster",),
    ("roster", "--as-of", "1996-12-31"),
    ("roster", "--as-of", "2004-01-01"),
    ("roster", "--as-of", "2011-01-01", "--country", "KP"),
    ("roster", "--as-of", "2011-01-01", "--status", "observer"),
    ("roster", "--as-of", "2011-01-01", "--known-at", "2000-01-01T00:00:00Z"),
    ("region", "list"),
    ("region", "show", "Rasun City"),
    ("region", "show", "Gyeongsangbuk-do Province"),
    ("application", "list"),
    ("assembly", "list"),
    ("assembly", "show", "GA-4"),
    ("assembly", "show", "GA-8"),
    ("assembly", "show", "WC-4"),
    ("assembly", "replay", "GA-4"),
    ("assembly", "replay", "GA-8"),
    ("committee", "list"),
    ("committee", "show", "Sub-Committee on Tourism"),
    ("charter", "show"),
    ("charter", "show", "--as-of", "1997-01-01"),
    ("charter", "history"),
    ("charter", "diff", "0", "1"),
    ("history",),
    ("history", "--region", "Rasun City"),
    ("history", "--assembly", "GA-4"),
    ("history", "--since", "2004-01", "--until", "2004-12", "--limit", "5", "--offset", "1"),
    ("audit", "membership", "Rasun City"),
    ("audit", "membership", "Heilongjiang Province"),
    ("audit", "verify"),
    ("case", "list"),
    ("tasks",),
    ("projections", "status"),
    ("store",),
    ("export",),
    ("report", "--out", f"{STORE_DIR}/report.html", "--as-of", "2011-01-01"),
]

# Right after the load, before any query: the read models catch up on the first read,
# so their status is pinned here on a store of its own, and on `documented` after a read.
JUST_LOADED = [
    ("projections", "status"),
]

# What the documented history has none of (applications, cases, an admission, a seal),
# given through the command line after loading it.
GIVEN_OPEN_CASES = [
    ("application", "submit", "Jilin Province", "--country", "CN", "--on", "2011-03-01"),
    ("application", "screen", "APP-2011-001", "--eligible"),
    ("application", "submit", "Hokkaido", "--country", "JP", "--for", "observer", "--on", "2011-04"),
    ("case", "propose-amendment", "--scope", "CN,JP,KR,KP,MN,RU,KZ", "--on", "2011-05",
     "--note", "letter of Gyeonggi-do Province"),
    ("case", "nominate", "Sub-Committee on Tourism", "Toyama Prefecture", "--on", "2011-06"),
    ("case", "notify-withdrawal", "Yamaguchi Prefecture", "--on", "2011-07", "--source", "letter of 2011-07-01"),
    ("assembly", "convene", "GA", "9", "--host", "Gyeonggi-do Province", "--on", "2012-10"),
    ("application", "schedule", "APP-2011-001", "--assembly", "GA-9"),
    ("assembly", "attend", "GA-9", "Gyeonggi-do Province", "Toyama Prefecture"),
    ("assembly", "decide", "GA-9", "--approve", "APP-2011-001"),
    ("assembly", "close", "GA-9", "--on", "2012-10"),
    ("audit", "seal"),
]

OPEN_CASES = [
    ("application", "list"),
    ("application", "list", "--status", "submitted"),
    ("application", "show", "APP-2011-001"),
    ("application", "show", "APP-2011-002"),
    ("case", "list"),
    ("case", "list", "--process", "withdrawal"),
    ("case", "show", "AMD-2011-001"),
    ("case", "show", "ELE-2011-001"),
    ("case", "show", "WDR-2011-001"),
    ("tasks",),
    ("assembly", "show", "GA-9"),
    ("assembly", "replay", "GA-9"),
    ("roster", "--as-of", "2013-01-01", "--country", "CN"),
    ("region", "show", "Jilin Province"),
    ("audit", "membership", "Jilin Province"),
    ("history", "--assembly", "GA-9"),
    ("audit", "verify"),
]

# Every other command changes the register; `test_every_query_command_has_a_golden` keeps
# this list honest.
WRITES = {
    "region register", "region record", "region count", "region rename", "region withdraw",
    "application submit", "application screen", "application schedule", "application withdraw",
    "assembly convene", "assembly attend", "assembly decide", "assembly close",
    "committee elect", "committee record",
    "case propose-amendment", "case nominate", "case elect", "case decline", "case confirm",
    "case notify-withdrawal", "case withdraw",
    "audit seal", "load", "import", "projections rebuild",
    # Write key or receipt files, or check them: each output holds a new key's id and
    # signature (tests/test_signed_seals.py and tests/test_receipts.py check them).
    "audit keygen", "audit prove", "audit check",
    # Changes the database's roles, on PostgreSQL only (tests/test_db_roles.py).
    "store grant",
}

REGISTERS = {"documented": DOCUMENTED, "just-loaded": JUST_LOADED, "open-cases": OPEN_CASES}

RECORDED_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})")
CHAIN_HEAD = re.compile(r"\b[0-9a-f]{64}\b")


def normalise(stdout: str, store_dir: Path, days: set[str]) -> str:
    """Replace by a placeholder what differs from one run to the next, and nothing else:

    - the recorded time of every event (`recorded_at`, `registered_at`, an open case's
      `since` and `waiting_since`, an export's `timestamp`), set by the clock; the one
      timestamp the commands are given, `--known-at 2000-01-01T00:00:00Z`, is hidden too;
    - the hash chain's head (`audit verify`, `report`, the export's last line): the
      chain hashes the events with their recorded times;
    - `as_of` when it is today's date, the default of `roster --as-of`;
    - the temporary directory of the store (`store`, `report`'s path).
    """
    text = stdout.replace(str(store_dir), "<store-dir>")
    text = RECORDED_TIME.sub("<recorded-time>", text)
    text = CHAIN_HEAD.sub("<chain-head>", text)
    for day in days:
        text = text.replace(f'"as_of": "{day}"', '"as_of": "<today>"')
    return text


def today() -> str:
    return datetime.now(UTC).date().isoformat()


def golden_path(register: str, args: tuple[str, ...]) -> Path:
    name = re.sub(r"[^a-z0-9]+", "-", " ".join(args).replace(STORE_DIR, "").lower()).strip("-")
    return GOLDEN / register / f"{name}.{'jsonl' if args[0] == 'export' else 'json'}"


def query(cli: Cli, args: tuple[str, ...]) -> str:
    """Run one query with `--format json` (export: JSON Lines on stdout); its normalised stdout."""
    store_dir = Path(cli.url).parent
    days = {today()}
    args = tuple(arg.replace(STORE_DIR, str(store_dir)) for arg in args)
    stdout = cli.ok(*args).stdout if args[0] == "export" else cli.ok(*args, "--format", "json").stdout
    days.add(today())
    for document in stdout.splitlines() if args[0] == "export" else [stdout]:
        json.loads(document)
    return normalise(stdout, store_dir, days)


def check_golden(register: str, cli: Cli, args: tuple[str, ...]) -> None:
    path = golden_path(register, args)
    actual = query(cli, args)
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        pytest.skip(f"wrote {path.relative_to(GOLDEN.parent)}")
    if not path.exists():
        pytest.fail(f"no golden file {path}: write it with NEAR_GOV_UPDATE_GOLDEN=1 (see this module's docstring)",
                    pytrace=False)
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = difflib.unified_diff(expected.splitlines(), actual.splitlines(), f"golden {path.name}",
                                    "near-gov " + " ".join(args), lineterm="", n=2)
        shown = list(diff)
        more = f"\n... {len(shown) - 80} more diff lines" if len(shown) > 80 else ""
        pytest.fail("output differs from its golden (if intended, regenerate with NEAR_GOV_UPDATE_GOLDEN=1):\n"
                    + "\n".join(shown[:80]) + more, pytrace=False)


@pytest.fixture(scope="module")
def documented(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    """The documented history, its read models caught up by a first query, so that
    `projections status` does not depend on which tests ran before it."""
    cli = cli_on(tmp_path_factory.mktemp("documented"))
    cli.ok("load", str(HISTORY))
    cli.ok("roster")
    return cli


@pytest.fixture
def just_loaded(tmp_path: Path) -> Cli:
    cli = cli_on(tmp_path)
    cli.ok("load", str(HISTORY))
    return cli


@pytest.fixture(scope="module")
def open_cases(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    cli = cli_on(tmp_path_factory.mktemp("open-cases"))
    cli.ok("load", str(HISTORY))
    for args in GIVEN_OPEN_CASES:
        cli.ok(*args)
    return cli


@pytest.mark.parametrize("args", DOCUMENTED, ids=" ".join)
def test_query_of_the_documented_history_matches_its_golden(documented: Cli, args: tuple[str, ...]):
    check_golden("documented", documented, args)


@pytest.mark.parametrize("args", JUST_LOADED, ids=" ".join)
def test_query_right_after_the_load_matches_its_golden(just_loaded: Cli, args: tuple[str, ...]):
    check_golden("just-loaded", just_loaded, args)


@pytest.mark.parametrize("args", OPEN_CASES, ids=" ".join)
def test_query_of_open_cases_matches_its_golden(open_cases: Cli, args: tuple[str, ...]):
    check_golden("open-cases", open_cases, args)


def leaf_commands(group: click.Group = main, path: tuple[str, ...] = ()):
    for name, command in subcommands(group):
        if isinstance(command, click.Group):
            if command.invoke_without_command:  # a command of its own too (`store`)
                yield " ".join((*path, name))
            yield from leaf_commands(command, (*path, name))
        else:
            yield " ".join((*path, name))


def command_of(args: tuple[str, ...]) -> str:
    """The command path at the start of `args`: `("region", "show", "X")` -> `region show`."""
    command, path = main, []
    for arg in args:
        found = command.get_command(click.Context(command), arg) if isinstance(command, click.Group) else None
        if found is None:
            break
        command = found
        path.append(arg)
    return " ".join(path)


def test_every_query_command_has_a_golden():
    commands = set(leaf_commands())
    covered = {command_of(args) for queries in REGISTERS.values() for args in queries}

    assert commands - WRITES - covered == set()
    assert WRITES - commands == set()
    assert covered & WRITES == set()


def test_every_golden_file_belongs_to_a_query():
    used = {golden_path(register, args) for register, queries in REGISTERS.items() for args in queries}

    assert {p for p in GOLDEN.rglob("*") if p.is_file()} - used == set()


def test_normalise_hides_recorded_times_heads_today_and_the_store_dir_only():
    stdout = ('{"as_of": "2031-02-03", "since": "2012-10", "on": "2011-03-01", "opened": "1996-09",\n'
              ' "recorded_at": "2031-02-03T04:05:06.789012+00:00", "timestamp": "2031-02-03T04:05:06Z",\n'
              f' "head": "{"ab" * 32}", "position": 381, "path": "/tmp/x/register.db", "id": "GA-4"}}')

    normalised = normalise(stdout, Path("/tmp/x"), {"2031-02-03"})

    assert normalised == ('{"as_of": "<today>", "since": "2012-10", "on": "2011-03-01", "opened": "1996-09",\n'
                          ' "recorded_at": "<recorded-time>", "timestamp": "<recorded-time>",\n'
                          ' "head": "<chain-head>", "position": 381, "path": "<store-dir>/register.db", "id": "GA-4"}')
