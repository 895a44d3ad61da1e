"""The RegionalGovernment aggregate's rules on the order of its statuses, without a
store: a change may not be dated before the status it follows."""

import pytest

from domain.errors import StatusRefused
from domain.region import RegionalGovernment
from domain.values import FuzzyDate, Status


def member_since(day: str) -> RegionalGovernment:
    region = RegionalGovernment(name="Dornod Province", country="MN", actor="clerk")
    region.record(Status.MEMBER, FuzzyDate.parse(day), "NEAR brochure", "clerk")
    region.collect_events()
    return region


def test_withdrawal_dated_before_the_current_status_is_refused():
    region = member_since("2002-09")

    with pytest.raises(StatusRefused) as refused:
        region.withdraw(FuzzyDate.parse("1999-01"), None, "a letter", "clerk")

    assert str(refused.value) == "Dornod Province: a change on 1999-01 would precede its current status " \
                                 "(it is a member since 2002-09)"
    assert region.collect_events() == []
    assert (region.status, str(region.since)) == (Status.MEMBER, "2002-09")


def test_withdrawal_on_the_day_the_status_began_is_accepted():
    region = member_since("2002-09")

    region.withdraw(FuzzyDate.parse("2002-09"), None, "a letter", "clerk")

    assert (region.status, str(region.since)) == (Status.WITHDRAWN, "2002-09")


def test_admission_dated_before_the_current_status_is_refused():
    region = RegionalGovernment(name="Tianjin City", country="CN", actor="clerk")
    region.record(Status.OBSERVER, FuzzyDate.parse("2010-10"), "NEAR brochure", "clerk")
    region.collect_events()

    with pytest.raises(StatusRefused) as refused:
        region.admit(Status.MEMBER, FuzzyDate.parse("2008-09"), "GA-7/D1", "clerk")

    assert str(refused.value) == "Tianjin City: a change on 2008-09 would precede its current status " \
                                 "(it is an observer since 2010-10)"
    assert region.collect_events() == []


def test_region_cannot_be_renamed_to_the_name_it_has():
    region = member_since("2002-09")

    with pytest.raises(StatusRefused) as refused:
        region.rename("Dornod Province", FuzzyDate.parse("2004-01"), "clerk")

    assert str(refused.value) == "Dornod Province already has that name"
    assert region.collect_events() == []


def test_admitting_a_member_again_is_refused_naming_the_admitting_decision():
    region = RegionalGovernment(name="Khabarovsk Krai", country="RU", actor="clerk")
    region.admit(Status.MEMBER, FuzzyDate.parse("1996-09"), "GA-1/D3", "clerk")
    region.collect_events()

    with pytest.raises(StatusRefused) as refused:
        region.admit(Status.MEMBER, FuzzyDate.parse("1998-10"), "GA-2/D1", "clerk")

    assert str(refused.value) == "Khabarovsk Krai is already a member since 1996-09 (GA-1/D3)"
    assert region.collect_events() == []


def test_refusal_to_admit_again_names_the_decision_of_the_current_status_not_an_earlier_one():
    region = RegionalGovernment(name="Tianjin City", country="CN", actor="clerk")
    region.record(Status.OBSERVER, FuzzyDate.parse("2008-09"), "NEAR brochure", "clerk")
    region.admit(Status.MEMBER, FuzzyDate.parse("2010-10"), "GA-8/D2", "clerk")
    region.collect_events()

    with pytest.raises(StatusRefused) as refused:
        region.admit(Status.MEMBER, FuzzyDate.parse("2012-09"), "GA-9/D1", "clerk")

    assert str(refused.value) == "Tianjin City is already a member since 2010-10 (GA-8/D2)"
    assert region.collect_events() == []


def test_admitting_a_recorded_observer_as_observer_is_refused_without_a_decision_to_name():
    region = RegionalGovernment(name="Tianjin City", country="CN", actor="clerk")
    region.record(Status.OBSERVER, FuzzyDate.parse("2008-09"), "NEAR brochure", "clerk")
    region.collect_events()

    with pytest.raises(StatusRefused) as refused:
        region.admit(Status.OBSERVER, FuzzyDate.parse("2009-09"), "GA-7/D4", "clerk")

    assert str(refused.value) == "Tianjin City is already an observer since 2008-09"
    assert region.collect_events() == []


def test_recording_the_only_status_again_with_an_earlier_date_corrects_its_date():
    region = member_since("2002-09")

    region.record(Status.MEMBER, FuzzyDate.parse("2001-05"), "NEAR directory 2001", "clerk")

    assert [(p.status, str(p.since), p.source) for p in region.timeline] == [
        (Status.MEMBER, "2001-05", "NEAR directory 2001")
    ]


def test_correcting_a_status_to_the_day_the_status_it_followed_began_is_accepted():
    region = RegionalGovernment(name="Tianjin City", country="CN", actor="clerk")
    region.record(Status.OBSERVER, FuzzyDate.parse("2008-09"), "NEAR brochure", "clerk")
    region.record(Status.MEMBER, FuzzyDate.parse("2010-10"), "NEAR brochure", "clerk")

    region.record(Status.MEMBER, FuzzyDate.parse("2008-09"), "GA-7 minutes", "clerk")

    assert [(p.status, str(p.since)) for p in region.timeline] == [
        (Status.OBSERVER, "2008-09"), (Status.MEMBER, "2008-09")
    ]


def test_rename_records_the_document_that_records_the_new_name():
    region = member_since("2002-09")

    region.rename("Dornod Aimag", FuzzyDate.parse("2004-01"), "clerk", source="Mongolian Gazette 2004/1")

    (renamed,) = region.collect_events()
    assert (renamed.name, str(renamed.on), renamed.source) == ("Dornod Aimag", "2004-01", "Mongolian Gazette 2004/1")
    assert (region.name, region.former_names) == ("Dornod Aimag", ["Dornod Province"])
