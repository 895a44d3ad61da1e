"""How the read models reach the store beyond their own tables: reading the stored
events (with the database role that wrote each, where the database records it),
telling whether this connection's role may write the read models, and copying them
into memory for a role or a file that may only read.

On PostgreSQL the events table records who inserted each event (`db_role`, set by
the database: `near_gov.persistence.postgres`); the engine hands it on with the event
to the history. SQLite and memory record no role: it is None there.

A role that may only read (`near-gov store grant ROLE --read`) cannot catch the read
models up in place; the engine then answers from them as they are while they are at the
log's head, and otherwise from a private in-memory copy caught up there, as it does for
a SQLite file opened read-only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from eventsourcing.persistence import ApplicationRecorder

from projections.db import Database, memory_database
from projections.generations import NAME, reset
from projections.schema import CREATE_TRACKING, TABLES, TRACKING

#: (position, originator id, originator version, topic, state, database role) of a stored event.
Row = tuple[Any, ...]
Reader = Callable[[int, int], list[Row]]


def row_reader(recorder: ApplicationRecorder) -> Reader:
    """`select(start, limit)`: the stored events after position `start`, as tuples.

    SQLite and PostgreSQL are read straight from the recorder's table (the library's
    `select_notifications` makes an object and a UUID of each, which the read models
    then take apart again, and it does not read `db_role`); any other recorder
    through the library."""
    datastore, table = getattr(recorder, "datastore", None), getattr(recorder, "events_table_name", None)
    # by name (importing eventsourcing.postgres loads psycopg), along the class's bases:
    # near-gov's stores subclass the library's datastores
    kinds = {cls.__name__ for cls in type(datastore).__mro__}
    if table is not None and "SQLiteDatastore" in kinds:
        return _sqlite_reader(datastore, table)
    if table is not None and "PostgresDatastore" in kinds:
        return _postgres_reader(datastore, table)

    def select(start: int, limit: int) -> list[Row]:
        return [(n.id, n.originator_id, n.originator_version, n.topic, n.state, None)
                for n in recorder.select_notifications(start=start, limit=limit, inclusive_of_start=False)]

    return select


def _sqlite_reader(datastore: Any, table: str) -> Reader:
    statement = (f"SELECT rowid, originator_id, originator_version, topic, state, NULL FROM {table} "
                 "WHERE rowid > ? ORDER BY rowid LIMIT ?")

    def select(start: int, limit: int) -> list[Row]:
        with datastore.transaction(commit=False) as c:
            c.row_factory = None  # plain tuples
            c.execute(statement, (start, limit))
            return c.fetchall()  # type: ignore[no-any-return]

    return select


def _postgres_reader(datastore: Any, table: str) -> Reader:
    statement = (f'SELECT notification_id, originator_id, originator_version, topic, state, db_role '
                 f'FROM "{datastore.schema}"."{table}" WHERE notification_id > %s ORDER BY notification_id LIMIT %s')

    def select(start: int, limit: int) -> list[Row]:
        with datastore.transaction(commit=False) as c:
            c.execute(statement, (start, limit), prepare=True)
            return [(r["notification_id"], r["originator_id"], r["originator_version"], r["topic"],
                     bytes(r["state"]), r["db_role"]) for r in c.fetchall()]

    return select


def may_write(db: Database) -> bool:
    """Whether this connection's role may catch the read models up (PostgreSQL: UPDATE on
    the tracking table, or, before there is one, CREATE in the schema; elsewhere, yes:
    a SQLite file that may not be written is opened read-only and said so)."""
    if db.dialect != "postgres":
        return True
    with db.read(tables=False) as c:
        return bool(c.run(
            "SELECT CASE WHEN to_regclass(?) IS NULL THEN has_schema_privilege(?, 'CREATE') "
            "ELSE has_table_privilege(?, 'UPDATE') END AS may",
            (db.name(TRACKING), db.schema or "public", db.name(TRACKING))).scalar())


def into_memory(db: Database, copy: bool) -> Database:
    """A private in-memory database with a copy of `db`'s read models and their position
    (`copy`), or with empty read models at position 0."""
    memory = memory_database()
    with memory.write() as c:  # before the store is attached, where unqualified names could reach it
        c.run(CREATE_TRACKING)
        reset(c, NAME)
    if not copy:
        return memory
    if db.dialect == "sqlite":
        with memory.attached(db.datastore.pool.db_name, "store") as c:
            for table in TABLES:
                columns = ", ".join(table.names)
                c.run(f"INSERT INTO main.{table.name} ({columns}) SELECT {columns} FROM store.{table.name}")
            c.run(f"UPDATE main.{TRACKING} SET position = (SELECT position FROM store.{TRACKING} "
                  "WHERE name = ?) WHERE name = ?", (NAME, NAME))
        return memory
    with db.read() as source, memory.write() as c:  # one snapshot of the store's read models
        for table in TABLES:
            c.insert(table, source.run(f"SELECT {', '.join(table.names)} FROM {table.name}").tuples())
        position = source.run(f"SELECT position FROM {TRACKING} WHERE name = ?", (NAME,)).scalar()
        c.run(f"UPDATE {TRACKING} SET position = ? WHERE name = ?", (position or 0, NAME))
    return memory
