"""Dates as documents give them (EDTF), their bounds, and answers that say what is
documented: parsing and printing each form, bounds arithmetic, the rules' reading,
as-of classification at each bound, the stored form, and NEAR's loaded history."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from domain.errors import InvalidInput, NotAMember
from domain.region import RegionalGovernment
from domain.values import Dating, FuzzyDate
from near_gov.dating import bounds, documentary
from near_gov.loader import load
from near_gov.reads import Reads
from near_gov.service import Governance

HISTORY = Path(__file__).parent.parent / "examples" / "near" / "history.yaml"


@pytest.mark.parametrize(("text", "lower", "upper"), [
    ("1996-09", date(1996, 9, 1), date(1996, 9, 30)),
    ("1996-09-15", date(1996, 9, 15), date(1996, 9, 15)),
    ("2004~", date(2003, 1, 1), date(2005, 12, 31)),
    ("2004?", date(2003, 1, 1), date(2005, 12, 31)),
    ("2004-06~", date(2004, 5, 1), date(2004, 7, 31)),
    ("2002-09/2010-10", date(2002, 9, 1), date(2010, 10, 31)),
    ("[..2010-10]", None, date(2010, 10, 31)),
    ("../2010-10", None, date(2010, 10, 31)),
    ("2010-10/..", date(2010, 10, 1), None),
    ("[1996-09..]", date(1996, 9, 1), None),
])
def test_each_edtf_form_has_the_bounds_it_allows(text, lower, upper):
    assert bounds(text) == (lower, upper)


@pytest.mark.parametrize(("text", "kind", "lower", "by"), [
    ("1996-09", FuzzyDate, date(1996, 9, 1), date(1996, 9, 1)),
    ("2004~", Dating, date(2003, 1, 1), date(2005, 1, 1)),
    ("2004?", Dating, date(2003, 1, 1), date(2005, 1, 1)),
    ("2002-09/2010-10", Dating, date(2002, 9, 1), date(2010, 10, 1)),
    ("[..2010-10]", Dating, None, date(2010, 10, 1)),
    ("../2010-10", Dating, None, date(2010, 10, 1)),
])
def test_a_documentary_date_prints_as_given_and_is_certain_from_its_latest_start(text, kind, lower, by):
    day = documentary(text)

    assert type(day) is kind
    assert str(day) == text
    assert (day.lower if isinstance(day, Dating) else day.first) == lower
    assert day.first == by


@pytest.mark.parametrize("text", ["2010-10/..", "[1996-09..]"])
def test_a_documentary_date_without_an_upper_bound_is_refused(text):
    with pytest.raises(InvalidInput, match="give an upper bound"):
        documentary(text)


@pytest.mark.parametrize("text", ["September 1996", "2010-13/2011", "[2010..2009]", "1899/1901"])
def test_a_bad_documentary_date_is_refused(text):
    with pytest.raises(InvalidInput):
        documentary(text)


def test_datings_with_other_bounds_differ_and_order_by_their_certain_day():
    early, late = documentary("1996-09/2010-10"), documentary("2002-09/2010-10")

    assert early != late
    assert early < late
    assert documentary("[..2004-01]") < early
    assert documentary("2002-09/2010-10") == documentary("2002-09/2010-10")


def test_a_dating_is_stored_with_its_bounds_and_read_back_without_the_parser():
    day = documentary("[..2010-10]")

    stored = day.stored()

    assert stored == {"edtf": "[..2010-10]", "lower": None, "upper": "2010-10-01"}
    assert FuzzyDate.parse(stored) == day
    assert str(FuzzyDate.parse(stored)) == "[..2010-10]"


@pytest.fixture
def gov(tmp_path):
    app = Governance(str(tmp_path / "register.db"), actor="clerk")
    yield app
    app.close()


def test_a_member_by_a_bound_hosts_no_meeting_before_it(gov):
    gov.register_region("Toyama Prefecture", "JP")
    gov.record_status("Toyama Prefecture", "member", "[..1998-10]", "NEAR brochure",
                      inferred="hosted the 2nd General Assembly (1998-10)")

    with pytest.raises(NotAMember):
        gov.convene("GA", "1", "Toyama Prefecture", "1998-09")
    gov.convene("GA", "1", "Toyama Prefecture", "1998-10")


def test_a_status_recorded_with_bounds_reads_back_from_the_store(gov, tmp_path):
    gov.register_region("Dornod Province", "MN")
    gov.record_status("Dornod Province", "member", "2002-09/2010-10", "NEAR brochure",
                      inferred="accession approved at GA-4")

    again = Governance(str(tmp_path / "register.db"), actor="clerk")
    period = again.region("Dornod Province").timeline[-1]
    again.close()

    assert (str(period.since), period.inferred) == ("2002-09/2010-10", "accession approved at GA-4")


def test_a_version_1_status_record_is_upcast_as_stated():
    state = {"status": "member", "since": "1996-09", "source": "NEAR brochure", "actor": "clerk"}

    RegionalGovernment.StatusRecorded.upcast_v1_v2(state)

    assert state["inferred"] is None


@pytest.fixture
def bounded(gov):
    """Dornod Province: a member between 2002-09 and 2010-10; Amur Region: a member since 2005-05."""
    gov.register_region("Dornod Province", "MN")
    gov.record_status("Dornod Province", "member", "2002-09/2010-10", "NEAR brochure", inferred="the brochure")
    gov.register_region("Amur Region", "RU")
    gov.record_status("Amur Region", "member", "2005-05", "minutes")
    reads = Reads(gov)
    yield reads
    reads.close()


@pytest.mark.parametrize(("day", "dornod", "amur"), [
    ("2002-08-31", None, None),
    ("2002-09-01", False, None),
    ("2002-09-02", False, None),
    ("2005-04-30", False, None),
    ("2005-05-01", False, True),
    ("2010-09-30", False, True),
    ("2010-10-01", True, True),
    ("2010-10-02", True, True),
])
def test_as_of_a_day_an_entry_is_absent_undocumented_or_documented_at_each_bound(bounded, day, dornod, amur):
    entries = {e["name"]: e["documented"] for e in bounded.roster(as_of=day)["entries"]}

    assert entries.get("Dornod Province") == dornod
    assert entries.get("Amur Region") == amur


def test_the_roster_says_how_each_date_is_known(bounded):
    entries = {e["name"]: e for e in bounded.roster(as_of="2011-01-01")["entries"]}

    assert entries["Dornod Province"]["basis"] == "inferred from the brochure"
    assert entries["Dornod Province"]["since"] == "2002-09/2010-10"
    assert entries["Amur Region"]["basis"] == "stated"


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    app = Governance(str(tmp_path_factory.mktemp("near") / "near.db"), actor="historian")
    load(app, HISTORY)
    reads = Reads(app)
    yield reads
    reads.close()
    app.close()


def test_as_of_2005_no_region_of_the_dprk_or_mongolia_is_shown_certainly_absent(history):
    entries = history.roster(as_of="2005-01-01")["entries"]

    kp_mn = [e for e in entries if e["country"] in ("KP", "MN")]
    assert len(kp_mn) == 24
    assert not any(e["documented"] for e in kp_mn)


def test_as_of_november_2010_the_70_members_and_5_observers_are_documented(history):
    entries = history.roster(as_of="2010-11-01")["entries"]

    assert [e["status"] for e in entries].count("member") == 70
    assert [e["status"] for e in entries].count("observer") == 5
    assert all(e["documented"] for e in entries)


def test_every_date_the_loaded_history_gives_by_bounds_says_it_was_inferred(history):
    entries = history.roster(as_of="2010-11-01")["entries"]

    bounded = [e for e in entries if e["since"] != "1996-09"]
    assert len(bounded) == 74
    assert all(e["basis"].startswith("inferred from ") for e in entries)
