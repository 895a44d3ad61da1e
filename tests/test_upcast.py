"""Schema evolution: `RegionalGovernment.Renamed` is at version 2 (it gained
`source`, the document that records the new name). `fixtures/register-v1.sqlite`
was written before that, with version 1 renames, and must keep loading: its
renames read back through `upcast_v1_v2` with no source.

The fixture is a register written by near-gov itself and never regenerated (see
fixtures/README.md): three members since 1996-09, Jeju Province renamed Jeju
Special Self-Governing Province on 2006-07, GA-4 convened by Khabarovsk Territory,
Rasun City admitted by GA-4/D1, GA-4 closed. Tests open a copy, since opening a
SQLite store may write to it.

`Committee` is at version 2 (it keeps its current coordinator, not every one): its
version 1 snapshots must keep loading through `Committee.upcast_v1_v2`."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.application import project_aggregate

from domain.region import RegionalGovernment
from domain.values import FuzzyDate
from near_gov.service import Governance
from tests.histories import given_member

FIXTURE = Path(__file__).parent / "fixtures" / "register-v1.sqlite"
RENAMED = "domain.region:RegionalGovernment.Renamed"


@pytest.fixture
def gov(tmp_path: Path) -> Iterator[Governance]:
    copy = tmp_path / "register.sqlite"
    shutil.copyfile(FIXTURE, copy)
    app = Governance(str(copy), actor="clerk")
    yield app
    app.close()


def stored_renames(path: Path) -> list[bytes]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        return [row[0] for row in connection.execute("SELECT state FROM stored_events WHERE topic = ?", (RENAMED,))]


def test_fixture_holds_a_version_1_rename():
    (state,) = stored_renames(FIXTURE)

    assert b'"class_version"' not in state
    assert b'"source"' not in state


def test_version_1_rename_reads_back_with_no_source(gov):
    region = gov.region("Jeju Special Self-Governing Province")

    (renamed,) = [e for e in gov.events.get(region.id) if isinstance(e, RegionalGovernment.Renamed)]

    assert renamed.source is None
    assert (renamed.name, str(renamed.on), renamed.actor) == ("Jeju Special Self-Governing Province", "2006-07",
                                                              "fixture-clerk")
    assert region.former_names == ["Jeju Province"]


def test_register_written_before_version_2_still_loads(gov):
    rasun = gov.region("rasun city")
    ga4 = gov.assembly("GA-4")

    assert (str(rasun.status), str(rasun.since), rasun.timeline[-1].cause) == ("member", "2002-09", "GA-4/D1")
    assert [d.ref for d in ga4.decisions] == ["GA-4/D1"]
    assert gov.application("APP-2002-001").state == "approved"


def test_new_renames_are_stored_at_version_2(gov, tmp_path):
    gov.rename_region("Toyama Prefecture", "Toyama", "2020-01")

    new = stored_renames(tmp_path / "register.sqlite")[-1]

    assert b'"class_version":2' in new
    assert b'"source":null' in new


def _state(aggregate: Any) -> dict[str, Any]:
    return {k: v for k, v in vars(aggregate).items() if k not in ("_modified_on", "_pending_events")}


def _replayed(gov: Governance, aggregate_id: Any) -> Any:
    """The aggregate from its events alone, ignoring snapshots."""
    return project_aggregate(None, gov.events.get(aggregate_id))


def test_a_committee_snapshot_of_the_first_version_loads_with_its_last_coordinator(tmp_path):
    """Version 1 of `Committee` kept every coordinator; its snapshots still load, to
    the current coordinator, decoding no other."""
    from eventsourcing.utils import get_topic

    from domain.committee import Committee, Coordination

    url = str(tmp_path / "register.db")
    gov = Governance(url, actor="clerk")
    given_member(gov, "Toyama Prefecture", "JP", since="1990-01")
    given_member(gov, "Hyogo Prefecture", "JP", since="1990-01")
    gov.record_committee("Sub-Committee on Environment", "1996-09", "NEAR brochure")
    gov.elect_coordinator("Sub-Committee on Environment", "Toyama Prefecture", "1997-01")
    gov.elect_coordinator("Sub-Committee on Environment", "Hyogo Prefecture", "1999-01")
    committee = gov.committee("Sub-Committee on Environment")
    v1_state = {k: v for k, v in vars(committee).items() if k != "coordinator"}
    toyama, hyogo = gov.region("Toyama Prefecture"), gov.region("Hyogo Prefecture")
    v1_state["coordinators"] = [Coordination(toyama.id, toyama.name, FuzzyDate.parse("1997-01"), None, None),
                                Coordination(hyogo.id, hyogo.name, FuzzyDate.parse("1999-01"), None, None)]
    snapshot = Committee.Snapshot(originator_id=committee.id, originator_version=committee.version,
                                  timestamp=Committee.Snapshot.create_timestamp(), topic=get_topic(Committee),
                                  state=v1_state)  # as version 1 wrote it: no class_version
    gov.snapshots.put([snapshot])
    gov.close()

    fresh = Governance(url, actor="reader")
    loaded = fresh.committee("Sub-Committee on Environment")
    assert "coordinators" not in vars(loaded)
    assert (loaded.coordinator.region, str(loaded.coordinator.since)) == ("Hyogo Prefecture", "1999-01")
    assert _state(loaded) == _state(_replayed(fresh, loaded.id))
    fresh.close()


@pytest.mark.parametrize("elected", [[], ["1997-01", "1999-01", "2001-01"]], ids=["none", "three"])
def test_a_committee_snapshot_of_the_first_version_loads_with_its_last_coordinator_or_none(tmp_path, elected):
    """A version 1 snapshot's list of coordinators may be empty (none elected yet) or
    long: it loads to no coordinator, or to the last of them."""
    from eventsourcing.utils import get_topic

    from domain.committee import Committee, Coordination

    url = str(tmp_path / "register.db")
    gov = Governance(url, actor="clerk")
    given_member(gov, "Toyama Prefecture", "JP", since="1990-01")
    given_member(gov, "Hyogo Prefecture", "JP", since="1990-01")
    gov.record_committee("Sub-Committee on Environment", "NEAR brochure")
    regions = [gov.region("Toyama Prefecture"), gov.region("Hyogo Prefecture")]
    for i, day in enumerate(elected):
        gov.elect_coordinator("Sub-Committee on Environment", regions[i % 2].name, day)
    committee = gov.committee("Sub-Committee on Environment")
    v1_state = {k: v for k, v in vars(committee).items() if k != "coordinator"}
    v1_state["coordinators"] = [Coordination(regions[i % 2].id, regions[i % 2].name, FuzzyDate.parse(day), None, None)
                                for i, day in enumerate(elected)]
    gov.snapshots.put([Committee.Snapshot(originator_id=committee.id, originator_version=committee.version,
                                          timestamp=Committee.Snapshot.create_timestamp(), topic=get_topic(Committee),
                                          state=v1_state)])
    gov.close()

    fresh = Governance(url, actor="reader")
    loaded = fresh.committee("Sub-Committee on Environment")
    current = None if loaded.coordinator is None else (loaded.coordinator.region, str(loaded.coordinator.since))
    assert current == (None if not elected else ("Toyama Prefecture", "2001-01"))
    assert _state(loaded) == _state(_replayed(fresh, loaded.id))
    fresh.close()


def test_events_stored_under_older_field_names_read_by_the_vocabulary_of_event_fields():
    from domain.application import Application
    from domain.region import RegionalGovernment
    from domain.values import FuzzyDate, Status

    region = RegionalGovernment(name="Rasun City", country="KP", actor="clerk")
    region.admit(Status.MEMBER, FuzzyDate.parse("2002-09"), "GA-4/D1", "clerk")
    admitted = region.collect_events()[-1]

    assert (type(admitted).__name__, admitted.on, admitted.since) == ("Admitted", FuzzyDate.parse("2002-09"),
                                                                       FuzzyDate.parse("2002-09"))
    documented = RegionalGovernment(name="Tumen City", country="CN", actor="clerk")
    documented.record(Status.MEMBER, FuzzyDate.parse("2004-09"), "Gazette", "clerk")
    assert documented.collect_events()[-1].on == FuzzyDate.parse("2004-09")
    application = Application(reference="APP-2002-001", region_id=region.id, region="Rasun City", country="KP",
                              kind=Status.MEMBER, on=FuzzyDate.parse("2002-03"), actor="clerk")
    application.screen(True, None, "clerk")
    application.schedule("GA-4", FuzzyDate.parse("2002-09"), "clerk")
    application.approve("GA-4/D1", FuzzyDate.parse("2002-09"), "clerk")
    approved = application.collect_events()[-1]
    assert (type(approved).__name__, approved.cause, approved.decision) == ("Approved", "GA-4/D1", "GA-4/D1")
