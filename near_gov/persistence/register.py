"""`Register`: the eventsourcing application every command runs on. It opens a store,
loads aggregates (working copies of cached ones), and saves a command's events with the
snapshots they make due in one transaction.

Library internals used here (each pinned in tests/test_library_contract.py):
- `Application.save`, replaced: the same steps without its `isinstance` checks against
  runtime protocols (they walk the protocol's members on every call).
- `Application._record` and `_take_snapshots`, overridden: due snapshots (the policy in
  `persistence.snapshots`) go in the events' transaction, through the recorder's
  `snapshots` keyword, where the recorder takes them; otherwise the library's way.
- `ProcessingEvent`'s `events`, `aggregates`, `saved_kwargs`, `tracking`, and
  `Repository.cache` / `fastforward`, which those steps fill and read as the library's do.
- `Application.construct_repository`, restated to build `LatestRepository`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, ProcessingEvent, Repository
from eventsourcing.domain import Aggregate, CanSnapshotAggregate, DomainEventProtocol
from eventsourcing.persistence import EventStore, IntegrityError, OperationalError, Recording
from eventsourcing.utils import strtobool

from domain.errors import ConcurrentChange, NotFound
from domain.values import clean_name
from near_gov.clock import default_actor
from near_gov.persistence import snapshots
from near_gov.persistence.mapping import PydanticApplication
from near_gov.persistence.repository import LatestRepository, Reading, project, working_copy
from near_gov.persistence.stores import Store, parse_store

A = TypeVar("A", bound=Aggregate)
T = TypeVar("T")

#: Attempts for commands whose only conflict can be a counter or index (safe to redo).
RETRIES = 5


class Register(PydanticApplication):
    name = "Governance"
    snapshotting_intervals = snapshots.INTERVALS
    # Aggregates recently used stay in memory: a later command loads only the events
    # recorded since (by any process: the library fast-forwards the cached aggregate),
    # then works on a copy (`working_copy`), so a refused command leaves nothing behind.
    env = {"AGGREGATE_CACHE_MAXSIZE": "4096", "DEEPCOPY_FROM_AGGREGATE_CACHE": "n"}  # noqa: RUF012 (the library's)

    def __init__(self, store: Store | str | None = None, actor: str | None = None):
        self.store = store if isinstance(store, Store) else parse_store(store)
        self.actor = clean_name(actor or default_actor(), "actor")
        try:
            super().__init__(env=self.store.env())
        except BaseException:  # an unreachable server, say: let go of the connection pool now
            factory = getattr(self, "factory", None)
            if factory is not None:
                factory.close()
            raise

    @property
    def _snapshots_inline(self) -> bool:
        """Whether the recorder saves snapshots in the events' transaction (ours do,
        except PostgreSQL's stored-function insert, which has no hook)."""
        return self.snapshots is not None and bool(getattr(self.recorder, "takes_snapshots", False))

    def construct_snapshot_store(self) -> EventStore[UUID]:
        own = getattr(self.recorder, "snapshot_recorder", None)
        if own is None:
            return super().construct_snapshot_store()
        return self.factory.event_store(mapper=self.mapper, recorder=own)

    def construct_repository(self) -> Repository[UUID]:
        """The library's, as `LatestRepository` reading through our recorder."""
        maxsize = self.env.get(self.AGGREGATE_CACHE_MAXSIZE)
        inline = self._snapshots_inline  # the snapshot store is built before the repository
        return LatestRepository(
            event_store=self.events,
            snapshot_store=self.snapshots,
            cache_maxsize=int(maxsize) if maxsize else None,
            fastforward=strtobool(self.env.get(self.AGGREGATE_CACHE_FASTFORWARD, "y")),
            fastforward_skipping=strtobool(self.env.get(self.AGGREGATE_CACHE_FASTFORWARD_SKIPPING, "n")),
            deepcopy_from_cache=strtobool(self.env.get(self.DEEPCOPY_FROM_AGGREGATE_CACHE, "y")),
            latest=self.recorder if inline and hasattr(self.recorder, "select_latest")
            and hasattr(self.recorder, "select_head") else None,
        )

    def close(self) -> None:
        close_readers = getattr(self.recorder, "close_readers", None)
        if close_readers is not None:
            close_readers()
        super().close()

    # Saving.

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        """The library's `save`, collecting the aggregates' events without its
        `isinstance` checks against runtime protocols; anything else goes the library's way."""
        processing_event: ProcessingEvent[UUID] = ProcessingEvent()
        for obj in objs:
            if isinstance(obj, Aggregate):
                processing_event.events.extend(obj.collect_events())
                processing_event.aggregates[obj.id] = obj
            elif obj is not None:
                processing_event.collect_events(obj)
        processing_event.saved_kwargs.update(kwargs)
        recordings = self._record(processing_event)
        self._take_snapshots(processing_event)
        self._notify(recordings)
        self.notify(processing_event.events)  # deprecated hook, called as the library does
        return recordings

    def _record(self, processing_event: ProcessingEvent[UUID]) -> list[Recording[UUID]]:
        """Record a command's events, with the snapshots they make due, in one transaction."""
        if not self._snapshots_inline:
            return super()._record(processing_event)
        due = snapshots.due(processing_event.aggregates, processing_event.events)
        recordings = self.put(processing_event.events, due, tracking=processing_event.tracking,
                              **processing_event.saved_kwargs)
        if self.repository.cache and not self.repository.fastforward:
            for aggregate_id, aggregate in processing_event.aggregates.items():
                self.repository.cache.put(aggregate_id, aggregate)
        return recordings

    def put(self, events: list[DomainEventProtocol[UUID]], taken: list[CanSnapshotAggregate[UUID]],
            **kwargs: Any) -> list[Recording[UUID]]:
        """Store domain events and snapshots of them in one transaction (the snapshots the
        library's way, after it, where the recorder cannot take them)."""
        if taken and not self._snapshots_inline:
            recordings = self.events.put(events, **kwargs)
            assert self.snapshots is not None  # `taken` is empty where snapshotting is off
            self.snapshots.put(taken)
            return recordings
        stored = [self.mapper.to_stored_event(s) for s in taken]
        return self.events.put(events, **({"snapshots": stored} if stored else {}), **kwargs)

    def _take_snapshots(self, processing_event: ProcessingEvent[UUID]) -> None:
        if not self._snapshots_inline:
            super()._take_snapshots(processing_event)

    # Loading and committing.

    def reading(self) -> Reading:
        """What a unit of work passes to each load: cached aggregates are used without a
        read while the log's head is where its first read found it (see
        `persistence.repository`)."""
        return Reading()

    def load(self, aggregate_id: UUID, reading: Reading | None = None) -> Aggregate:
        aggregate: Aggregate
        if reading is not None and isinstance(self.repository, LatestRepository):
            aggregate = self.repository.current(aggregate_id, reading, project)
        else:
            aggregate = self.repository.get(aggregate_id, projector_func=project)
        return working_copy(aggregate) if self.repository.cache else aggregate

    def get(self, cls: type[A], aggregate_id: UUID, what: str, reading: Reading | None = None) -> A:
        """The aggregate, or NotFound(what) if there is none of that class."""
        try:
            aggregate = self.load(aggregate_id, reading)
        except AggregateNotFoundError:
            raise NotFound(what) from None
        if not isinstance(aggregate, cls):
            raise NotFound(what)
        return aggregate

    def find(self, cls: type[A], aggregate_id: UUID, reading: Reading | None = None) -> A | None:
        try:
            aggregate = self.load(aggregate_id, reading)
        except AggregateNotFoundError:
            return None
        return aggregate if isinstance(aggregate, cls) else None

    def commit(self, *aggregates: Aggregate | None) -> None:
        """Save the aggregates' new events in one transaction; a lost race is ConcurrentChange."""
        saved = [a for a in aggregates if a is not None]
        changed = {a.id for a in saved if a.pending_events}
        try:
            recordings = self.save(*saved)
        except IntegrityError:
            raise ConcurrentChange() from None
        except OperationalError as e:
            if not _pipeline_aborted(e):
                raise
            raise ConcurrentChange() from None
        if self.repository.cache:  # committed: the next command starts from these
            for aggregate in saved:
                self.repository.cache.put(aggregate.id, aggregate)
            if isinstance(self.repository, LatestRepository):
                self.repository.saved([a for a in saved if a.id in changed],
                                      [r.notification.id for r in recordings])

    def retrying(self, command: Callable[[], T]) -> T:
        """Redo a command from fresh state when it lost a race for a key or counter;
        nothing of the losing attempt was written."""
        for _ in range(RETRIES - 1):
            try:
                return command()
            except ConcurrentChange:
                continue
        return command()


def _pipeline_aborted(error: BaseException) -> bool:
    """Whether a failed commit was PostgreSQL's pipeline aborting: a statement of the
    commit's transaction failed (under eight racing writers, now and then the lost race
    for a version is reported so rather than as a unique violation), so nothing of it
    was written and the command can be redone from fresh state, as for a lost race.
    By class name: psycopg is not imported for a SQLite store."""
    cause: BaseException | None = error
    while cause is not None:
        if type(cause).__name__ == "PipelineAborted":
            return True
        cause = cause.__cause__
    return False
