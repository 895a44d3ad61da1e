"""Catch-up: bring the read models from their tracking position to the log's head.

All read models share one tracking position (one row, `register`) and are written in
the same transaction per batch. They are always read together and several answer one
question (an assembly's decisions with their effects on the roster), so one position
keeps them mutually consistent; and each event is decoded once, which is most of the
cost of a rebuild.

Exactly once, with any number of processes catching up at once: a batch is read and
decoded from position P outside any lock, then applied in a transaction whose first
statement moves the tracking row from P to the batch's last position only if it is
still at P (`UPDATE ... WHERE position = P RETURNING`). That statement takes the row's
lock (PostgreSQL) or the database's write lock (SQLite, BEGIN IMMEDIATE); a process
that finds the row moved rolls back and starts again from the new position.

Events are decoded here, from their stored JSON straight into plain objects whose
attributes are the stored fields (`Event`), and dispatched on their topic: the read
side never imports the domain's event classes, so a query from the command line does
not pay for building them, and a rebuild does not pay for resolving them. An event
stored by an older version of its class (`CLASS_VERSIONS`) is decoded by the library's
`Mapper` instead, which imports its class and runs the class's upcasters. Fields are
not validated again, so a date or an id arrives as its JSON text: every stored event
was validated when it was written, and validating it again on every read would more
than double the cost of a rebuild.

A store opened read-only (`read_only`) cannot be caught up in place. Its read models
answer as they are while they are at the log's head; when they are behind, they are
copied into a private in-memory database and caught up there, so the answer is the
whole log's and the store is left untouched (where the store has no read models of
this VERSION, they are built in memory from the whole log, the one case in which a
read replays it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from eventsourcing.persistence import ApplicationRecorder, Mapper, Notification

from projections import assemblies, cases, charter, committees, history, membership
from projections.batch import Batch
from projections.common import stamp
from projections.db import Cursor, Database, memory_database, open_database
from projections.describe import Describer, describer
from projections.registry import Handler, Registry
from projections.schema import (
    CREATE_TRACKING,
    TABLES,
    TRACKING,
    VERSION,
    create_query_indexes,
    create_tables,
    drop_tables,
)

NAME = "register"
#: Events per transaction when catching up (a read after a few commands needs one).
BATCH = 500
#: Events per transaction when rebuilding: fewer commits, memory still bounded.
REBUILD_BATCH = 10_000
#: Rows and look-ups a batch may hand on to the next (about 1 kB each).
KEEP = 100_000

Progress = Callable[[int, int], None]

#: The read models, in the order their handlers of one event run. Cases name the
#: regions they concern, so they follow membership.
READ_MODELS = Registry(membership.MODEL, assemblies.MODEL, committees.MODEL, charter.MODEL, cases.MODEL)

#: Modules whose aggregates are bookkeeping (name index, reference counters).
BOOKKEEPING = ("domain.indexes:",)

#: The current `class_version` of every event class that has been upgraded
#: (tests/test_projections_topics.py checks this against the domain).
CLASS_VERSIONS = {
    "domain.region:RegionalGovernment.Renamed": 2,
    "domain.region:RegionalGovernment.StatusRecorded": 2,
    "domain.assembly:Assembly.Convened": 2,
    "domain.seal:Seal.Sealed": 2,
}


Row = tuple[Any, ...]
#: What the engine does with an event of one topic: its kind (`Class.Event`) for the
#: history, how the history describes it, and the read models' handlers of it.
_Route = tuple[str, Describer, tuple[Handler, ...]]


def _sqlite_reader(recorder: ApplicationRecorder) -> Callable[[int, int], list[Row]] | None:
    """Read stored events straight from the SQLite recorder's table, as tuples: the
    library's `select_notifications` makes an object and a UUID of each, which the
    read models then take apart again."""
    datastore, table = getattr(recorder, "datastore", None), getattr(recorder, "events_table_name", None)
    if datastore is None or table is None:
        return None
    statement = (f"SELECT rowid, originator_id, originator_version, topic, state FROM {table} "
                 "WHERE rowid > ? ORDER BY rowid LIMIT ?")

    def select(start: int, limit: int) -> list[Row]:
        with datastore.transaction(commit=False) as c:
            c.row_factory = None  # plain tuples
            c.execute(statement, (start, limit))
            return c.fetchall()  # type: ignore[no-any-return]

    return select


class Event:
    """A stored event as plain data: its stored fields, `originator_id` (a UUID, or
    its text as SQLite stores it: `common.key` reads both) and `originator_version`."""

    def __repr__(self) -> str:
        return f"Event({self.__dict__!r})"


class _Lost(Exception):
    """Another process applied the batch first."""


class Projector:
    def __init__(self, recorder: ApplicationRecorder, mapper: Mapper[Any],
                 database: Database | None = None, read_models: Registry = READ_MODELS,
                 read_only: bool = False) -> None:
        self.recorder = recorder
        self.mapper = mapper
        self.read_models = read_models
        self._upcaster: Mapper[Any] | None = None
        self.db = database or open_database(recorder)
        self._dispatch: dict[str, _Route | None] = {}
        #: The last batch applied by this process and the position it left: the next
        #: batch starting there starts from its memory (nobody else wrote since, or the
        #: tracking row would have moved).
        self._kept: tuple[int, Batch] | None = None
        self._select = _sqlite_reader(recorder) if self.db.dialect == "sqlite" else None
        self._ready = False
        #: Whether the read models are read in a store opened read-only (not yet copied).
        self._read_only_store = read_only and not self.db.owned

    # Tables and tracking.

    def setup(self) -> None:
        """Create the tables once; drop and refill them if their VERSION changed."""
        if self._ready:
            return
        try:
            with self.db.read() as c:
                row = c.run(f"SELECT version FROM {TRACKING} WHERE name = ?", (NAME,)).one()
        except Exception:  # noqa: BLE001 - no tracking table yet: create it below
            row = None
        if self._read_only_store and (row is None or row["version"] != VERSION):
            self._into_memory(copy=False)
        elif row is None or row["version"] != VERSION:
            with self.db.write() as c:
                self.db.advisory_lock(c)
                c.run(CREATE_TRACKING)
                row = c.run(f"SELECT version FROM {TRACKING} WHERE name = ?", (NAME,)).one()
                # Another process may have set the tables up meanwhile: then there is
                # nothing to do (and running DDL here would lock against its catch-up).
                if row is None or row["version"] != VERSION:
                    self._reset(c)
        self._ready = True

    def _into_memory(self, copy: bool) -> None:
        """Go on in a private in-memory database: with a copy of the store's read
        models and their position (`copy`), or empty, from the log's start."""
        memory = memory_database()
        with memory.write() as c:  # before the store is attached, where unqualified names could reach it
            c.run(CREATE_TRACKING)
            self._reset(c)
        if copy:
            with memory.attached(self.db.datastore.pool.db_name, "store") as c:
                for table in TABLES:
                    columns = ", ".join(table.names)
                    c.run(f"INSERT INTO main.{table.name} ({columns}) SELECT {columns} FROM store.{table.name}")
                c.run(f"UPDATE main.{TRACKING} SET position = (SELECT position FROM store.{TRACKING} "
                      "WHERE name = ?) WHERE name = ?", (NAME, NAME))
        self.db.close()
        self.db, self._kept, self._read_only_store, self._ready = memory, None, False, True

    def _reset(self, c: Cursor, query_indexes: bool = True) -> None:
        for statement in drop_tables():
            c.run(statement)
        for statement in create_tables(self.db.dialect) + (create_query_indexes() if query_indexes else []):
            c.run(statement)
        c.run(f"INSERT INTO {TRACKING} (name, position, version) VALUES (?, 0, ?) "
              "ON CONFLICT (name) DO UPDATE SET position = 0, version = excluded.version", (NAME, VERSION))

    def position(self) -> int:
        self.setup()
        with self.db.read() as c:
            return c.run(f"SELECT position FROM {TRACKING} WHERE name = ?", (NAME,)).scalar() or 0

    def head(self) -> int:
        return self.recorder.max_notification_id() or 0

    def status(self) -> list[dict[str, Any]]:
        position, head = self.position(), self.head()
        return [{"name": NAME, "position": position, "head": head, "behind": head - position,
                 "read_models": [t.name.removeprefix("read_") for t in TABLES]}]

    # Catching up.

    def catch_up(self, batch: int = BATCH, progress: Progress | None = None, total: int = 0,
                 bulk: bool = False) -> int:
        """Apply the events after the tracking position; return how many were handled."""
        self.setup()
        if self._read_only_store and self.position() != self.head():
            self._into_memory(copy=True)
        handled = 0
        while True:
            start = self.position()
            notifications = self._read(start, batch)
            if not notifications:
                return handled
            end = notifications[-1][0]
            events = self._decode(notifications)
            kept, self._kept = self._kept, None
            b = kept[1] if kept is not None and kept[0] == start else Batch()
            try:
                with self.db.write(bulk) as c:
                    self._advance(c, start, end)
                    b.cursor = c
                    self._apply(b, events)
            except _Lost:
                continue
            b.trim(KEEP)
            self._kept = (end, b)
            handled += len(events)
            if progress:
                progress(end, max(total, end))
            if len(notifications) < batch:
                return handled

    def rebuild(self, progress: Progress | None = None) -> int:
        """Drop and refill every read model from the whole log, batch by batch.
        Query-only indexes are built once at the end, which is faster than keeping
        them up to date row by row."""
        with self.db.write() as c:
            self.db.advisory_lock(c)
            c.run(CREATE_TRACKING)
            self._reset(c, query_indexes=False)
        self._ready = True
        handled = self.catch_up(REBUILD_BATCH, progress, self.head(), bulk=True)
        with self.db.write(bulk=True) as c:
            for statement in create_query_indexes():
                c.run(statement)
        self.db.checkpoint()
        return handled

    def _advance(self, c: Cursor, start: int, end: int) -> None:
        moved = c.run(f"UPDATE {TRACKING} SET position = ? WHERE name = ? AND position = ? RETURNING position",
                      (end, NAME, start)).one()
        if moved is None:
            raise _Lost()

    def _read(self, start: int, limit: int) -> list[Row]:
        """(position, originator id, version, topic, state) of the events after `start`."""
        if self._select is not None:
            return self._select(start, limit)
        return [(n.id, n.originator_id, n.originator_version, n.topic, n.state)
                for n in self.recorder.select_notifications(start=start, limit=limit, inclusive_of_start=False)]

    def _decode(self, rows: list[Row]) -> list[tuple[int, str, Any]]:
        """(position, topic, event) for each stored event."""
        decode, compressor, cipher = self.mapper.transcoder.decode, self.mapper.compressor, self.mapper.cipher
        decoded = []
        for pos, originator_id, version, topic, data in rows:
            if cipher:
                data = cipher.decrypt(data)
            if compressor:
                data = compressor.decompress(data)
            state = decode(data)
            current = CLASS_VERSIONS.get(topic)
            if current is not None and state.pop("class_version", 1) < current:
                decoded.append((pos, topic, self._upcast(pos, originator_id, version, topic, data)))
                continue
            state["originator_id"] = originator_id
            state["originator_version"] = version
            event = Event()
            event.__dict__ = state
            decoded.append((pos, topic, event))
        return decoded

    def _upcast(self, pos: int, originator_id: Any, version: int, topic: str, data: bytes) -> Any:
        """An event stored by an older version of its class, through its upcasters
        (`data` is already deciphered and decompressed)."""
        if self._upcaster is None:
            self._upcaster = Mapper(transcoder=self.mapper.transcoder)
        return self._upcaster.to_domain_event(Notification(
            id=pos, originator_id=originator_id, originator_version=version, topic=topic, state=data))

    def _apply(self, b: Batch, events: list[tuple[int, str, Any]]) -> None:
        """Each event's history row, told as the event found the register, then every
        read model's handler of its topic in list order."""
        dispatch, record = self._dispatch, history.record
        for pos, topic, event in events:
            try:
                found = dispatch[topic]
            except KeyError:
                found = dispatch[topic] = self._resolve(topic)
            if found is None:
                continue
            kind, describe, handlers = found
            at = stamp(event.timestamp)
            record(b, event, pos, at, kind, describe(b, event))
            for handle in handlers:
                handle(b, event, pos, at)
        b.flush()

    def _resolve(self, topic: str) -> _Route | None:
        if topic.startswith(BOOKKEEPING):
            return None
        return topic.partition(":")[2], describer(topic), self.read_models.handlers(topic)

    def close(self) -> None:
        self.db.close()
