"""Whole-register commands: load, export and import, audit seal and verify, report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_support import Cli, cli_on
from tests.histories import given_member

HISTORY = Path(__file__).parent.parent / "examples" / "near" / "history.yaml"

RECORDS = """\
format: near-gov/1
records:
  - kind: region
    name: Rasun City
    country: KP
    status: {status}
    since: "{since}"
    source: "a letter"
"""
HOSTED = """\
  - kind: assembly
    id: GA-4
    host: Rasun City
    "on": "2002-09"
    source: "minutes"
"""


@pytest.fixture
def records(tmp_path: Path):
    def write(status: str = "member", since: str = "2002-09", extra: str = "") -> str:
        path = tmp_path / "records.yaml"
        path.write_text(RECORDS.format(status=status, since=since) + extra)
        return str(path)

    return write


def test_load_applies_the_records(cli: Cli, records):
    path = records()

    result = cli.ok("load", path)

    assert result.stdout == f"Loaded {path}: 1 records (0 already held), 4 new events.\n"
    assert cli.events() == 4


def test_load_json_and_a_second_load_changes_nothing(cli: Cli, records):
    path = records()

    assert cli.json("load", path) == {"records": 1, "held": 0, "events": 4}
    assert cli.json("load", path) == {"records": 1, "held": 1, "events": 0}


def test_load_from_stdin(cli: Cli, records):
    result = cli("load", "-", "--format", "json", input=Path(records()).read_text())

    assert (result.exit_code, json.loads(result.stdout)) == (0, {"records": 1, "held": 0, "events": 4})


def test_load_nears_documented_history(cli: Cli):
    done = cli.json("load", str(HISTORY))

    assert done["events"] == cli.events()
    assert len(cli.json("roster")["entries"]) > 70


def test_load_breaking_a_rule_is_refused_naming_record_and_line(cli: Cli, records):
    path = records(status="observer", extra=HOSTED)

    cli.fails("load", path, error="records.yaml: record 2 (line 9): Rasun City cannot be host of GA-4: "
                                  "it is not a member on 2002-09 (it is an observer since 2002-09)", code=1)


def test_load_a_bad_date_is_bad_input_naming_record_and_line(cli: Cli, records):
    path = records(since="2002-13")

    cli.fails("load", path, error="records.yaml: record 1 (line 7): no such date: 2002-13 (month must be in 1..12)",
              code=2)


@pytest.fixture
def copy(tmp_path: Path) -> Cli:
    """The command line on a second, empty store."""
    return cli_on(tmp_path / "copy")


def test_export_then_import_reproduces_the_register(admitted: Cli, copy: Cli, tmp_path: Path):
    path = tmp_path / "events.jsonl"

    exported = admitted.json("export", str(path))
    imported = copy.json("import", str(path))

    assert exported == {"file": str(path), "events": admitted.events(), "head": imported["head"]}
    assert imported == {"events": admitted.events(), "head": exported["head"], "resumed": 0}
    assert copy.json("roster", "--as-of", "2003-01") == admitted.json("roster", "--as-of", "2003-01")


def test_export_and_import_print_a_sentence(admitted: Cli, copy: Cli, tmp_path: Path):
    path = tmp_path / "events.jsonl"

    exported = admitted.ok("export", str(path)).stdout
    imported = copy.ok("import", str(path)).stdout

    assert exported.startswith(f"Exported {admitted.events()} events to {path}; chain head ")
    assert imported.startswith(f"Imported {admitted.events()} events; chain head ")


def test_export_to_stdout_carries_only_the_events(admitted: Cli):
    lines = admitted.ok("export").stdout.splitlines()

    assert len(lines) == admitted.events() + 1
    assert json.loads(lines[-1])["events"] == admitted.events()


def test_import_from_stdin(admitted: Cli, copy: Cli):
    result = copy("import", "-", "--format", "json", input=admitted.ok("export").stdout)

    assert (result.exit_code, json.loads(result.stdout)["events"]) == (0, admitted.events()), result.output


def test_import_into_a_store_holding_other_events_is_refused(admitted: Cli, copy: Cli, tmp_path: Path):
    path = tmp_path / "events.jsonl"
    admitted.ok("export", str(path))
    copy.ok("region", "register", "Toyama Prefecture", "--country", "JP")

    copy.fails("import", str(path), error=f"the store sqlite {copy.url} already holds events that are not the start "
                                          "of this file: import only into an empty store, or into the one an import "
                                          "of this file left unfinished (give a new file or schema with --store)",
               code=1)


def test_import_into_a_store_whose_first_events_differ_only_in_content_is_refused(admitted: Cli, copy: Cli,
                                                                                  tmp_path: Path):
    path = tmp_path / "events.jsonl"
    admitted.ok("export", str(path))
    with copy.gov() as app:
        given_member(app, "Khabarovsk Territory", "RU")  # as the export begins, but recorded again, later

    copy.fails("import", str(path), error=f"the store sqlite {copy.url} already holds events that are not the start "
                                          "of this file: import only into an empty store, or into the one an import "
                                          "of this file left unfinished (give a new file or schema with --store)",
               code=1)


def test_importing_a_file_into_the_store_it_came_from_changes_nothing(admitted: Cli, tmp_path: Path):
    path = tmp_path / "events.jsonl"
    admitted.ok("export", str(path))
    before = admitted.events()

    result = admitted.ok("import", str(path), "--format", "json")

    assert json.loads(result.stdout)["resumed"] == json.loads(result.stdout)["events"] == before == admitted.events()


def test_import_a_file_that_is_not_an_export_is_bad_input(copy: Cli, tmp_path: Path):
    path = tmp_path / "events.jsonl"
    path.write_text("[1]\n")

    copy.fails("import", str(path), error="line 1: not a JSON object; fix the file or export it again", code=2)


def test_export_json_to_stdout_is_bad_usage(admitted: Cli):
    admitted.fails("export", "--format", "json",
                   error="--format json needs a FILE: without one, stdout carries the events. "
                         "Try 'near-gov export -h' for help.", code=2)


def test_export_into_a_missing_directory_is_bad_usage(admitted: Cli, tmp_path: Path):
    path = tmp_path / "missing" / "events.jsonl"

    admitted.fails("export", str(path), error=f"Invalid value for '[FILE]': '{path}': there is no directory "
                                              f"{path.parent}. Try 'near-gov export -h' for help.", code=2)


def test_seal_prints_the_head(admitted: Cli):
    events = admitted.events()

    sealed = admitted.json("audit", "seal")

    assert sealed["position"] == events and len(sealed["head"]) == 64
    assert admitted.events() == events + 1, "the seal is an event of the log"
    assert admitted.ok("audit", "seal").stdout.endswith(f"  (through event {events + 1})\n")


def test_verify_checks_the_chain_against_a_sealed_head(admitted: Cli):
    head = admitted.json("audit", "seal")["head"]

    verified = admitted.json("audit", "verify", "--head", head)
    out = admitted.ok("audit", "verify", "--head", head).stdout

    assert verified["seals_checked"] == 1
    assert out.startswith(f"The chain holds through event {verified['position']} (head ")
    assert out.endswith("1 seals checked, and the given head is on it.\n")


def test_verify_against_a_head_that_is_not_on_the_chain_fails_with_exit_4(admitted: Cli):
    events = admitted.events()

    result = admitted("audit", "verify", "--head", "0" * 64)

    assert result.exit_code == 4, result.output
    assert result.stderr.startswith(f"Error: chain differs after position 0: the given head 0000000000000000… "
                                    f"is the link of no position 0..{events}; check the head you gave")
    assert result.stderr.count("\n") == 1 and admitted.events() == events


def test_verify_a_malformed_head_is_bad_input(admitted: Cli):
    admitted.fails("audit", "verify", "--head", "3f9c",
                   error="bad head '3f9c': give the 64 hexadecimal digits printed by `near-gov audit seal`", code=2)


def test_seal_in_csv_is_bad_usage(admitted: Cli):
    admitted.fails("audit", "seal", "--format", "csv",
                   error="Invalid value for '--format': 'csv' is not one of 'table', 'json'. "
                         "Try 'near-gov audit seal -h' for help.", code=2)


def test_report_writes_a_self_contained_html_file(admitted: Cli, tmp_path: Path):
    path = tmp_path / "report.html"

    result = admitted.ok("report", "--out", str(path), "--as-of", "2003-01")

    assert result.stdout == f"Wrote {path}: the register as of 2003-01, 2 members and 0 observers.\n"
    assert "Rasun City" in path.read_text()


def test_report_json(admitted: Cli, tmp_path: Path):
    report = admitted.json("report", "--out", str(tmp_path / "report.html"), "--as-of", "2003-01")

    assert {k: report[k] for k in ("path", "as_of", "members", "observers")} == {
        "path": str(tmp_path / "report.html"), "as_of": "2003-01", "members": 2, "observers": 0}


def test_report_as_of_a_bad_date_is_bad_input(admitted: Cli, tmp_path: Path):
    admitted.fails("report", "--out", str(tmp_path / "report.html"), "--as-of", "2003-13",
                   error="no such date: 2003-13 (month must be in 1..12)", code=2)


def test_report_into_a_missing_directory_is_bad_usage(admitted: Cli, tmp_path: Path):
    path = tmp_path / "missing" / "report.html"

    admitted.fails("report", "--out", str(path), error=f"Invalid value for '--out': '{path}': there is no directory "
                                                       f"{path.parent}. Try 'near-gov report -h' for help.", code=2)
