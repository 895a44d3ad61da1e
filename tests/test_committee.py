"""A Sub-Committee's coordinator elections: in date order, not before the
Sub-Committee was established, never re-electing the current coordinator."""

import pytest

from domain.committee import Committee
from domain.errors import GovernanceError
from domain.fields import Name
from domain.region import RegionalGovernment
from domain.values import FuzzyDate
from near_gov.reads import Reads
from near_gov.service import Governance

ENVIRONMENT = "Sub-Committee on Environment"


@pytest.fixture
def gov(tmp_path):
    app = Governance(str(tmp_path / "register.db"), actor="clerk")
    for name in ("Toyama Prefecture", "Hyogo Prefecture"):
        app.register_region(name, "JP")
        app.record_status(name, "member", "1990-01", "NEAR brochure")
    app.convene("GA", 1, "Toyama Prefecture", "1996-09")
    app.decide("GA-1", "establish-committee", name=ENVIRONMENT, coordinator="Toyama Prefecture")
    yield app
    app.close()


def test_committee_cannot_elect_its_current_coordinator_again(gov):
    before = gov.recorder.max_notification_id()

    with pytest.raises(GovernanceError) as refused:
        gov.elect_coordinator(ENVIRONMENT, "Toyama Prefecture", "1998-01")

    assert str(refused.value) == "Toyama Prefecture already coordinates Sub-Committee on Environment since 1996-09"
    assert gov.recorder.max_notification_id() == before


def test_election_dated_before_the_current_coordinator_took_office_is_refused(gov):
    gov.elect_coordinator(ENVIRONMENT, "Hyogo Prefecture", "1998-01")
    before = gov.recorder.max_notification_id()

    with pytest.raises(GovernanceError) as refused:
        gov.elect_coordinator(ENVIRONMENT, "Toyama Prefecture", "1997-06")

    assert str(refused.value) == "Sub-Committee on Environment: an election on 1997-06 would precede the current " \
                                 "coordinator (Hyogo Prefecture since 1998-01)"
    assert gov.recorder.max_notification_id() == before


def test_election_dated_before_the_committee_was_established_is_refused(gov):
    gov.convene("GA", 2, "Toyama Prefecture", "1998-10")
    gov.decide("GA-2", "establish-committee", name="Sub-Committee on Tourism")
    before = gov.recorder.max_notification_id()

    with pytest.raises(GovernanceError) as refused:
        gov.elect_coordinator("Sub-Committee on Tourism", "Hyogo Prefecture", "1997-01")

    assert str(refused.value) == "Sub-Committee on Tourism was established on 1998-10, after 1997-01"
    assert gov.recorder.max_notification_id() == before


def test_election_keeps_the_document_that_records_it(gov):
    gov.elect_coordinator(ENVIRONMENT, "Hyogo Prefecture", "1998-01", source="Minutes of 1998")

    last = Reads(gov).committee(ENVIRONMENT)["coordinators"][-1]
    assert (last["region"], last["since"], last["cause"], last["source"]) == \
        ("Hyogo Prefecture", "1998-01", None, "Minutes of 1998")


def test_a_dissolved_committee_records_the_date_and_refuses_further_changes():
    """The aggregate's own rule."""
    committee = Committee(name=Name(ENVIRONMENT), purpose=None, on=FuzzyDate.parse("1996-09"), cause="GA-1/D1",
                          source=None, actor="clerk")
    committee.dissolve(on=FuzzyDate.parse("2004-09"), cause="GA-5/D3", actor="clerk")
    dissolved = committee.collect_events()[-1]

    assert (type(dissolved).__name__, str(dissolved.on), dissolved.cause, dissolved.actor) == \
        ("Dissolved", "2004-09", "GA-5/D3", "clerk")
    assert str(committee.dissolved) == "2004-09"
    for again in (lambda: committee.dissolve(on=FuzzyDate.parse("2006-09"), cause=None, actor="clerk"),
                  lambda: committee.elect(RegionalGovernment(name=Name("Toyama Prefecture"), country="JP",
                                                             actor="clerk"),
                                          FuzzyDate.parse("2006-09"), None, None, "clerk")):
        with pytest.raises(GovernanceError) as refused:
            again()
        assert str(refused.value) == "Sub-Committee on Environment was dissolved on 2004-09"
    assert committee.collect_events() == []


def test_election_on_the_day_the_current_coordinator_took_office_is_not_before_it(gov):
    gov.elect_coordinator(ENVIRONMENT, "Hyogo Prefecture", "1996-09")

    assert gov.committee(ENVIRONMENT).coordinator.region == "Hyogo Prefecture"
    assert str(gov.committee(ENVIRONMENT).coordinator.since) == "1996-09"
