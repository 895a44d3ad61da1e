"""`near-gov committee ...` and `near-gov charter ...`: Sub-Committees and the Charter."""

from __future__ import annotations

import pytest

from tests.cli_support import Cli
from tests.histories import given_member

TOURISM = "Sub-Committee on Tourism"


@pytest.fixture
def established(cli: Cli) -> Cli:
    """GA-8 (2010-10, hosted by Gyeonggi-do) established the Sub-Committee on Tourism and
    amended the Charter; Henan Province is a member since 2008-09, Tianjin City an observer."""
    with cli.gov() as app:
        given_member(app, "Gyeonggi-do Province", "KR", "2009-10")
        given_member(app, "Henan Province", "CN", "2008-09")
        app.register_region("Tianjin City", "CN")
        app.record_status("Tianjin City", "observer", "2010-10", "NEAR brochure")
        app.convene("GA", 8, "Gyeonggi-do Province", "2010-10")
        app.decide("GA-8", "establish-committee", name=TOURISM, coordinator="Gyeonggi-do Province")
        app.decide("GA-8", "amend-charter", article="5", text="The General Assembly meets every two years.")
    return cli


def test_elect(established: Cli):
    result = established.ok("committee", "elect", TOURISM, "--coordinator", "Henan Province", "--on", "2011-05",
                            "--decision", "GA-8/D1")

    assert result.stdout == f"Henan Province coordinates the {TOURISM} since 2011-05.\n"


def test_elect_json(established: Cli):
    assert established.json("committee", "elect", "sub-committee on tourism", "--coordinator", "Henan Province",
                            "--on", "2011-05", "--source", "minutes") == {
        "committee": TOURISM, "coordinator": "Henan Province", "since": "2011-05"}


def test_elect_an_observer_is_refused(established: Cli):
    established.fails("committee", "elect", TOURISM, "--coordinator", "Tianjin City", "--on", "2011-05",
                      error=f"Tianjin City cannot be coordinator of {TOURISM}: it is not a member on 2011-05 "
                            "(it is an observer since 2010-10)", code=1)


def test_elect_citing_a_decision_that_does_not_exist_is_refused(established: Cli):
    established.fails("committee", "elect", TOURISM, "--coordinator", "Henan Province", "--on", "2011-05",
                      "--decision", "GA-8/D9", error="no decision GA-8/D9; GA-8 has: GA-8/D1, GA-8/D2", code=1)


def test_elect_on_a_bad_date_is_bad_input(established: Cli):
    established.fails("committee", "elect", TOURISM, "--coordinator", "Henan Province", "--on", "2011-02-30",
                      error="no such date: 2011-02-30 (day is out of range for month)", code=2)


def test_record(cli: Cli):
    result = cli.ok("committee", "record", "Sub-Committee on Culture", "--source", "NEAR brochure")

    assert result.stdout == "Recorded the Sub-Committee on Culture.\n"


def test_record_json(cli: Cli):
    assert cli.json("committee", "record", "Sub-Committee on Culture", "--source", "NEAR brochure",
                    "--purpose", "exchange") == {"committee": "Sub-Committee on Culture"}


def test_record_an_existing_committee_is_refused(established: Cli):
    established.fails("committee", "record", TOURISM, "--source", "NEAR brochure",
                      error=f"{TOURISM} already exists", code=1)


def test_record_without_a_source_is_bad_usage(cli: Cli):
    cli.fails("committee", "record", "Sub-Committee on Culture",
              error="Missing option '--source'. Try 'near-gov committee record -h' for help.", code=2)


def test_list(established: Cli):
    lines = established.ok("committee", "list").stdout.splitlines()

    assert lines[0].split() == ["Name", "Coordinator", "Established"]
    assert lines[2].split() == [*TOURISM.split(), "Gyeonggi-do", "Province", "2010-10"]


def test_list_json_and_csv(established: Cli):
    (committee,) = established.json("committee", "list")
    csv = established.ok("committee", "list", "--format", "csv").stdout.splitlines()

    assert {k: committee[k] for k in ("name", "coordinator", "established")} == {
        "name": TOURISM, "coordinator": "Gyeonggi-do Province", "established": "2010-10"}
    assert csv[0].startswith("name,coordinator,established")


def test_list_in_an_unknown_format_is_bad_usage(cli: Cli):
    cli.fails("committee", "list", "--format", "html",
              error="Invalid value for '--format': 'html' is not one of 'table', 'json', 'csv'. "
                    "Try 'near-gov committee list -h' for help.", code=2)


def test_show(established: Cli):
    out = established.ok("committee", "show", TOURISM).stdout

    assert "Coordinator:  Gyeonggi-do Province" in out and "GA-8/D1" in out


def test_show_json(established: Cli):
    established.ok("committee", "elect", TOURISM, "--coordinator", "Henan Province", "--on", "2011-05")

    committee = established.json("committee", "show", TOURISM)

    assert (committee["name"], committee["coordinator"]) == (TOURISM, "Henan Province")
    assert [{k: c[k] for k in ("region", "since", "until", "cause")} for c in committee["coordinators"]] == [
        {"region": "Gyeonggi-do Province", "since": "2010-10", "until": "2011-05", "cause": "GA-8/D1"},
        {"region": "Henan Province", "since": "2011-05", "until": None, "cause": None}]


def test_an_assembly_dissolves_a_sub_committee(established: Cli):
    with established.gov() as app:
        app.convene("GA", 9, "Gyeonggi-do Province", "2012-09")

    assert established.ok("assembly", "decide", "GA-9", "--dissolve-committee", TOURISM).stdout == "GA-9/D1\n"

    committee = established.json("committee", "show", TOURISM)
    assert (committee["dissolved"], committee["coordinator"]) == ("2012-09", None)
    decision = established.json("assembly", "show", "GA-9")["decisions"][0]
    assert (decision["kind"], decision["text"]) == ("dissolve-committee", f"Dissolve the {TOURISM}")
    assert [(e["subject"], e["summary"]) for e in decision["effects"]] == [(TOURISM, "dissolved")]
    established.fails("committee", "elect", TOURISM, "--coordinator", "Henan Province", "--on", "2013-01",
                      error=f"{TOURISM} was dissolved on 2012-09", code=1)
    established.fails("assembly", "decide", "GA-9", "--dissolve-committee", TOURISM,
                      error=f"{TOURISM} was dissolved on 2012-09", code=1)
    assert established.json("assembly", "replay", "GA-9")["matches"] is True


def test_a_working_committee_meeting_cannot_dissolve_a_sub_committee(established: Cli):
    with established.gov() as app:
        app.convene("WC", 9, "Gyeonggi-do Province", "2011-03")
    before = established.json("committee", "show", TOURISM)

    established.fails("assembly", "decide", "WC-9", "--dissolve-committee", TOURISM,
                      error="WC-9 is a Working Committee meeting: only a General Assembly may dissolve a Sub-Committee",
                      code=1)
    assert established.json("committee", "show", TOURISM) == before


def test_show_unknown_committee_is_refused(established: Cli):
    established.fails("committee", "show", "Sub-Committee on Sports",
                      error=f"no committee named 'Sub-Committee on Sports'; did you mean {TOURISM}? "
                            "(see `near-gov committee list`)", code=1)


def test_show_without_a_name_is_bad_usage(established: Cli):
    established.fails("committee", "show",
                      error="Missing argument 'NAME'. Try 'near-gov committee show -h' for help.", code=2)


def test_charter_show(established: Cli):
    out = established.ok("charter", "show").stdout

    assert "Article 5\n  The General Assembly meets every two years." in out


def test_charter_show_json_as_of_a_date(established: Cli):
    before = established.json("charter", "show", "--as-of", "2010-01")
    after = established.json("charter", "show")

    assert (before["version"], before["articles"]) == (0, [])
    assert after["articles"] == [{"article": "5", "text": "The General Assembly meets every two years."}]
    assert after["scope"] == ["CN", "JP", "KR", "KP", "MN", "RU"]


def test_charter_show_on_a_bad_date_is_bad_input(established: Cli):
    established.fails("charter", "show", "--as-of", "soon",
                      error="bad date 'soon': use YYYY, YYYY-MM or YYYY-MM-DD (e.g. 1996-09)", code=2)


def test_charter_history(established: Cli):
    versions = established.json("charter", "history")
    csv = established.ok("charter", "history", "--format", "csv").stdout.splitlines()

    assert [(v["version"], v["cause"]) for v in versions] == [(0, None), (1, "GA-8/D2")]
    assert len(csv) == 3 and "GA-8/D2" in established.ok("charter", "history").stdout


def test_charter_history_in_an_unknown_format_is_bad_usage(cli: Cli):
    cli.fails("charter", "history", "--format", "pdf",
              error="Invalid value for '--format': 'pdf' is not one of 'table', 'json', 'csv'. "
                    "Try 'near-gov charter history -h' for help.", code=2)


def test_charter_diff(established: Cli):
    diff = established.json("charter", "diff", "0", "1")

    assert diff["articles"] == [
        {"article": "5", "before": None, "after": "The General Assembly meets every two years."}]
    assert "The General Assembly meets every two years." in established.ok("charter", "diff", "0", "1").stdout


def test_charter_diff_of_an_unknown_version_is_refused(established: Cli):
    established.fails("charter", "diff", "0", "7",
                      error="no Charter version 7; known: 0, 1 (see `near-gov charter history`)", code=1)


def test_charter_diff_with_one_version_is_bad_usage(established: Cli):
    established.fails("charter", "diff", "0",
                      error="Missing argument 'B'. Try 'near-gov charter diff -h' for help.", code=2)
