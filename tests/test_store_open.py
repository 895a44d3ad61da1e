"""Opening a store, as a new user meets it: a query never creates one (exit 2 for an
absent SQLite path); a refused or bad write on a fresh path leaves no file or folder;
a read-only store answers every query and refuses a write with exit 5; an unreachable
PostgreSQL is exit 5 with the server's reason; Ctrl-C is exit 130 at a whole-command
boundary; a closed pipe ends quietly with exit 0.

Read-only stores are made with chmod. Root ignores file modes, so when the tests run as
root the commands run in a child process without the capabilities that let it
(CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER), as an ordinary owner would."""

from __future__ import annotations

import ctypes
import gc
import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from near_gov.cli import main
from near_gov.persistence.opening import Creation

ROOT = Path(__file__).resolve().parent.parent
HISTORY = str(ROOT / "examples" / "near" / "history.yaml")
NO_REGISTER = ("no register at {path}: check the path (`near-gov store` shows the store in use), "
               "or create the register with a write command such as `near-gov load FILE`")
PASSWORD = "s3cret-pw"

# Linux prctl(2) and capability numbers.
PR_CAPBSET_DROP, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER = 24, 1, 2, 3


def near_gov(store: Path | str, *args: str, input: str | None = None) -> Any:
    return CliRunner().invoke(main, ["--store", str(store), "--actor", "clerk", *args], input=input)


def ok(store: Path | str, *args: str) -> Any:
    result = near_gov(store, *args)
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    return result


def command_line(store: Path | str, *args: str) -> list[str]:
    return [sys.executable, "-m", "near_gov.cli", "--store", str(store), "--actor", "clerk", *args]


def events(store: Path) -> int:
    return int(json.loads(ok(store, "audit", "verify", "--format", "json").stdout)["position"])


def listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# A query never creates a store.

QUERIES = [["roster"], ["region", "list"], ["history"], ["export"], ["audit", "verify"], ["tasks"],
           ["report", "--out", "{out}"], ["projections", "status"], ["projections", "rebuild"]]


@pytest.mark.parametrize("command", QUERIES, ids=lambda c: " ".join(c[:2]))
def test_a_query_on_an_absent_path_is_exit_2_and_creates_nothing(tmp_path: Path, command: list[str]):
    path = tmp_path / "nodir" / "typo.db"

    result = near_gov(path, *[a.format(out=tmp_path / "report.html") for a in command])

    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"Error: {NO_REGISTER.format(path=path)}\n")
    assert listing(tmp_path) == []


# A refused or bad write on a fresh path leaves nothing behind.

def _bad_export(folder: Path) -> str:
    (folder / "bad.jsonl").write_text('{"x": 1}\n')
    return str(folder / "bad.jsonl")


def _bad_records(folder: Path) -> str:
    (folder / "bad.yaml").write_text("format: near-gov/1\nrecords:\n  - nonsense: 1\n")
    return str(folder / "bad.yaml")


FAILED_WRITES = [
    (lambda f: ["region", "register", "Rasun City", "--country", "XX"], 2,
     "unknown country 'XX': use an ISO 3166-1 alpha-2 code such as CN, JP, KR, KP, MN, RU"),
    (lambda f: ["application", "screen", "APP-2002-001", "--eligible"], 1,
     "no application APP-2002-001; see `near-gov application list`"),
    (lambda f: ["import", _bad_export(f)], 2, "line 1: position: Field required; fix the file or export it again"),
    (lambda f: ["load", _bad_records(f)], 2,
     "bad.yaml: record 1 (line 3): a record needs a kind: one of region, assembly, committee, secretariat,"
     " count"),
]


@pytest.mark.parametrize(("command", "code", "error"), FAILED_WRITES, ids=["bad-country", "refused", "import", "load"])
def test_a_failed_write_on_a_fresh_path_leaves_no_file_nor_the_folders_it_made(tmp_path: Path, command: Any,
                                                                               code: int, error: str):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    args = command(inputs)
    path = tmp_path / "new" / "deeper" / "register.db"

    result = near_gov(path, *args)

    assert (result.exit_code, result.stdout, result.stderr) == (code, "", f"Error: {error.format(folder=inputs)}\n")
    assert listing(tmp_path) == sorted(["inputs", *(f"inputs/{p.name}" for p in inputs.iterdir())])


def test_a_refused_import_on_a_fresh_file_in_an_existing_folder_leaves_the_folder_as_it_was(tmp_path: Path):
    bad = _bad_export(tmp_path)

    result = near_gov(tmp_path / "register.db", "import", bad)

    assert result.exit_code == 2, result.output
    assert listing(tmp_path) == ["bad.jsonl"]


def test_a_write_on_a_fresh_path_creates_the_store_for_its_owner_only(tmp_path: Path):
    path = tmp_path / "new" / "register.db"

    ok(path, "region", "register", "Rasun City", "--country", "KP")

    assert (path.stat().st_mode & 0o777, path.parent.stat().st_mode & 0o777) == (0o600, 0o700)
    assert events(path) > 0


def test_a_write_waits_for_the_command_creating_the_store_and_never_writes_into_a_file_it_removes(tmp_path: Path):
    path = tmp_path / "new" / "register.db"
    creation = Creation(path)  # a command creating the store, still running
    assert creation.start()
    writer = subprocess.Popen(command_line(path, "region", "register", "Rasun City", "--country", "KP"),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        time.sleep(1.0)
        waiting = writer.poll() is None
        written_meanwhile = path.stat().st_size
    finally:
        creation.finish(succeeded=False)  # the creating command failed: its file goes
    out, err = writer.communicate(timeout=60)

    assert (waiting, written_meanwhile) == (True, 0)
    assert (writer.returncode, out, err) == (0, "Registered Rasun City (KP).\n", "")
    assert events(path) > 0


# A read-only store answers every query, changes nothing, and refuses a write (exit 5).

READS = [["roster", "--format", "json"], ["region", "list", "--format", "json"], ["history", "--format", "json"],
         ["export"], ["audit", "verify", "--format", "json"], ["report", "--out", "{out}", "--format", "json"]]
WRITES = [["region", "register", "Jilin Province", "--country", "CN"], ["audit", "seal"], ["projections", "rebuild"]]

RUNNER = """
import json, os, sys
from click.testing import CliRunner
from near_gov.cli import main
store, commands = sys.argv[1], json.loads(sys.argv[2])
writable = os.access(store, os.W_OK) and os.access(os.path.dirname(store), os.W_OK)
results = [CliRunner().invoke(main, ["--store", store, "--actor", "clerk", *args]) for args in commands]
print(json.dumps({"writable": writable, "results": [[r.exit_code, r.stdout, r.stderr] for r in results]}))
"""


def _without_root_override() -> None:
    """In the child, before it runs Python: give up the capabilities by which root
    ignores file modes (from the bounding set, so the program it runs has none of them)."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER):
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def as_owner(store: Path, commands: list[list[str]]) -> dict[str, Any]:
    """Run `commands` on `store` in a child process, as its owner bound by file modes."""
    try:
        done = subprocess.run([sys.executable, "-c", RUNNER, str(store), json.dumps(commands)], cwd=ROOT,
                              capture_output=True, text=True, timeout=300,
                              preexec_fn=_without_root_override if os.geteuid() == 0 else None)
    except subprocess.SubprocessError as e:
        pytest.skip(f"running as root, and cannot give up CAP_DAC_OVERRIDE to honour file modes: {e}")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


@pytest.fixture(params=["never-read", "behind", "behind-in-log"])
def register(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    """NEAR's history loaded into a store: its read models never built, or built and
    then left behind by a later write, which may still be in the write-ahead log (a
    connection left open elsewhere keeps SQLite from folding it into the file)."""
    path = tmp_path / "store" / "register.db"
    ok(path, "load", HISTORY)
    if request.param == "never-read":
        yield _closed(path)
        return
    ok(path, "roster")
    if request.param == "behind":
        ok(path, "region", "register", "Test Province", "--country", "KR")
        yield _closed(path)
        return
    elsewhere = sqlite3.connect(_closed(path))
    try:
        elsewhere.execute("SELECT count(*) FROM stored_events").fetchone()
        ok(path, "region", "register", "Test Province", "--country", "KR")
        assert Path(f"{path}-wal").stat().st_size > 0
        yield path
    finally:
        elsewhere.close()


def _closed(path: Path) -> Path:
    """`path`, once SQLite has folded its log into the file, as when the last process
    using it exits (a command run in-process lets go of its last statement only when
    collected)."""
    gc.collect()
    assert not Path(f"{path}-wal").exists()
    return path


def _copy(store: Path, to: Path) -> None:
    """A copy of the store's content, its log included."""
    to.parent.mkdir()
    with sqlite3.connect(store) as source, sqlite3.connect(to) as copy:
        source.backup(copy)
    source.close()
    copy.close()


def _answers(results: list[list[Any]]) -> list[Any]:
    """What each of READS answered (a JSON document parsed), without the path the
    report went to."""
    answers = []
    for args, (code, out, err) in zip(READS, results, strict=True):
        answer = json.loads(out) if code == 0 and "json" in args else out
        if isinstance(answer, dict):
            answer.pop("path", None)
        answers.append((code, answer, err))
    return answers


@pytest.mark.parametrize("where", ["file", "folder"])
def test_a_read_only_store_answers_every_query_as_a_writable_copy_does_and_refuses_writes_with_exit_5(
        register: Path, tmp_path: Path, where: str):
    copy = tmp_path / "copy" / "register.db"
    _copy(register, copy)
    out = tmp_path / "out"
    out.mkdir()
    expected = [near_gov(copy, *[a.format(out=out / "copy.html") for a in args]) for args in READS]
    made_read_only = register if where == "file" else register.parent
    before, files = digest(register), listing(register.parent)
    os.chmod(made_read_only, 0o444 if where == "file" else 0o555)
    try:
        done = as_owner(register, [[a.format(out=out / "report.html") for a in args] for args in READS] + WRITES)
    finally:
        os.chmod(made_read_only, 0o600 if where == "file" else 0o700)

    assert done["writable"] is False
    reads, writes = done["results"][:len(READS)], done["results"][len(READS):]
    assert _answers(reads) == _answers([[r.exit_code, r.stdout, r.stderr] for r in expected])
    reason = (f"the file is read-only; make it writable (chmod u+w {register}) to change the register"
              if where == "file" else
              f"its folder {register.parent} is read-only (SQLite writes its log beside the file); "
              f"make the folder writable (chmod u+w {register.parent}) to change the register")
    assert writes == [[5, "", f"Error: cannot write to the store sqlite {register}: {reason}\n"]] * len(WRITES)
    assert (digest(register), listing(register.parent)) == (before, files)


def test_a_store_that_fails_under_a_command_is_exit_5_with_the_databases_reason(tmp_path: Path, monkeypatch):
    path = tmp_path / "register.db"
    ok(path, "region", "register", "Rasun City", "--country", "KP")

    def locked(*args: Any, **kwargs: Any) -> None:
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr("near_gov.service.Governance.register_region", locked)
    result = near_gov(path, "region", "register", "Jilin Province", "--country", "CN")

    assert (result.exit_code, result.stdout, result.stderr) == (
        5, "", f"Error: cannot use the store sqlite {path} (database is locked): check the file and its folder, "
               "and retry\n")


# PostgreSQL that cannot be reached: exit 5, the server's reason, the password masked.

def _postgres_failures() -> list[Any]:
    server = pytest.mark.skipif(not os.environ.get("NEAR_GOV_TEST_POSTGRES"),
                                reason="set NEAR_GOV_TEST_POSTGRES=1 to hear the reason from PostgreSQL at 127.0.0.1")
    return [
        pytest.param(f"postgresql://postgres:{PASSWORD}@127.0.0.1:5432/near_gov_no_such_db",
                     "postgresql://postgres@127.0.0.1:5432/near_gov_no_such_db",
                     "database \"near_gov_no_such_db\" does not exist; check the URL's user, password and database",
                     marks=server, id="wrong-database"),
        pytest.param(f"postgresql://near_gov_no_such_role:{PASSWORD}@127.0.0.1:5432/test",
                     "postgresql://near_gov_no_such_role@127.0.0.1:5432/test",
                     "role \"near_gov_no_such_role\" does not exist; check the URL's user, password and database",
                     marks=server, id="wrong-user"),
        pytest.param(f"postgresql://postgres:{PASSWORD}@127.0.0.1:1/test", "postgresql://postgres@127.0.0.1:1/test",
                     "Connection refused; check that the server is running and the URL's host and port",
                     id="closed-port"),
    ]


@pytest.mark.parametrize(("url", "shown", "reason"), _postgres_failures())
@pytest.mark.parametrize("command", [["roster"], ["region", "register", "Rasun City", "--country", "KP"]],
                         ids=["query", "write"])
def test_a_postgresql_store_that_refuses_the_connection_is_exit_5_with_the_servers_reason(
        url: str, shown: str, reason: str, command: list[str]):
    start = time.monotonic()
    done = subprocess.run(command_line(url, *command), capture_output=True, text=True, cwd=ROOT, timeout=120)
    elapsed = time.monotonic() - start

    print(f"{shown} {' '.join(command)}: exit {done.returncode} after {elapsed:.2f} s")
    assert (done.returncode, done.stdout, done.stderr) == (5, "", f"Error: cannot open the store {shown}: {reason}\n")
    assert PASSWORD not in done.stderr


# Ctrl-C and closed pipes.

def _interrupt_load(store: Path, delay: float, wait_for: Path) -> tuple[int, str, str]:
    """Start `near-gov load` on `store`, send SIGINT `delay` seconds after `wait_for`
    appears (the command has opened the store), and return what it did."""
    load = subprocess.Popen(command_line(store, "load", HISTORY), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=ROOT)
    deadline = time.monotonic() + 60
    while not wait_for.exists() and load.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    time.sleep(delay)
    load.send_signal(signal.SIGINT)
    out, err = load.communicate(timeout=60)
    return load.returncode, out, err


def test_ctrl_c_during_a_load_exits_130_and_leaves_the_register_at_a_command_boundary(tmp_path: Path):
    given = tmp_path / "given.db"
    ok(given, "region", "register", "Test Province", "--country", "KR")
    before = events(given)
    loaded = f"Loaded {HISTORY}: 104 records (0 already held), 405 new events.\n"
    outcomes = []

    for point, delay in enumerate((0.0, 0.03, 0.08, 0.15, 0.3, 0.6)):
        store = tmp_path / f"point-{point}.db"
        shutil.copy2(given, store)
        code, out, err = _interrupt_load(store, delay, Path(f"{store}-wal"))
        outcomes.append((delay, code, events(store)))

        assert (code, out, err) in [(130, "", "Interrupted.\n"), (0, loaded, "")]
        assert events(store) in (before, before + 405)  # audit verify passes, at one boundary or the other
        ok(store, "roster")

    print(outcomes)
    assert 130 in [code for _, code, _ in outcomes]


def test_ctrl_c_during_a_load_that_creates_the_store_leaves_no_store_behind(tmp_path: Path):
    store = tmp_path / "new" / "register.db"

    code, _, err = _interrupt_load(store, 0.0, store)

    if code == 0:  # it finished first: the whole history is there
        assert events(store) == 405
    else:
        assert (code, err) == (130, "Interrupted.\n")
        assert listing(tmp_path) == []


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("loaded") / "register.db"
    ok(path, "load", HISTORY)
    ok(path, "roster")
    return path


@pytest.mark.parametrize("command", [["export"], ["history", "--format", "csv"]], ids=["export", "history"])
def test_output_to_a_pipe_closed_before_the_first_line_ends_quietly_with_exit_0(loaded: Path, command: list[str]):
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(command_line(loaded, *command), stdout=write_end, stderr=subprocess.PIPE, cwd=ROOT,
                              timeout=120)
    finally:
        os.close(write_end)

    assert (done.returncode, done.stderr) == (0, b"")


@pytest.mark.parametrize("command", [["export"], ["history", "--format", "csv"]], ids=["export", "history"])
def test_output_piped_to_head_ends_quietly_with_exit_0(loaded: Path, command: list[str]):
    pipeline = " ".join(f"'{a}'" for a in command_line(loaded, *command)) + " | head -1"

    done = subprocess.run(["bash", "-c", f"set -o pipefail; {pipeline}"], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)

    assert (done.returncode, done.stderr, done.stdout.count("\n")) == (0, "", 1)
