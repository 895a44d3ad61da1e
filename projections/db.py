"""The read models' database: the same store as the events, reached through the
application recorder's own datastore (SQLite file or PostgreSQL schema), or a private
in-memory SQLite database when the events live in memory (POPO, tests only).

SQL in this package is written once, SQLite style (`?` placeholders, bare `read_*`
table names, `COLLATE BINARY` for code point order); `Database.sql` rewrites it for
PostgreSQL (`%s`, schema-qualified names, `COLLATE "C"`) and caches the result, so
handlers never build SQL per event.

A rebuild fills a second generation of the tables beside the ones in use
(`Database.generation`): the same SQL, rewritten to name `read_regions__new` for
`read_regions` and to give its indexes names of their own (index names are unique in
a database or schema, and a table keeps its indexes' names when it is renamed)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from uuid import uuid4

from projections.schema import TABLES, Table

if TYPE_CHECKING:
    from eventsourcing.persistence import ApplicationRecorder

_TABLE = re.compile(r"\bread_")
#: A read model's table (not the tracking table) and an index of one, in a generation.
_GENERATION_TABLE = re.compile(r"\b(read_(?!tracking\b)\w+)")
_GENERATION_INDEX = re.compile(r"\bix_(?=read_)")
#: SQLite connection settings while rebuilding (see `Database.write`).
BULK_PRAGMAS = {"wal_autocheckpoint": 10_000, "cache_size": -32 * 1024}


class Cursor:
    """A thin, dialect-neutral cursor: `run` one statement, `insert` many rows."""

    __slots__ = ("_cursor", "_db")

    def __init__(self, cursor: Any, db: Database) -> None:
        self._cursor = cursor
        self._db = db

    def run(self, statement: str, params: Sequence[Any] = ()) -> Cursor:
        self._cursor.execute(self._db.sql(statement), params)
        return self

    @property
    def dialect(self) -> str:
        return self._db.dialect

    def execute(self, statement: str) -> None:
        """Run a statement as given, not rewritten (its names already in this dialect)."""
        self._cursor.execute(statement)

    def insert(self, table: Table, rows: Sequence[tuple[Any, ...]], upsert: bool = False) -> None:
        if not rows:
            return
        dialect = self._db.dialect
        statement = self._db.sql(table.insert(dialect, upsert))
        if dialect == "postgres":
            self._cursor.execute(statement, [list(column) for column in zip(*rows, strict=True)])
        else:
            self._cursor.executemany(statement, rows)

    def one(self) -> dict[str, Any] | None:
        row = self._cursor.fetchone()
        return None if row is None else dict(row)

    def all(self) -> list[dict[str, Any]]:
        return [dict(row) for row in self._cursor.fetchall()]

    def tuples(self) -> list[tuple[Any, ...]]:
        """The rows as tuples, in the statement's column order."""
        rows = self._cursor.fetchall()
        if rows and isinstance(rows[0], dict):  # PostgreSQL's dict rows
            return [tuple(row.values()) for row in rows]
        return [tuple(row) for row in rows]

    def scalar(self) -> Any:
        row = self._cursor.fetchone()
        return None if row is None else next(iter(dict(row).values()))


class Database:
    """Transactions on the read-model tables. `write()` holds the store's write lock
    on SQLite (BEGIN IMMEDIATE) so two catch-ups never interleave their batches."""

    def __init__(self, datastore: Any, dialect: str, schema: str = "", owned: bool = False,
                 suffix: str = "") -> None:
        self.datastore = datastore
        self.dialect = dialect
        self.owned = owned
        self.schema = schema
        #: What this generation's table names end with ("" for the tables in use).
        self.suffix = suffix
        #: What its index names start with: new for each generation.
        self._index = f"ix_{_token()}_" if suffix else ""
        self._prefix = f'"{schema}".read_' if schema else "read_"
        self._cache: dict[str, str] = {}
        #: How a PostgreSQL read of the read models begins (see `read`): one snapshot for
        #: all its statements, and the tables' share lock.
        self.read_start = ("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ; "
                           + self.sql(f"LOCK TABLE {', '.join(t.name for t in TABLES)} IN ACCESS SHARE MODE"))

    def generation(self, suffix: str) -> Database:
        """The same database, its read-model tables named with `suffix` (the tracking
        table is shared)."""
        return Database(self.datastore, self.dialect, self.schema, suffix=suffix)

    def name(self, table: str) -> str:
        """The name of a read-model table in this generation, as SQL of this dialect."""
        return self.sql(table)

    def sql(self, statement: str) -> str:
        """Rewrite a SQLite-style statement for this dialect and generation (cached)."""
        try:
            return self._cache[statement]
        except KeyError:
            text = statement
            if self.suffix:
                text = _GENERATION_TABLE.sub(rf"\1{self.suffix}", _GENERATION_INDEX.sub(self._index, text))
            if self.dialect == "postgres":
                text = _TABLE.sub(self._prefix, text.replace("?", "%s")).replace("COLLATE BINARY", 'COLLATE "C"')
            self._cache[statement] = text
            return text

    @contextmanager
    def read(self, tables: bool = True) -> Iterator[Cursor]:
        """A consistent snapshot for a query of several statements.

        On PostgreSQL a query of the read models (`tables`) first takes a share lock
        on all of them, in one statement and in the order a rebuild's swap locks them
        (`lock`): it then either reads before the swap or waits for it, never holds one
        table the swap wants while waiting for another the swap holds. SQLite's readers
        see the database as it was when they began, the swap included."""
        if self.dialect == "postgres":
            with self.datastore.transaction(commit=False) as cursor:
                cursor.execute(self.read_start if tables else "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                yield Cursor(cursor, self)
            return
        with self.datastore.transaction(commit=False) as cursor:
            yield Cursor(cursor, self)

    @contextmanager
    def write(self, bulk: bool = False) -> Iterator[Cursor]:
        """A transaction that commits when the block ends and rolls back on error.

        `bulk` is for a rebuild: on SQLite the connection gets a 32 MB page cache and
        checkpoints the WAL every 10,000 pages (about 40 MB) instead of every 1,000, so
        large batches are not cut short by checkpoints and the WAL stays bounded (a WAL
        of gigabytes makes every page read slower). Every commit stays durable (WAL
        with synchronous FULL, as for the events); the connection's own settings are
        restored after."""
        if self.dialect == "postgres":
            with self.datastore.transaction(commit=True) as cursor:
                yield Cursor(cursor, self)
            return
        with self.datastore.get_connection(commit=True) as connection:
            cursor = connection.cursor()
            saved = _pragmas(cursor, BULK_PRAGMAS) if bulk else {}
            try:
                with self._transaction(connection, cursor, "BEGIN IMMEDIATE") as c:
                    yield c
            finally:
                _pragmas(cursor, saved)

    @contextmanager
    def attached(self, uri: str, name: str) -> Iterator[Cursor]:
        """A transaction on this SQLite database with the database at `uri` attached
        as `name` (read on one snapshot of it, as it was when the block first read it)."""
        with self.datastore.get_connection(commit=True) as connection:
            cursor = connection.cursor()
            cursor.execute(f"ATTACH DATABASE ? AS {name}", (uri,))
            try:
                # BEGIN, not IMMEDIATE, which would lock the attached database for writing too
                with self._transaction(connection, cursor, "BEGIN") as c:
                    yield c
            finally:
                cursor.execute(f"DETACH DATABASE {name}")

    @contextmanager
    def _transaction(self, connection: Any, cursor: Any, begin: str) -> Iterator[Cursor]:
        """One SQLite transaction begun by `begin`: committed if the block ends, else rolled back."""
        cursor.execute(begin)
        try:
            yield Cursor(cursor, self)
        except BaseException:
            connection.rollback()
            raise
        connection.commit()

    def checkpoint(self) -> None:
        """Copy the WAL into the database file now (SQLite), without waiting for readers."""
        if self.dialect == "sqlite" and not self.owned:
            with self.datastore.get_connection(commit=True) as connection:
                connection.cursor().execute("PRAGMA wal_checkpoint(PASSIVE)")

    def lock(self, cursor: Cursor) -> None:
        """Lock every read-model table of this generation against readers (PostgreSQL;
        on SQLite the write lock is enough: readers keep their snapshot)."""
        if self.dialect == "postgres":
            cursor.execute(self.sql(f"LOCK TABLE {', '.join(t.name for t in TABLES)} IN ACCESS EXCLUSIVE MODE"))

    def advisory_lock(self, cursor: Cursor) -> None:
        """Serialise schema changes between processes (SQLite: the write lock does)."""
        if self.dialect == "postgres":
            cursor.run("SELECT pg_advisory_xact_lock(7406110)")

    def close(self) -> None:
        if self.owned:
            self.datastore.close()


def _token() -> str:
    """A new random name part (a rebuild's: secrets loads hashlib, which no query needs)."""
    from secrets import token_hex  # noqa: PLC0415 - see above

    return token_hex(4)


def _pragmas(cursor: Any, values: dict[str, int]) -> dict[str, int]:
    """Set SQLite connection settings; return what they were."""
    saved = {}
    for name, value in values.items():
        cursor.execute(f"PRAGMA {name}")
        saved[name] = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA {name} = {int(value)}")
    return saved


def open_database(recorder: ApplicationRecorder) -> Database:
    """The database beside `recorder`'s events."""
    from eventsourcing.sqlite import SQLiteDatastore  # noqa: PLC0415 - a query at the head reads without the library

    datastore = getattr(recorder, "datastore", None)
    if isinstance(datastore, SQLiteDatastore) and not datastore.pool.is_sqlite_memory_mode:
        return Database(datastore, "sqlite")
    # By name: importing eventsourcing.postgres would load psycopg on every SQLite read.
    if datastore is not None and type(datastore).__name__ == "PostgresDatastore":
        return Database(datastore, "postgres", schema=datastore.schema)
    return memory_database()


def memory_database() -> Database:
    """A private shared-cache in-memory SQLite database; it lives while its pool does."""
    from eventsourcing.sqlite import SQLiteDatastore  # noqa: PLC0415 - a query at the head reads without the library

    name = f"file:near-reads-{uuid4().hex}?mode=memory&cache=shared"
    return Database(SQLiteDatastore(name), "sqlite", owned=True)

