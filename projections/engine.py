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
not pay for building them, and a rebuild does not pay for resolving them (nor for
decoding bookkeeping events, which no read model reads). An event stored by an older
version of its class (`CLASS_VERSIONS`) is decoded by the library's `Mapper` instead,
which imports its class and runs the class's upcasters, and then handed on as plain
data like the others. Fields are
not validated again, so a date or an id arrives as its JSON text: every stored event
was validated when it was written, and validating it again on every read would more
than double the cost of a rebuild.

An event that cannot be read (its state is not JSON, its topic names no event type
near-gov knows, a handler reads a field it lacks or a record it never created) was
changed outside near-gov. It stops catch-up there: the events before it are applied,
the tracking row keeps the position before it and says why (`error`, shown by
`status`), and `UnreadableEvent` (an IntegrityFailure, exit 4) names it.

A rebuild never touches the read models in use: it fills a second generation of the
tables (`read_*__new`, tracked as `register__new`) and swaps it in with one
transaction (`projections.generations`), so readers answer during a rebuild, after one
that failed or was killed, and from the new tables once it has completed.

A store opened read-only (`read_only`) cannot be caught up in place. Its read models
answer as they are while they are at the log's head; when they are behind, they are
copied into a private in-memory database and caught up there, so the answer is the
whole log's and the store is left untouched (where the store has no read models of
this VERSION, they are built in memory from the whole log, the one case in which a
read replays it). So is a store whose role may not write the read models (PostgreSQL:
`projections.access.may_write`).

Each event carries the database role that wrote it (`db_role`, PostgreSQL; None
elsewhere), read with the event (`projections.access.row_reader`) and set on the
decoded event after its stored fields, so that no field a client stored can stand in
for it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn

from eventsourcing.persistence import ApplicationRecorder, Mapper, Notification

from projections import access, assemblies, cases, charter, committees, counts, generations, history, membership
from projections.batch import Batch, MissingRecord
from projections.common import stamp
from projections.db import Cursor, Database, open_database
from projections.describe import DESCRIBE, Describer, describer
from projections.events import Event, Unreadable, UnreadableEvent
from projections.generations import NAME, NEW, REBUILDING
from projections.registry import Handler, Registry
from projections.schema import CREATE_TRACKING, TABLES, TRACKING, VERSION

#: Events per transaction when catching up (a read after a few commands needs one).
BATCH = 500
#: Events per transaction when rebuilding: fewer commits, memory still bounded.
REBUILD_BATCH = 10_000
#: Rows and look-ups a batch may hand on to the next (about 1 kB each).
KEEP = 100_000

Progress = Callable[[int, int], None]

#: The read models, in the order their handlers of one event run. Cases name the
#: regions they concern, so they follow membership.
READ_MODELS = Registry(membership.MODEL, assemblies.MODEL, committees.MODEL, charter.MODEL, cases.MODEL,
                       counts.MODEL)

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


#: What the engine does with an event of one topic: the topic, its kind (`Class.Event`)
#: for the history, how the history describes it, and the read models' handlers of it.
_Route = tuple[str, str, Describer, tuple[Handler, ...]]
#: The route of a topic no read model and no describer knows.
_UNKNOWN: _Route = ("", "", describer(""), ())
#: (position, route, event) of an event to apply.
_Decoded = tuple[int, _Route, Any]


class _Lost(Exception):
    """Another process applied the batch first."""


class _Gone(Exception):
    """The generation's tracking row is gone: another rebuild swapped its tables in."""


class Projector:
    def __init__(self, recorder: ApplicationRecorder, mapper: Mapper[Any],
                 database: Database | None = None, read_models: Registry = READ_MODELS,
                 name: str = NAME, read_only: bool = False) -> None:
        self.recorder = recorder
        #: The generation's tracking row: NAME for the read models in use.
        self.name = name
        self.mapper = mapper
        self.read_models = read_models
        self._upcaster: Mapper[Any] | None = None
        self.db = database or open_database(recorder)
        self._dispatch: dict[str, _Route | None] = {}
        #: The last batch applied by this process and the position it left: the next
        #: batch starting there starts from its memory (nobody else wrote since, or the
        #: tracking row would have moved).
        self._kept: tuple[int, Batch] | None = None
        self._select = access.row_reader(recorder)
        self._ready = False
        #: Whether the read models are read in a store opened read-only (not yet copied).
        self._read_only_store = not self.db.owned and (read_only or not access.may_write(self.db))

    # Tables and tracking.

    def setup(self) -> None:
        """Create the tables once; drop and refill them if their VERSION changed."""
        if self._ready:
            return
        try:
            with self.db.read(tables=False) as c:
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
                    # The tracking table of an older version may lack columns.
                    c.run(f"DROP TABLE {TRACKING}")
                    c.run(CREATE_TRACKING)
                    generations.reset(c, NAME)
        self._ready = True

    def _into_memory(self, copy: bool) -> None:
        """Go on in a private in-memory database: with a copy of the store's read
        models and their position (`copy`), or empty, from the log's start."""
        memory = access.into_memory(self.db, copy)
        self.db.close()
        self.db, self._kept, self._read_only_store, self._ready = memory, None, False, True

    def position(self) -> int:
        self.setup()
        with self.db.read(tables=False) as c:
            return c.run(f"SELECT position FROM {TRACKING} WHERE name = ?", (self.name,)).scalar() or 0

    def head(self) -> int:
        return self.recorder.max_notification_id() or 0

    def status(self) -> list[dict[str, Any]]:
        """The read models' position against the log's head, whether they are stale (an
        event stopped them) and why, and the state of a rebuild that has not completed
        (running, killed, or stopped by an event: the next rebuild starts again)."""
        self.setup()
        with self.db.read(tables=False) as c:
            rows = {r["name"]: r for r in c.run(f"SELECT name, position, error FROM {TRACKING} "
                                                "WHERE name IN (?, ?)", (NAME, REBUILDING)).all()}
        head = self.head()
        live, new = rows.get(NAME, {"position": 0, "error": None}), rows.get(REBUILDING)
        return [{"name": NAME, "position": live["position"], "head": head, "behind": head - live["position"],
                 "stale": live["error"] is not None, "error": live["error"],
                 "rebuild": None if new is None else {"position": new["position"], "error": new["error"]},
                 "read_models": [t.name.removeprefix("read_") for t in TABLES]}]

    # Catching up.

    def catch_up(self, batch: int = BATCH, progress: Progress | None = None, total: int = 0,
                 bulk: bool = False) -> int:
        """Apply the events after the tracking position; return how many were handled.
        Raises UnreadableEvent at an event that cannot be read, after applying those before it."""
        self.setup()
        if self._read_only_store and self.position() != self.head():
            self._into_memory(copy=True)
        handled = 0
        while True:
            try:
                start = self._tracked()
            except _Gone:
                if self.name != NAME:
                    raise
                self._ready = False  # the row was deleted outside near-gov: set it up again
                self.setup()
                continue
            rows = self._read(start, batch)
            if not rows:
                return handled
            events, fault = self._decode(rows)
            try:
                try:
                    self._commit(start, rows[-1][0] if fault is None else fault.position - 1, events, bulk)
                except Unreadable as found:  # by a handler: apply the events before it
                    fault, events = found, [e for e in events if e[0] < found.position]
                    self._commit(start, found.position - 1, events, bulk)
            except _Lost:
                continue
            if fault is not None:
                self._stop(fault, max(start, fault.position - 1))
            handled += len(rows)
            end = rows[-1][0]
            if progress:
                progress(end, max(total, end))
            if len(rows) < batch:
                return handled

    def rebuild(self, progress: Progress | None = None) -> int:
        """Fill a new generation of every read model from the whole log, batch by batch,
        and swap it in; the read models in use answer until then, and stay if it fails.
        Query-only indexes are built once at the end, which is faster than keeping
        them up to date row by row."""
        self.setup()
        new = self.db.generation(NEW)
        with new.write() as c:
            self.db.advisory_lock(c)
            generations.reset(c, REBUILDING, query_indexes=False)  # and drop a killed rebuild's tables
        builder = Projector(self.recorder, self.mapper, new, self.read_models, name=REBUILDING)
        builder._ready, builder._dispatch, builder._upcaster = True, self._dispatch, self._upcaster
        try:
            handled = builder.catch_up(REBUILD_BATCH, progress, self.head(), bulk=True)
        except UnreadableEvent as e:
            raise UnreadableEvent(e.fault, "the rebuild stopped there and the read models in use are kept") from None
        except _Gone:  # another rebuild swapped the tables this one was filling in
            return 0
        self._kept = builder._kept if generations.swap(self.db, new) else None
        self.db.checkpoint()
        return handled

    def _tracked(self) -> int:
        """The generation's position (raises _Gone if its row is gone)."""
        with self.db.read(tables=False) as c:
            position = c.run(f"SELECT position FROM {TRACKING} WHERE name = ?", (self.name,)).scalar()
        if position is None:
            raise _Gone()
        return int(position)

    def _commit(self, start: int, end: int, events: list[_Decoded], bulk: bool) -> None:
        """Apply `events` and move the tracking row from `start` to `end`, in one transaction."""
        kept, self._kept = self._kept, None
        if end <= start:
            return
        b = kept[1] if kept is not None and kept[0] == start else Batch()
        with self.db.write(bulk) as c:
            self._advance(c, start, end)
            b.cursor = c
            self._apply(b, events)
        b.trim(KEEP)
        self._kept = (end, b)

    def _advance(self, c: Cursor, start: int, end: int) -> None:
        moved = c.run(f"UPDATE {TRACKING} SET position = ?, error = NULL WHERE name = ? AND position = ? "
                      "RETURNING position", (end, self.name, start)).one()
        if moved is None:
            raise _Lost()

    def _stop(self, fault: Unreadable, at: int) -> NoReturn:
        """Record why the read models stay at `at` (unless another process moved them), and say so."""
        self._kept = None
        with self.db.write() as c:
            c.run(f"UPDATE {TRACKING} SET error = ? WHERE name = ? AND position = ?", (str(fault), self.name, at))
        raise UnreadableEvent(str(fault), "the read models stop before it")

    def _read(self, start: int, limit: int) -> list[access.Row]:
        """(position, originator id, version, topic, state, db role) of the events after `start`."""
        return self._select(start, limit)

    def _decode(self, rows: list[access.Row]) -> tuple[list[_Decoded], Unreadable | None]:
        """(position, route, event) of each stored event the read models apply (bookkeeping
        is left undecoded), up to the first that cannot be decoded, and why that one cannot."""
        decode, compressor, cipher = self.mapper.transcoder.decode, self.mapper.compressor, self.mapper.cipher
        dispatch = self._dispatch
        decoded: list[_Decoded] = []
        for pos, originator_id, version, topic, data, db_role in rows:
            try:
                route = dispatch[topic]
            except KeyError:
                route = dispatch[topic] = self._resolve(topic)
            if route is None:
                continue
            if route is _UNKNOWN:
                return decoded, Unreadable(pos, topic, "its topic names no event type near-gov knows")
            try:
                if cipher:
                    data = cipher.decrypt(data)
                if compressor:
                    data = compressor.decompress(data)
                state = decode(data)
            except Exception:  # noqa: BLE001 - whatever the bytes are, they are no event
                return decoded, Unreadable(pos, topic, "its state is not JSON")
            if type(state) is not dict:
                return decoded, Unreadable(pos, topic, "its state is not a JSON object")
            current = CLASS_VERSIONS.get(topic)
            if current is not None and state.pop("class_version", 1) < current:
                try:
                    upcast = self._upcast(pos, originator_id, version, topic, data)
                except Exception as e:  # noqa: BLE001 - the library's upcasters raise anything
                    return decoded, Unreadable(pos, topic, f"it cannot be upgraded to its class's "
                                                            f"current version ({type(e).__name__}: {e})")
                upcast.__dict__["db_role"] = db_role
                decoded.append((pos, route, upcast))
                continue
            state["originator_id"] = originator_id
            state["originator_version"] = version
            state["db_role"] = db_role
            event = Event()
            event.__dict__ = state
            decoded.append((pos, route, event))
        return decoded, None

    def _upcast(self, pos: int, originator_id: Any, version: int, topic: str, data: bytes) -> Event:
        """An event stored by an older version of its class, through its upcasters
        (`data` is already deciphered and decompressed)."""
        if self._upcaster is None:
            self._upcaster = Mapper(transcoder=self.mapper.transcoder)
        upcast = self._upcaster.to_domain_event(Notification(
            id=pos, originator_id=originator_id, originator_version=version, topic=topic, state=data))
        event = Event()  # as plain data, like the others
        event.__dict__ = dict(vars(upcast))
        return event

    def _apply(self, b: Batch, events: list[_Decoded]) -> None:
        """Each event's history row, told as the event found the register, then every
        read model's handler of its topic in list order."""
        record = history.record
        pos, route, event = 0, _UNKNOWN, None
        try:
            for pos, route, event in events:
                _, kind, describe, handlers = route
                at = stamp(event.timestamp)
                record(b, event, pos, at, kind, describe(b, event))
                for handle in handlers:
                    handle(b, event, pos, at)
        except AttributeError as e:
            if e.obj is not event:  # not a field of the event: a fault of near-gov's
                raise
            raise Unreadable(pos, route[0], f"it has no field {e.name!r}") from None
        except MissingRecord as e:
            raise Unreadable(pos, route[0], str(e)) from None
        b.flush()

    def _resolve(self, topic: str) -> _Route | None:
        """The route of `topic`; None for bookkeeping, _UNKNOWN for no known event type."""
        if topic.startswith(BOOKKEEPING):
            return None
        handlers = self.read_models.handlers(topic)
        if topic not in DESCRIBE and not handlers:
            return _UNKNOWN
        return topic, topic.partition(":")[2], describer(topic), handlers

    def close(self) -> None:
        self.db.close()
