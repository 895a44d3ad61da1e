"""Answers about a past date name a region as it was named then, with today's name
beside it (DESIGN.md, "Names have periods"): the roster as of a date, an assembly,
a Sub-Committee's terms, the history, the membership audit and the HTML report.

The register: Primorsky Territory is renamed Primorsky Krai on 2015-06-01, after
GA-4 and GA-5 were recorded; Toyama is renamed twice (Toyama Prefecture in 2005,
Toyama Pref. in 2010-05) before GA-4 (2002-09) is recorded, so GA-4's events are
written with the name of 2010 and must still read as they were in 2002."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from near_gov.reads import Reads
from near_gov.report import write_report
from near_gov.service import Governance
from tests.cli_support import Cli
from tests.histories import given_member

TOURISM = "Sub-Committee on Tourism"


def given_renamed_regions(gov: Governance) -> None:
    for name, country in [("Primorsky Territory", "RU"), ("Khabarovsk Territory", "RU"), ("Toyama", "JP")]:
        given_member(gov, name, country)
    gov.rename_region("Toyama", "Toyama Prefecture", "2005")
    gov.rename_region("Toyama Prefecture", "Toyama Pref.", "2010-05")
    gov.convene("GA", 4, "Primorsky Territory", "2002-09")
    gov.attend("GA-4", ["Primorsky Territory", "Toyama Pref.", "Khabarovsk Territory"])
    gov.decide("GA-4", "establish-committee", name=TOURISM, coordinator="Toyama Pref.")
    gov.close_assembly("GA-4")
    gov.convene("GA", 5, "Khabarovsk Territory", "2012-09")
    gov.decide("GA-5", "elect-coordinator", committee=TOURISM, region="Primorsky Territory")
    gov.close_assembly("GA-5")
    gov.rename_region("Primorsky Territory", "Primorsky Krai", "2015-06-01")
    gov.convene("GA", 6, "Primorsky Krai", "2016-09")


@pytest.fixture
def renamed(store_url: str) -> Iterator[tuple[Governance, Reads]]:
    gov = Governance(store_url, actor="clerk")
    given_renamed_regions(gov)
    reads = Reads(gov)
    yield gov, reads
    reads.close()
    gov.close()


def names(roster: dict[str, Any]) -> list[tuple[str, str]]:
    return [(e["name"], e["current_name"]) for e in roster["entries"]]


# The roster.


@pytest.mark.parametrize(("day", "expected"), [
    ("2004-01-01", [("Toyama", "Toyama Pref."), ("Khabarovsk Territory", "Khabarovsk Territory"),
                    ("Primorsky Territory", "Primorsky Krai")]),
    ("2004-12-31", [("Toyama", "Toyama Pref."), ("Khabarovsk Territory", "Khabarovsk Territory"),
                    ("Primorsky Territory", "Primorsky Krai")]),
    ("2005", [("Toyama Prefecture", "Toyama Pref."), ("Khabarovsk Territory", "Khabarovsk Territory"),
              ("Primorsky Territory", "Primorsky Krai")]),
    ("2010-04-30", [("Toyama Prefecture", "Toyama Pref."), ("Khabarovsk Territory", "Khabarovsk Territory"),
                    ("Primorsky Territory", "Primorsky Krai")]),
    ("2010-05-01", [("Toyama Pref.", "Toyama Pref."), ("Khabarovsk Territory", "Khabarovsk Territory"),
                    ("Primorsky Territory", "Primorsky Krai")]),
    ("2015-05-31", [("Toyama Pref.", "Toyama Pref."), ("Khabarovsk Territory", "Khabarovsk Territory"),
                    ("Primorsky Territory", "Primorsky Krai")]),
    ("2015-06-01", [("Toyama Pref.", "Toyama Pref."), ("Khabarovsk Territory", "Khabarovsk Territory"),
                    ("Primorsky Krai", "Primorsky Krai")]),
    ("2020-01-01", [("Toyama Pref.", "Toyama Pref."), ("Khabarovsk Territory", "Khabarovsk Territory"),
                    ("Primorsky Krai", "Primorsky Krai")]),
])
def test_roster_as_of_a_date_names_each_region_as_it_was_then_with_todays_name(renamed, day, expected):
    gov, reads = renamed

    roster = reads.roster(as_of=day)

    assert names(roster) == expected
    assert names(reads.roster(as_of=day, known_at="2999-01-01T00:00:00Z")) == expected


def test_roster_as_of_today_names_every_region_by_its_current_name(renamed):
    gov, reads = renamed

    entries = reads.roster()["entries"]

    assert all(e["name"] == e["current_name"] for e in entries), entries


def test_roster_sorts_by_the_names_held_then(store_url):
    gov = Governance(store_url, actor="clerk")
    given_member(gov, "Khabarovsk Territory", "RU")
    given_member(gov, "Amur Oblast", "RU")
    gov.rename_region("Amur Oblast", "Zeya Oblast", "2015")
    reads = Reads(gov)

    before, after = reads.roster(as_of="2004-01-01"), reads.roster(as_of="2016-01-01")
    reads.close()
    gov.close()

    assert names(before) == [("Amur Oblast", "Zeya Oblast"), ("Khabarovsk Territory", "Khabarovsk Territory")]
    assert names(after) == [("Khabarovsk Territory", "Khabarovsk Territory"), ("Zeya Oblast", "Zeya Oblast")]


def test_roster_table_shows_the_name_then_with_todays_name_beside_and_csv_has_current_name(renamed, store_url):
    cli = Cli(store_url)

    table = cli.ok("roster", "--as-of", "2007-01-01").stdout
    csv = cli.ok("roster", "--as-of", "2007-01-01", "--format", "csv").stdout.splitlines()
    data = cli.json("roster", "--as-of", "2007-01-01")

    assert "Toyama Prefecture (now Toyama Pref.)" in table
    assert "Primorsky Territory (now Primorsky Krai)" in table
    assert "Khabarovsk Territory (now" not in table
    assert csv[0].startswith("name,country,status,since,cause,source,current_name,documented,basis,counts.")
    assert "Toyama Prefecture,JP,member,1996-09,,NEAR brochure,Toyama Pref.,yes,stated,,,,,,," in csv
    assert "Khabarovsk Territory,RU,member,1996-09,,NEAR brochure,Khabarovsk Territory,yes,stated,,,,,,," in csv
    assert [e["name"] for e in data["entries"]] == ["Toyama Prefecture", "Khabarovsk Territory",
                                                    "Primorsky Territory"]


# Assemblies.


def test_assembly_show_names_host_attendees_and_effects_as_on_its_date(renamed):
    gov, reads = renamed

    ga4 = reads.assembly("GA-4")

    assert (ga4["host"], ga4["current_host"]) == ("Primorsky Territory", "Primorsky Krai")
    assert ga4["attendance"] == ["Primorsky Territory", "Toyama", "Khabarovsk Territory"]
    assert ga4["attendees"] == [
        {"name": "Primorsky Territory", "current_name": "Primorsky Krai"},
        {"name": "Toyama", "current_name": "Toyama Pref."},
        {"name": "Khabarovsk Territory", "current_name": "Khabarovsk Territory"},
    ]
    effects = ga4["decisions"][0]["effects"]
    elected = next(e for e in effects if e["kind"] == "Committee.CoordinatorElected")
    assert (elected["summary"], elected["region"], elected["current_name"]) == (
        "coordinator: Toyama", "Toyama", "Toyama Pref.")


def test_assembly_list_names_each_host_as_on_the_assemblys_date(renamed):
    gov, reads = renamed

    hosts = [(a["id"], a["host"], a["current_host"]) for a in reads.assemblies()]

    assert hosts == [("GA-4", "Primorsky Territory", "Primorsky Krai"),
                     ("GA-5", "Khabarovsk Territory", "Khabarovsk Territory"),
                     ("GA-6", "Primorsky Krai", "Primorsky Krai")]


def test_assembly_show_and_list_tables_put_todays_name_beside(renamed, store_url):
    cli = Cli(store_url)

    shown = cli.ok("assembly", "show", "GA-4").stdout
    listed = cli.ok("assembly", "list").stdout

    assert "Host:    Primorsky Territory (now Primorsky Krai)" in shown
    assert ("Attendance: Primorsky Territory (now Primorsky Krai), Toyama (now Toyama Pref.), "
            "Khabarovsk Territory\n") in shown
    assert "coordinator: Toyama" in shown and "coordinator: Toyama Pref." not in shown
    assert "GA-4  General Assembly  Primorsky Territory (now Primorsky Krai)" in listed


# Sub-Committees.


def test_committee_show_names_each_coordinator_as_when_its_term_began(renamed, store_url):
    gov, reads = renamed

    tourism = reads.committee(TOURISM)
    table = Cli(store_url).ok("committee", "show", TOURISM).stdout

    terms = [(k["region"], k["current_name"], k["since"], k["until"]) for k in tourism["coordinators"]]
    assert terms == [("Toyama", "Toyama Pref.", "2002-09", "2012-09"),
                     ("Primorsky Territory", "Primorsky Krai", "2012-09", None)]
    assert tourism["coordinator"] == "Primorsky Krai"
    assert reads.committees()[0]["coordinator"] == "Primorsky Krai"
    assert "Toyama (now Toyama Pref.)" in table
    assert "Primorsky Territory (now Primorsky Krai)" in table
    assert "Current name" not in table


# The history.


def test_history_names_the_region_as_on_each_rows_effective_date(renamed):
    gov, reads = renamed

    rows = [(r["effective"], r["kind"], r["subject"], r["summary"], r["region"], r["current_name"])
            for r in reads.history(region="Primorsky Krai")]

    assert rows == [
        (None, "RegionalGovernment.Registered", "Primorsky Territory", "registered (RU)",
         "Primorsky Territory", "Primorsky Krai"),
        ("1996-09", "RegionalGovernment.StatusRecorded", "Primorsky Territory", "member since 1996-09",
         "Primorsky Territory", "Primorsky Krai"),
        ("2002-09", "Assembly.Convened", "GA-4", "General Assembly convened, hosted by Primorsky Territory",
         "Primorsky Territory", "Primorsky Krai"),
        ("2012-09", "Committee.CoordinatorElected", TOURISM, "coordinator: Primorsky Territory",
         "Primorsky Territory", "Primorsky Krai"),
        ("2015-06-01", "RegionalGovernment.Renamed", "Primorsky Krai", "renamed from Primorsky Territory",
         "Primorsky Krai", "Primorsky Krai"),
        ("2016-09", "Assembly.Convened", "GA-6", "General Assembly convened, hosted by Primorsky Krai",
         "Primorsky Krai", "Primorsky Krai"),
    ]


def test_history_rows_written_with_a_later_name_read_with_the_name_then(renamed):
    gov, reads = renamed

    toyama = {(r["effective"], r["kind"]): r for r in reads.history(region="Toyama")}
    ga4 = {r["kind"]: r for r in reads.history(assembly="GA-4")}

    elected = toyama[("2002-09", "Committee.CoordinatorElected")]
    assert (elected["summary"], elected["region"], elected["current_name"]) == (
        "coordinator: Toyama", "Toyama", "Toyama Pref.")
    renamed_2005 = toyama[("2005", "RegionalGovernment.Renamed")]
    assert (renamed_2005["subject"], renamed_2005["summary"], renamed_2005["region"], renamed_2005["current_name"]) == (
        "Toyama Prefecture", "renamed from Toyama", "Toyama Prefecture", "Toyama Pref.")
    assert ga4["Assembly.Attended"]["summary"] == "attended by Primorsky Territory, Toyama, Khabarovsk Territory"
    assert (ga4["Assembly.Attended"]["region"], ga4["Assembly.Attended"]["current_name"]) == (None, None)


def test_history_table_puts_todays_name_beside_a_regions_former_name(renamed, store_url):
    cli = Cli(store_url)

    table = cli.ok("history", "--region", "Toyama Pref.").stdout
    csv = cli.ok("history", "--region", "Toyama Pref.", "--format", "csv").stdout.splitlines()

    assert "Toyama (now Toyama Pref.)" in table
    assert "Toyama Prefecture (now Toyama Pref.)" in table
    assert csv[0] == ("position,recorded_at,effective,kind,subject,actor,db_role,cause,source,summary,region,"
                      "current_name")


def test_history_survives_a_rebuild_unchanged(renamed):
    gov, reads = renamed
    before = reads.history()

    reads.rebuild()

    assert reads.history() == before


# The membership audit.


def test_audit_membership_names_each_period_as_when_it_began(renamed, store_url):
    gov, reads = renamed
    gov.withdraw_region("Toyama Pref.", "2013-01")

    audit = reads.audit_membership("Toyama")
    table = Cli(store_url).ok("audit", "membership", "Toyama Pref.").stdout

    assert audit["region"] == "Toyama Pref."
    assert [(p["status"], p["since"], p["name"]) for p in audit["timeline"]] == [
        ("member", "1996-09", "Toyama"), ("withdrawn", "2013-01", "Toyama Pref.")]
    db_role = ["DB", "role"] if store_url.startswith("postgresql") else []  # only PostgreSQL records it
    assert table.splitlines()[2].split() == ["Name", "then", "Status", "Since", "Cause", "Source", "Recorded", "at",
                                            "Actor", *db_role, "Corrects"]


# The report.


def test_report_names_regions_as_they_were_at_each_date(renamed, tmp_path: Path):
    gov, reads = renamed
    path = tmp_path / "report.html"

    write_report(gov, path, as_of="2004-01-01")

    page = path.read_text(encoding="utf-8")
    assert "<th scope=\"row\">Toyama (now Toyama Pref.)</th>" in page
    assert "<th scope=\"row\">Primorsky Territory (now Primorsky Krai)</th>" in page
    assert "hosted by Primorsky Territory (now Primorsky Krai)</h3>" in page
    assert "Attended by Primorsky Territory (now Primorsky Krai), Toyama (now Toyama Pref.), " \
           "Khabarovsk Territory.</p>" in page
    assert "<li>Toyama (now Toyama Pref.): since 2002-09, until 2012-09" in page
    assert "<li>Primorsky Territory (now Primorsky Krai): since 2012-09" in page
