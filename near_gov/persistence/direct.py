"""The read models read straight from the store, without the library, for a query that
finds them at the log's head: a plain connection (sqlite3, or psycopg for PostgreSQL)
to the tables the library made, so that a query from the command line imports neither
eventsourcing nor pydantic (nor psycopg, on SQLite), which are most of its start-up.

A query runs in one read transaction that first checks the read models: their
tracking row is of this VERSION, records no error and has reached the events table's
last notification id. Then they hold every event, exactly what catching up would give,
and the query reads them in the same snapshot. Otherwise (`Behind`: read models behind
the log, missing, of an older VERSION, or tables this connection cannot read) nothing
is answered, and the caller goes the library's way, which catches up first. Nothing
is written here, so a role or a file that may only read is read the same way.

The tables are named as the library names them (`sqlite`, `postgres`): the events in
`stored_events` in a SQLite file, and in `<application name>_events` in the store's
schema on PostgreSQL, where the read models' tables are in that schema too. Where the
environment holds settings of the library's own (POSTGRES_*, SQLITE_*, or the
application's), which might name other tables, the store is read through the library."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar
from urllib.parse import quote

from near_gov.persistence.opening import EVENTS_TABLE
from near_gov.persistence.stores import CONNECT_TIMEOUT, LOCK_TIMEOUT, Store, StoreUnavailable, unreachable
from projections.db import Cursor, Database
from projections.generations import NAME
from projections.schema import TRACKING, VERSION

T = TypeVar("T")


class Behind(Exception):
    """Raised when the read models cannot answer as they are: behind the log, missing,
    of an older VERSION, or not readable here. The library's way catches them up."""


class Direct:
    """Answers queries from a store's read models at the log's head (`answer`)."""

    def __init__(self, connection: Any, db: Database, head: str, errors: type[Exception]) -> None:
        self._connection = connection
        self._db = db
        #: The statement that reads the log's last notification id.
        self._head = head
        #: The driver's errors: met while checking, the read models are not read here.
        self._errors = errors
        self._check = db.sql(f"SELECT version, position, error FROM {TRACKING} WHERE name = ?")

    def answer(self, query: Callable[[Cursor], T]) -> T:
        """`query` on one snapshot of the read models, if they are at the log's head;
        else Behind (and nothing is read)."""
        with self._transaction() as cursor:
            c = Cursor(cursor, self._db)
            try:
                if self._db.dialect == "postgres":  # as `Database.read` begins, in one round trip
                    cursor.execute(self._db.read_start)
                cursor.execute(self._check, (NAME,))
                row = c.one()
                cursor.execute(self._head)
                head = c.scalar() or 0
            except self._errors:
                raise Behind() from None
            if row is None or row["version"] != VERSION or row["error"] is not None or row["position"] != head:
                raise Behind()
            return query(c)

    @contextmanager
    def _transaction(self) -> Iterator[Any]:
        """A read transaction, rolled back at the end (PostgreSQL: REPEATABLE READ, one
        snapshot for all its statements, set by `answer`; SQLite: a WAL reader's snapshot)."""
        if self._db.dialect == "postgres":
            with self._connection.transaction(force_rollback=True):
                yield self._connection.cursor()  # begun by `answer`
            return
        cursor = self._connection.cursor()
        cursor.execute("BEGIN")
        try:
            yield cursor
        finally:
            self._connection.rollback()
            cursor.close()

    def close(self) -> None:
        self._connection.close()


def connect(store: Store, application: str) -> Direct | None:
    """A plain connection to `store`'s read models; None where the store is read only
    through the library (memory, or library settings in the environment). Raises
    StoreUnavailable, as the library's way would, where a PostgreSQL server refuses
    or cannot be reached."""
    if _library_settings(application):
        return None
    if store.kind == "sqlite" and store.path is not None:
        return _sqlite(store)
    if store.kind == "postgres":
        return _postgres(store, application)
    return None


def _library_settings(application: str) -> bool:
    prefixes = ("POSTGRES_", "SQLITE_", "PERSISTENCE_", f"{application.upper()}_")
    return any(name.startswith(prefixes) for name in os.environ)


def _sqlite(store: Store) -> Direct | None:
    """The file as the library opens it for this store (`Store.env`), never created here:
    where the library would create it, it is opened only if it exists."""
    name = store.env()["SQLITE_DBNAME"]
    if not name.startswith("file:"):
        name = f"file:{quote(name)}?mode=rw"
    try:
        connection = sqlite3.connect(name, uri=True, isolation_level=None, timeout=LOCK_TIMEOUT)
    except sqlite3.Error:
        return None  # the library's way says what is wrong
    connection.row_factory = sqlite3.Row
    return Direct(connection, Database(None, "sqlite"), f"SELECT MAX(rowid) FROM {EVENTS_TABLE}", sqlite3.Error)


def _postgres(store: Store, application: str) -> Direct:
    import psycopg  # noqa: PLC0415 - only for a PostgreSQL store
    from psycopg.rows import dict_row  # noqa: PLC0415 - likewise

    try:
        connection = psycopg.connect(host=store.host, port=store.port, user=store.user, password=store.password,
                                     dbname=store.dbname, connect_timeout=CONNECT_TIMEOUT, autocommit=True,
                                     row_factory=dict_row)
    except psycopg.OperationalError as e:
        raise StoreUnavailable(unreachable(store, str(e), store.password)) from None
    schema = store.schema or "public"
    head = f'SELECT MAX(notification_id) FROM "{schema}"."{application.lower()}_events"'
    return Direct(connection, Database(None, "postgres", schema=schema), head, psycopg.Error)
