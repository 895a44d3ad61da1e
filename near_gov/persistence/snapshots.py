"""The one snapshot policy, used by commands and by the loader: an aggregate is
snapshotted when a save brings one of its events to a multiple of its class's interval,
at its new version, from the aggregate in hand (nothing is read back from the store).
The snapshot is saved in the transaction of the events."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, CanSnapshotAggregate, DomainEventProtocol, MutableOrImmutableAggregate

from domain.application import Application
from domain.assembly import Assembly
from domain.case import Case
from domain.charter import Charter
from domain.committee import Committee
from domain.count import StatedCount
from domain.indexes import Coordinating, OpenCases, ReferenceCounter, RegionName
from domain.region import RegionalGovernment

#: Counters, indexes and assemblies gain an event per use; a snapshot every so often
#: keeps loading them (and so every command) independent of the log's size. Every class
#: whose aggregates can gain events without bound is here: the index of a Sub-Committee's
#: open nominations, say, gains two events per nomination, tens of thousands in a long
#: register, all read by each command that loads it were it never snapshotted. (Only
#: aggregates of one event or a few, a seal, the Secretariat, a first meeting, are not.)
INTERVALS: dict[type[MutableOrImmutableAggregate[Any]], int] = {
    ReferenceCounter: 25,
    RegionName: 25,
    OpenCases: 25,
    Coordinating: 25,
    StatedCount: 25,
    Assembly: 25,
    Charter: 25,
    Committee: 25,
    RegionalGovernment: 25,
    Application: 25,
    Case: 25,
}


def due(aggregates: Mapping[UUID, MutableOrImmutableAggregate[UUID]],
        events: Iterable[DomainEventProtocol[UUID]]) -> list[CanSnapshotAggregate[UUID]]:
    """Snapshots of the aggregates whose saved events reach a multiple of their interval,
    each at the aggregate's version (that of its last event)."""
    reached = {e.originator_id for e in events
               if (a := aggregates.get(e.originator_id)) is not None
               and (interval := INTERVALS.get(type(a)))
               and e.originator_version % interval == 0}
    return [_snapshot(a) for aggregate_id, a in aggregates.items() if aggregate_id in reached]


def _snapshot(aggregate: MutableOrImmutableAggregate[UUID]) -> CanSnapshotAggregate[UUID]:
    """A snapshot of the aggregate by its own class's `Snapshot` (every aggregate of the
    register is an `Aggregate`; the library's mappings are typed by its protocols)."""
    if not isinstance(aggregate, Aggregate):
        raise TypeError(f"cannot snapshot {type(aggregate).__name__}: not an Aggregate")
    return type(aggregate).Snapshot.take(aggregate)
