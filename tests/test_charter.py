"""The Charter's rules: amendments in date order, no amendment that changes nothing,
and the membership scope read from the version in force on a date."""

import pytest

from domain.charter import Charter
from domain.errors import DateRefused, GovernanceError, OutOfScope
from domain.values import FuzzyDate
from near_gov.reads import Reads
from near_gov.service import Governance


@pytest.fixture
def gov(tmp_path):
    app = Governance(str(tmp_path / "register.db"), actor="clerk")
    app.register_region("Toyama Prefecture", "JP")
    app.record_status("Toyama Prefecture", "member", "1996-09", "NEAR brochure")
    app.convene("GA", 4, "Toyama Prefecture", "2002-09")
    app.convene("GA", 5, "Toyama Prefecture", "2004-09")
    yield app
    app.close()


def test_amendment_dated_before_the_last_amendment_is_refused_and_writes_nothing(gov):
    gov.decide("GA-5", "amend-charter", article="Article 4", text="Members meet every two years.")
    before = gov.recorder.max_notification_id()

    with pytest.raises(DateRefused) as refused:
        gov.decide("GA-4", "amend-charter", article="Article 5", text="The Secretariat is in Pohang.")

    assert str(refused.value) == "the Charter was last amended on 2004-09; an amendment on 2002-09 would precede it"
    assert gov.recorder.max_notification_id() == before


def test_amendment_that_leaves_the_article_as_it_reads_is_refused_and_writes_nothing(gov):
    gov.decide("GA-4", "amend-charter", article="Article 4", text="Members meet every two years.")
    before = gov.recorder.max_notification_id()

    with pytest.raises(GovernanceError) as refused:
        gov.decide("GA-5", "amend-charter", article="Article 4", text="Members meet every two years.")

    assert str(refused.value) == "article 'Article 4' already reads so"
    assert gov.recorder.max_notification_id() == before


def test_scope_set_to_the_countries_it_already_has_is_refused_whatever_their_order(gov):
    before = gov.recorder.max_notification_id()

    with pytest.raises(GovernanceError) as refused:
        gov.decide("GA-4", "set-scope", countries="RU,MN,KP,KR,JP,CN")

    assert str(refused.value) == "the membership scope is already CN, JP, KR, KP, MN, RU"
    assert gov.recorder.max_notification_id() == before


def test_charter_refuses_an_empty_membership_scope():
    charter = Charter(actor="clerk")
    charter.collect_events()

    with pytest.raises(GovernanceError) as refused:
        charter.set_scope((), FuzzyDate(2002, 9), "GA-4/D1", "clerk")

    assert str(refused.value) == "the membership scope needs at least one country"
    assert charter.collect_events() == []


def test_scope_change_is_recorded_with_its_decision_and_clerk(gov):
    gov.decide("GA-4", "set-scope", countries="CN,JP,KR,KP,MN,RU,US")

    version = Reads(gov).charter_history()[-1]
    (event,) = [e for e in gov.events.get(gov.charter().id) if isinstance(e, Charter.ScopeSet)]
    assert (version["version"], version["on"], version["cause"]) == (1, "2002-09", "GA-4/D1")
    assert (event.countries, event.cause, event.actor) == (
        ("CN", "JP", "KR", "KP", "MN", "RU", "US"), "GA-4/D1", "clerk")


def test_country_added_to_the_scope_is_outside_it_before_the_amendment_took_effect(gov):
    gov.decide("GA-4", "set-scope", countries="CN,JP,KR,KP,MN,RU,US")

    with pytest.raises(OutOfScope) as refused:
        gov.submit_application("State of Alaska", "US", "member", "2002-08")

    assert str(refused.value) == "US is outside NEAR's membership scope on 2002-08 " \
                                 "(Charter version 0: CN, JP, KR, KP, MN, RU)"
    assert gov.submit_application("State of Alaska", "US", "member", "2002-09")["reference"] == "APP-2002-001"
