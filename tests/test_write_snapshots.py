"""Snapshots are written in the command's own transaction, from the aggregate in hand,
and a later process loads from them to the same state as a full replay."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest
from eventsourcing.application import project_aggregate
from eventsourcing.persistence import IntegrityError

from domain.errors import ConcurrentChange
from domain.past import _PENDING, Past
from domain.values import FuzzyDate
from near_gov.service import Governance
from tests.histories import given_member


def _stored_snapshots(gov: Governance, aggregate_id: Any) -> list[int]:
    return [s.originator_version for s in gov.snapshots.recorder.select_events(aggregate_id)]


def _replayed(gov: Governance, aggregate_id: Any) -> Any:
    """The aggregate from its events alone, ignoring snapshots."""
    return project_aggregate(None, gov.events.get(aggregate_id))


def _state(aggregate: Any) -> dict[str, Any]:
    return {k: v for k, v in vars(aggregate).items() if k not in ("_modified_on", "_pending_events")}


def test_snapshot_is_taken_in_the_commit_and_loads_like_a_replay(store_url):
    gov = Governance(store_url, actor="clerk")
    given_member(gov, "Toyama Prefecture", "JP")
    for day in range(1, 30):
        gov.record_status("Toyama Prefecture", "member", f"1996-09-{day:02d}", f"Gazette {day}")
    region_id = gov.region("Toyama Prefecture").id
    assert gov.snapshots is not None
    assert gov.recorder.snapshot_recorder is gov.snapshots.recorder
    assert _stored_snapshots(gov, region_id) == [25]
    gov.close()

    fresh = Governance(store_url, actor="reader")
    loaded = fresh.region("Toyama Prefecture")
    assert loaded.version == 31
    assert _state(loaded) == _state(_replayed(fresh, region_id))
    assert str(loaded.since) == "1996-09-29"
    fresh.close()


def test_a_refused_commit_leaves_no_snapshot(store_url):
    gov = Governance(store_url, actor="clerk")
    given_member(gov, "Toyama Prefecture", "JP")
    for day in range(1, 23):
        gov.record_status("Toyama Prefecture", "member", f"1996-09-{day:02d}", "Gazette")
    region = gov.region("Toyama Prefecture")
    assert region.version == 24
    other = Governance(store_url, actor="other")
    stale = other.region("Toyama Prefecture")
    gov.record_status("Toyama Prefecture", "member", "1996-10-01", "Gazette")  # version 25, snapshot

    stale.record(stale.status, stale.since.parse("1996-10-02"), "Gazette", "other")
    with pytest.raises(ConcurrentChange):
        other.commit(stale)  # the same version 25: refused, with its snapshot
    assert _stored_snapshots(gov, region.id) == [25]
    assert str(Governance(store_url, actor="x").region("Toyama Prefecture").since) == "1996-10-01"
    other.close()
    gov.close()


def test_recorder_inserts_events_and_snapshots_together_or_not_at_all(tmp_path):
    gov = Governance(str(tmp_path / "register.db"), actor="clerk")
    given_member(gov, "Toyama Prefecture", "JP")
    region = gov.region("Toyama Prefecture")
    snapshot = gov.mapper.to_stored_event(type(region).Snapshot.take(region))
    clash = gov.recorder.select_events(region.id)[:1]  # an event already stored
    with pytest.raises(IntegrityError):
        gov.recorder.insert_events(clash, snapshots=[snapshot])
    assert _stored_snapshots(gov, region.id) == []
    gov.close()


def test_long_histories_survive_a_snapshot_and_decode_lazily(store_url):
    """An assembly's decisions are kept as `Past`: loaded from a snapshot they stay in
    stored form until read, and read back equal. A committee keeps its current
    coordinator only, however many it had."""
    gov = Governance(store_url, actor="clerk")
    given_member(gov, "Toyama Prefecture", "JP", since="1990-01")
    given_member(gov, "Hyogo Prefecture", "JP", since="1990-01")
    gov.convene("GA", 1, "Toyama Prefecture", "1991-01")
    gov.decide("GA-1", "establish-committee", name="Sub-Committee on Environment", coordinator="Toyama Prefecture")
    for i in range(30):
        gov.elect_coordinator("Sub-Committee on Environment", ("Hyogo Prefecture", "Toyama Prefecture")[i % 2],
                              f"1992-01-{i + 1:02d}", source=f"Minutes {i}")
        gov.decide("GA-1", "resolve", text=f"Resolution {i}")
    written = gov.committee("Sub-Committee on Environment")
    assembly = gov.assembly("GA-1")
    assert _stored_snapshots(gov, written.id) == [25] and _stored_snapshots(gov, assembly.id) == [25]
    gov.close()

    fresh = Governance(store_url, actor="reader")
    committee = fresh.committee("Sub-Committee on Environment")
    assert (committee.coordinator.region, str(committee.coordinator.since)) == ("Toyama Prefecture", "1992-01-30")
    assert type(committee.coordinator.region_id) is UUID and type(committee.coordinator.since) is FuzzyDate
    assert _state(committee) == _state(_replayed(fresh, committee.id)) == _state(written)
    ga1 = fresh.assembly("GA-1")
    assert type(ga1.decisions) is Past
    assert ga1.decisions._items.count(_PENDING) == 24  # the snapshot (version 25) held 24; none read yet
    assert len(ga1.decisions) == 31 and ga1.next_decision_ref() == "GA-1/D32"
    assert [d.ref for d in ga1.decisions] == [f"GA-1/D{n}" for n in range(1, 32)]
    assert fresh.check_decision_exists("GA-1/D7") == "GA-1/D7"
    assert _state(ga1) == _state(_replayed(fresh, ga1.id))

    # A later command changes a copy: the cached aggregate keeps its own history.
    fresh.decide("GA-1", "resolve", text="One more")
    assert len(fresh.assembly("GA-1").decisions) == 32
    fresh.close()


def test_every_snapshot_of_a_simulated_register_equals_the_replay_at_its_version(store_url):
    """Snapshots are taken from the aggregate in hand, not replayed: over a register of
    every kind of command (the benchmark's seeded simulation), each one stored must
    equal the aggregate replayed from its events up to that version."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    import synth

    gov = Governance(store_url, actor="simulation")
    synth.Simulation(seed=7).generate(gov, 8000, count=lambda: gov.recorder.max_notification_id() or 0)
    snapshots = gov.snapshots.recorder
    with snapshots.datastore.transaction(commit=False) as c:
        table = snapshots.events_table_name
        schema = getattr(snapshots.datastore, "schema", "")
        c.execute(f"SELECT originator_id, originator_version FROM {schema + '.' if schema else ''}{table}")
        stored = [(r["originator_id"], r["originator_version"]) for r in c.fetchall()]
    kinds = set()
    for originator_id, version in stored:
        aggregate_id = originator_id if isinstance(originator_id, UUID) else UUID(originator_id)
        (snapshot,) = [s for s in snapshots.select_events(aggregate_id, gt=version - 1, lte=version)]
        restored = gov.mapper.to_domain_event(snapshot).mutate(None)
        replayed = project_aggregate(None, gov.events.get(aggregate_id, lte=version))
        assert _state(restored) == _state(replayed), (type(replayed).__name__, version)
        kinds.add(type(replayed).__name__)
    assert {"RegionalGovernment", "Assembly", "Committee", "Charter", "OpenCases"} <= kinds, kinds

    # Every aggregate loads from a snapshot taken within its last 25 events, however many
    # it gained: none is read from its first event on (an index gaining two events per
    # case, of which a long register holds tens of thousands, once was).
    last_snapshot: dict[UUID, int] = {}
    for originator_id, version in stored:
        key = originator_id if isinstance(originator_id, UUID) else UUID(originator_id)
        last_snapshot[key] = max(version, last_snapshot.get(key, 0))
    with gov.recorder.datastore.transaction(commit=False) as c:
        table = gov.recorder.events_table_name
        c.execute(f"SELECT originator_id, MAX(originator_version) AS version "
                  f"FROM {schema + '.' if schema else ''}{table} GROUP BY originator_id")
        heads = {(r["originator_id"] if isinstance(r["originator_id"], UUID) else UUID(r["originator_id"])):
                 r["version"] for r in c.fetchall()}
    unsnapshotted = {type(gov.repository.get(k)).__name__: v - last_snapshot.get(k, 0)
                     for k, v in heads.items() if v - last_snapshot.get(k, 0) >= 25}
    assert not unsnapshotted, unsnapshotted
    gov.close()
