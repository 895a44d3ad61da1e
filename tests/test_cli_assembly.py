"""`near-gov assembly ...`: convene, attend, close, decide, show, list, replay."""

from __future__ import annotations

import pytest

from tests.cli_support import Cli
from tests.histories import given_member

REF = "APP-2002-001"
CLOSED = "GA-4 was closed on 2002-09-13: its decisions are final; record a correction as a decision of a later assembly"


@pytest.fixture
def member(cli: Cli) -> Cli:
    with cli.gov() as app:
        given_member(app, "Khabarovsk Territory", "RU")
    return cli


def test_convene(member: Cli):
    result = member.ok("assembly", "convene", "GA", "4", "--host", "khabarovsk territory", "--on", "2002-09")

    assert result.stdout == "Convened GA-4 (General Assembly) hosted by Khabarovsk Territory on 2002-09.\n"


def test_convene_json(member: Cli):
    assert member.json("assembly", "convene", "wc", "3", "--host", "Khabarovsk Territory", "--on", "2002-10") == {
        "id": "WC-3", "body": "Working Committee", "host": "Khabarovsk Territory", "on": "2002-10"}


def test_convene_twice_is_refused(scheduled: Cli):
    scheduled.fails("assembly", "convene", "GA", "4", "--host", "Khabarovsk Territory", "--on", "2002-09",
                    error="GA-4 is already convened", code=1)


def test_convene_hosted_by_a_non_member_is_refused(member: Cli):
    member.fails("assembly", "convene", "GA", "1", "--host", "Khabarovsk Territory", "--on", "1995-01",
                 error="Khabarovsk Territory cannot be host of GA-1: it is not a member on 1995-01 "
                       "(it is a member since 1996-09)", code=1)


def test_convene_an_unknown_body_is_bad_usage(member: Cli):
    member.fails("assembly", "convene", "SC", "1", "--host", "Khabarovsk Territory", "--on", "2002-09",
                 error="Invalid value for 'GA|WC': 'SC': use GA (General Assembly) or WC (Working Committee meeting). "
                       "Try 'near-gov assembly convene -h' for help.", code=2)


def test_convene_number_zero_is_bad_usage(member: Cli):
    member.fails("assembly", "convene", "GA", "0", "--host", "Khabarovsk Territory", "--on", "2002-09",
                 error="Invalid value for 'NUMBER': 0 is not in the range x>=1. "
                       "Try 'near-gov assembly convene -h' for help.", code=2)


def test_attend(admitted: Cli):
    with admitted.gov() as app:
        app.convene("GA", 5, "Khabarovsk Territory", "2004-09")

    result = admitted.ok("assembly", "attend", "GA-5", "Khabarovsk Territory", "rasun city")

    assert result.stdout == "GA-5: recorded Khabarovsk Territory, Rasun City; 2 attended.\n"


def test_attend_json(scheduled: Cli):
    assert scheduled.json("assembly", "attend", "GA-4", "Khabarovsk Territory") == {
        "id": "GA-4", "added": ["Khabarovsk Territory"], "attendance": ["Khabarovsk Territory"]}


def test_attend_by_a_region_without_status_is_refused(scheduled: Cli):
    scheduled.fails("assembly", "attend", "GA-4", "Rasun City",
                    error="Rasun City is neither a member nor an observer on 2002-09", code=1)


def test_attend_without_names_is_bad_usage(scheduled: Cli):
    scheduled.fails("assembly", "attend", "GA-4",
                    error="Missing argument 'NAME...'. Try 'near-gov assembly attend -h' for help.", code=2)


def test_close(scheduled: Cli):
    assert scheduled.ok("assembly", "close", "GA-4", "--on", "2002-09-13").stdout == "Closed GA-4 on 2002-09-13.\n"


def test_close_json_defaults_to_the_opening_day(scheduled: Cli):
    assert scheduled.json("assembly", "close", "GA-4") == {"id": "GA-4", "closed": "2002-09"}


def test_close_twice_is_refused(admitted: Cli):
    admitted.fails("assembly", "close", "GA-4", error=CLOSED, code=1)


def test_close_a_malformed_id_is_bad_input(scheduled: Cli):
    scheduled.fails("assembly", "close", "GA-", error="bad assembly id 'GA-': use GA-n or WC-n (e.g. GA-4)", code=2)


def test_decide_approve_prints_the_decision(scheduled: Cli):
    assert scheduled.ok("assembly", "decide", "GA-4", "--approve", REF).stdout == "GA-4/D1\n"


@pytest.mark.parametrize("options", [
    ["--reject", REF, "--reason", "incomplete file"],
    ["--establish-committee", "Sub-Committee on Tourism", "--coordinator", "Khabarovsk Territory",
     "--purpose", "tourism"],
    ["--amend-charter", "5", "--text", "The General Assembly meets every two years."],
    ["--set-scope", "CN,JP,KR,KP,MN,RU,KZ"],
    ["--resolve", "Thank the host."],
], ids=lambda o: o[0])
def test_decide_json(scheduled: Cli, options):
    assert scheduled.json("assembly", "decide", "GA-4", *options) == {"decision": "GA-4/D1"}


def test_decide_elect_coordinator(scheduled: Cli):
    scheduled.ok("assembly", "decide", "GA-4", "--establish-committee", "Sub-Committee on Tourism")

    assert scheduled.json("assembly", "decide", "GA-4", "--elect-coordinator", "Sub-Committee on Tourism",
                          "Khabarovsk Territory") == {"decision": "GA-4/D2"}


def test_decide_elect_coordinator_refuses_an_observer(scheduled: Cli):
    with scheduled.gov() as app:
        app.register_region("Tianjin City", "CN")
        app.record_status("Tianjin City", "observer", "2001-05", "NEAR brochure")
        app.decide("GA-4", "establish-committee", name="Sub-Committee on Tourism")

    scheduled.fails("assembly", "decide", "GA-4", "--elect-coordinator", "Sub-Committee on Tourism", "Tianjin City",
                    error="Tianjin City cannot be coordinator of Sub-Committee on Tourism: it is not a member on "
                          "2002-09 (it is an observer since 2001-05)", code=1)

    assert scheduled.json("committee", "show", "Sub-Committee on Tourism")["coordinators"] == []


def test_decide_charter_amendment_cases(scheduled: Cli):
    with scheduled.gov() as app:
        app.convene("WC", 3, "Khabarovsk Territory", "2002-10")
        app.convene("GA", 5, "Khabarovsk Territory", "2004-09")
        amd = app.propose_amendment("2002-09", article="5", text="Biennial.")["reference"]

    assert scheduled.json("assembly", "decide", "WC-3", "--review-amendment", amd) == {"decision": "WC-3/D1"}
    assert scheduled.json("assembly", "decide", "GA-5", "--adopt-amendment", amd) == {"decision": "GA-5/D1"}


def test_decide_in_a_closed_assembly_is_refused(admitted: Cli):
    admitted.fails("assembly", "decide", "GA-4", "--resolve", "Afterthought.", error=CLOSED, code=1)


def test_decide_admission_in_a_working_committee_is_refused(scheduled: Cli):
    with scheduled.gov() as app:
        app.convene("WC", 3, "Khabarovsk Territory", "2002-10")

    scheduled.fails("assembly", "decide", "WC-3", "--approve", REF,
                    error="WC-3 is a Working Committee meeting: only a General Assembly may approve an application",
                    code=1)


DECISION_FLAGS = ("--approve, --reject, --establish-committee, --elect-coordinator, --amend-charter, --set-scope, "
                  "--resolve, --dissolve-committee, --review-amendment, --adopt-amendment, --reject-amendment, "
                  "--discussion, --proposal, --report, --bid")


@pytest.mark.parametrize(("options", "error"), [
    ([], f"give exactly one decision: {DECISION_FLAGS}."),
    (["--approve", REF, "--resolve", "x"], f"give exactly one decision: {DECISION_FLAGS}."),
    (["--reject", REF], "--reject needs --reason."),
    (["--amend-charter", "5"], "--amend-charter needs --text."),
    (["--approve", REF, "--reason", "x"], "--reason does not go with --approve."),
    (["--resolve", "x", "--coordinator", "Khabarovsk Territory"], "--coordinator does not go with --resolve."),
], ids=["none", "two", "reject-without-reason", "amend-without-text", "reason-with-approve", "stray-coordinator"])
def test_decide_with_wrong_options_is_bad_usage(scheduled: Cli, options, error):
    scheduled.fails("assembly", "decide", "GA-4", *options,
                    error=f"{error} Try 'near-gov assembly decide -h' for help.", code=2)


def test_decide_on_a_malformed_application_is_bad_input(scheduled: Cli):
    scheduled.fails("assembly", "decide", "GA-4", "--approve", "APP-2002",
                    error="bad application reference 'APP-2002': use APP-YYYY-NNN", code=2)


def test_decide_unknown_scope_country_is_bad_input(scheduled: Cli):
    scheduled.fails("assembly", "decide", "GA-4", "--set-scope", "CN,XX",
                    error="unknown country 'XX': use an ISO 3166-1 alpha-2 code such as CN, JP, KR, KP, MN, RU",
                    code=2)


def test_show(admitted: Cli):
    out = admitted.ok("assembly", "show", "GA-4").stdout

    assert "GA-4/D1" in out and "Rasun City" in out


def test_show_json(admitted: Cli):
    assembly = admitted.json("assembly", "show", "ga-4")

    assert assembly["id"] == "GA-4"
    assert [d["ref"] for d in assembly["decisions"]] == ["GA-4/D1"]


def test_show_unknown_assembly_is_refused(admitted: Cli):
    admitted.fails("assembly", "show", "GA-12", error="no assembly GA-12; known: GA-4 (see `near-gov assembly list`)",
                   code=1)


def test_show_malformed_id_is_bad_input(admitted: Cli):
    admitted.fails("assembly", "show", "4", error="bad assembly id '4': use GA-n or WC-n (e.g. GA-4)", code=2)


def test_list(admitted: Cli):
    lines = admitted.ok("assembly", "list").stdout.splitlines()

    assert lines[0].split() == ["ID", "Body", "Host", "Opened", "Closed", "Decisions"]
    assert lines[2].startswith("GA-4") and lines[2].rstrip().endswith("1")


def test_list_json_and_csv(admitted: Cli):
    (assembly,) = admitted.json("assembly", "list")
    csv = admitted.ok("assembly", "list", "--format", "csv").stdout.splitlines()

    assert {k: assembly[k] for k in ("id", "body", "number", "host", "opened")} == {
        "id": "GA-4", "body": "General Assembly", "number": 4, "host": "Khabarovsk Territory", "opened": "2002-09"}
    assert [(d["ref"], d["kind"]) for d in assembly["decisions"]] == [("GA-4/D1", "approve")]
    assert csv[0].startswith("id,body,number,host,opened")


def test_list_in_an_unknown_format_is_bad_usage(admitted: Cli):
    admitted.fails("assembly", "list", "--format", "yaml",
                   error="Invalid value for '--format': 'yaml' is not one of 'table', 'json', 'csv'. "
                         "Try 'near-gov assembly list -h' for help.", code=2)


def test_replay(admitted: Cli):
    result = admitted.ok("assembly", "replay", "GA-4")

    assert "Rasun City" in result.stdout


def test_replay_json(admitted: Cli):
    assert isinstance(admitted.json("assembly", "replay", "GA-4"), dict)


def test_replay_unknown_assembly_is_refused(admitted: Cli):
    admitted.fails("assembly", "replay", "GA-9",
                   error="no assembly GA-9; known: GA-4 (see `near-gov assembly list`)", code=1)


def test_replay_malformed_id_is_bad_input(admitted: Cli):
    admitted.fails("assembly", "replay", "GA9", error="bad assembly id 'GA9': use GA-n or WC-n (e.g. GA-4)", code=2)
