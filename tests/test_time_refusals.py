"""The rules of time at the command line, on SQLite and PostgreSQL: each refusal is exit 1
with one `Error:` line naming both facts and their dates, and writes nothing."""

from __future__ import annotations

import pytest

from tests.cli_support import Cli
from tests.histories import given_member


def _history(app) -> None:
    """Toyama and Jeju members since 1996-09; GA-1 to GA-3; Rasun City's application of
    1999-03, screened; a resolution at GA-3 (2000-09)."""
    given_member(app, "Toyama Prefecture", "JP")
    given_member(app, "Jeju Province", "KR")
    app.convene("GA", 1, "Toyama Prefecture", "1996-09")
    app.convene("GA", 2, "Toyama Prefecture", "1998-10")
    app.convene("GA", 3, "Jeju Province", "2000-09")
    ref = app.submit_application("Rasun City", "KP", "member", "1999-03")["reference"]
    app.screen_application(ref, eligible=True)
    app.decide("GA-3", "resolve", text="Cooperation in tourism is to be studied")


@pytest.fixture
def cli(store_url: str) -> Cli:
    return Cli(store_url).given(_history)


REFUSALS = {
    "an assembly before the submission it would decide": (
        ["application", "schedule", "APP-1999-001", "--assembly", "GA-2"],
        "GA-2 on 1998-10 cannot decide APP-1999-001, submitted on 1999-03"),
    "a meeting before the one numbered below it": (
        ["assembly", "convene", "GA", "4", "--host", "Jeju Province", "--on", "2000-01"],
        "GA-4 on 2000-01 would precede GA-3 on 2000-09"),
    "a meeting that skips a number": (
        ["assembly", "convene", "GA", "5", "--host", "Jeju Province", "--on", "2004-09"],
        "GA-5 cannot be convened: the General Assembly's meetings follow each other in number with no gap, "
        "and neither GA-4 nor GA-6 is recorded"),
    "a change dated before the decision it cites": (
        ["region", "withdraw", "Jeju Province", "--on", "1999-01", "--decision", "GA-3/D1"],
        "GA-3/D1, taken by GA-3 on 2000-09, cannot cause a change on 1999-01"),
    "a name another region holds, in another country": (
        ["region", "register", "Toyama Prefecture", "--country", "CN"],
        "Toyama Prefecture (JP) already holds that name: no two regions hold one name at once"),
    "a second application while one is open": (
        ["application", "submit", "Rasun City", "--country", "KP", "--on", "1999-06"],
        "a new application of Rasun City (KP) is refused: admission case APP-1999-001 is open; "
        "see `near-gov application show APP-1999-001`"),
    "a withdrawal recorded late under a meeting the region hosted": (
        ["region", "withdraw", "Jeju Province", "--on", "1999-01", "--source", "a letter"],
        "Jeju Province hosted GA-3 on 2000-09: the change would leave it not a member on that date"),
}


@pytest.mark.parametrize("case", REFUSALS, ids=list(REFUSALS))
def test_each_rule_of_time_refuses_with_its_line_and_writes_nothing(cli, case):
    args, error = REFUSALS[case]

    cli.fails(*args, error=error, code=1)


def test_a_rename_before_the_last_rename_is_refused(cli):
    cli.ok("region", "rename", "Toyama Prefecture", "Toyama", "--on", "2005-01")

    cli.fails("region", "rename", "Toyama", "Toyama-ken", "--on", "2003-01",
              error="Toyama: a rename on 2003-01 would precede its rename from Toyama Prefecture on 2005-01", code=1)


def test_a_document_does_not_correct_a_status_a_decision_caused(cli):
    cli.ok("application", "schedule", "APP-1999-001", "--assembly", "GA-3")
    cli.ok("assembly", "decide", "GA-3", "--approve", "APP-1999-001")
    cli.ok("assembly", "close", "GA-3")

    cli.fails("region", "record", "Rasun City", "--status", "member", "--since", "2001-01", "--source", "a list",
              error="Rasun City is a member since 2000-09 by GA-3/D2: a document does not correct a decision; "
                    "a change takes a new decision citing GA-3/D2", code=1)


def test_a_scope_that_would_leave_an_admission_of_its_date_outside_is_refused(cli):
    cli.ok("application", "schedule", "APP-1999-001", "--assembly", "GA-3")
    cli.ok("assembly", "decide", "GA-3", "--approve", "APP-1999-001")

    cli.fails("assembly", "decide", "GA-3", "--set-scope", "CN,JP,KR,RU",
              error="the scope CN, JP, KR, RU from 2000-09 would leave Rasun City (KP), admitted on 2000-09 by "
                    "GA-3/D2, outside NEAR's membership scope", code=1)


def test_a_name_freed_by_a_rename_is_registered_again_without_a_concurrency_error(cli):
    cli.ok("region", "rename", "Jeju Province", "Jeju Special Self-Governing Province", "--on", "2006-07")

    cli.fails("application", "submit", "Jeju Province", "--country", "KR", "--on", "2007-01",
              error="Jeju Special Self-Governing Province is already a member since 1996-09", code=1)
    cli.ok("region", "register", "Jeju Province", "--country", "KR")
    assert {r["name"] for r in cli.json("region", "list")} >= {"Jeju Province", "Jeju Special Self-Governing Province"}


def test_attendance_records_each_region_once(cli):
    cli.ok("assembly", "attend", "GA-3", "Jeju Province", "jeju province", "Toyama Prefecture")

    assert cli.json("assembly", "show", "GA-3")["attendance"] == ["Jeju Province", "Toyama Prefecture"]
