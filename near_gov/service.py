"""The Governance application service: one method per write command of the
contract. Each loads what it needs, checks the rules through the aggregates, saves
everything a command changes in one transaction, and returns plain values."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Callable, TypeVar
from uuid import UUID

from eventsourcing.application import (
    AggregateNotFoundError,
    ProcessingEvent,
    Repository,
)
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, Recording, StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor

from domain.application import Application
from domain.assembly import Assembly
from domain.case import Case
from domain.charter import SCOPE_ARTICLE, Charter, check_in_scope
from domain.committee import Committee
from domain.errors import (
    AlreadyExists,
    AlreadyRegistered,
    AmbiguousName,
    AssemblyRefused,
    ConcurrentChange,
    DateRefused,
    GovernanceError,
    InvalidInput,
    NotFound,
)
from domain.ids import key_id
from domain.indexes import ReferenceCounter, RegionName
from domain.past import Past
from domain.region import RegionalGovernment
from domain.secretariat import Secretariat
from domain.values import (
    BODIES,
    FuzzyDate,
    Status,
    application_ref,
    assembly_id,
    clean_name,
    clean_text,
    country_code,
    decision_ref,
    membership_kind,
    optional,
)
from near_gov.cases import CaseCommands, scope_codes
from near_gov.clock import default_actor, today
from near_gov.mapping import PydanticApplication
from near_gov.stores import Store, parse_store
from projections.common import span

A = TypeVar("A", bound=Aggregate)
T = TypeVar("T")

#: Attempts for commands whose only conflict can be a counter or index (safe to redo).
RETRIES = 5


def _copy(aggregate: A) -> A:
    """A working copy of a cached aggregate, much cheaper than `copy.deepcopy`.

    The domain keeps an aggregate's state as immutable values (str, UUID, FuzzyDate,
    frozen dataclasses) and top-level lists, dicts, sets and `Past`s of them, which event
    methods append to or replace items of but never change in place below the top
    level; copying those containers is enough for the copy to change independently."""
    clone = object.__new__(type(aggregate))
    clone.__dict__.update(
        {k: (v.copy() if type(v) in _CONTAINERS else v) for k, v in aggregate.__dict__.items()}
    )
    return clone


_CONTAINERS = (list, dict, set, Past)


def _project(aggregate: Any, events: Any) -> Any:
    """The library's `project_aggregate` without its per-event
    `assert isinstance(event, CanMutateProtocol)`: an isinstance check against a
    runtime typing.Protocol walks the protocol's members every time, which cost
    about a third of a command's CPU when loading aggregates."""
    for domain_event in events:
        aggregate = domain_event.mutate(aggregate)
    return aggregate


class SQLiteRecorder(SQLiteApplicationRecorder):
    """The library's SQLite recorder, also inserting the snapshots a command takes
    (the `snapshots` keyword of `insert_events`) in the transaction of its events:
    one commit, one fsync, and no snapshot without the events it follows.

    Reads of an aggregate's events are single SELECT statements, each atomic on its
    own (autocommit), on a connection of the calling thread's own that only reads:
    no BEGIN ... ROLLBACK around them and no trip through the library's connection
    pool (which a command otherwise pays two or three times). `select_latest` reads
    what loading an aggregate needs: its last snapshot and the events after it."""

    snapshot_recorder: Any = None  # the snapshot store's recorder, set by Governance

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()

    @contextmanager
    def _reading(self) -> Iterator[Any]:
        """Something to run one SELECT on: this thread's reader, or a connection
        from the pool for an in-memory database (which another connection cannot see)."""
        reader = getattr(self._local, "reader", None)
        if reader is None:
            pool = self.datastore.pool
            if pool.is_sqlite_memory_mode:
                with self.datastore.get_connection(commit=False) as connection:
                    yield connection.cursor()
                return
            # As the pool opens its connections (a file path or URI); only read with.
            reader = sqlite3.connect(pool.db_name, uri=True, check_same_thread=False,
                                     isolation_level=None, timeout=pool.lock_timeout or 5)
            with self._readers_lock:
                self._readers.append(reader)
            self._local.reader = reader
        yield reader

    def close_readers(self) -> None:
        with self._readers_lock:
            readers, self._readers = self._readers, []
        for reader in readers:
            reader.close()

    def select_events(self, originator_id: UUID | str, *, gt: int | None = None, lte: int | None = None,
                      desc: bool = False, limit: int | None = None) -> list[StoredEvent]:
        statement = self.select_events_statement
        params: list[Any] = [originator_id.hex if isinstance(originator_id, UUID) else originator_id]
        if gt is not None:
            statement += "AND originator_version>? "
            params.append(gt)
        if lte is not None:
            statement += "AND originator_version<=? "
            params.append(lte)
        statement += "ORDER BY originator_version " + ("DESC " if desc else "ASC ")
        if limit is not None:
            statement += "LIMIT ? "
            params.append(limit)
        with self._reading() as reader:
            rows = reader.execute(statement, params).fetchall()
        oid = originator_id if isinstance(originator_id, UUID) else None
        return [StoredEvent(oid or self.convert_originator_id(r[0]), r[1], r[2], r[3]) for r in rows]

    def select_latest(self, originator_id: UUID) -> tuple[StoredEvent | None, list[StoredEvent]]:
        """The latest snapshot of an aggregate (or None) and its events after it.

        Two statements without a transaction around them: a snapshot at version v
        stays valid however many events follow v, so whatever the second reads is a
        consistent continuation of the first."""
        key = originator_id.hex
        with self._reading() as reader:
            snapshot = reader.execute(self._select_snapshot, (key,)).fetchone()
            rows = reader.execute(self._select_after, (key, snapshot[0] if snapshot else 0)).fetchall()
        events = [StoredEvent(originator_id, r[0], r[1], r[2]) for r in rows]
        if snapshot is None:
            return None, events
        return StoredEvent(originator_id, snapshot[0], snapshot[1], snapshot[2]), events

    def _insert_events(self, c: SQLiteCursor, stored_events: Any, *,
                       snapshots: list[StoredEvent] | None = None, **kwargs: Any) -> Any:
        ids = super()._insert_events(c, stored_events, **kwargs)
        if snapshots:
            self.snapshot_recorder._insert_events(c, snapshots)
        return ids

    @property
    def _select_snapshot(self) -> str:
        return (f"SELECT originator_version, topic, state FROM {self.snapshot_recorder.events_table_name} "
                "WHERE originator_id=? ORDER BY originator_version DESC LIMIT 1")

    @property
    def _select_after(self) -> str:
        return (f"SELECT originator_version, topic, state FROM {self.events_table_name} "
                "WHERE originator_id=? AND originator_version>? ORDER BY originator_version")


def __getattr__(name: str) -> Any:
    """`PostgresRecorder`, defined on first use: importing eventsourcing.postgres
    loads psycopg, which a SQLite-backed command line should not pay for."""
    if name != "PostgresRecorder":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from eventsourcing.postgres import PostgresApplicationRecorder
    from psycopg.sql import SQL, Identifier

    class PostgresRecorder(PostgresApplicationRecorder):
        """As `SQLiteRecorder`: snapshots inserted after the events, under the table
        lock the library takes, in the same transaction (and pipeline)."""

        snapshot_recorder: Any = None

        def select_latest(self, originator_id: UUID) -> tuple[StoredEvent | None, list[StoredEvent]]:
            """As `SQLiteRecorder.select_latest`, in one statement (one round trip),
            which PostgreSQL runs on one snapshot of the data."""
            statement = SQL(
                "(SELECT 0 AS part, originator_version, topic, state FROM {schema}.{snapshots} "
                "WHERE originator_id = %s ORDER BY originator_version DESC LIMIT 1) "
                "UNION ALL (SELECT 1, originator_version, topic, state FROM {schema}.{events} "
                "WHERE originator_id = %s AND originator_version > COALESCE((SELECT max(originator_version) "
                "FROM {schema}.{snapshots} WHERE originator_id = %s), 0)) ORDER BY part, originator_version"
            ).format(schema=Identifier(self.datastore.schema), events=Identifier(self.events_table_name),
                     snapshots=Identifier(self.snapshot_recorder.events_table_name))
            with self.datastore.get_connection() as conn, conn.cursor() as curs:
                curs.execute(statement, (originator_id, originator_id, originator_id), prepare=True)
                rows = curs.fetchall()
            found = [StoredEvent(originator_id, r["originator_version"], r["topic"], bytes(r["state"]))
                     for r in rows]
            if rows and rows[0]["part"] == 0:
                return found[0], found[1:]
            return None, found

        def _insert_stored_events(self, curs: Any, stored_events: Any, *,
                                  snapshots: list[StoredEvent] | None = None, **kwargs: Any) -> None:
            super()._insert_stored_events(curs, stored_events, **kwargs)
            if snapshots:
                # Another cursor: the library reads the events' notification ids from `curs`.
                with curs.connection.cursor() as other:
                    self.snapshot_recorder._insert_stored_events(other, snapshots)

    PostgresRecorder.__module__ = __name__
    PostgresRecorder.__qualname__ = name
    globals()[name] = PostgresRecorder
    return PostgresRecorder


_RECORDERS = {"sqlite": "SQLiteRecorder", "postgres": "PostgresRecorder"}


class _Repository(Repository[UUID]):
    """Loads an aggregate that is not in the cache through the recorder's
    `select_latest` (its latest snapshot and the events after it, on the thread's
    reader) where the recorder has it; otherwise, and for a past version, as the
    library does."""

    recorder: Any = None  # a recorder with `select_latest`, set by Governance

    def _reconstruct_aggregate(self, aggregate_id: UUID, version: int | None, projector_func: Any) -> Any:
        if version is not None or self.recorder is None or self.snapshot_store is None:
            return super()._reconstruct_aggregate(aggregate_id, version, projector_func)
        snapshot, events = self.recorder.select_latest(aggregate_id)
        decode = self.event_store.mapper.to_domain_event
        domain_events = [decode(e) for e in events]
        if snapshot is not None:
            domain_events.insert(0, self.snapshot_store.mapper.to_domain_event(snapshot))
        aggregate = projector_func(None, domain_events)
        if aggregate is None:
            raise AggregateNotFoundError(f"Aggregate {aggregate_id!r} version None not found.")
        return aggregate


class Governance(CaseCommands, PydanticApplication):
    name = "Governance"
    # Counters, indexes and assemblies gain an event per use; a snapshot every so
    # often keeps loading them (and so every command) independent of the log's size.
    snapshotting_intervals = {
        ReferenceCounter: 25,
        RegionName: 25,
        Assembly: 25,
        Charter: 25,
        Committee: 25,
        RegionalGovernment: 25,
        Application: 25,
        Case: 25,
    }
    # Aggregates recently used stay in memory: a later command loads only the events
    # recorded since (by any process: the library fast-forwards the cached aggregate),
    # then works on a copy (`_copy`), so a refused command leaves nothing behind.
    env = {"AGGREGATE_CACHE_MAXSIZE": "4096", "DEEPCOPY_FROM_AGGREGATE_CACHE": "n"}

    def __init__(self, store: Store | str | None = None, actor: str | None = None):
        self.store = store if isinstance(store, Store) else parse_store(store)
        self.actor = clean_name(actor or default_actor(), "actor")
        env = self.store.env()
        if self.store.kind in _RECORDERS:
            env["APPLICATION_RECORDER_TOPIC"] = f"{__name__}:{_RECORDERS[self.store.kind]}"
        try:
            super().__init__(env=env)
        except BaseException:  # an unreachable server, say: let go of the connection pool now
            factory = getattr(self, "factory", None)
            if factory is not None:
                factory.close()
            raise
        # Snapshots go in the command's own transaction where the recorder can take
        # them (ours, and not PostgreSQL's stored-function insert, which has no hook).
        self._snapshots_inline = (
            self.snapshots is not None
            and hasattr(self.recorder, "snapshot_recorder")
            and not getattr(getattr(self.recorder, "datastore", None), "enable_db_functions", False)
        )
        if self._snapshots_inline:
            self.recorder.snapshot_recorder = self.snapshots.recorder  # type: ignore[union-attr]
            if hasattr(self.recorder, "select_latest"):
                self.repository.recorder = self.recorder  # type: ignore[attr-defined]

    def construct_repository(self) -> Repository[UUID]:
        repository = super().construct_repository()
        repository.__class__ = _Repository  # the library's, built from env, loading as above
        return repository

    def close(self) -> None:
        if isinstance(self.recorder, SQLiteRecorder):
            self.recorder.close_readers()
        super().close()

    # Loading and saving.

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        """The library's `save`, collecting the aggregates' events without its
        `isinstance` checks against runtime protocols (slow: they walk the
        protocol's members on every call); anything else goes the library's way."""
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
        self.notify(processing_event.events)  # type: ignore[arg-type]  (deprecated hook, as the library)
        return recordings

    def _record(self, processing_event: ProcessingEvent[UUID]) -> list[Recording[UUID]]:
        """Record a command's events, with the snapshots they make due, in one
        transaction. A snapshot is taken from the aggregate in hand, whose state is
        that of its last new event: nothing is read back from the store for it."""
        if not self._snapshots_inline:
            return super()._record(processing_event)
        snapshots = [self.mapper.to_stored_event(s) for s in self._due_snapshots(processing_event)]
        recordings = self.events.put(
            processing_event.events, tracking=processing_event.tracking,
            **({"snapshots": snapshots} if snapshots else {}), **processing_event.saved_kwargs,
        )
        if self.repository.cache and not self.repository.fastforward:
            for aggregate_id, aggregate in processing_event.aggregates.items():
                self.repository.cache.put(aggregate_id, aggregate)
        return recordings

    def _take_snapshots(self, processing_event: ProcessingEvent[UUID]) -> None:
        if not self._snapshots_inline:
            super()._take_snapshots(processing_event)

    def _due_snapshots(self, processing_event: ProcessingEvent[UUID]) -> list[Any]:
        """Snapshots of the saved aggregates that reached a multiple of their interval
        (as the library decides), each at the aggregate's new version."""
        due = []
        for aggregate_id, aggregate in processing_event.aggregates.items():
            interval = self.snapshotting_intervals.get(type(aggregate))
            if interval and any(e.originator_id == aggregate_id and e.originator_version % interval == 0
                                for e in processing_event.events):
                due.append(type(aggregate).Snapshot.take(aggregate))
        return due

    def _load(self, aggregate_id: UUID) -> Any:
        aggregate = self.repository.get(aggregate_id, projector_func=_project)
        return _copy(aggregate) if self.repository.cache else aggregate

    def _get(self, cls: type[A], aggregate_id: UUID, what: str) -> A:
        try:
            aggregate = self._load(aggregate_id)
        except AggregateNotFoundError:
            raise NotFound(what) from None
        if not isinstance(aggregate, cls):
            raise NotFound(what)
        return aggregate

    def _find(self, cls: type[A], aggregate_id: UUID) -> A | None:
        try:
            return self._load(aggregate_id)  # type: ignore[no-any-return]
        except AggregateNotFoundError:
            return None

    def _commit(self, *aggregates: Aggregate | None) -> None:
        saved = [a for a in aggregates if a is not None]
        try:
            self.save(*saved)
        except IntegrityError:
            raise ConcurrentChange() from None
        if self.repository.cache:  # committed: the next command starts from these
            for aggregate in saved:
                self.repository.cache.put(aggregate.id, aggregate)

    def _counter(self, prefix: str, year: int) -> ReferenceCounter:
        return self._find(ReferenceCounter, ReferenceCounter.create_id(prefix, year)) \
            or ReferenceCounter(prefix=prefix, year=year)

    def _retrying(self, command: Callable[[], T]) -> T:
        """Redo a command from fresh state when it lost a race for a key or counter;
        nothing of the losing attempt was written."""
        for _ in range(RETRIES - 1):
            try:
                return command()
            except ConcurrentChange:
                continue
        return command()

    # Look-ups by natural key.

    def region(self, name: str, country: str | None = None) -> RegionalGovernment:
        name = clean_name(name, "region name")
        index = self._find(RegionName, key_id("region-name", name))
        regions = dict(index.regions) if index else {}
        if country is not None:
            cc = country_code(country)
            regions = {cc: regions[cc]} if cc in regions else {}
        if not regions:
            where = f" in {country_code(country)}" if country else ""
            raise NotFound(
                f"no region named {name!r}{where}; register it with "
                "`near-gov region register NAME --country CC`"
            )
        if len(regions) > 1:
            raise AmbiguousName(
                f"{name!r} names regions in {', '.join(sorted(regions))}; give --country"
            )
        (region_id,) = regions.values()
        return self._get(RegionalGovernment, region_id, f"no region named {name!r}")

    def application(self, reference: str) -> Application:
        ref = application_ref(reference)
        return self._get(
            Application, key_id("application", ref), f"no application {ref}; see `near-gov application list`"
        )

    def assembly(self, ident: str) -> Assembly:
        ident = assembly_id(ident)
        found = self._find(Assembly, key_id("assembly", ident))
        if found is None:
            known = self._known_assemblies(ident)
            raise NotFound(f"no assembly {ident}; known: {span(known)} (see `near-gov assembly list`)")
        return found

    def _known_assemblies(self, asked: str) -> list[str]:
        """Assemblies are numbered from 1: probe each body's numbers up to a little
        beyond the one asked for (only on the error path, to say what exists)."""
        last = int(asked.split("-")[1]) + 20
        return [
            f"{body}-{n}" for body in ("GA", "WC") for n in range(1, last)
            if self._find(Assembly, key_id("assembly", f"{body}-{n}"))
        ]

    def committee(self, name: str) -> Committee:
        name = clean_name(name, "committee name")
        return self._get(
            Committee, key_id("committee", name), f"no committee named {name!r}; see `near-gov committee list`"
        )

    def charter(self) -> Charter | None:
        return self._find(Charter, Charter.create_id())

    def check_decision_exists(self, ref: str) -> str:
        ref = decision_ref(ref)
        assembly = self.assembly(ref.split("/")[0])
        if ref not in {d.ref for d in assembly.decisions}:
            known = ", ".join(d.ref for d in assembly.decisions) or "none"
            raise NotFound(f"no decision {ref}; {assembly.ref} has: {known}")
        return ref

    # Rules on dates.

    @staticmethod
    def effective(text: str | FuzzyDate, what: str = "date") -> FuzzyDate:
        """Parse an effective date and refuse one after the recorded time (now)."""
        day = FuzzyDate.parse(text)
        now = today()
        if day.first > now.first:
            raise DateRefused(f"{what} {day} is after today ({now}): a fact cannot take effect in the future")
        return day

    # Regions.

    def register_region(self, name: str, country: str) -> dict[str, str]:
        name, cc = clean_name(name, "region name"), country_code(country)

        def command() -> dict[str, str]:
            region, index = self._new_region(name, cc)
            self._commit(region, index)
            return {"name": region.name, "country": cc}

        return self._retrying(command)

    def _new_region(self, name: str, cc: str) -> tuple[RegionalGovernment, RegionName]:
        index = self._find(RegionName, key_id("region-name", name)) or RegionName(name=name)
        if cc in index.regions:
            existing = self._get(RegionalGovernment, index.regions[cc], name)
            raise AlreadyRegistered(f"{existing.name} ({cc}) is already registered")
        region = RegionalGovernment(name=name, country=cc, actor=self.actor)
        index.add(country=cc, region_id=region.id)
        return region, index

    def record_status(self, name: str, status: str, since: str, source: str,
                      country: str | None = None) -> dict[str, str]:
        region = self.region(name, country)
        kind, day = membership_kind(status), self.effective(since, "--since")
        region.record(kind, day, clean_text(source, "source"), self.actor)
        self._commit(region)
        return {"name": region.name, "status": str(kind), "since": str(day)}

    def rename_region(self, name: str, new_name: str, on: str) -> dict[str, str]:
        region = self.region(name)
        new_name, day = clean_name(new_name, "new name"), self.effective(on, "--on")
        old_index = self._get(RegionName, key_id("region-name", region.name), region.name)
        if key_id("region-name", new_name) == old_index.id:
            if new_name == region.name:
                raise AlreadyExists(f"{region.name} already has that name")
            new_index = old_index  # only the spelling changes
        else:
            new_index = self._find(RegionName, key_id("region-name", new_name)) or RegionName(name=new_name)
            if region.country in new_index.regions:
                raise AlreadyRegistered(f"{new_name} ({region.country}) is already registered")
            old_index.remove(country=region.country)
        old = region.name
        region.rename(new_name, day, self.actor)
        new_index.add(country=region.country, region_id=region.id)
        self._commit(region, old_index, new_index if new_index is not old_index else None)
        return {"name": region.name, "former_name": old, "on": str(day)}

    def withdraw_region(self, name: str, on: str, decision: str | None = None,
                        source: str | None = None) -> dict[str, str]:
        region = self.region(name)
        day = self.effective(on, "--on")
        cause = None if decision is None else self.check_decision_exists(decision)
        region.withdraw(day, cause, optional(clean_text, source, "source"), self.actor)
        self._commit(region)
        return {"name": region.name, "status": str(Status.WITHDRAWN), "since": str(day)}

    # Applications.

    def submit_application(self, name: str, country: str, kind: str = "member",
                           on: str | None = None) -> dict[str, str]:
        name, cc = clean_name(name, "region name"), country_code(country)
        status, day = membership_kind(kind), self.effective(today() if on is None else on, "--on")
        check_in_scope(self.charter(), cc, day)

        def command() -> dict[str, str]:
            index = None
            try:
                region = self.region(name, cc)
            except NotFound:
                region, index = self._new_region(name, cc)
            region.check_may_apply(status)
            counter = self._counter("APP", day.year)
            ref = counter.next_reference()
            application = Application(
                reference=ref, region_id=region.id, region=region.name, country=cc,
                kind=status, on=day, actor=self.actor,
            )
            self._commit(counter, application, region if index else None, index)
            return {"reference": ref}

        return self._retrying(command)

    def screen_application(self, reference: str, eligible: bool, reason: str | None = None) -> dict[str, str]:
        application = self.application(reference)
        if not eligible and not reason:
            raise InvalidInput("--ineligible needs --reason TEXT")
        application.screen(eligible, optional(clean_text, reason, "reason"), self.actor)
        self._commit(application)
        return {"reference": application.reference, "state": application.state}

    def schedule_application(self, reference: str, assembly: str) -> dict[str, str]:
        application = self.application(reference)
        target = self.assembly(assembly)
        if not target.is_general:
            raise AssemblyRefused(f"{target.ref} is a Working Committee meeting: only a General Assembly approves admissions")
        target.check_is_open()
        application.schedule(target.ref, self.actor)
        self._commit(application)
        return {"reference": application.reference, "state": application.state, "assembly": target.ref}

    def withdraw_application(self, reference: str, reason: str) -> dict[str, str]:
        application = self.application(reference)
        application.withdraw(clean_text(reason, "reason"), self.actor)
        self._commit(application)
        return {"reference": application.reference, "state": application.state}

    # Assemblies.

    def convene(self, body: str, number: int | str, host: str, on: str,
                source: str | None = None) -> dict[str, str]:
        ident = assembly_id(f"{str(body).strip().upper()}-{number}")
        day = self.effective(on, "--on")
        if self._find(Assembly, key_id("assembly", ident)):
            raise AlreadyExists(f"{ident} is already convened")
        self._check_sequence(ident, day)
        region = self.region(host)
        region.check_is_member_on(day, f"host of {ident}")
        assembly = Assembly(ident=ident, host_id=region.id, host=region.name, on=day, actor=self.actor,
                            source=optional(clean_text, source, "source"))
        self._commit(assembly)
        return {"id": ident, "body": BODIES[assembly.body], "host": region.name, "on": str(day)}

    def _check_sequence(self, ident: str, day: FuzzyDate) -> None:
        body, number = ident.split("-")
        before = self._find(Assembly, key_id("assembly", f"{body}-{int(number) - 1}"))
        after = self._find(Assembly, key_id("assembly", f"{body}-{int(number) + 1}"))
        if before and day < before.on:
            raise DateRefused(f"{ident} on {day} would precede {before.ref} on {before.on}")
        if after and after.on < day:
            raise DateRefused(f"{ident} on {day} would follow {after.ref} on {after.on}")

    def attend(self, ident: str, names: list[str]) -> dict[str, Any]:
        assembly = self.assembly(ident)
        if not names:
            raise InvalidInput("name at least one region")
        regions = [self.region(n) for n in names]
        for region in regions:
            if region.status_on(assembly.on) not in (Status.MEMBER, Status.OBSERVER):
                raise GovernanceError(f"{region.name} is neither a member nor an observer on {assembly.on}")
        added = assembly.attend([r.name for r in regions], self.actor)
        self._commit(assembly)
        return {"id": assembly.ref, "added": added, "attendance": list(assembly.attendance)}

    def close_assembly(self, ident: str, on: str | None = None) -> dict[str, str]:
        assembly = self.assembly(ident)
        day = assembly.on if on is None else self.effective(on, "--on")
        assembly.close(day, self.actor)
        self._commit(assembly)
        return {"id": assembly.ref, "closed": str(day)}

    def decide(self, ident: str, kind: str, **params: str) -> dict[str, str]:
        """Take one decision; the decision and all its effects commit together."""
        assembly = self.assembly(ident)
        handler = getattr(self, f"_decide_{kind.replace('-', '_')}", None)
        if handler is None:
            raise InvalidInput(f"unknown decision kind {kind!r}")
        assembly.check_may_take(kind)
        changed = handler(assembly, **params)
        self._commit(assembly, *changed)
        return {"decision": assembly.decisions[-1].ref}

    def _decide_approve(self, assembly: Assembly, application: str) -> list[Aggregate]:
        case = self.application(application)
        region = self._get(RegionalGovernment, case.region_id, case.region)
        case.check_scheduled_for(assembly.ref)
        text = f"Admit {region.name} ({region.country}) as {case.kind} on application {case.reference}"
        ref = assembly.decide("approve", text, {"application": case.reference}, self.actor)
        case.approve(ref, assembly.on, self.actor)
        region.admit(case.kind, assembly.on, ref, self.actor)
        return [case, region]

    def _decide_reject(self, assembly: Assembly, application: str, reason: str) -> list[Aggregate]:
        case = self.application(application)
        reason = clean_text(reason, "reason")
        case.check_scheduled_for(assembly.ref)
        text = f"Reject application {case.reference} of {case.region}: {reason}"
        ref = assembly.decide("reject", text, {"application": case.reference, "reason": reason}, self.actor)
        case.reject(ref, assembly.on, reason, self.actor)
        return [case]

    def _decide_establish_committee(self, assembly: Assembly, name: str, coordinator: str | None = None,
                                    purpose: str | None = None) -> list[Aggregate]:
        name = clean_name(name, "committee name")
        if self._find(Committee, key_id("committee", name)):
            raise AlreadyExists(f"{name} already exists")
        region = None if coordinator is None else self.region(coordinator)
        if region:
            region.check_is_member_on(assembly.on, f"coordinator of {name}")
        params = {"name": name, **({"coordinator": region.name} if region else {}),
                  **({"purpose": clean_text(purpose, "purpose")} if purpose is not None else {})}
        text = f"Establish the {name}" + (f", coordinated by {region.name}" if region else "")
        ref = assembly.decide("establish-committee", text, params, self.actor)
        committee = Committee(name=name, purpose=params.get("purpose"), on=assembly.on, cause=ref,
                              source=None, actor=self.actor)
        if region:
            committee.elect(region.id, region.name, assembly.on, ref, None, self.actor)
        return [committee]

    def _decide_elect_coordinator(self, assembly: Assembly, committee: str, region: str) -> list[Aggregate]:
        body, member = self.committee(committee), self.region(region)
        member.check_is_member_on(assembly.on, f"coordinator of {body.name}")
        text = f"Elect {member.name} coordinator of the {body.name}"
        ref = assembly.decide("elect-coordinator", text, {"committee": body.name, "region": member.name}, self.actor)
        body.elect(member.id, member.name, assembly.on, ref, None, self.actor)
        return [body]

    def _decide_amend_charter(self, assembly: Assembly, article: str, text: str) -> list[Aggregate]:
        article, text = clean_name(article, "article"), clean_text(text, "text")
        if article.casefold() == SCOPE_ARTICLE:
            raise InvalidInput(f"the {SCOPE_ARTICLE} is amended with --set-scope CC,CC,...")
        charter = self.charter() or Charter(actor=self.actor)
        ref = assembly.next_decision_ref()
        charter.amend(article, text, assembly.on, ref, self.actor)
        assembly.decide("amend-charter", f"Amend Charter article {article}: {text}",
                        {"article": article, "text": text}, self.actor)
        return [charter]

    def _decide_set_scope(self, assembly: Assembly, countries: str) -> list[Aggregate]:
        codes = scope_codes(countries)
        charter = self.charter() or Charter(actor=self.actor)
        ref = assembly.next_decision_ref()
        charter.set_scope(codes, assembly.on, ref, self.actor)
        assembly.decide("set-scope", f"Set the membership scope to {', '.join(codes)}",
                        {"countries": ",".join(codes)}, self.actor)
        return [charter]

    def _decide_resolve(self, assembly: Assembly, text: str) -> list[Aggregate]:
        text = clean_text(text, "text")
        assembly.decide("resolve", text, {}, self.actor)
        return []

    # Committees and the Secretariat outside an assembly.

    def elect_coordinator(self, committee: str, region: str, on: str,
                          decision: str | None = None, source: str | None = None) -> dict[str, str]:
        body, member = self.committee(committee), self.region(region)
        day = self.effective(on, "--on")
        cause = None if decision is None else self.check_decision_exists(decision)
        member.check_is_member_on(day, f"coordinator of {body.name}")
        body.elect(member.id, member.name, day, cause, optional(clean_text, source, "source"), self.actor)
        self._commit(body)
        return {"committee": body.name, "coordinator": member.name, "since": str(day)}

    def record_committee(self, name: str, source: str, purpose: str | None = None) -> dict[str, str]:
        """Record a Sub-Committee documented without its establishing decision."""
        name = clean_name(name, "committee name")
        if self._find(Committee, key_id("committee", name)):
            raise AlreadyExists(f"{name} already exists")
        committee = Committee(name=name, purpose=optional(clean_text, purpose, "purpose"),
                              on=None, cause=None, source=clean_text(source, "source"), actor=self.actor)
        self._commit(committee)
        return {"committee": name}

    def open_secretariat(self, on: str, seat: str, source: str) -> dict[str, str]:
        day = self.effective(on, "opening date")
        if self._find(Secretariat, Secretariat.create_id()):
            raise AlreadyExists("the Secretariat's opening is already recorded")
        secretariat = Secretariat(on=day, seat=clean_name(seat, "seat"), source=clean_text(source, "source"),
                                  actor=self.actor)
        self._commit(secretariat)
        return {"opened": str(day), "seat": secretariat.seat}

