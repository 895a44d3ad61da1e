"""`near-gov case ...`: Charter amendments, coordinator elections and withdrawals."""

from __future__ import annotations

import pytest

from tests.cli_support import Cli
from tests.histories import given_member

ENVIRONMENT = "Sub-Committee on Environment"
BAD_CASE = "bad case reference 'APP-2011-001': use AMD-, ELE- or WDR-YYYY-NNN"


@pytest.fixture
def register(cli: Cli) -> Cli:
    """Two members, an observer, GA-2 (1998-10) which established the Sub-Committee on
    Environment coordinated by Toyama Prefecture."""
    with cli.gov() as app:
        given_member(app, "Gyeongsangbuk-do Province", "KR", "1996-09")
        given_member(app, "Toyama Prefecture", "JP", "1998-10")
        app.register_region("Tianjin City", "CN")
        app.record_status("Tianjin City", "observer", "2010-10", "NEAR brochure")
        app.convene("GA", 2, "Toyama Prefecture", "1998-10")
        app.decide("GA-2", "establish-committee", name=ENVIRONMENT, coordinator="Toyama Prefecture")
    return cli


@pytest.fixture
def nominated(register: Cli) -> Cli:
    with register.gov() as app:
        app.nominate_coordinator(ENVIRONMENT, "Gyeongsangbuk-do Province", "2011-01")
    return register


@pytest.fixture
def notified(register: Cli) -> Cli:
    with register.gov() as app:
        app.notify_withdrawal("Toyama Prefecture", "2003-01", source="letter of 2003-01-10")
    return register


def test_propose_amendment_prints_the_case_reference(register: Cli):
    result = register.ok("case", "propose-amendment", "--article", "4", "--text", "Biennial.", "--on", "2011-03")

    assert result.stdout == "AMD-2011-001\n"


def test_propose_scope_amendment_json(register: Cli):
    assert register.json("case", "propose-amendment", "--scope", "CN,JP,KR,KP,MN,RU,KZ", "--on", "2011-03",
                         "--note", "letter of Dornod") == {"reference": "AMD-2011-001"}


def test_propose_amendment_in_the_future_is_refused(register: Cli):
    result = register("case", "propose-amendment", "--article", "4", "--text", "x", "--on", "2999-01")

    assert result.exit_code == 1 and result.stderr.startswith("Error: --on 2999-01 is after today (")


def test_propose_amendment_of_both_kinds_is_bad_input(register: Cli):
    register.fails("case", "propose-amendment", "--article", "4", "--text", "x", "--scope", "CN", "--on", "2011-03",
                   error="propose either --article with --text, or --scope, not both", code=2)


def test_nominate(register: Cli):
    assert register.ok("case", "nominate", ENVIRONMENT, "Gyeongsangbuk-do Province",
                       "--on", "2011-01").stdout == "ELE-2011-001\n"


def test_nominate_json(register: Cli):
    assert register.json("case", "nominate", ENVIRONMENT, "Gyeongsangbuk-do Province", "--on", "2011-01") == {
        "reference": "ELE-2011-001"}


def test_nominate_an_observer_is_refused(register: Cli):
    register.fails("case", "nominate", ENVIRONMENT, "Tianjin City", "--on", "2011-01",
                   error=f"Tianjin City cannot be nominated coordinator of {ENVIRONMENT}: it is not a member on "
                         "2011-01 (it is an observer since 2010-10)", code=1)


def test_nominate_on_a_bad_date_is_bad_input(register: Cli):
    register.fails("case", "nominate", ENVIRONMENT, "Toyama Prefecture", "--on", "January 2011",
                   error="bad date 'January 2011': use YYYY, YYYY-MM or YYYY-MM-DD (e.g. 1996-09)", code=2)


def test_elect(nominated: Cli):
    assert nominated.ok("case", "elect", "ELE-2011-001", "--on", "2011-03").stdout == \
        f"Gyeongsangbuk-do Province coordinates the {ENVIRONMENT} since 2011-03.\n"


def test_elect_json(nominated: Cli):
    assert nominated.json("case", "elect", "ele-2011-001", "--on", "2011-03") == {
        "reference": "ELE-2011-001", "committee": ENVIRONMENT, "coordinator": "Gyeongsangbuk-do Province",
        "since": "2011-03"}


def test_elect_twice_is_refused(nominated: Cli):
    nominated.ok("case", "elect", "ELE-2011-001", "--on", "2011-03")

    nominated.fails("case", "elect", "ELE-2011-001", "--on", "2011-04",
                    error="ELE-2011-001 is elected: cannot elect; allowed next steps: none (the case is closed)",
                    code=1)


def test_elect_an_application_is_bad_input(nominated: Cli):
    nominated.fails("case", "elect", "APP-2011-001", "--on", "2011-03", error=BAD_CASE, code=2)


def test_decline(nominated: Cli):
    assert nominated.ok("case", "decline", "ELE-2011-001", "--on", "2011-02",
                        "--reason", "no quorum").stdout == "ELE-2011-001 is declined.\n"


def test_decline_json(nominated: Cli):
    assert nominated.json("case", "decline", "ELE-2011-001", "--on", "2011-02", "--reason", "no quorum") == {
        "reference": "ELE-2011-001", "state": "declined"}


def test_decline_before_the_nomination_is_refused(nominated: Cli):
    nominated.fails("case", "decline", "ELE-2011-001", "--on", "2010-12", "--reason", "x",
                    error="ELE-2011-001: decline on 2010-12 would precede its last step, open on 2011-01", code=1)


def test_decline_a_withdrawal_is_bad_input(notified: Cli):
    notified.fails("case", "decline", "WDR-2003-001", "--on", "2003-02", "--reason", "x",
                   error="WDR-2003-001 is a withdrawal case, not a coordinator election", code=2)


def test_decline_an_unknown_case_is_refused(nominated: Cli):
    nominated.fails("case", "decline", "ELE-2011-009", "--on", "2011-02", "--reason", "x",
                    error="no case ELE-2011-009; see `near-gov tasks`", code=1)


def test_notify_withdrawal(register: Cli):
    assert register.ok("case", "notify-withdrawal", "Toyama Prefecture", "--on", "2003-01").stdout == \
        "WDR-2003-001\n"


def test_notify_withdrawal_json(register: Cli):
    assert register.json("case", "notify-withdrawal", "Toyama Prefecture", "--on", "2003-01",
                         "--source", "letter") == {"reference": "WDR-2003-001"}


def test_notify_withdrawal_of_an_unknown_region_is_refused(register: Cli):
    register.fails("case", "notify-withdrawal", "Nowhere", "--on", "2003-01",
                   error="no region named 'Nowhere'; register it with `near-gov region register NAME --country CC`",
                   code=1)


def test_notify_withdrawal_before_membership_is_bad_input(register: Cli):
    register.fails("case", "notify-withdrawal", "Toyama Prefecture", "--on", "1997-01",
                   error="Toyama Prefecture is neither a member nor an observer on 1997-01: "
                         "there is nothing to withdraw from", code=2)


def test_confirm(notified: Cli):
    assert notified.ok("case", "confirm", "WDR-2003-001", "--on", "2003-03").stdout == \
        "Toyama Prefecture is withdrawn since 2003-03 (WDR-2003-001).\n"


def test_confirm_json_on_the_notice_date(notified: Cli):
    assert notified.json("case", "confirm", "WDR-2003-001") == {
        "reference": "WDR-2003-001", "region": "Toyama Prefecture", "status": "withdrawn", "since": "2003-01"}


def test_confirm_twice_is_refused(notified: Cli):
    notified.ok("case", "confirm", "WDR-2003-001")

    notified.fails("case", "confirm", "WDR-2003-001",
                   error="WDR-2003-001 is withdrawn: cannot confirm; allowed next steps: none (the case is closed)",
                   code=1)


def test_confirm_a_nomination_is_bad_input(nominated: Cli):
    nominated.fails("case", "confirm", "ELE-2011-001",
                    error="ELE-2011-001 is a coordinator-election case, not a withdrawal", code=2)


def test_withdraw_retracts_a_withdrawal_notice(notified: Cli):
    assert notified.ok("case", "withdraw", "WDR-2003-001", "--reason", "council reversed",
                       "--on", "2003-02").stdout == "WDR-2003-001 is retracted.\n"


def test_withdraw_json(nominated: Cli):
    assert nominated.json("case", "withdraw", "ELE-2011-001", "--reason", "stood down", "--on", "2011-02") == {
        "reference": "ELE-2011-001", "state": "withdrawn"}


def test_withdraw_a_closed_case_is_refused(nominated: Cli):
    nominated.ok("case", "elect", "ELE-2011-001", "--on", "2011-03")

    nominated.fails("case", "withdraw", "ELE-2011-001", "--reason", "late", "--on", "2011-04",
                    error="ELE-2011-001 is elected: cannot withdraw; allowed next steps: none (the case is closed)",
                    code=1)


def test_withdraw_without_a_reason_is_bad_usage(nominated: Cli):
    nominated.fails("case", "withdraw", "ELE-2011-001",
                    error="Missing option '--reason'. Try 'near-gov case withdraw -h' for help.", code=2)


def test_show_lists_the_next_steps(nominated: Cli):
    out = nominated.ok("case", "show", "ELE-2011-001").stdout

    assert out.endswith("Next steps:\n  elect (by Sub-Committee members)\n  decline (by Sub-Committee members)\n"
                        "  withdraw (by applicant)\n")


def test_show_json(nominated: Cli):
    case = nominated.json("case", "show", "ELE-2011-001")

    assert (case["reference"], case["state"]) == ("ELE-2011-001", "nominated")
    assert [n["step"] for n in case["next"]] == ["elect", "decline", "withdraw"]


def test_show_unknown_case_is_refused_with_the_known_cases(nominated: Cli):
    nominated.fails("case", "show", "amd-2011-001",
                    error="no case AMD-2011-001; known: ELE-2011-001 (see `near-gov tasks`)", code=1)


def test_show_as_csv_is_bad_usage(nominated: Cli):
    nominated.fails("case", "show", "ELE-2011-001", "--format", "csv",
                    error="Invalid value for '--format': 'csv' is not one of 'table', 'json'. "
                          "Try 'near-gov case show -h' for help.", code=2)


def test_list(nominated: Cli, notified: Cli):
    out = nominated.ok("case", "list").stdout

    assert "ELE-2011-001" in out and "WDR-2003-001" in out


def test_list_json_and_csv_by_process(nominated: Cli, notified: Cli):
    cases = nominated.json("case", "list", "--process", "withdrawal")

    assert [c["reference"] for c in cases] == ["WDR-2003-001"]
    assert nominated.ok("case", "list", "--format", "csv").stdout.startswith("reference,")


def test_list_of_an_unknown_process_is_bad_usage(nominated: Cli):
    nominated.fails("case", "list", "--process", "admission",
                    error="Invalid value for '--process': 'admission' is not one of 'charter-amendment', "
                          "'coordinator-election', 'withdrawal'. Try 'near-gov case list -h' for help.", code=2)
