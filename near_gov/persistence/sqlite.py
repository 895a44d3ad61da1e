"""The SQLite store: a file only its owner reads, durable commits, and a recorder that
saves a command's snapshots with its events and loads an aggregate in one read.

Library internals used here (each pinned in tests/test_library_contract.py):
- `SQLiteConnectionPool._create_connection`, extended: `synchronous=FULL` on every
  connection (WAL's default, NORMAL, may lose the last commits on power failure).
- `SQLiteDatastore.__init__` builds its pool itself, with no hook for the pool's class:
  `DurableSQLiteDatastore` builds the same datastore with the durable pool (its
  constructor restates the library's three assignments; the pin fingerprints them).
- `SQLiteFactory.__init__` builds a `SQLiteDatastore`: `DurableSQLiteFactory` builds the
  durable one from the same settings, and names its recorder by the library's hook,
  `application_recorder_class`.
- `SQLiteApplicationRecorder._insert_events`, extended: the `snapshots` keyword of
  `insert_events` inserts snapshots on the same cursor, in the same transaction.
- `select_events` restated (`select_events_statement`, columns by position) to read on
  the calling thread's own connection rather than through the pool.
- `SQLiteFactory.aggregate_recorder` and `application_recorder`, extended for a store
  opened read-only (`persistence.opening`): a table the file does not have (the chain
  index of a register never sealed, say) cannot be created there, so it reads as empty,
  from a private in-memory table.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Literal
from uuid import UUID, uuid4

from eventsourcing.persistence import AggregateRecorder, ApplicationRecorder, StoredEvent
from eventsourcing.sqlite import (
    SQLiteAggregateRecorder,
    SQLiteApplicationRecorder,
    SQLiteConnection,
    SQLiteConnectionPool,
    SQLiteCursor,
    SQLiteDatastore,
    SQLiteFactory,
)

from near_gov.persistence.opening import EVENTS_TABLE
from near_gov.persistence.stores import prepare_sqlite_file


class DurableSQLiteConnectionPool(SQLiteConnectionPool):
    """Connections with `synchronous=FULL`; the pragma is per connection, so it is set
    on each one as it is created."""

    def _create_connection(self) -> SQLiteConnection:
        connection = super()._create_connection()
        connection.cursor().execute("PRAGMA synchronous=FULL;")
        return connection


class DurableSQLiteDatastore(SQLiteDatastore):
    """The library's datastore on a `DurableSQLiteConnectionPool`, its file prepared
    (0600 in a 0700 directory) before any connection opens it. A URI (`file:...?mode=rw`
    or `mode=ro`) names a file that exists, and that SQLite must not create."""

    def __init__(self, db_name: str, *, lock_timeout: int | None = None,
                 single_row_tracking: bool = True, originator_id_type: Literal["uuid", "text"] = "uuid") -> None:
        self.pool = DurableSQLiteConnectionPool(db_name=db_name, lock_timeout=lock_timeout)  # opens nothing yet
        if not db_name.startswith("file:"):
            prepare_sqlite_file(db_name)
        self.single_row_tracking = single_row_tracking
        self.originator_id_type = originator_id_type


class SQLiteCommandRecorder(SQLiteApplicationRecorder):
    """The library's SQLite recorder, also inserting the snapshots a command takes (the
    `snapshots` keyword of `insert_events`) in the transaction of its events: one commit,
    one fsync, and no snapshot without the events it follows.

    Reads of an aggregate's events are single SELECT statements, each atomic on its own
    (autocommit), on a connection of the calling thread's own that only reads: no
    BEGIN ... ROLLBACK around them and no trip through the library's connection pool
    (which a command otherwise pays two or three times). `select_latest` reads what
    loading an aggregate needs, its last snapshot and the events after it, with the head
    of the log (`persistence.repository` tells by it whether cached aggregates are
    current); `select_head` reads the head alone."""

    takes_snapshots = True

    def __init__(self, datastore: SQLiteDatastore, events_table_name: str = "stored_events") -> None:
        super().__init__(datastore, events_table_name)
        self.snapshot_recorder = SQLiteAggregateRecorder(
            datastore, events_table_name=events_table_name.removesuffix("_events") + "_snapshots")
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()
        snapshots, events = self.snapshot_recorder.events_table_name, self.events_table_name
        # Rows (part, version, topic, state): the latest snapshot (part 0), the events after
        # it (1), and the head of the log (2: its highest notification id as version).
        self._select_latest = (
            "SELECT 0, originator_version, topic, state FROM (SELECT originator_version, topic, state "
            f"FROM {snapshots} WHERE originator_id=?1 ORDER BY originator_version DESC LIMIT 1) "
            f"UNION ALL SELECT 1, originator_version, topic, state FROM {events} WHERE originator_id=?1 "
            f"AND originator_version>COALESCE((SELECT MAX(originator_version) FROM {snapshots} "
            "WHERE originator_id=?1), 0) "
            f"UNION ALL SELECT 2, MAX(rowid), NULL, NULL FROM {events}")
        self._select_head = f"SELECT MAX(rowid) FROM {events}"

    def create_table(self) -> None:
        super().create_table()
        self.snapshot_recorder.create_table()

    @contextmanager
    def _reading(self) -> Iterator[Any]:
        """Something to run one SELECT on: this thread's reader, or a connection from
        the pool for an in-memory database (which another connection cannot see)."""
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

    def select_latest(self, originator_id: UUID) -> tuple[StoredEvent | None, list[StoredEvent], int]:
        """The latest snapshot of an aggregate (or None), its events after it, and the head
        of the log (the highest notification id, 0 if none), all as of one moment: one
        SELECT statement, which SQLite runs on one read snapshot of the database."""
        with self._reading() as reader:
            rows = reader.execute(self._select_latest, (originator_id.hex,)).fetchall()
        snapshot, events, head = None, [], 0
        for part, version, topic, state in rows:
            if part == 1:
                events.append(StoredEvent(originator_id, version, topic, state))
            elif part == 0:
                snapshot = StoredEvent(originator_id, version, topic, state)
            else:
                head = version or 0
        events.sort(key=_version)  # (SQL gives no order without ORDER BY; these come sorted)
        return snapshot, events, head

    def select_head(self) -> int:
        """The head of the log: its highest notification id, 0 if none."""
        with self._reading() as reader:
            ((head,),) = reader.execute(self._select_head).fetchall()
        return head or 0

    def _insert_events(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], *,
                       snapshots: Sequence[StoredEvent] | None = None, **kwargs: Any) -> Sequence[int] | None:
        ids = super()._insert_events(c, stored_events, **kwargs)
        if snapshots:
            self.snapshot_recorder._insert_events(c, snapshots)
        return ids


def _version(event: StoredEvent) -> int:
    return event.originator_version


class DurableSQLiteFactory(SQLiteFactory):
    """The library's SQLite factory, on a `DurableSQLiteDatastore`, recording with
    `SQLiteCommandRecorder`; on a file opened read-only (env `SQLITE_READ_ONLY`), a
    recorder whose table the file lacks reads an empty table in memory instead."""

    application_recorder_class = SQLiteCommandRecorder

    def __init__(self, env: Any) -> None:
        super().__init__(env)
        library = self.datastore  # built from env and checked; it has opened no connection
        self.datastore = DurableSQLiteDatastore(
            library.pool.db_name, lock_timeout=library.pool.lock_timeout,
            single_row_tracking=library.single_row_tracking, originator_id_type=library.originator_id_type)
        library.close()
        self.read_only = self.env.get("SQLITE_READ_ONLY", "") == "y"
        self._empty: list[SQLiteDatastore] = []

    def aggregate_recorder(self, purpose: str = "events") -> AggregateRecorder:
        if self.read_only and not self._has_table("stored_" + purpose):
            recorder = SQLiteAggregateRecorder(self._empty_datastore(), events_table_name="stored_" + purpose)
            recorder.create_table()
            return recorder
        return super().aggregate_recorder(purpose)

    def application_recorder(self) -> ApplicationRecorder:
        if self.read_only and not self._has_table(EVENTS_TABLE):
            recorder = SQLiteCommandRecorder(self._empty_datastore())
            recorder.create_table()
            return recorder
        return super().application_recorder()

    def _has_table(self, name: str) -> bool:
        with self.datastore.transaction(commit=False) as c:
            c.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,))
            return c.fetchone() is not None

    def _empty_datastore(self) -> SQLiteDatastore:
        datastore = SQLiteDatastore(f"file:near-gov-empty-{uuid4().hex}?mode=memory&cache=shared")
        self._empty.append(datastore)
        return datastore

    def close(self) -> None:
        for datastore in self._empty:
            datastore.close()
        super().close()
