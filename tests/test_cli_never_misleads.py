"""A command line that never misleads: CSV a spreadsheet takes whole, input checked
rather than silently accepted, refusals in plain English naming official names, `tasks`
with its two dates apart, and files written for the owner only."""

from __future__ import annotations

import csv
import io
import os
import re
import stat
from datetime import UTC, datetime
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from domain.phrasing import become, body, holds, standing
from domain.values import Body, FuzzyDate, Status
from near_gov.cli import main
from near_gov.cli.base import Command, Group
from near_gov.decisions import KINDS
from tests.cli_support import Cli, cli_on
from tests.histories import given_member

HISTORY = Path(__file__).parent.parent / "examples" / "near" / "history.yaml"
RECORDED = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00$")

#: Every list command that takes --format csv, with the header it prints on an empty register.
LISTS = {
    ("region", "list"): "name,country,status,since,cause,source,former_names",
    ("application", "list"): "reference,process,region,country,subject,kind,state,since,opened,assembly,decision",
    ("case", "list"): "reference,process,region,country,subject,kind,state,since,opened,assembly,decision",
    ("assembly", "list"): "id,body,number,host,opened,closed,decisions.ref,decisions.kind,decisions.text",
    ("committee", "list"): "name,coordinator,established,purpose,dissolved",
    ("history",): "position,recorded_at,effective,kind,subject,actor,db_role,cause,source,summary,region,current_name",
    ("tasks",): "case,process,state,step,by,due,waiting_since,subject",
    ("roster",): "name,country,status,since,cause,source,current_name,documented,basis,counts.status,"
                 "counts.count,counts.named,counts.countries,counts.since,counts.source,counts.basis",
}


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def columns(record: dict[str, object]) -> set[str]:
    """The CSV columns a JSON record asks for: nested records and lists of records give
    a column per field."""
    found = set()
    for key, value in record.items():
        if isinstance(value, dict):
            found |= {f"{key}.{k}" for k in value}
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            found |= {f"{key}.{k}" for item in value for k in item}
        else:
            found.add(key)
    return found


@pytest.fixture(scope="module")
def documented(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    """NEAR's documented history, loaded once for the read-only checks, with an
    application and a Charter amendment open."""
    cli = cli_on(tmp_path_factory.mktemp("documented"))
    cli.ok("load", str(HISTORY))
    cli.ok("application", "submit", "Jilin Province", "--country", "CN", "--on", "2011-03-01")
    cli.ok("case", "propose-amendment", "--scope", "CN,JP,KR,KP,MN,RU,KZ", "--on", "2011-05")
    return cli


@pytest.fixture
def with_wc(scheduled: Cli) -> Cli:
    """As `scheduled`, with WC-3 (2002-10) open beside GA-4."""
    with scheduled.gov() as app:
        app.convene("WC", 3, "Khabarovsk Territory", "2002-10")
    return scheduled


# CSV a spreadsheet takes.

@pytest.mark.parametrize("command", list(LISTS), ids=" ".join)
def test_an_empty_list_prints_its_csv_header(command: tuple[str, ...]):
    result = CliRunner().invoke(main, ["--store", "memory", *command, "--format", "csv"])

    assert (result.exit_code, result.stdout, result.stderr) == (0, LISTS[command] + "\n", ""), result.output


@pytest.mark.parametrize("command", [*LISTS, ("charter", "history"), ("projections", "status")], ids=" ".join)
def test_csv_has_a_column_for_every_field_of_the_json_and_a_line_per_row(documented: Cli, command):
    data = documented.json(*command)
    listed = data["entries"] if isinstance(data, dict) else data
    text = documented.ok(*command, "--format", "csv").stdout

    header = text.splitlines()[0].split(",")
    asked = set().union(*(columns(r) for r in listed))
    absent = {k for r in listed for k, v in r.items() if v is None and any(h.startswith(f"{k}.") for h in header)}
    assert asked - absent <= set(header)  # an absent nested record: its fields' columns are empty
    assert len(rows(text)) == len(listed) > 0
    assert not any(cell.startswith(("[", "{")) for row in rows(text) for cell in row.values())


def test_assembly_list_csv_gives_each_decision_field_its_column_joined_by_semicolons(documented: Cli):
    (ga2,) = [r for r in rows(documented.ok("assembly", "list", "--format", "csv").stdout) if r["id"] == "GA-2"]
    (data,) = [a for a in documented.json("assembly", "list") if a["id"] == "GA-2"]

    assert ga2["decisions.ref"] == "; ".join(d["ref"] for d in data["decisions"]) == "GA-2/D1; GA-2/D2"
    assert ga2["decisions.kind"] == "amend-charter; resolve"
    assert ga2["decisions.text"] == "; ".join(d["text"] for d in data["decisions"])


def test_charter_history_csv_joins_the_scope_with_semicolons(documented: Cli):
    (first, *_) = rows(documented.ok("charter", "history", "--format", "csv").stdout)

    assert first["scope"] == "CN; JP; KR; KP; MN; RU"


def test_region_list_csv_joins_former_names_with_semicolons(admitted: Cli):
    admitted.ok("region", "rename", "Rasun City", "Rason City", "--on", "2005-01")
    admitted.ok("region", "rename", "Rason City", "Rason Special City", "--on", "2010-01")

    (rason,) = [r for r in rows(admitted.ok("region", "list", "--format", "csv").stdout) if r["country"] == "KP"]

    assert (rason["name"], rason["former_names"]) == ("Rason Special City", "Rasun City; Rason City")


def test_history_and_tasks_csv_keep_every_field(scheduled: Cli):
    history = rows(scheduled.ok("history", "--format", "csv").stdout)
    (task, *_) = rows(scheduled.ok("tasks", "--format", "csv").stdout)

    assert history[0]["summary"] == "registered (RU)"
    assert (task["process"], task["subject"], task["due"]) == ("admission", "Rasun City", "2002-09")


# Validate, never silently accept.

def test_case_list_refuses_a_state_no_case_can_be_in(scheduled: Cli):
    scheduled.fails("case", "list", "--state", "bogus", code=2,
                    error="'bogus' is not a state of any case: use one of adopted, approved, declined, elected, "
                          "ineligible, nominated, notified, proposed, rejected, retracted, reviewed, scheduled, "
                          "screened, submitted, withdrawn")


def test_case_list_refuses_a_state_of_another_process(scheduled: Cli):
    scheduled.fails("case", "list", "--process", "withdrawal", "--state", "proposed", code=2,
                    error="'proposed' is not a state of a withdrawal case: use one of notified, retracted, withdrawn")


def test_case_list_takes_a_declared_state_in_any_case(scheduled: Cli):
    assert [c["reference"] for c in scheduled.json("case", "list", "--state", " Scheduled ")] == ["APP-2002-001"]


def test_history_refuses_a_period_that_ends_before_it_begins(admitted: Cli):
    admitted.fails("history", "--since", "2019-12", "--until", "2019-01", code=2,
                   error="--since 2019-12 is after --until 2019-01: no event is in that period; "
                         "give the earlier date to --since")


def test_history_takes_a_period_within_one_month(admitted: Cli):
    assert admitted.json("history", "--since", "2002-09-10", "--until", "2002-09") != []


@pytest.mark.parametrize(("args", "error"), [
    (("assembly", "decide", "GA-4", "--resolve", "a", "--resolve", "b"),
     "option '--resolve' is given 2 times; give it once. Try 'near-gov assembly decide -h' for help."),
    (("application", "screen", "APP-2002-001", "--eligible", "--ineligible", "--reason", "x"),
     "option '--eligible' / '--ineligible' is given 2 times; give it once. "
     "Try 'near-gov application screen -h' for help."),
    (("roster", "--format", "json", "--format", "csv"),
     "option '--format' is given 2 times; give it once. Try 'near-gov roster -h' for help."),
    (("--actor", "other", "region", "register", "Jilin Province", "--country", "CN"),
     "option '--actor' is given 2 times; give it once. Try 'near-gov -h' for help."),
    (("region", "register", "Jilin Province", "--country", "CN", "--country", "KR"),
     "option '--country' is given 2 times; give it once. Try 'near-gov region register -h' for help."),
], ids=["decide", "flag", "format", "global", "country"])
def test_an_option_that_takes_one_value_given_twice_is_refused(scheduled: Cli, args, error):
    scheduled.fails(*args, error=error, code=2)


def test_every_command_refuses_repeated_options():
    def walk(command: click.Command) -> list[click.Command]:
        found = [command]
        for sub in getattr(command, "commands", {}).values():
            found += walk(sub)
        return found

    assert [c.name for c in walk(main) if not isinstance(c, Command | Group)] == []


def test_screening_eligible_with_a_reason_is_refused(scheduled: Cli):
    with scheduled.gov() as app:
        ref = app.submit_application("Jilin Province", "CN", "member", "2002-04")["reference"]

    scheduled.fails("application", "screen", ref, "--eligible", "--reason", "in scope", code=2,
                    error="--reason goes with --ineligible: an eligible finding records no reason")


@pytest.mark.parametrize("actor", ["", "   "], ids=["empty", "blank"])
def test_a_blank_actor_is_refused_whether_empty_or_spaces(cli: Cli, actor: str):
    before = cli.events()

    result = CliRunner().invoke(main, ["--store", cli.url, "--actor", actor, "region", "register", "Jilin Province",
                                       "--country", "CN"])

    assert (result.exit_code, result.stderr) == (2, "Error: --actor names no one: give the name of who records the "
                                                    "changes, or leave it out to record your login name. "
                                                    "Try 'near-gov -h' for help.\n")
    assert cli.events() == before


def test_a_blank_actor_in_the_environment_is_refused_and_an_empty_one_is_unset(cli: Cli):
    args = ["--store", cli.url, "region", "register", "Jilin Province", "--country", "CN"]

    blank = CliRunner(env={"NEAR_GOV_ACTOR": "  "}).invoke(main, args)
    empty = CliRunner(env={"NEAR_GOV_ACTOR": ""}).invoke(main, args)

    assert (blank.exit_code, blank.stderr) == (2, "Error: NEAR_GOV_ACTOR names no one: give the name of who records "
                                                  "the changes, or leave it out to record your login name. "
                                                  "Try 'near-gov -h' for help.\n")
    assert empty.exit_code == 0, empty.output
    (event,) = cli.json("history")
    assert event["actor"] not in ("", None)


@pytest.mark.parametrize("args", [(), ("case",)], ids=["near-gov", "near-gov case"])
def test_a_group_without_a_command_prints_a_short_usage(args):
    result = CliRunner().invoke(main, list(args))

    assert (result.exit_code, result.stderr) == (0, ""), result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"Usage: {' '.join(('near-gov', *args))} [OPTIONS] COMMAND [ARGS]..."
    assert any(line.startswith("Commands: ") for line in lines) and len(lines) < 15
    assert lines[-1] == f"Try '{' '.join(('near-gov', *args))} -h' for help, and " \
                        f"'{' '.join(('near-gov', *args, 'COMMAND'))} -h' for a command's."


def test_report_to_stdout_writes_no_file(admitted: Cli, tmp_path: Path, monkeypatch):
    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")

    result = admitted.ok("report", "--out", "-", "--as-of", "2003-01-01")

    assert result.stdout.startswith("<!DOCTYPE html>") and result.stdout.rstrip().endswith("</html>")
    assert os.listdir(tmp_path / "here") == []


def test_report_to_stdout_as_json_is_refused(admitted: Cli):
    admitted.fails("report", "--out", "-", "--format", "json", code=2,
                   error="--format json needs --out FILE.html: with --out -, stdout carries the report. "
                         "Try 'near-gov report -h' for help.")


@pytest.mark.parametrize("command", [("report", "--out"), ("export",)], ids=["report", "export"])
@pytest.mark.parametrize("name", ["", "  "], ids=["empty", "blank"])
def test_an_empty_file_name_is_refused_naming_no_temporary_file(admitted: Cli, tmp_path: Path, monkeypatch,
                                                                command, name):
    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")
    option = "'--out'" if command[0] == "report" else "'[FILE]'"

    admitted.fails(*command, name, code=2,
                   error=f"Invalid value for {option}: the file name is empty: give a file name, or - for stdout. "
                         f"Try 'near-gov {command[0]} -h' for help.")
    assert os.listdir(tmp_path / "here") == []


# One phrasing for statuses and bodies, with official names.

def test_withdrawing_twice_says_when_it_withdrew_by_its_official_name(admitted: Cli):
    admitted.ok("region", "withdraw", "Rasun City", "--on", "2008-01")

    admitted.fails("region", "withdraw", "rasun  CITY", "--on", "2009-01", code=1,
                   error="Rasun City already withdrew on 2008-01")


def test_withdrawing_a_region_that_never_joined_says_so_in_words(admitted: Cli):
    admitted.ok("region", "register", "Jiangsu Province", "--country", "CN")

    admitted.fails("region", "withdraw", "jiangsu  province", "--on", "2009-01", code=1,
                   error="Jiangsu Province is neither a member nor an observer: it cannot withdraw")


def test_an_observer_is_named_with_its_article(admitted: Cli):
    admitted.ok("region", "register", "Tianjin City", "--country", "CN")
    admitted.ok("region", "record", "Tianjin City", "--status", "observer", "--since", "2008-09", "--source", "a")

    admitted.fails("region", "record", "tianjin city", "--status", "observer", "--since", "2008-09", "--source",
                   "b", error="Tianjin City is already recorded as an observer since 2008-09", code=1)


@pytest.mark.parametrize(("decision", "doing"), [
    (("--amend-charter", "5", "--text", "Members meet every two years."), "amend the Charter"),
    (("--set-scope", "CN,JP,KR,KP,MN,RU"), "amend the Charter's membership scope"),
    (("--establish-committee", "Sub-Committee on Tourism"), "establish a Sub-Committee"),
], ids=["amend-charter", "set-scope", "establish-committee"])
def test_a_working_committee_meeting_is_told_which_body_may_decide(with_wc: Cli, decision, doing):
    with_wc.fails("assembly", "decide", "WC-3", *decision, code=1,
                  error=f"WC-3 is a Working Committee meeting: only a General Assembly may {doing}")


def test_a_general_assembly_is_told_which_body_reviews_an_amendment(with_wc: Cli):
    with with_wc.gov() as app:
        ref = app.propose_amendment("2002-06", article="5", text="Members meet every two years.")["reference"]

    with_wc.fails("assembly", "decide", "GA-4", "--review-amendment", ref, code=1,
                  error="GA-4 is a General Assembly: only a Working Committee meeting may review a Charter amendment")


def test_a_step_out_of_turn_names_who_takes_the_allowed_steps(scheduled: Cli):
    scheduled.fails("application", "screen", "APP-2002-001", "--eligible", code=1,
                    error="APP-2002-001 is scheduled: cannot screen; allowed next steps: schedule by the Secretariat, "
                          "approve by a General Assembly, reject by a General Assembly, withdraw by the applicant")


def test_an_existing_committee_is_named_as_established_not_as_typed(cli: Cli):
    with cli.gov() as app:
        given_member(app, "Gyeonggi-do Province", "KR", "2009-10")
        app.convene("GA", 8, "Gyeonggi-do Province", "2010-10")
        app.decide("GA-8", "establish-committee", name="Sub-Committee on Tourism")

    cli.fails("assembly", "decide", "GA-8", "--establish-committee", "sub-committee ON  tourism", code=1,
              error="Sub-Committee on Tourism already exists")


def test_renaming_to_a_name_another_region_holds_names_the_holder(admitted: Cli):
    admitted.ok("region", "register", "Rason City", "--country", "KP")

    admitted.fails("region", "rename", "Rasun City", "rason  CITY", "--on", "2005-01", code=1,
                   error="Rason City (KP) is already registered")


@pytest.mark.parametrize("status", list(Status))
def test_every_status_reads_as_english(status: Status):
    said = [standing(status), holds(status), holds(status, FuzzyDate.parse("2004-01")),
            holds(status, FuzzyDate.parse("2004-01"), already=True)]

    assert not any(re.search(r"\b(is|an?) (none|withdrawn since)\b|\ban (member|withdrawn)\b|\ba observer\b", s)
                   for s in said), said
    assert holds(Status.MEMBER, "2004-01", already=True) == "is already a member since 2004-01"
    assert holds(Status.OBSERVER, "2004-01") == "is an observer since 2004-01"
    assert holds(Status.WITHDRAWN, "2018-03", already=True) == "already withdrew on 2018-03"
    assert holds(Status.NONE) == "is neither a member nor an observer"


def test_every_change_and_body_has_its_words():
    assert [become(s) for s in (Status.MEMBER, Status.OBSERVER, Status.WITHDRAWN)] == [
        "become a member", "become an observer", "withdraw"]
    assert [body(b) for b in Body] == ["the applicant", "the Secretariat", "a Working Committee meeting",
                                       "a General Assembly", "the Sub-Committee's members"]


def test_every_decision_kind_says_what_it_does():
    assert [k.name for k in KINDS if not k.doing or k.doing == k.name.replace("-", " ")] == []


# Tasks: the effective due date and the recorded waiting time apart.

def test_tasks_give_an_effective_due_date_and_a_recorded_waiting_time(scheduled: Cli):
    tasks = scheduled.json("tasks")
    table = scheduled.ok("tasks").stdout.splitlines()

    assert {t["case"] for t in tasks} == {"APP-2002-001", "GA-5"}
    for task in tasks:
        FuzzyDate.parse(task["due"])
        assert RECORDED.match(task["waiting_since"]), task
        assert datetime.fromisoformat(task["waiting_since"]) <= datetime.now(UTC)
    (app,) = [t for t in tasks if t["case"] == "APP-2002-001"]
    assert (app["due"], app["step"]) == ("2002-09", "approve or reject at GA-4")
    assert table[0].split() == ["Case", "State", "Step", "By", "Due", "Waiting", "since"]


def test_a_vacancy_is_due_from_the_end_of_the_term_and_waits_since_it_was_recorded(cli: Cli):
    with cli.gov() as app:
        given_member(app, "Gyeonggi-do Province", "KR", "2009-10")
        app.convene("GA", 8, "Gyeonggi-do Province", "2010-10")
        app.decide("GA-8", "establish-committee", name="Sub-Committee on Tourism", coordinator="Gyeonggi-do Province")
        app.withdraw_region("Gyeonggi-do Province", "2011-01", source="letter")

    (vacancy,) = [t for t in cli.json("tasks") if t["state"] == "vacant"]
    (ended,) = [e for e in cli.json("history", "--region", "Gyeonggi-do Province")
                if e["kind"].endswith("TermEnded")]

    assert (vacancy["due"], vacancy["waiting_since"]) == ("2011-01", ended["recorded_at"])


# Files the command line writes: the owner's only.

@pytest.mark.parametrize("command", [("export",), ("report", "--out")], ids=["export", "report"])
def test_files_the_cli_writes_are_the_owners_only(admitted: Cli, tmp_path: Path, command):
    path = tmp_path / "out" / "file"
    path.parent.mkdir()
    path.write_text("an older file")
    path.chmod(0o644)
    umask = os.umask(0o022)
    try:
        admitted.ok(*command, str(path))
    finally:
        os.umask(umask)

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text() != "an older file"
    assert os.listdir(path.parent) == ["file"]
