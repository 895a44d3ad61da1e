"""The PostgreSQL store: its schema created on first use, tables set up one process at
a time, and a recorder that saves a command's snapshots with its events and loads an
aggregate in one round trip. Imported only for a PostgreSQL store (it loads psycopg).

Library internals used here (each pinned in tests/test_library_contract.py):
- `PostgresApplicationRecorder._insert_stored_events`, extended: the `snapshots`
  keyword of `insert_events` inserts snapshots after the events, under the table lock
  the library takes, in the same transaction (and pipeline), on another cursor (the
  library reads the events' notification ids from its own).
- `PostgresDatastore.schema` and `enable_db_functions`: the schema to create and query;
  with the stored-function insert there is no hook, so snapshots go the library's way.
- `PostgresFactory.application_recorder_class`, the library's hook for the recorder.
- `BasePostgresFactory.env_create_table`, asked by the library's factory methods whether
  to create a recorder's tables: only where they are not set up yet (`_set_up`).

Tables are created, under a lock, only where they are missing: a role that may only
read or append (`near-gov store grant`) may create nothing, and an application that
finds its tables set up opens without taking any lock.

Who wrote each event, from the database (`db_role`): the events table has a column
`db_role` that a trigger sets, on every insert, to the session's role (`session_user`,
the role that logged in), whatever the client sent. The same trigger refuses to change
or delete an event to any role but the table's owner (and superusers): a writer role
holds UPDATE on the table only because `LOCK TABLE ... IN EXCLUSIVE MODE`, which the
library takes to append, requires it. Events written before the column was added keep
NULL (unknown): the database did not record who wrote them.

Opening checks the server first with one connection of its own (`check_reachable`):
the library's pool connects in the background and retries, and when it cannot, says
only that no connection came in time; a direct connection fails at once, with the
server's reason (no such database, no such role, connection refused).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from uuid import UUID

import psycopg
from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import (
    PostgresAggregateRecorder,
    PostgresApplicationRecorder,
    PostgresDatastore,
    PostgresFactory,
)
from psycopg import Connection, Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier

from near_gov.persistence.stores import Store, StoreUnavailable, unreachable

#: The trigger function of the events table (see the module's docstring).
_EVENT_WRITTEN = """
CREATE OR REPLACE FUNCTION {schema}.near_gov_event_written() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW.db_role := session_user;
        RETURN NEW;
    END IF;
    IF NOT pg_has_role((SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'USAGE') THEN
        RAISE EXCEPTION 'permission denied: role % may not change or delete an event of the register', current_user
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$"""


class PostgresCommandRecorder(PostgresApplicationRecorder):
    """As `SQLiteCommandRecorder`: snapshots inserted with the events, and an aggregate's
    latest snapshot and later events read together, with the head of the log."""

    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events") -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        self.snapshot_recorder = PostgresAggregateRecorder(
            datastore, events_table_name=events_table_name.removesuffix("_events") + "_snapshots")
        # Composed once, to bytes: psycopg would compose the statement again on every call.
        self._select_latest = SQL(
            "(SELECT 0 AS part, originator_version, topic, state FROM {schema}.{snapshots} "
            "WHERE originator_id = %s ORDER BY originator_version DESC LIMIT 1) "
            "UNION ALL (SELECT 1, originator_version, topic, state FROM {schema}.{events} "
            "WHERE originator_id = %s AND originator_version > COALESCE((SELECT max(originator_version) "
            "FROM {schema}.{snapshots} WHERE originator_id = %s), 0)) "
            "UNION ALL (SELECT 2, MAX(notification_id), NULL, NULL FROM {schema}.{events}) "
            "ORDER BY part, originator_version"
        ).format(schema=Identifier(datastore.schema), events=Identifier(self.events_table_name),
                 snapshots=Identifier(self.snapshot_recorder.events_table_name)).as_bytes(None)
        self._select_head = SQL("SELECT MAX(notification_id) FROM {schema}.{events}").format(
            schema=Identifier(datastore.schema), events=Identifier(self.events_table_name)).as_bytes(None)

    @property
    def takes_snapshots(self) -> bool:
        return not self.datastore.enable_db_functions

    def create_table(self) -> None:
        """The library's tables, then the column and trigger recording who wrote each
        event (last: a table with `db_role` is one that is set up)."""
        super().create_table()
        self.snapshot_recorder.create_table()
        names = {"schema": Identifier(self.datastore.schema), "table": Identifier(self.events_table_name)}
        with self.datastore.transaction(commit=True) as curs:
            for statement in (
                "ALTER TABLE {schema}.{table} ADD COLUMN IF NOT EXISTS db_role text",
                "ALTER TABLE {schema}.{table} ALTER COLUMN db_role SET DEFAULT session_user",
                _EVENT_WRITTEN,
                "DROP TRIGGER IF EXISTS near_gov_event_written ON {schema}.{table}",
                "CREATE TRIGGER near_gov_event_written BEFORE INSERT OR UPDATE OR DELETE ON {schema}.{table} "
                "FOR EACH ROW EXECUTE FUNCTION {schema}.near_gov_event_written()",
            ):
                curs.execute(SQL(statement).format(**names))

    def close_readers(self) -> None:
        """Nothing to close: reads go through the library's pool."""

    def select_latest(self, originator_id: UUID) -> tuple[StoredEvent | None, list[StoredEvent], int]:
        """The latest snapshot of an aggregate (or None), its events after it, and the head
        of the log (its highest notification id, 0 if none), in one statement (one round
        trip), which PostgreSQL runs on one snapshot of the data."""
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self._select_latest, (originator_id, originator_id, originator_id), prepare=True)
            rows = curs.fetchall()
        head = rows.pop()["originator_version"] or 0  # part 2, last
        found = [StoredEvent(originator_id, r["originator_version"], r["topic"], bytes(r["state"])) for r in rows]
        if rows and rows[0]["part"] == 0:
            return found[0], found[1:], head
        return None, found, head

    def select_head(self) -> int:
        """The head of the log: its highest notification id, 0 if none."""
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self._select_head, prepare=True)
            row = curs.fetchone()
        return (row or {}).get("max") or 0

    def _insert_stored_events(self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], *,
                              snapshots: Sequence[StoredEvent] | None = None, **kwargs: Any) -> None:
        super()._insert_stored_events(curs, stored_events, **kwargs)
        if snapshots:
            # Another cursor: the library reads the events' notification ids from `curs`.
            with curs.connection.cursor() as other:
                self.snapshot_recorder._insert_stored_events(other, snapshots)


class SchemaPostgresFactory(PostgresFactory):
    """PostgresFactory that creates its schema, which the library assumes exists, and
    creates tables one process at a time: the library runs `CREATE OR REPLACE FUNCTION`
    whenever an application opens, and PostgreSQL refuses two of those at once ("tuple
    concurrently updated"), so clerks starting commands together would otherwise fail."""

    application_recorder_class = PostgresCommandRecorder

    def __init__(self, env: Any) -> None:
        super().__init__(env)
        self.check_reachable()
        #: Whether the recorder being made must create its tables (see `_recorder`).
        self._create_tables = True
        schema = self.datastore.schema
        if schema == "public" or self._select("SELECT 1 FROM pg_namespace WHERE nspname = %s", schema):
            return
        statement = SQL("CREATE SCHEMA IF NOT EXISTS {0}").format(Identifier(schema))
        with self._setup_lock() as connection:
            connection.execute(statement)

    def check_reachable(self) -> None:
        """Connect once, directly; StoreUnavailable with the server's reason if that fails."""
        get = self.env.get
        store = Store(kind="postgres", url="", host=get(self.POSTGRES_HOST) or "",
                      port=int(get(self.POSTGRES_PORT) or 5432), user=get(self.POSTGRES_USER) or "",
                      dbname=get(self.POSTGRES_DBNAME) or "", schema=get(self.POSTGRES_SCHEMA) or "")
        password = get(self.POSTGRES_PASSWORD) or ""
        try:
            psycopg.connect(host=store.host, port=store.port, user=store.user, password=password,
                            dbname=store.dbname, connect_timeout=int(get(self.POSTGRES_CONNECT_TIMEOUT) or 5)).close()
        except psycopg.OperationalError as e:
            raise StoreUnavailable(unreachable(store, str(e), password)) from None

    @contextmanager
    def _setup_lock(self) -> Iterator[Connection[DictRow]]:
        with self.datastore.get_connection() as connection:
            key = f"near-gov setup {self.datastore.schema}"
            connection.execute("SELECT pg_advisory_lock(hashtext(%s))", (key,))
            try:
                yield connection
            finally:
                connection.execute("SELECT pg_advisory_unlock(hashtext(%s))", (key,))

    def aggregate_recorder(self, purpose: str = "events") -> Any:
        return self._recorder(purpose, lambda: super(SchemaPostgresFactory, self).aggregate_recorder(purpose))

    def application_recorder(self) -> Any:
        return self._recorder("events", super().application_recorder)

    def env_create_table(self) -> bool:
        return self._create_tables and super().env_create_table()

    def _recorder(self, purpose: str, make: Callable[[], Any]) -> Any:
        """`make()` a recorder, creating its tables (under the lock) only if they are not set up."""
        self._create_tables = not self._set_up(f"{self.env.name.lower() or 'stored'}_{purpose}", purpose == "events")
        if not self._create_tables:
            return make()
        with self._setup_lock():
            return make()

    def _set_up(self, table: str, events: bool) -> bool:
        """Whether `table` exists in the schema (and, for the events, records `db_role`)."""
        row = self._select(
            "SELECT a.attname AS db_role FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'db_role' AND NOT a.attisdropped "
            "WHERE n.nspname = %s AND c.relname = %s", self.datastore.schema, table)
        return row is not None and (not events or row["db_role"] is not None)

    def _select(self, statement: str, *params: str) -> DictRow | None:
        with self.datastore.get_connection() as connection:
            return connection.execute(statement, params).fetchone()

