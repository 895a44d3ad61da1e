"""`near-gov region ...`: register, record, rename, withdraw, show, list."""

from __future__ import annotations

import pytest

from tests.cli_support import Cli

BAD_DATE = "bad date 'September 1996': use YYYY, YYYY-MM or YYYY-MM-DD (e.g. 1996-09)"


@pytest.fixture
def registered(cli: Cli) -> Cli:
    with cli.gov() as app:
        app.register_region("Rasun City", "KP")
    return cli


def test_register_prints_the_region(cli: Cli):
    result = cli.ok("region", "register", "Rasun City", "--country", "kp")

    assert result.stdout == "Registered Rasun City (KP).\n"
    assert cli.events() > 0


def test_register_json(cli: Cli):
    assert cli.json("region", "register", " Rasun   City ", "--country", "KP") == {"name": "Rasun City",
                                                                                   "country": "KP"}


def test_register_twice_is_refused(registered: Cli):
    registered.fails("region", "register", "rasun city", "--country", "KP",
                     error="Rasun City (KP) is already registered", code=1)


def test_register_unknown_country_is_bad_input(cli: Cli):
    cli.fails("region", "register", "Rasun City", "--country", "XX",
              error="unknown country 'XX': use an ISO 3166-1 alpha-2 code such as CN, JP, KR, KP, MN, RU", code=2)


def test_record_a_documented_status(registered: Cli):
    result = registered.ok("region", "record", "Rasun City", "--status", "observer", "--since", "2001-05",
                           "--source", "NEAR brochure")

    assert result.stdout == "Recorded Rasun City as observer since 2001-05.\n"


def test_record_json(registered: Cli):
    done = registered.json("region", "record", "Rasun City", "--status", "member", "--since", "2002-09",
                           "--source", "NEAR brochure")

    assert done == {"name": "Rasun City", "status": "member", "since": "2002-09"}


def test_record_the_same_status_and_date_again_is_refused(registered: Cli):
    registered.ok("region", "record", "Rasun City", "--status", "member", "--since", "2002-09", "--source", "a")

    registered.fails("region", "record", "Rasun City", "--status", "member", "--since", "2002-09", "--source", "b",
                     error="Rasun City is already recorded as a member since 2002-09", code=1)


def test_member_cannot_be_recorded_as_observer(admitted: Cli):
    admitted.fails("region", "record", "Rasun City", "--status", "observer", "--since", "2003-01",
                   "--source", "a letter", error="Rasun City is a member since 2002-09: it cannot become an observer",
                   code=1)

    assert admitted.json("region", "show", "Rasun City")["status"] == "member"


def test_record_a_bad_date_is_bad_input(registered: Cli):
    registered.fails("region", "record", "Rasun City", "--status", "member", "--since", "September 1996",
                     "--source", "NEAR brochure", code=2,
                     error="bad date 'September 1996': use EDTF, e.g. 1996-09, 2004~, 2004?, 2002-09/2010-10 "
                           "or [..2010-10]")


def test_record_a_status_that_is_not_documentable_is_bad_usage(registered: Cli):
    registered.fails("region", "record", "Rasun City", "--status", "withdrawn", "--since", "2002", "--source", "x",
                     error="Invalid value for '--status': 'withdrawn' is not one of 'member', 'observer'. "
                           "Try 'near-gov region record -h' for help.", code=2)


def test_rename(registered: Cli):
    result = registered.ok("region", "rename", "Rasun City", "Rason Special City", "--on", "2010-01")

    assert result.stdout == "Renamed Rasun City to Rason Special City on 2010-01.\n"


def test_rename_json(registered: Cli):
    assert registered.json("region", "rename", "Rasun City", "Rason Special City", "--on", "2010-01") == {
        "name": "Rason Special City", "former_name": "Rasun City", "on": "2010-01"}


def test_rename_unknown_region_is_refused(registered: Cli):
    registered.fails("region", "rename", "Nowhere", "Somewhere", "--on", "2010-01",
                     error="no region named 'Nowhere'; register it with `near-gov region register NAME --country CC`",
                     code=1)


def test_rename_on_a_bad_date_is_bad_input(registered: Cli):
    registered.fails("region", "rename", "Rasun City", "Rason", "--on", "September 1996", error=BAD_DATE, code=2)


def test_a_name_a_renamed_region_gave_up_is_registered_again_by_a_region_of_its_own(registered: Cli):
    registered.ok("region", "rename", "Rasun City", "Rason Special City", "--on", "2010-01")

    result = registered.ok("region", "register", "Rasun City", "--country", "KP")

    assert result.stdout == "Registered Rasun City (KP).\n"
    with registered.gov() as app:
        renamed, new = app.region("Rason Special City"), app.region("Rasun City", "KP")
    assert renamed.id != new.id
    assert (renamed.former_names, new.former_names, new.timeline) == (["Rasun City"], [], [])


def test_withdraw(admitted: Cli):
    result = admitted.ok("region", "withdraw", "Rasun City", "--on", "2008-01", "--source", "letter of 2008-01-10")

    assert result.stdout == "Rasun City is withdrawn since 2008-01.\n"


def test_withdraw_json_with_its_decision(admitted: Cli):
    admitted.ok("assembly", "convene", "GA", "5", "--host", "Khabarovsk Territory", "--on", "2004-09")
    admitted.ok("assembly", "decide", "GA-5", "--resolve", "Rasun City's withdrawal is accepted")

    assert admitted.json("region", "withdraw", "Rasun City", "--on", "2008-01", "--decision", "GA-5/D1") == {
        "name": "Rasun City", "status": "withdrawn", "since": "2008-01"}


def test_withdraw_citing_a_decision_of_a_kind_that_does_not_cause_it_is_refused(admitted: Cli):
    admitted.fails("region", "withdraw", "Rasun City", "--on", "2008-01", "--decision", "GA-4/D1",
                   error="GA-4/D1 is a decision to approve an application: it cannot cause a withdrawal; "
                         "cite a decision of kind resolve", code=1)


def test_withdraw_a_region_that_never_joined_is_refused(registered: Cli):
    registered.fails("region", "withdraw", "Rasun City", "--on", "2008-01",
                     error="Rasun City is neither a member nor an observer: it cannot withdraw", code=1)


def test_withdraw_dated_before_the_membership_began_is_refused(admitted: Cli):
    admitted.fails("region", "withdraw", "Rasun City", "--on", "1999-01",
                   error="Rasun City: a change on 1999-01 would precede its current status "
                         "(it is a member since 2002-09)",
                   code=1)


def test_record_a_status_dated_before_the_current_one_is_refused(registered: Cli):
    registered.ok("region", "record", "Rasun City", "--status", "observer", "--since", "2005", "--source", "a letter")

    registered.fails("region", "record", "Rasun City", "--status", "member", "--since", "2001-06", "--source",
                     "minutes", error="Rasun City: a change on 2001-06 would precede its current status "
                                      "(it is an observer since 2005)", code=1)


def test_withdraw_citing_a_malformed_decision_is_bad_input(admitted: Cli):
    admitted.fails("region", "withdraw", "Rasun City", "--on", "2008-01", "--decision", "GA4",
                   error="bad decision reference 'GA4': use ID/Dn (e.g. GA-4/D2)", code=2)


def test_show(admitted: Cli):
    result = admitted.ok("region", "show", "rasun city")

    assert "Rasun City" in result.stdout and "GA-4/D1" in result.stdout


def test_show_json(admitted: Cli):
    region = admitted.json("region", "show", "Rasun City")

    assert {k: region[k] for k in ("name", "country", "status", "since", "cause")} == {
        "name": "Rasun City", "country": "KP", "status": "member", "since": "2002-09", "cause": "GA-4/D1"}


def test_show_unknown_region_is_refused(admitted: Cli):
    admitted.fails("region", "show", "Nowhere",
                   error="no region named 'Nowhere'; known: Khabarovsk Territory, Rasun City "
                         "(see `near-gov region list`)",
                   code=1)


def test_show_with_an_unknown_country_is_bad_input(admitted: Cli):
    admitted.fails("region", "show", "Rasun City", "--country", "XX",
                   error="unknown country 'XX': use an ISO 3166-1 alpha-2 code such as CN, JP, KR, KP, MN, RU", code=2)


def test_list(admitted: Cli):
    lines = admitted.ok("region", "list").stdout.splitlines()

    assert lines[0].split() == ["Name", "Country", "Status", "Since", "Cause", "/", "source"]
    assert lines[2].split()[:2] == ["Rasun", "City"] and "GA-4/D1" in lines[2]


def test_list_json_and_csv(admitted: Cli):
    names = [r["name"] for r in admitted.json("region", "list")]
    csv = admitted.ok("region", "list", "--format", "csv").stdout.splitlines()

    assert names == ["Rasun City", "Khabarovsk Territory"]
    assert csv[0].startswith("name,country,status,since") and csv[1].startswith("Rasun City,KP,member,2002-09")


def test_list_in_an_unknown_format_is_bad_usage(admitted: Cli):
    admitted.fails("region", "list", "--format", "xml",
                   error="Invalid value for '--format': 'xml' is not one of 'table', 'json', 'csv'. "
                         "Try 'near-gov region list -h' for help.", code=2)

