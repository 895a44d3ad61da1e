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

Events are decoded by the library's own `Mapper` with the application's transcoder
(and compressor and cipher, if any): upcasters run, but fields are not validated
again, so a date or an id arrives as its JSON text. Every stored event was validated
when it was written; validating it again on every read would more than double the
cost of a rebuild."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from eventsourcing.persistence import ApplicationRecorder, Mapper

from projections import assemblies, cases, charter, committees, history, membership
from projections.batch import Batch
from projections.common import Note, stamp
from projections.db import Cursor, Database, open_database
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
REBUILD_BATCH = 5000

Handler = Callable[[Batch, Any, int, str], Note]
Progress = Callable[[int, int], None]

HANDLERS: dict[type, Handler] = {
    **membership.HANDLERS, **assemblies.HANDLERS, **committees.HANDLERS,
    **charter.HANDLERS, **cases.HANDLERS, **history.HANDLERS,
}

#: Modules whose aggregates are bookkeeping (name index, reference counters).
BOOKKEEPING = ("domain.indexes",)


class _Lost(Exception):
    """Another process applied the batch first."""


def _other(b: Batch, e: Any, pos: int, at: str) -> Note:
    """An event no read model knows yet: it still appears in the history."""
    return Note(getattr(e, "reference", None) or getattr(e, "name", None))


class Projector:
    def __init__(self, recorder: ApplicationRecorder, mapper: Mapper[Any],
                 database: Database | None = None) -> None:
        self.recorder = recorder
        self.decoder: Mapper[Any] = Mapper(transcoder=mapper.transcoder, compressor=mapper.compressor,
                                           cipher=mapper.cipher)
        self.db = database or open_database(recorder)
        self._dispatch: dict[type, tuple[Handler, str] | None] = {}
        self._ready = False

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
        if row is None or row["version"] != VERSION:
            with self.db.write() as c:
                self.db.advisory_lock(c)
                c.run(CREATE_TRACKING)
                row = c.run(f"SELECT version FROM {TRACKING} WHERE name = ?", (NAME,)).one()
                # Another process may have set the tables up meanwhile: then there is
                # nothing to do (and running DDL here would lock against its catch-up).
                if row is None or row["version"] != VERSION:
                    self._reset(c)
        self._ready = True

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
        handled = 0
        while True:
            start = self.position()
            notifications = self.recorder.select_notifications(start=start, limit=batch, inclusive_of_start=False)
            if not notifications:
                return handled
            end = notifications[-1].id
            decode = self.decoder.to_domain_event
            events = [(n.id, decode(n)) for n in notifications]
            try:
                with self.db.write(bulk) as c:
                    self._advance(c, start, end)
                    self._apply(c, events)
            except _Lost:
                continue
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

    def _apply(self, c: Cursor, events: list[tuple[int, Any]]) -> None:
        b = Batch(c)
        dispatch = self._dispatch
        for pos, event in events:
            cls = type(event)
            try:
                found = dispatch[cls]
            except KeyError:
                found = dispatch[cls] = self._resolve(cls)
            if found is None:
                continue
            handler, kind = found
            at = stamp(event.timestamp)
            history.record(b, event, pos, at, kind, handler(b, event, pos, at))
        b.flush()

    @staticmethod
    def _resolve(event_class: type) -> tuple[Handler, str] | None:
        if event_class.__module__ in BOOKKEEPING:
            return None
        return HANDLERS.get(event_class, _other), event_class.__qualname__

    def close(self) -> None:
        self.db.close()
