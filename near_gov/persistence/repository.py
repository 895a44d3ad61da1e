"""Loading aggregates: the latest snapshot and the events after it in one read, cached
aggregates used without a read while the log has not grown, and cheap working copies
of cached aggregates.

Library internals used here (each pinned in tests/test_library_contract.py):
- `Repository._reconstruct_aggregate`, overridden: where the recorder has
  `select_latest`, a current aggregate loads from one read; a past version, or a store
  without it, loads as the library does.
- `Repository.event_store` / `snapshot_store` (their mappers decode what was read).
- `Application.construct_repository`'s body is restated by `Register` to build this
  class with the library's settings (the pin fingerprints it).
- `project_aggregate` restated as `project` without its per-event assert.
- `Repository.cache` (the library's LRU cache) and `Repository.get` (its fast-forward of a
  cached aggregate), called by `LatestRepository.current`.

Cached aggregates known current. The library brings a cached aggregate up to date with
one read of the events after its version, every time it is asked for it. A unit of work
(`Reading`) instead reads the head of the log (its highest notification id) once, with
its first read, and a cached aggregate known to hold every event up to that head is used
as it is. Known current are: an aggregate loaded or fast-forwarded after the head was
read, and one this process saved, as of the last id its save took; so is the absence of
one found absent after the head was read. While a reading finds
the head where it was, nothing has been written since, and they are current still; when
it finds it elsewhere (another writer), none is known current any more, and each is read
again as the library does. A save that takes the ids just after the known head was the
only write since, and leaves the others known current. Notification ids are taken in
commit order (SQLite has one writer at a time; on PostgreSQL the library locks the table
to insert), so an unchanged head means an unchanged log.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any, Protocol, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Repository
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import StoredEvent

from domain.past import Past

A = TypeVar("A", bound=Aggregate)


class LatestReader(Protocol):
    def select_latest(self, originator_id: UUID) -> tuple[StoredEvent | None, list[StoredEvent], int]: ...

    def select_head(self) -> int: ...


class Reading:
    """One unit of work's reads: the head of the log its first read found (None before)."""

    __slots__ = ("head",)

    def __init__(self) -> None:
        self.head: int | None = None


def project(aggregate: Any, events: Iterable[Any]) -> Any:
    """The library's `project_aggregate` without its per-event
    `assert isinstance(event, CanMutateProtocol)`: an isinstance check against a runtime
    typing.Protocol walks the protocol's members every time, which cost about a third of
    a command's CPU when loading aggregates."""
    for domain_event in events:
        aggregate = domain_event.mutate(aggregate)
    return aggregate


_CONTAINERS = (list, dict, set, Past)
#: How many aggregates are remembered as known current, at most.
_KNOWN_MAX = 65536


def working_copy(aggregate: A) -> A:
    """A working copy of a cached aggregate, much cheaper than `copy.deepcopy`.

    The domain keeps an aggregate's state as immutable values (str, UUID, FuzzyDate,
    frozen dataclasses) and top-level lists, dicts, sets and `Past`s of them, which event
    methods append to or replace items of but never change in place below the top level;
    copying those containers is enough for the copy to change independently."""
    clone = object.__new__(type(aggregate))
    clone.__dict__.update(
        {k: (v.copy() if type(v) in _CONTAINERS else v) for k, v in aggregate.__dict__.items()}
    )
    return clone


class LatestRepository(Repository[UUID]):
    """The library's repository, loading an aggregate that is not in the cache through
    `latest.select_latest` (its latest snapshot and the events after it) when given one,
    and, for a unit of work's `current`, using a cached aggregate without a read while it
    is known current (see the module's note)."""

    def __init__(self, *args: Any, latest: LatestReader | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.latest = latest
        #: The head of the log as of which the aggregates in `_known` are current, and
        #: theirs: id -> version (a cached aggregate of another version is not known; 0:
        #: no such aggregate).
        self._known_head: int | None = None
        self._known: dict[UUID, int] = {}
        self._known_lock = threading.Lock()

    def current(self, aggregate_id: UUID, reading: Reading, projector_func: Any) -> Any:
        """The aggregate, current as of the reading's head or later (AggregateNotFoundError
        if there is none); the cached object itself, to be copied before it is changed."""
        if self.latest is None or self.snapshot_store is None or self.cache is None:
            return self.get(aggregate_id, projector_func=projector_func)
        with self._known_lock:
            try:
                aggregate = self.cache.get(aggregate_id)
            except KeyError:
                if reading.head is not None and reading.head == self._known_head \
                        and self._known.get(aggregate_id) == 0:
                    raise AggregateNotFoundError(f"Aggregate {aggregate_id!r} version None not found.") from None
                snapshot, events, head = self.latest.select_latest(aggregate_id)
                if reading.head is None:
                    self._read_head(reading, head)
                if snapshot is None and not events:
                    self._loaded(reading, aggregate_id, 0)  # none: known absent
                aggregate = self._project(aggregate_id, snapshot, events, projector_func)
                self.cache.put(aggregate_id, aggregate)
                self._loaded(reading, aggregate_id, aggregate.version)
                return aggregate
            if reading.head is None:
                self._read_head(reading, self.latest.select_head())
            if reading.head == self._known_head and self._known.get(aggregate_id) == aggregate.version:
                return aggregate
            aggregate = self.get(aggregate_id, projector_func=projector_func)  # the library's fast-forward
            self._loaded(reading, aggregate_id, aggregate.version)
            return aggregate

    def _read_head(self, reading: Reading, head: int) -> None:
        reading.head = head
        if head != self._known_head:  # written since: nothing is known current
            self._known.clear()
            self._known_head = head

    def _loaded(self, reading: Reading, aggregate_id: UUID, version: int) -> None:
        """An aggregate read after the reading's head (version 0: found absent): current
        as of that head."""
        if reading.head == self._known_head:
            if len(self._known) >= _KNOWN_MAX:
                self._known.clear()  # (most of them long gone from the cache)
            self._known[aggregate_id] = version

    def saved(self, aggregates: Iterable[Any], ids: list[int]) -> None:
        """The aggregates, just saved (and cached) with the events that took notification
        `ids`, are current as of the last of them; the others known current remain so if
        those ids follow the known head (no other write came in between)."""
        if not ids:
            return
        with self._known_lock:
            if self._known_head is None or min(ids) != self._known_head + 1:
                self._known.clear()
            self._known_head = max(ids)
            for aggregate in aggregates:
                self._known[aggregate.id] = aggregate.version

    def _reconstruct_aggregate(self, aggregate_id: UUID, version: int | None, projector_func: Any) -> Any:
        if version is not None or self.latest is None or self.snapshot_store is None:
            return super()._reconstruct_aggregate(aggregate_id, version, projector_func)
        snapshot, events, _ = self.latest.select_latest(aggregate_id)
        return self._project(aggregate_id, snapshot, events, projector_func)

    def _project(self, aggregate_id: UUID, snapshot: StoredEvent | None, events: list[StoredEvent],
                 projector_func: Any) -> Any:
        assert self.snapshot_store is not None
        decode = self.event_store.mapper.to_domain_event
        domain_events = [decode(e) for e in events]
        if snapshot is not None:
            domain_events.insert(0, self.snapshot_store.mapper.to_domain_event(snapshot))
        aggregate = projector_func(None, domain_events)
        if aggregate is None:
            raise AggregateNotFoundError(f"Aggregate {aggregate_id!r} version None not found.")
        return aggregate
