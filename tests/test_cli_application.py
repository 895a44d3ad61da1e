"""`near-gov application ...`: submit, screen, schedule, withdraw, show, list."""

from __future__ import annotations

import pytest

from near_gov.clock import today
from tests.cli_support import Cli
from tests.histories import given_member

REF = "APP-2002-001"


@pytest.fixture
def submitted(cli: Cli) -> Cli:
    with cli.gov() as app:
        given_member(app, "Khabarovsk Territory", "RU")
        app.convene("GA", 4, "Khabarovsk Territory", "2002-09")
        app.convene("WC", 3, "Khabarovsk Territory", "2002-10")
        app.submit_application("Rasun City", "KP", "member", "2002-03")
    return cli


def test_submit_prints_the_new_reference(cli: Cli):
    result = cli.ok("application", "submit", "Rasun City", "--country", "KP", "--on", "2002-03-05")

    assert result.stdout == f"{REF}\n"


def test_submit_json_for_observer_status(cli: Cli):
    assert cli.json("application", "submit", "Tianjin City", "--country", "CN", "--for", "observer",
                    "--on", "2010-05") == {"reference": "APP-2010-001"}


def test_submit_for_a_member_is_refused(submitted: Cli):
    submitted.fails("application", "submit", "Khabarovsk Territory", "--country", "RU", "--on", "2004-01",
                    error="Khabarovsk Territory is already a member since 1996-09", code=1)


def test_submit_outside_the_membership_scope_is_refused(cli: Cli):
    cli.fails("application", "submit", "Almaty", "--country", "KZ", "--on", "2004-01",
              error="KZ is outside NEAR's membership scope on 2004-01 (Charter version 0: CN, JP, KR, KP, MN, RU)",
              code=1)


def test_submit_on_a_future_date_is_refused(cli: Cli):
    cli.fails("application", "submit", "Rasun City", "--country", "KP", "--on", "2999-01",
              error=f"--on 2999-01 is after today ({today()}): a fact cannot take effect in the future", code=1)


def test_submit_on_a_bad_date_is_bad_input(cli: Cli):
    cli.fails("application", "submit", "Rasun City", "--country", "KP", "--on", "2002-3",
              error="bad date '2002-3': use YYYY, YYYY-MM or YYYY-MM-DD (e.g. 1996-09)", code=2)


def test_screen_eligible(submitted: Cli):
    assert submitted.ok("application", "screen", REF, "--eligible").stdout == f"{REF} is screened.\n"


def test_screen_ineligible_json(submitted: Cli):
    assert submitted.json("application", "screen", REF, "--ineligible", "--reason", "no council resolution") == {
        "reference": REF, "state": "ineligible"}


def test_screen_twice_is_refused_naming_the_next_steps(submitted: Cli):
    submitted.ok("application", "screen", REF, "--eligible")

    submitted.fails("application", "screen", REF, "--eligible",
                    error=f"{REF} is screened: cannot screen; allowed next steps: schedule by the Secretariat, "
                          "withdraw by the applicant", code=1)


def test_screen_without_a_finding_is_bad_usage(submitted: Cli):
    submitted.fails("application", "screen", REF,
                    error="give --eligible, or --ineligible --reason TEXT. "
                          "Try 'near-gov application screen -h' for help.", code=2)


def test_screen_ineligible_without_a_reason_is_bad_input(submitted: Cli):
    submitted.fails("application", "screen", REF, "--ineligible", error="--ineligible needs --reason TEXT", code=2)


def test_schedule(submitted: Cli):
    submitted.ok("application", "screen", REF, "--eligible")

    assert submitted.ok("application", "schedule", REF, "--assembly", "ga-4").stdout == \
        f"{REF} is scheduled for GA-4.\n"


def test_schedule_json(submitted: Cli):
    submitted.ok("application", "screen", REF, "--eligible")

    assert submitted.json("application", "schedule", REF, "--assembly", "GA-4") == {
        "reference": REF, "state": "scheduled", "assembly": "GA-4"}


def test_schedule_for_a_working_committee_meeting_is_refused(submitted: Cli):
    submitted.ok("application", "screen", REF, "--eligible")

    submitted.fails("application", "schedule", REF, "--assembly", "WC-3",
                    error="WC-3 is a Working Committee meeting: only a General Assembly may approve an application",
                    code=1)


def test_schedule_for_a_malformed_assembly_is_bad_input(submitted: Cli):
    submitted.fails("application", "schedule", REF, "--assembly", "GA4",
                    error="bad assembly id 'GA4': use GA-n or WC-n (e.g. GA-4)", code=2)


def test_withdraw(submitted: Cli):
    assert submitted.ok("application", "withdraw", REF, "--reason", "letter of 2002-06-01").stdout == \
        f"{REF} is withdrawn.\n"


def test_withdraw_json(submitted: Cli):
    assert submitted.json("application", "withdraw", REF, "--reason", "letter") == {"reference": REF,
                                                                                    "state": "withdrawn"}


def test_withdraw_an_approved_application_is_refused(admitted: Cli):
    admitted.fails("application", "withdraw", REF, "--reason", "too late",
                   error=f"{REF} is approved: cannot withdraw; allowed next steps: none (the case is closed)", code=1)


def test_withdraw_a_malformed_reference_is_bad_input(submitted: Cli):
    submitted.fails("application", "withdraw", "APP-1", "--reason", "x",
                    error="bad application reference 'APP-1': use APP-YYYY-NNN", code=2)


def test_show_lists_the_next_steps(scheduled: Cli):
    out = scheduled.ok("application", "show", REF).stdout

    assert out.endswith("Next steps:\n  schedule (by Secretariat)\n  approve (by General Assembly)\n"
                        "  reject (by General Assembly)\n  withdraw (by applicant)\n")


def test_show_json(scheduled: Cli):
    case = scheduled.json("application", "show", REF)

    assert (case["reference"], case["region"], case["country"], case["state"]) == (REF, "Rasun City", "KP",
                                                                                  "scheduled")
    assert case["next"][1] == {"step": "approve", "by": "General Assembly"}
    assert isinstance(case["history"], list)


def test_show_unknown_application_is_refused(scheduled: Cli):
    scheduled.fails("application", "show", "APP-2002-009",
                    error="no application APP-2002-009; known: APP-2002-001 (see `near-gov application list`)", code=1)


def test_show_malformed_reference_is_bad_input(scheduled: Cli):
    scheduled.fails("application", "show", "2002-001",
                    error="bad application reference '2002-001': use APP-YYYY-NNN", code=2)


def test_list(scheduled: Cli):
    out = scheduled.ok("application", "list").stdout

    assert REF in out and "scheduled" in out


def test_list_json_and_csv_by_status(admitted: Cli):
    assert [a["reference"] for a in admitted.json("application", "list", "--status", "approved")] == [REF]
    assert admitted.json("application", "list", "--status", "scheduled") == []
    assert admitted.ok("application", "list", "--format", "csv").stdout.splitlines()[1].startswith(REF)


def test_list_unknown_state_is_bad_usage(admitted: Cli):
    admitted.fails("application", "list", "--status", "pending",
                   error="Invalid value for '--status': 'pending' is not one of 'submitted', 'screened', "
                         "'ineligible', 'scheduled', 'approved', 'rejected', 'withdrawn'. "
                         "Try 'near-gov application list -h' for help.", code=2)
