"""Counts the record states without naming the regions (`region count`, `kind: count`):
the roster reports those in force on a day beside the regions it names, with how many
of them the record names; when a count is in force, at each boundary; the command's
refusals; loading them; and NEAR's two, on its loaded history."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from domain.errors import AlreadyExists, InvalidInput
from near_gov.clock import today
from near_gov.loader import load
from near_gov.reads import Reads
from near_gov.replay import read_log
from near_gov.service import Governance
from tests.cli_support import Cli

HISTORY = Path(__file__).parent.parent / "examples" / "near" / "history.yaml"
FOUNDING = ("NEAR brochure, introduction: \"NEAR is an international organization founded by 29 regional "
            "governments from four Northeast Asian countries, including People's Republic of China, Japan, "
            "Republic of Korea and Russian Federation in September 1996 in Gyeongsangbuk-do Province, "
            "Republic of Korea\"")
GA_8 = ("NEAR brochure, Operation and Activities: The 8th General Assembly (Gyeonggi-do Province, October 2010): "
        "\"New members were admitted (1 region)\"")


@pytest.fixture
def loaded(gov: Governance) -> Governance:
    load(gov, HISTORY)
    return gov


@pytest.fixture
def reads(gov: Governance) -> Iterator[Reads]:
    yield Reads(gov)


def counts(reads: Reads, day: str, **options: Any) -> list[tuple[str, int, int, list[str], str]]:
    return [(c["status"], c["count"], c["named"], c["countries"], c["since"])
            for c in reads.roster(as_of=day, **options)["counts"]]


# NEAR's loaded history.


def test_as_of_1996_12_31_the_roster_reports_the_29_founders_from_four_countries(loaded, reads):
    roster = reads.roster(as_of="1996-12-31")

    assert roster["counts"] == [{"status": "member", "count": 29, "named": 1, "countries": ["CN", "JP", "KR", "RU"],
                                 "since": "1996-09", "source": FOUNDING, "basis": "stated"}]
    assert [e["name"] for e in roster["entries"] if e["documented"]] == ["Gyeongsangbuk-do Province"]


def test_the_roster_table_says_at_least_29_members_1_of_them_named(loaded, store_url):
    out = Cli(store_url).ok("roster", "--as-of", "1996-12-31").stdout.splitlines()

    assert out[:3] == ["NEAR roster as of 1996-12-31", "",
                       "At least 29 members on 1996-12-31; 1 of them named in the record."]
    assert out[-1].split()[:5] == ["member", "29", "1", "CN,", "JP,"]


def test_the_admission_of_ga_8_is_in_force_beside_the_founding_from_its_month(loaded, reads):
    assert counts(reads, "2010-09-30") == [("member", 29, 1, ["CN", "JP", "KR", "RU"], "1996-09")]
    assert counts(reads, "2010-10-01") == counts(reads, "2011-01-01") == [
        ("member", 29, 1, ["CN", "JP", "KR", "RU"], "1996-09"), ("member", 1, 0, [], "2010-10")]
    assert reads.roster(as_of="2010-10-01")["counts"][1]["source"] == GA_8


def test_the_founding_count_is_in_force_from_the_first_day_of_its_month(loaded, reads):
    assert counts(reads, "1996-08-31") == []
    assert counts(reads, "1996-09-01") == counts(reads, "1996-09-02") == [
        ("member", 29, 1, ["CN", "JP", "KR", "RU"], "1996-09")]


def test_roster_csv_repeats_the_counts_in_force_on_every_row(loaded, store_url):
    out = Cli(store_url).ok("roster", "--as-of", "1996-12-31", "--documented-only", "--format", "csv").stdout

    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["name"], r["counts.count"], r["counts.named"], r["counts.countries"], r["counts.since"])
            for r in rows] == [("Gyeongsangbuk-do Province", "29", "1", "CN, JP, KR, RU", "1996-09")]


def test_loading_the_history_twice_holds_its_counts(loaded, gov):
    before = len(read_log(gov))

    again = load(gov, HISTORY)

    assert again == {"records": 104, "held": 104, "events": 0}
    assert len(read_log(gov)) == before


def test_the_history_tells_each_count(loaded, reads):
    told = [(h["kind"], h["effective"], h["subject"], h["summary"]) for h in reads.history(since="1996-09")
            if h["kind"].startswith("StatedCount")]

    assert told == [
        ("StatedCount.Recorded", "1996-09", "count of members", "29 regions from CN, JP, KR, RU became members"),
        ("StatedCount.Recorded", "2010-10", "count of members", "1 region became a member, countries not stated"),
    ]


# When a count is in force, and how many of it are named.


def given_a_count_of_three_korean_members_in_2000(gov: Governance) -> None:
    for name, cc in (("Early Province", "KR"), ("Founding City", "KR"), ("Later City", "KR"),
                     ("Bounded Province", "KR"), ("Tokyo Test", "JP")):
        gov.register_region(name, cc)
    gov.record_status("Early Province", "member", "1996-09/2000", "a list", "KR")
    gov.record_status("Founding City", "member", "2000", "the founding list", "KR")
    gov.record_status("Bounded Province", "member", "2000-03/2004", "a list", "KR")
    gov.record_status("Later City", "member", "2003", "an admission", "KR")
    gov.record_status("Tokyo Test", "member", "2000", "the founding list", "JP")
    gov.record_count(3, "member", "2000", "the founding: three regions of Korea", "KR")


def test_named_are_the_regions_of_its_countries_documented_as_taking_the_status_within_its_date(gov, reads):
    given_a_count_of_three_korean_members_in_2000(gov)

    assert counts(reads, "2001-01-01") == [("member", 3, 1, ["KR"], "2000")]  # Founding City only


def test_a_count_ends_on_the_earliest_day_one_it_may_count_may_have_left(gov, reads):
    given_a_count_of_three_korean_members_in_2000(gov)

    gov.withdraw_region("Early Province", "2005-06", source="a letter")

    assert counts(reads, "2005-05-31") == [("member", 3, 1, ["KR"], "2000")]
    assert counts(reads, "2005-06-01") == []
    assert counts(reads, "2005-06-02") == []


def test_an_observer_count_ends_from_the_earliest_day_a_later_membership_known_by_bounds_allows(gov, reads):
    gov.register_region("Watching Province", "KR")
    gov.record_status("Watching Province", "observer", "1999/2000", "a list", "KR")
    gov.record_count(2, "observer", "2000", "a list of observers")

    gov.record_status("Watching Province", "member", "2006/2008", "a later list", "KR")

    assert counts(reads, "2005-12-31") == [("observer", 2, 0, [], "2000")]
    assert counts(reads, "2006-01-01") == []


def test_leaving_by_regions_it_cannot_count_does_not_end_a_count(gov, reads):
    given_a_count_of_three_korean_members_in_2000(gov)

    gov.withdraw_region("Later City", "2005-06", source="a letter")  # a member only from 2003
    gov.withdraw_region("Tokyo Test", "2005-06", source="a letter")  # not of its countries

    assert counts(reads, "2006-01-01") == [("member", 3, 1, ["KR"], "2000")]


def test_leaving_before_the_counts_date_does_not_end_it(gov, reads):
    gov.register_region("Old Province", "KR")
    gov.record_status("Old Province", "member", "1990", "an old list", "KR")
    gov.withdraw_region("Old Province", "1995", source="a letter")

    gov.record_count(3, "member", "2000", "the founding: three regions of Korea", "KR")

    assert counts(reads, "2001-01-01") == [("member", 3, 0, ["KR"], "2000")]


def test_a_later_count_of_the_same_status_does_not_end_an_earlier_one(gov, reads):
    given_a_count_of_three_korean_members_in_2000(gov)

    gov.record_count(2, "member", "2004-09", "an assembly: two regions admitted")

    assert counts(reads, "2004-08-31") == [("member", 3, 1, ["KR"], "2000")]
    assert counts(reads, "2004-09-01") == [("member", 3, 1, ["KR"], "2000"), ("member", 2, 0, [], "2004-09")]


def test_a_count_known_by_bounds_is_in_force_from_its_upper_bound(gov, reads):
    gov.record_count(4, "observer", "[..2010-10]", "a list of observers")

    assert counts(reads, "2010-09-30") == []
    assert counts(reads, "2010-10-01") == [("observer", 4, 0, [], "[..2010-10]")]


def test_the_roster_filters_counts_by_status_and_by_the_countries_they_may_count(gov, reads):
    given_a_count_of_three_korean_members_in_2000(gov)
    gov.record_count(2, "observer", "2001", "observers of Japan and Korea", "JP,KR")

    assert counts(reads, "2002-01-01", status="observer") == [("observer", 2, 0, ["JP", "KR"], "2001")]
    assert counts(reads, "2002-01-01", country="JP") == [("observer", 2, 0, ["JP", "KR"], "2001")]
    assert [c[1] for c in counts(reads, "2002-01-01", country="KR")] == [3, 2]


def test_with_a_country_a_count_of_several_countries_is_listed_but_not_summed(gov, store_url):
    given_a_count_of_three_korean_members_in_2000(gov)
    gov.record_count(2, "observer", "2001", "observers of Japan and Korea", "JP,KR")

    out = Cli(store_url).ok("roster", "--as-of", "2002-01-01", "--country", "KR").stdout

    assert "At least 3 members on 2002-01-01; 2 of them named in the record." in out  # documented then
    assert "observers on" not in out
    assert "how many of their regions are of KR is not stated" in out


def test_a_count_recorded_again_with_another_number_corrects_it_and_known_at_gives_the_earlier(gov, reads):
    gov.record_count(29, "member", "1996-09", "a brochure", "CN,JP,KR,RU")
    known = reads.history()[-1]["recorded_at"]

    gov.record_count(30, "member", "1996-09", "a later brochure", "CN,JP,KR,RU")

    assert counts(reads, "1997-01-01") == [("member", 30, 0, ["CN", "JP", "KR", "RU"], "1996-09")]
    assert counts(reads, "1997-01-01", known_at=known) == [("member", 29, 0, ["CN", "JP", "KR", "RU"], "1996-09")]
    assert reads.history()[-1]["summary"] == "corrected: 30 regions from CN, JP, KR, RU became members"


def at_least(reads: Reads, day: str, **options: Any) -> list[tuple[str, int, int]]:
    return [(s["status"], s["count"], s["named"]) for s in reads.roster(as_of=day, **options)["at_least"]]


def test_at_least_adds_counts_whose_dates_are_apart(gov, reads):
    gov.record_count(3, "member", "2000", "the founding: three regions")
    gov.record_count(2, "member", "2004-09", "an assembly: two regions admitted")

    assert at_least(reads, "2004-08-31") == [("member", 3, 0)]
    assert at_least(reads, "2004-09-01") == [("member", 5, 0)]


def test_at_least_is_the_documented_entries_where_they_are_more(gov, reads):
    given_a_count_of_three_korean_members_in_2000(gov)

    assert at_least(reads, "2000-06-01") == [("member", 3, 3)]  # Early Province, Founding City, Tokyo Test
    assert at_least(reads, "2004-01-01") == [("member", 5, 5)]


def test_at_least_never_adds_counts_whose_dates_may_overlap(gov, reads):
    gov.record_count(2, "member", "[..2010-10]", "a list: two members by October 2010")
    gov.record_count(1, "member", "2010-10-15", "an admission on 15 October 2010")
    gov.record_count(3, "observer", "2010-11", "three observers")

    assert at_least(reads, "2010-12-01") == [("member", 2, 0), ("observer", 3, 0)]


def test_at_least_with_a_country_adds_only_the_counts_of_that_country_alone(gov, reads):
    given_a_count_of_three_korean_members_in_2000(gov)
    gov.record_count(2, "member", "2004-09", "two regions of Japan and Korea", "JP,KR")

    assert at_least(reads, "2005-01-01", country="KR") == [("member", 4, 4)]
    assert at_least(reads, "2005-01-01", country="JP") == []


def test_on_the_loaded_history_at_least_says_29_founders_then_the_70_named(loaded, reads):
    assert at_least(reads, "1996-12-31") == [("member", 29, 1)]
    assert at_least(reads, "2011-01-01") == [("member", 70, 70)]


def test_a_count_is_the_same_after_a_rebuild(gov, reads):
    given_a_count_of_three_korean_members_in_2000(gov)
    gov.record_count(4, "member", "2000", "a corrected list", "KR")
    answer = reads.roster(as_of="2001-01-01")

    reads.rebuild()

    assert reads.roster(as_of="2001-01-01") == answer


# Refusals.


@pytest.mark.parametrize(("args", "error", "code"), [
    (("0",), "bad count '0': give the number of regions the document states, a whole number from 1 to 10000", 2),
    (("two",), "bad count 'two': give the number of regions the document states, a whole number from 1 to 10000",
     2),
    (("3", "--countries", "CN,JP,KR,RU"),
     "3 regions cannot come from 4 countries (CN, JP, KR, RU): each country named has at least one of them", 2),
    (("3", "--countries", "CN,CN"), "countries CN, CN: a country is given twice", 2),
    (("3", "--countries", "CN,XX"),
     "unknown country 'XX': use an ISO 3166-1 alpha-2 code such as CN, JP, KR, KP, MN, RU", 2),
    (("3", "--countries", ","),
     "countries: give country codes, e.g. CN,JP,KR,RU, or leave them out where the document names none", 2),
    (("3", "--since", "1996-13"), "no such date: 1996-13 (month must be in 1..12)", 2),
    (("3", "--since", "2002-09/.."),
     "--since 2002-09/..: a document dates what it records by a latest day; give an upper bound "
     "(e.g. 2002-09/2010-10)", 2),
    (("3", "--source", " "), "source must not be empty", 2),
])
def test_region_count_refuses_bad_input_and_writes_nothing(cli, args, error, code):
    count, *more = args
    options = {"--status": "member", "--since": "2000", "--source": "a list"}
    for name, value in zip(more[::2], more[1::2], strict=True):
        options[name] = value

    cli.fails("region", "count", count, *[x for pair in options.items() for x in pair], error=error, code=code)


def test_region_count_refuses_a_date_after_today(cli):
    cli.fails("region", "count", "2", "--status", "member", "--since", "2999", "--source", "a list",
              error=f"--since 2999 is after today ({today()}): a fact cannot take effect in the future", code=1)


def test_region_count_refuses_the_same_count_recorded_again(cli):
    cli.ok("region", "count", "29", "--status", "member", "--since", "1996-09", "--countries", "CN,JP,KR,RU",
           "--source", "a brochure")

    cli.fails("region", "count", "29", "--status", "member", "--since", "1996-09", "--countries", "CN,JP,KR,RU",
              "--source", "a brochure",
              error="the count of members since 1996-09 is already recorded with these values (29): a correction "
                    "changes the count, countries, source or inferred date", code=1)


def test_region_count_prints_what_it_recorded(cli):
    assert cli.json("region", "count", "29", "--status", "member", "--since", "1996-09", "--countries", "CN,JP,KR,RU",
                    "--source", "a brochure") == {"status": "member", "count": 29,
                                                  "countries": ["CN", "JP", "KR", "RU"], "since": "1996-09",
                                                  "source": "a brochure"}
    assert cli.ok("region", "count", "1", "--status", "member", "--since", "2010-10", "--source", "GA-8").stdout == (
        "Recorded: 1 region became a member in 2010-10.\n")


# Loading.


COUNT_FILE = """format: near-gov/1
records:
  - kind: count
    status: member
    count: {count}
    countries: [CN, JP, KR, RU]
    since: "1996-09"
    source: "a brochure"
"""


def test_a_count_record_loads_and_loading_it_again_holds_it(gov, tmp_path):
    path = tmp_path / "counts.yaml"
    path.write_text(COUNT_FILE.format(count=29), encoding="utf-8")

    first, second = load(gov, path), load(gov, path)

    assert (first["events"], second) == (1, {"records": 1, "held": 1, "events": 0})


def test_a_count_record_with_another_number_corrects_the_loaded_count(gov, tmp_path):
    path = tmp_path / "counts.yaml"
    path.write_text(COUNT_FILE.format(count=29), encoding="utf-8")
    load(gov, path)
    path.write_text(COUNT_FILE.format(count=30), encoding="utf-8")

    assert load(gov, path)["events"] == 1
    assert counts(Reads(gov), "1997-01-01") == [("member", 30, 0, ["CN", "JP", "KR", "RU"], "1996-09")]


@pytest.mark.parametrize(("count", "message"), [
    ("0", "counts.yaml: record 1 (line 5): bad count 0"),
    ("3", "counts.yaml: record 1 (line 3): 3 regions cannot come from 4 countries"),
])
def test_a_bad_count_record_is_refused_naming_its_line_and_nothing_is_written(gov, tmp_path, count, message):
    path = tmp_path / "counts.yaml"
    path.write_text(COUNT_FILE.format(count=count), encoding="utf-8")

    with pytest.raises(InvalidInput) as refused:
        load(gov, path)

    assert str(refused.value).startswith(message), str(refused.value)
    assert read_log(gov) == []


def test_the_service_refuses_the_same_count_recorded_again(gov):
    gov.record_count(2, "observer", "2001", "a list")

    with pytest.raises(AlreadyExists):
        gov.record_count(2, "observer", "2001", "a list")
