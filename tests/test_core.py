"""The register's core through the Python API, on every store (SQLite file and,
in CI, PostgreSQL): the admission path and the rules of DESIGN.md."""

import pytest

from domain.errors import (
    AlreadyExists,
    AlreadyRegistered,
    AssemblyRefused,
    DateRefused,
    InvalidInput,
    NotAMember,
    NotFound,
    StatusRefused,
    TransitionRefused,
)
from domain.region import RegionalGovernment
from domain.values import FuzzyDate, Status
from near_gov.clock import today
from tests.histories import given_member, given_rasun_city_scheduled_for_ga4


def test_admission_path_makes_the_region_a_member_on_the_assembly_date(gov):
    ref = given_rasun_city_scheduled_for_ga4(gov)

    result = gov.decide("GA-4", "approve", application=ref)

    assert result == {"decision": "GA-4/D1"}
    assert ref == "APP-2002-001"
    assert gov.application(ref).state == "approved"
    region = gov.region("rasun   city")
    assert region.status == Status.MEMBER
    assert str(region.since) == "2002-09"
    assert region.timeline[-1].cause == "GA-4/D1"


def test_decision_and_its_effects_commit_in_one_transaction(gov):
    ref = given_rasun_city_scheduled_for_ga4(gov)
    before = gov.recorder.max_notification_id()

    gov.decide("GA-4", "approve", application=ref)

    notifications = gov.recorder.select_notifications(start=before + 1, limit=10)
    topics = [n.topic.rsplit(".", 1)[-1] for n in notifications if not n.topic.startswith("domain.indexes:")]
    assert sorted(topics) == ["Admitted", "Approved", "DecisionTaken"]
    assert [n.topic for n in notifications if n.topic.startswith("domain.indexes:")] == [
        "domain.indexes:OpenCases.Closed"]  # the application leaves the index of open cases


def test_every_event_carries_its_actor(gov):
    given_rasun_city_scheduled_for_ga4(gov)

    notifications = gov.recorder.select_notifications(start=1, limit=100)
    for n in notifications:
        event = gov.mapper.to_domain_event(n)
        assert getattr(event, "actor", "clerk") == "clerk", n.topic


def test_region_is_registered_once_per_country_and_name(gov):
    gov.register_region("Rasun City", "KP")

    with pytest.raises(AlreadyRegistered, match=r"^Rasun City \(KP\) is already registered$"):
        gov.register_region("  rasun   CITY ", "kp")


def test_a_name_is_held_by_one_region_at_once_in_any_country(gov):
    gov.register_region("Amur Region", "RU")
    gov.register_region("Amur Oblast", "CN")
    head = gov.recorder.max_notification_id()

    for command in (lambda: gov.register_region("amur  region", "CN"),
                    lambda: gov.submit_application("Amur Region", "CN", "member", "2002-03"),
                    lambda: gov.rename_region("Amur Oblast", "Amur Region", "2003-01")):
        with pytest.raises(AlreadyRegistered) as refused:
            command()
        assert str(refused.value) == "Amur Region (RU) already holds that name: no two regions hold one name at once"
        assert refused.value.exit_code == 1
    assert gov.recorder.max_notification_id() == head


def test_a_name_freed_by_a_rename_is_taken_by_a_region_of_another_country(gov):
    gov.register_region("Amur Region", "RU")
    gov.rename_region("Amur Region", "Amur Oblast", "2002-01")

    gov.register_region("Amur Region", "CN")

    assert gov.region("Amur Region", "CN").country == "CN"
    assert gov.region("Amur Oblast").country == "RU"


def test_unscreened_application_cannot_be_scheduled(gov):
    given_member(gov, "Khabarovsk Territory", "RU")
    gov.convene("GA", 4, "Khabarovsk Territory", "2002-09")
    ref = gov.submit_application("Rasun City", "KP", "member", "2002-03")["reference"]

    with pytest.raises(TransitionRefused,
                       match="APP-2002-001 is submitted: cannot schedule; allowed next steps: screen"):
        gov.schedule_application(ref, "GA-4")


def test_ineligible_application_cannot_be_scheduled(gov):
    given_member(gov, "Khabarovsk Territory", "RU")
    gov.convene("GA", 4, "Khabarovsk Territory", "2002-09")
    ref = gov.submit_application("Rasun City", "KP", "member", "2002-03")["reference"]
    gov.screen_application(ref, eligible=False, reason="no letter of intent")

    with pytest.raises(TransitionRefused, match="is ineligible: cannot schedule"):
        gov.schedule_application(ref, "GA-4")


def test_working_committee_cannot_approve_an_application(gov):
    ref = given_rasun_city_scheduled_for_ga4(gov)
    gov.convene("WC", 3, "Khabarovsk Territory", "2002-10")

    with pytest.raises(AssemblyRefused, match="WC-3 is a Working Committee meeting"):
        gov.decide("WC-3", "approve", application=ref)


def test_application_cannot_be_scheduled_for_a_working_committee_meeting(gov):
    given_member(gov, "Khabarovsk Territory", "RU")
    gov.convene("WC", 3, "Khabarovsk Territory", "2002-10")
    ref = gov.submit_application("Rasun City", "KP", "member", "2002-03")["reference"]
    gov.screen_application(ref, eligible=True)

    with pytest.raises(AssemblyRefused, match="WC-3 is a Working Committee meeting"):
        gov.schedule_application(ref, "WC-3")


def test_closed_assembly_cannot_approve(gov):
    ref = given_rasun_city_scheduled_for_ga4(gov)
    gov.close_assembly("GA-4")

    with pytest.raises(AssemblyRefused, match="GA-4 was closed on 2002-09"):
        gov.decide("GA-4", "approve", application=ref)


def test_assembly_cannot_approve_application_scheduled_for_another(gov):
    ref = given_rasun_city_scheduled_for_ga4(gov)
    gov.convene("GA", 5, "Khabarovsk Territory", "2004-09")

    with pytest.raises(AssemblyRefused, match="APP-2002-001 is scheduled for GA-4, not GA-5"):
        gov.decide("GA-5", "approve", application=ref)


def test_unconvened_assembly_cannot_decide(gov):
    ref = given_rasun_city_scheduled_for_ga4(gov)

    with pytest.raises(NotFound, match="no assembly GA-9"):
        gov.decide("GA-9", "approve", application=ref)


def test_approved_application_cannot_be_approved_again_or_withdrawn(gov):
    ref = given_rasun_city_scheduled_for_ga4(gov)
    gov.decide("GA-4", "approve", application=ref)

    with pytest.raises(TransitionRefused, match="APP-2002-001 is approved: cannot approve; allowed next steps: none"):
        gov.decide("GA-4", "approve", application=ref)
    with pytest.raises(TransitionRefused, match="is approved: cannot withdraw"):
        gov.withdraw_application(ref, "changed our mind")


def test_member_cannot_apply_to_become_a_member(gov):
    given_member(gov, "Toyama Prefecture", "JP", "1998-10")

    with pytest.raises(StatusRefused, match=r"^Toyama Prefecture is already a member since 1998-10$"):
        gov.submit_application("Toyama Prefecture", "JP", "member", "2004-01")


def test_member_region_cannot_become_an_observer():
    """The rule itself, on the aggregate: neither a documented status nor an
    admission takes a member back to observer (DESIGN.md: observer -> member only)."""
    region = RegionalGovernment(name="Rasun City", country="KP", actor="clerk")
    region.record(Status.MEMBER, FuzzyDate.parse("2002-09"), "minutes of GA-4", "clerk")
    region.collect_events()

    with pytest.raises(StatusRefused) as recorded:
        region.record(Status.OBSERVER, FuzzyDate.parse("2003-01"), "a letter", "clerk")
    with pytest.raises(StatusRefused) as admitted:
        region.admit(Status.OBSERVER, FuzzyDate.parse("2003-01"), "GA-5/D1", "clerk")

    assert str(recorded.value) == str(admitted.value) == \
        "Rasun City is a member since 2002-09: it cannot become an observer"
    assert region.collect_events() == []
    assert (region.version, region.status, str(region.since)) == (2, Status.MEMBER, "2002-09")


def test_member_cannot_be_recorded_as_observer(gov):
    given_member(gov, "Toyama Prefecture", "JP", "1998-10")
    head = gov.recorder.max_notification_id()

    with pytest.raises(StatusRefused) as refused:
        gov.record_status("Toyama Prefecture", "observer", "2004-01", "a letter")

    assert str(refused.value) == "Toyama Prefecture is a member since 1998-10: it cannot become an observer"
    assert refused.value.exit_code == 1
    assert gov.recorder.max_notification_id() == head
    assert gov.region("Toyama Prefecture").status == Status.MEMBER


def test_observer_may_apply_to_become_a_member(gov):
    gov.register_region("Tianjin City", "CN")
    gov.record_status("Tianjin City", "observer", "2010-10", "NEAR brochure, Members: Observer")
    given_member(gov, "Gyeonggi-do Province", "KR", "2009-10")
    gov.convene("GA", 9, "Gyeonggi-do Province", "2012-09")

    ref = gov.submit_application("Tianjin City", "CN", "member", "2011-05")["reference"]
    gov.screen_application(ref, eligible=True)
    gov.schedule_application(ref, "GA-9")
    gov.decide("GA-9", "approve", application=ref)

    assert gov.region("Tianjin City").status == Status.MEMBER
    assert [p.status for p in gov.region("Tianjin City").timeline] == [Status.OBSERVER, Status.MEMBER]


def test_assembly_host_must_be_a_member_on_that_date(gov):
    given_member(gov, "Dornod Province", "MN", "2002-09")

    with pytest.raises(NotAMember, match=r"^Dornod Province cannot be host of GA-3: it is not a member on 2000-09"):
        gov.convene("GA", 3, "Dornod Province", "2000-09")


def test_committee_coordinator_must_be_a_member_on_that_date(gov):
    given_member(gov, "Gyeonggi-do Province", "KR", "2009-10")
    gov.register_region("Tianjin City", "CN")
    gov.record_status("Tianjin City", "observer", "2010-10", "NEAR brochure")
    gov.convene("GA", 8, "Gyeonggi-do Province", "2010-10")

    with pytest.raises(NotAMember, match="Tianjin City cannot be coordinator of Sub-Committee on Tourism"):
        gov.decide("GA-8", "establish-committee", name="Sub-Committee on Tourism", coordinator="Tianjin City")


def test_assembly_cannot_elect_an_observer_as_coordinator(gov):
    given_member(gov, "Gyeonggi-do Province", "KR", "2009-10")
    gov.register_region("Tianjin City", "CN")
    gov.record_status("Tianjin City", "observer", "2010-10", "NEAR brochure")
    gov.convene("GA", 8, "Gyeonggi-do Province", "2010-10")
    gov.decide("GA-8", "establish-committee", name="Sub-Committee on Tourism")
    head = gov.recorder.max_notification_id()

    with pytest.raises(NotAMember) as refused:
        gov.decide("GA-8", "elect-coordinator", committee="Sub-Committee on Tourism", region="Tianjin City")

    assert str(refused.value) == ("Tianjin City cannot be coordinator of Sub-Committee on Tourism: it is not a member "
                                  "on 2010-10 (it is an observer since 2010-10)")
    assert gov.recorder.max_notification_id() == head
    assert gov.committee("Sub-Committee on Tourism").coordinator is None


def test_withdrawal_dated_before_the_current_status_is_refused_and_writes_nothing(gov):
    given_member(gov, "Dornod Province", "MN", "2002-09")
    head = gov.recorder.max_notification_id()

    with pytest.raises(StatusRefused) as refused:
        gov.withdraw_region("Dornod Province", "1999", source="a letter")

    assert str(refused.value) == "Dornod Province: a change on 1999 would precede its current status " \
                                 "(it is a member since 2002-09)"
    assert gov.recorder.max_notification_id() == head
    assert gov.region("Dornod Province").status == Status.MEMBER


def test_status_recorded_before_the_current_status_is_refused_and_writes_nothing(gov):
    gov.register_region("Tianjin City", "CN")
    gov.record_status("Tianjin City", "observer", "2010-10", "NEAR brochure")
    head = gov.recorder.max_notification_id()

    with pytest.raises(StatusRefused) as refused:
        gov.record_status("Tianjin City", "member", "2008-09", "minutes of GA-7")

    assert str(refused.value) == "Tianjin City: a change on 2008-09 would precede its current status " \
                                 "(it is an observer since 2010-10)"
    assert gov.recorder.max_notification_id() == head


def test_admission_dated_before_the_current_status_takes_no_decision(gov):
    ref = given_rasun_city_scheduled_for_ga4(gov)
    gov.record_status("Rasun City", "observer", "2003-05", "a letter")
    head = gov.recorder.max_notification_id()

    with pytest.raises(StatusRefused) as refused:
        gov.decide("GA-4", "approve", application=ref)

    assert str(refused.value) == "Rasun City: a change on 2002-09 would precede its current status " \
                                 "(it is an observer since 2003-05)"
    assert gov.recorder.max_notification_id() == head
    assert gov.assembly("GA-4").decisions == [] and gov.application(ref).state == "scheduled"


def test_effective_date_may_not_be_after_the_recorded_time(gov):
    gov.register_region("Rasun City", "KP")

    with pytest.raises(DateRefused, match="after today"):
        gov.record_status("Rasun City", "member", "2999-01", "a letter")


def test_bad_date_is_invalid_input(gov):
    gov.register_region("Rasun City", "KP")

    with pytest.raises(InvalidInput, match="bad date '2002-13-01'|no such date"):
        gov.record_status("Rasun City", "member", "2002-13-01", "a letter")


def test_month_precision_member_is_host_on_a_day_in_that_month(gov):
    given_member(gov, "Khabarovsk Territory", "RU", "2002-09")

    gov.convene("GA", 4, "Khabarovsk Territory", "2002-09-15")

    assert gov.region("Khabarovsk Territory").status_on(FuzzyDate.parse("2002-08-31")) == Status.NONE


def test_refused_command_writes_nothing(gov):
    ref = given_rasun_city_scheduled_for_ga4(gov)
    gov.convene("WC", 3, "Khabarovsk Territory", "2002-10")
    head = gov.recorder.max_notification_id()

    with pytest.raises(AssemblyRefused):
        gov.decide("WC-3", "approve", application=ref)

    assert gov.recorder.max_notification_id() == head


def test_working_committee_meeting_may_not_take_a_general_assembly_decision(gov):
    given_member(gov, "Khabarovsk Territory", "RU")
    gov.convene("WC", 3, "Khabarovsk Territory", "2002-10")
    head = gov.recorder.max_notification_id()

    with pytest.raises(AssemblyRefused) as refused:
        gov.decide("WC-3", "establish-committee", name="Sub-Committee on Environment")

    assert str(refused.value) == \
        "WC-3 is a Working Committee meeting: only a General Assembly may establish a Sub-Committee"
    assert gov.recorder.max_notification_id() == head


def test_general_assembly_may_not_take_a_working_committee_decision(gov):
    given_member(gov, "Khabarovsk Territory", "RU")
    gov.convene("GA", 4, "Khabarovsk Territory", "2002-09")
    ref = gov.propose_amendment("2002-01", article="Article 4", text="Members meet every two years.")["reference"]
    head = gov.recorder.max_notification_id()

    with pytest.raises(AssemblyRefused) as refused:
        gov.decide("GA-4", "review-amendment", amendment=ref)

    assert str(refused.value) == ("GA-4 is a General Assembly: only a Working Committee meeting may review a "
                                 "Charter amendment")
    assert gov.recorder.max_notification_id() == head


def test_assembly_refuses_a_decision_of_the_other_body_itself():
    """The rule on the aggregate, whoever calls it."""
    from domain.assembly import Assembly

    meeting = Assembly(ident="WC-3", host_id=RegionalGovernment.create_id("Khabarovsk Territory", "RU"),
                       host="Khabarovsk Territory", on=FuzzyDate(2002, 10), actor="clerk")
    meeting.collect_events()

    with pytest.raises(AssemblyRefused) as refused:
        meeting.decide("approve", "General Assembly", "Admit Rasun City", {"application": "APP-2002-001"}, "clerk")

    assert str(refused.value) == "WC-3 is a Working Committee meeting: only a General Assembly may approve"
    assert meeting.collect_events() == []


def test_assembly_cannot_close_before_it_opened(gov):
    given_member(gov, "Khabarovsk Territory", "RU")
    gov.convene("GA", 4, "Khabarovsk Territory", "2002-09")
    head = gov.recorder.max_notification_id()

    with pytest.raises(AssemblyRefused) as refused:
        gov.close_assembly("GA-4", "2002-08")

    assert str(refused.value) == "GA-4 cannot close on 2002-08, before it opened on 2002-09"
    assert gov.recorder.max_notification_id() == head


def test_region_with_no_status_cannot_host_and_the_refusal_says_only_that(gov):
    gov.register_region("Dornod Province", "MN")

    with pytest.raises(NotAMember) as refused:
        gov.convene("GA", 3, "Dornod Province", "2000-09")

    assert str(refused.value) == "Dornod Province cannot be host of GA-3: it is not a member on 2000-09"


def test_admitted_member_cannot_apply_again_and_is_told_the_admitting_decision(gov):
    ref = given_rasun_city_scheduled_for_ga4(gov)
    gov.decide("GA-4", "approve", application=ref)
    head = gov.recorder.max_notification_id()

    with pytest.raises(StatusRefused) as refused:
        gov.submit_application("Rasun City", "KP", "member", "2004-01")

    assert str(refused.value) == "Rasun City is already a member since 2002-09 (GA-4/D1)"
    assert gov.recorder.max_notification_id() == head


def test_optional_text_given_empty_is_refused_by_its_name(gov):
    given_member(gov, "Khabarovsk Territory", "RU")

    with pytest.raises(InvalidInput) as refused:
        gov.convene("GA", 4, "Khabarovsk Territory", "2002-09", source="   ")

    assert str(refused.value) == "source must not be empty"
    with pytest.raises(NotFound):
        gov.assembly("GA-4")


def test_correcting_a_status_to_before_the_status_it_followed_is_refused_and_writes_nothing(gov):
    gov.register_region("Tianjin City", "CN")
    gov.record_status("Tianjin City", "observer", "2010-10", "NEAR brochure, Members: Observer")
    gov.record_status("Tianjin City", "member", "2012-09", "minutes of GA-9")
    head = gov.recorder.max_notification_id()

    with pytest.raises(StatusRefused) as refused:
        gov.record_status("Tianjin City", "member", "2009-01", "a letter")

    assert str(refused.value) == "Tianjin City: a member since 2009-01 would precede its earlier status " \
                                 "(an observer since 2010-10)"
    assert gov.recorder.max_notification_id() == head


def test_assembly_cannot_be_convened_after_the_next_meeting_of_its_body(gov):
    given_member(gov, "Khabarovsk Territory", "RU")
    gov.convene("GA", 4, "Khabarovsk Territory", "2002-09")
    head = gov.recorder.max_notification_id()

    with pytest.raises(DateRefused) as refused:
        gov.convene("GA", 3, "Khabarovsk Territory", "2003-01")

    assert str(refused.value) == "GA-3 on 2003-01 would follow GA-4 on 2002-09"
    assert gov.recorder.max_notification_id() == head


def test_meetings_of_one_body_may_share_a_date(gov):
    given_member(gov, "Khabarovsk Territory", "RU")
    gov.convene("GA", 2, "Khabarovsk Territory", "2002-09")
    gov.convene("GA", 3, "Khabarovsk Territory", "2002-09")

    gov.convene("GA", 4, "Khabarovsk Territory", "2002-09")

    assert [str(gov.assembly(f"GA-{n}").on) for n in (2, 3, 4)] == ["2002-09"] * 3


def test_rejecting_an_application_is_recorded_as_a_reject_decision_with_its_reason(gov):
    ref = given_rasun_city_scheduled_for_ga4(gov)

    gov.decide("GA-4", "reject", application=ref, reason="outside the scope")

    decision = gov.assembly("GA-4").decisions[-1]
    assert (decision.kind, decision.text, decision.params) == (
        "reject", f"Reject application {ref} of Rasun City: outside the scope",
        {"application": ref, "reason": "outside the scope"})


def test_establishing_a_committee_records_its_coordinator_and_purpose_in_the_decision(gov):
    given_member(gov, "Khabarovsk Territory", "RU")
    gov.convene("GA", 4, "Khabarovsk Territory", "2002-09")

    gov.decide("GA-4", "establish-committee", name="Sub-Committee on Environment",
               coordinator="Khabarovsk Territory", purpose="clean air")

    decision = gov.assembly("GA-4").decisions[-1]
    assert (decision.kind, decision.text, decision.params) == (
        "establish-committee", "Establish the Sub-Committee on Environment, coordinated by Khabarovsk Territory",
        {"name": "Sub-Committee on Environment", "coordinator": "Khabarovsk Territory", "purpose": "clean air"})


def test_establishing_a_committee_with_an_empty_purpose_is_refused_by_its_name_and_writes_nothing(gov):
    given_member(gov, "Khabarovsk Territory", "RU")
    gov.convene("GA", 4, "Khabarovsk Territory", "2002-09")
    head = gov.recorder.max_notification_id()

    with pytest.raises(InvalidInput) as refused:
        gov.decide("GA-4", "establish-committee", name="Sub-Committee on Environment", purpose="  ")

    assert str(refused.value) == "purpose must not be empty"
    assert gov.recorder.max_notification_id() == head


def test_coordinator_elected_by_an_assembly_names_the_decision_as_cause(gov):
    given_member(gov, "Khabarovsk Territory", "RU")
    gov.convene("GA", 4, "Khabarovsk Territory", "2002-09")
    gov.decide("GA-4", "establish-committee", name="Sub-Committee on Environment")

    elected = gov.decide("GA-4", "elect-coordinator", committee="Sub-Committee on Environment",
                         region="Khabarovsk Territory")["decision"]

    coordinator = gov.committee("Sub-Committee on Environment").coordinator
    assert (coordinator.region, str(coordinator.since), coordinator.cause, elected) == (
        "Khabarovsk Territory", "2002-09", "GA-4/D2", "GA-4/D2")
    decision = gov.assembly("GA-4").decisions[-1]
    assert (decision.kind, decision.text, decision.params) == (
        "elect-coordinator", "Elect Khabarovsk Territory coordinator of the Sub-Committee on Environment",
        {"committee": "Sub-Committee on Environment", "region": "Khabarovsk Territory"})


def test_coordinator_elected_outside_an_assembly_records_its_source(gov):
    given_member(gov, "Khabarovsk Territory", "RU")
    gov.record_committee("Sub-Committee on Environment", "NEAR brochure")

    elected = gov.elect_coordinator("Sub-Committee on Environment", "Khabarovsk Territory", "2003-01", source="minutes")

    assert elected == {"committee": "Sub-Committee on Environment", "coordinator": "Khabarovsk Territory",
                       "since": "2003-01"}
    coordinator = gov.committee("Sub-Committee on Environment").coordinator
    assert (coordinator.region, coordinator.cause, coordinator.source) == ("Khabarovsk Territory", None, "minutes")


@pytest.mark.parametrize("command", ["elect", "rename"])
def test_future_date_is_refused_naming_the_on_option_and_writes_nothing(gov, command):
    given_member(gov, "Khabarovsk Territory", "RU")
    gov.record_committee("Sub-Committee on Environment", "NEAR brochure")
    head = gov.recorder.max_notification_id()

    with pytest.raises(DateRefused) as refused:
        if command == "elect":
            gov.elect_coordinator("Sub-Committee on Environment", "Khabarovsk Territory", "2999-01")
        else:
            gov.rename_region("Khabarovsk Territory", "Khabarovsk Krai", "2999-01")

    assert str(refused.value) == f"--on 2999-01 is after today ({today()}): a fact cannot take effect in the future"
    assert gov.recorder.max_notification_id() == head


def test_scope_decision_lists_the_countries_it_sets(gov):
    given_member(gov, "Khabarovsk Territory", "RU")
    gov.convene("GA", 4, "Khabarovsk Territory", "2002-09")

    gov.decide("GA-4", "set-scope", countries="cn,jp,kr,ru")

    decision = gov.assembly("GA-4").decisions[-1]
    assert (decision.kind, decision.text, decision.params) == (
        "set-scope", "Set the membership scope to CN, JP, KR, RU", {"countries": "CN,JP,KR,RU"})


def test_opening_the_secretariat_returns_its_date_and_seat(gov):
    assert gov.open_secretariat("2005-05-02", "Pohang City", "NEAR brochure") == {
        "opened": "2005-05-02", "seat": "Pohang City"}


def test_region_may_be_renamed_to_another_spelling_of_its_name(gov):
    given_member(gov, "Rasun City", "KP")

    gov.rename_region("Rasun City", "RASUN  city", "2010-01")

    assert gov.region("Rasun City").name == "RASUN city"


def test_region_cannot_be_renamed_to_the_name_it_has_and_nothing_is_written(gov):
    given_member(gov, "Rasun City", "KP")
    head = gov.recorder.max_notification_id()

    with pytest.raises(AlreadyExists) as refused:
        gov.rename_region("Rasun City", "Rasun City", "2010-01")

    assert str(refused.value) == "Rasun City already has that name"
    assert gov.recorder.max_notification_id() == head


def test_withdrawing_an_application_without_a_reason_is_refused_by_its_name_and_writes_nothing(gov):
    ref = gov.submit_application("Rasun City", "KP", "member", "2002-03")["reference"]
    head = gov.recorder.max_notification_id()

    with pytest.raises(InvalidInput) as refused:
        gov.withdraw_application(ref, " ")

    assert str(refused.value) == "reason must not be empty"
    assert gov.recorder.max_notification_id() == head


def test_secretariat_opening_in_the_future_is_refused_naming_the_opening_date_and_writes_nothing(gov):
    head = gov.recorder.max_notification_id()

    with pytest.raises(DateRefused) as refused:
        gov.open_secretariat("2999-01", "Pohang City", "NEAR brochure")

    assert str(refused.value) == (
        f"opening date 2999-01 is after today ({today()}): a fact cannot take effect in the future")
    assert gov.recorder.max_notification_id() == head


def test_secretariat_opening_is_recorded_once(gov):
    gov.open_secretariat("2005-05-02", "Pohang City", "NEAR brochure")
    head = gov.recorder.max_notification_id()

    with pytest.raises(AlreadyExists) as refused:
        gov.open_secretariat("2005-05-03", "Pohang City", "NEAR brochure")

    assert str(refused.value) == "the Secretariat's opening is already recorded"
    assert gov.recorder.max_notification_id() == head


@pytest.mark.parametrize(("seat", "source", "error"), [
    ("  ", "NEAR brochure", "seat must not be empty"),
    ("Pohang City", "  ", "source must not be empty"),
])
def test_secretariat_opening_without_seat_or_source_is_refused_by_its_name_and_writes_nothing(gov, seat, source, error):
    head = gov.recorder.max_notification_id()

    with pytest.raises(InvalidInput) as refused:
        gov.open_secretariat("2005-05-02", seat, source)

    assert str(refused.value) == error
    assert gov.recorder.max_notification_id() == head


def test_rejecting_an_application_without_a_reason_is_refused_by_its_name_and_writes_nothing(gov):
    ref = given_rasun_city_scheduled_for_ga4(gov)
    head = gov.recorder.max_notification_id()

    with pytest.raises(InvalidInput) as refused:
        gov.decide("GA-4", "reject", application=ref, reason="  ")

    assert str(refused.value) == "reason must not be empty"
    assert gov.recorder.max_notification_id() == head


def test_establishing_a_committee_without_a_name_is_refused_by_its_name_and_writes_nothing(gov):
    given_member(gov, "Khabarovsk Territory", "RU")
    gov.convene("GA", 4, "Khabarovsk Territory", "2002-09")
    head = gov.recorder.max_notification_id()

    with pytest.raises(InvalidInput) as refused:
        gov.decide("GA-4", "establish-committee", name="  ")

    assert str(refused.value) == "committee name must not be empty"
    assert gov.recorder.max_notification_id() == head


def test_establishing_a_committee_that_exists_is_refused_and_writes_nothing(gov):
    given_member(gov, "Khabarovsk Territory", "RU")
    gov.convene("GA", 4, "Khabarovsk Territory", "2002-09")
    gov.decide("GA-4", "establish-committee", name="Sub-Committee on Environment")
    head = gov.recorder.max_notification_id()

    with pytest.raises(AlreadyExists) as refused:
        gov.decide("GA-4", "establish-committee", name="sub-committee on  environment")

    assert str(refused.value) == "Sub-Committee on Environment already exists"
    assert gov.recorder.max_notification_id() == head


def test_assembly_cannot_be_convened_before_the_previous_meeting_of_its_body(gov):
    given_member(gov, "Khabarovsk Territory", "RU")
    gov.convene("GA", 3, "Khabarovsk Territory", "2000-09")
    head = gov.recorder.max_notification_id()

    with pytest.raises(DateRefused) as refused:
        gov.convene("GA", 4, "Khabarovsk Territory", "2000-08")

    assert str(refused.value) == "GA-4 on 2000-08 would precede GA-3 on 2000-09"
    assert gov.recorder.max_notification_id() == head


def test_coordinator_elected_with_an_empty_source_is_refused_by_its_name_and_writes_nothing(gov):
    given_member(gov, "Khabarovsk Territory", "RU")
    gov.record_committee("Sub-Committee on Environment", "NEAR brochure")
    head = gov.recorder.max_notification_id()

    with pytest.raises(InvalidInput) as refused:
        gov.elect_coordinator("Sub-Committee on Environment", "Khabarovsk Territory", "2003-01", source="  ")

    assert str(refused.value) == "source must not be empty"
    assert gov.recorder.max_notification_id() == head


def test_a_name_given_up_by_a_rename_is_taken_by_a_new_region_not_refused_as_a_concurrent_change(gov):
    given_member(gov, "Rasun City", "KP")
    gov.rename_region("Rasun City", "Rason Special City", "2010-01")

    gov.register_region("Rasun City", "KP")
    ref = gov.submit_application("Rasun City", "KP", "member", "2011-01")["reference"]

    renamed, new = gov.region("Rason Special City"), gov.region("Rasun City")
    assert renamed.id != new.id and str(renamed.since) == "1996-09"
    assert gov.application(ref).region_id == new.id
    gov.rename_region("Rasun City", "Rasun", "2012-01")
    third = gov.register_region("Rasun City", "KP")
    assert third == {"name": "Rasun City", "country": "KP"}
    assert len({gov.region(n).id for n in ("Rason Special City", "Rasun", "Rasun City")}) == 3


def test_write_commands_find_a_region_by_a_former_name_as_reads_do(gov):
    given_member(gov, "Khabarovsk Territory", "RU")
    given_member(gov, "Busan Metropolitan City", "KR")
    gov.rename_region("Busan Metropolitan City", "Busan", "2010-01")
    gov.convene("GA", 9, "busan metropolitan city", "2012-09")

    gov.attend("GA-9", ["Busan Metropolitan City", "Khabarovsk Territory"])

    assert gov.assembly("GA-9").host == "Busan"
    assert gov.assembly("GA-9").attendance == ["Busan", "Khabarovsk Territory"]
    assert gov.region("Busan Metropolitan City", "KR").name == "Busan"
    with pytest.raises(NotFound):
        gov.region("Busan Metropolitan City", "JP")
