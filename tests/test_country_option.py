"""Every command that names a region finds it as reads do (its name now, else a former
name), and takes `--country` for a name held in two countries: without it such a name is
refused as bad input (exit 2) and nothing is written; with it the command acts on that
country's region. Run on SQLite and PostgreSQL (the `store_url` fixture)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

import pytest

from near_gov.reads import Reads
from near_gov.service import Governance
from tests.cli_support import Cli
from tests.histories import given_member

AMBIGUOUS = "'Amur Region' names regions in CN, RU; give --country"
BAD_COUNTRY = "unknown country 'XX': use an ISO 3166-1 alpha-2 code such as CN, JP, KR, KP, MN, RU"
TOURISM = "Sub-Committee on Tourism"


def given_a_name_held_in_turn_by_two_countries(app: Governance) -> None:
    """"Amur Region" was a Russian region's name until 2002, then a Chinese region's until
    2008: both have given it up. "Primorsky Territory" is a former name of one region only.
    GA-9 (2010-09, hosted by Khabarovsk Territory) is open; the Sub-Committee on Tourism is
    documented."""
    given_member(app, "Khabarovsk Territory", "RU")
    given_member(app, "Amur Region", "RU")
    app.rename_region("Amur Region", "Amur Oblast", "2002-01")
    app.register_region("Amur Region", "CN")
    app.record_status("Amur Region", "member", "2002-09", "GA-4 minutes", country="CN")
    app.rename_region("Amur Region", "Heihe Region", "2008-01", country="CN")
    given_member(app, "Primorsky Territory", "RU")
    app.rename_region("Primorsky Territory", "Primorsky Krai", "2005-01")
    app.convene("GA", 9, "Khabarovsk Territory", "2010-09")
    app.record_committee(TOURISM, "NEAR brochure, Sub-Committees")


@pytest.fixture
def two(store_url: str) -> Cli:
    return Cli(store_url).given(given_a_name_held_in_turn_by_two_countries)


@dataclass(frozen=True)
class Command:
    """A command naming one region (`args(name)`), and which region it acted on."""

    label: str
    args: Callable[[str], list[str]]
    acted_on: Callable[[Governance], UUID]


def _case_region(app: Governance, prefix: str) -> UUID:
    case = app.case(f"{prefix}-2012-001")
    return app.region(case.subject["region"], case.subject["country"]).id


def _coordinator(app: Governance, committee: str) -> UUID:
    term = app.committee(committee).coordinator
    assert term is not None
    return term.region_id


COMMANDS = [
    Command("region record",
            lambda n: ["region", "record", n, "--status", "member", "--since", "1996-06", "--source", "minutes"],
            lambda app: next(r.id for r in map(app.region, ("Amur Oblast", "Heihe Region", "Primorsky Krai"))
                             if str(r.since) == "1996-06")),
    Command("region rename", lambda n: ["region", "rename", n, "Renamed Region", "--on", "2012-01"],
            lambda app: app.region("Renamed Region").id),
    Command("region withdraw", lambda n: ["region", "withdraw", n, "--on", "2012-01", "--source", "a letter"],
            lambda app: next(r.id for r in map(app.region, ("Amur Oblast", "Heihe Region", "Primorsky Krai"))
                             if str(r.status) == "withdrawn")),
    Command("case notify-withdrawal", lambda n: ["case", "notify-withdrawal", n, "--on", "2012-01"],
            lambda app: _case_region(app, "WDR")),
    Command("case nominate", lambda n: ["case", "nominate", TOURISM, n, "--on", "2012-01"],
            lambda app: _case_region(app, "ELE")),
    Command("committee elect", lambda n: ["committee", "elect", TOURISM, "--coordinator", n, "--on", "2012-01",
                                          "--source", "minutes"],
            lambda app: _coordinator(app, TOURISM)),
    Command("assembly convene", lambda n: ["assembly", "convene", "GA", "10", "--host", n, "--on", "2012-09"],
            lambda app: app.assembly("GA-10").host_id),
    Command("assembly attend", lambda n: ["assembly", "attend", "GA-9", n],
            lambda app: app.region(app.assembly("GA-9").attendance[0]).id),
    Command("assembly decide --elect-coordinator",
            lambda n: ["assembly", "decide", "GA-9", "--elect-coordinator", TOURISM, n],
            lambda app: _coordinator(app, TOURISM)),
    Command("assembly decide --establish-committee --coordinator",
            lambda n: ["assembly", "decide", "GA-9", "--establish-committee", "Sub-Committee on Energy",
                       "--coordinator", n],
            lambda app: _coordinator(app, "Sub-Committee on Energy")),
]
IDS = [c.label for c in COMMANDS]


def region_id(cli: Cli, name: str, country: str | None = None) -> UUID:
    with cli.gov() as app:
        return app.region(name, country).id


@pytest.mark.parametrize("command", COMMANDS, ids=IDS)
def test_a_name_two_countries_gave_up_is_refused_without_the_country_writing_nothing(two: Cli, command: Command):
    two.fails(*command.args("Amur Region"), error=AMBIGUOUS, code=2)


@pytest.mark.parametrize("country, holder", [("RU", "Amur Oblast"), ("cn", "Heihe Region")])
@pytest.mark.parametrize("command", COMMANDS, ids=IDS)
def test_the_country_settles_a_name_held_in_two_countries(two: Cli, command: Command, country: str, holder: str):
    expected = region_id(two, holder)
    before = two.events()

    two.ok(*command.args("amur  region"), "--country", country)

    assert two.events() > before
    with two.gov() as app:
        assert command.acted_on(app) == expected


@pytest.mark.parametrize("command", COMMANDS, ids=IDS)
def test_a_former_name_of_one_region_is_found_without_the_country(two: Cli, command: Command):
    expected = region_id(two, "Primorsky Krai")

    two.ok(*command.args("Primorsky Territory"))

    with two.gov() as app:
        assert command.acted_on(app) == expected


@pytest.mark.parametrize("command", COMMANDS, ids=IDS)
def test_an_unknown_country_is_bad_input(two: Cli, command: Command):
    two.fails(*command.args("Amur Region"), "--country", "XX", error=BAD_COUNTRY, code=2)


@pytest.mark.parametrize("command", COMMANDS, ids=IDS)
def test_a_country_that_never_held_the_name_finds_no_region(two: Cli, command: Command):
    two.fails(*command.args("Amur Region"), "--country", "JP", code=1,
              error="no region named 'Amur Region' in JP; register it with "
                    "`near-gov region register NAME --country CC`")


def test_a_name_held_now_finds_its_holder_and_the_country_finds_the_region_that_gave_it_up(store_url: str):
    cli = Cli(store_url).given(lambda app: (given_member(app, "Amur Region", "RU"),
                                            app.rename_region("Amur Region", "Amur Oblast", "2002-01"),
                                            given_member(app, "Amur Region", "CN", since="2002-09"),
                                            app.convene("GA", 9, "Amur Region", "2010-09")))

    cli.ok("assembly", "attend", "GA-9", "Amur Region")
    cli.ok("assembly", "attend", "GA-9", "Amur Region", "--country", "RU")

    with cli.gov() as app:
        ga9 = app.assembly("GA-9")
        assert (ga9.host_id, ga9.attendance) == (app.region("Amur Region", "CN").id, ["Amur Region", "Amur Oblast"])


def test_attend_applies_the_country_to_every_name_given(two: Cli):
    two.fails("assembly", "attend", "GA-9", "Khabarovsk Territory", "Amur Region", "--country", "CN", code=1,
              error="no region named 'Khabarovsk Territory' in CN; register it with "
                    "`near-gov region register NAME --country CC`")

    done = two.json("assembly", "attend", "GA-9", "Khabarovsk Territory", "Amur Region", "--country", "RU")

    assert done["attendance"] == ["Khabarovsk Territory", "Amur Oblast"]


def test_history_of_a_name_held_in_two_countries_needs_the_country(two: Cli):
    two.fails("history", "--region", "Amur Region", code=2,
              error="'Amur Region' names regions in CN, RU; give the country")
    two.fails("history", "--country", "RU", code=2,
              error="--country goes with --region: it gives the country of the region named. "
                    "Try 'near-gov history -h' for help.")
    two.fails("history", "--region", "Amur Region", "--country", "XX", error=BAD_COUNTRY, code=2)

    ru = two.json("history", "--region", "Amur Region", "--country", "RU")
    cn = two.json("history", "--region", "amur region", "--country", "CN")
    former = two.json("history", "--region", "Primorsky Territory")

    assert [(e["subject"], e["effective"]) for e in ru] == [
        ("Amur Region", None), ("Amur Region", "1996-09"), ("Amur Oblast", "2002-01")]
    assert [(e["subject"], e["effective"]) for e in cn] == [
        ("Amur Region", None), ("Amur Region", "2002-09"), ("Heihe Region", "2008-01")]
    assert [e["subject"] for e in former] == ["Primorsky Territory", "Primorsky Territory", "Primorsky Krai"]


@pytest.mark.parametrize("decision", [["--approve", "APP-2012-001"], ["--resolve", "Thanks to the host"],
                                      ["--establish-committee", "Sub-Committee on Energy"]])
def test_decide_refuses_a_country_where_the_decision_names_no_region(two: Cli, decision: list[str]):
    kind = decision[0][2:]
    two.fails("assembly", "decide", "GA-9", *decision, "--country", "RU", code=2,
              error="--country gives the country of a region the decision names (--establish-committee's "
                    f"--coordinator, --elect-coordinator's REGION): this --{kind} names none")


def test_an_election_case_elects_the_nominated_region_though_its_name_is_taken_meanwhile(two: Cli):
    ref = two.json("case", "nominate", TOURISM, "Amur Region", "--country", "RU", "--on", "2012-01")["reference"]
    two.ok("region", "rename", "Amur Oblast", "Amur Krai", "--on", "2012-02")
    two.ok("region", "register", "Amur Oblast", "--country", "CN")

    done = two.json("case", "elect", ref, "--on", "2012-03")

    assert done["coordinator"] == "Amur Krai"
    with two.gov() as app:
        assert _coordinator(app, TOURISM) == app.region("Amur Krai").id


def test_reads_and_writes_take_a_former_name_to_the_region_of_that_country_that_gave_it_up_last(gov: Governance):
    given_member(gov, "Jeju Province", "KR")
    gov.rename_region("Jeju Province", "Jeju Special Self-Governing Province", "2006-07")
    given_member(gov, "Jeju Province", "KR", since="2007-01")
    gov.rename_region("Jeju Province", "Jeju City", "2008-01")
    reads = Reads(gov)

    try:
        found = (reads.region("jeju province")["name"], reads.region("Jeju Province", "KR")["name"])
    finally:
        reads.close()

    assert found == ("Jeju City", "Jeju City")
    assert gov.region("jeju province").name == gov.region("Jeju Province", "KR").name == "Jeju City"
