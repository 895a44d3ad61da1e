"""`near-gov store grant`: PostgreSQL roles whose limits the database itself enforces.

A reader may run every query (its read models are read as they are, or caught up in
memory: `projections.access`) and append nothing. A writer may also append events
(which record it as their `db_role`), seal, and keep the read models up to date, but
not change or delete an event (`persistence.postgres`: the events' trigger), nor a
snapshot or a link of the chain index, nor drop or rebuild a table: rebuilding the
read models (`projections rebuild`) and setting up new ones after an upgrade are the
owner's.

Granting first sets every table up (as the store's owner runs it: the log, its
snapshots, the chain index, the read models caught up), then resets the role's
privileges in the schema and grants those of its kind, now and, through default
privileges of the tables' owner, on the tables a rebuild creates (a rebuild by another
role, a superuser say, keeps their owner and grants: `projections.generations.keep_access`).
Run it again after an upgrade that adds tables.

On SQLite the file's permissions decide who may read or write (`chmod`); there is no
role to grant."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import psycopg
from eventsourcing.postgres import PostgresAggregateRecorder
from psycopg.sql import SQL, Composed, Identifier

from domain.errors import InvalidInput
from near_gov.integrity import index_recorder
from near_gov.persistence.postgres import PostgresCommandRecorder
from near_gov.persistence.stores import Store
from near_gov.reads import Reads
from near_gov.service import Governance

#: What each kind of role may do on every table of the schema. A writer keeps UPDATE
#: on the events (`LOCK TABLE ... IN EXCLUSIVE MODE`, which appending takes, needs it;
#: the events' trigger refuses the update itself) and loses UPDATE and DELETE on the
#: snapshots and the chain index, which are only ever appended to.
_PRIVILEGES = {"read": "SELECT", "write": "SELECT, INSERT, UPDATE, DELETE"}


def not_postgres(store: Store) -> str:
    """Why `store grant` is refused on a store that is not PostgreSQL."""
    if store.kind == "sqlite":
        return (f"store grant sets up PostgreSQL roles; the store {store.describe()} is a SQLite file, whose "
                f"permissions decide who may read or write it (chmod u=rw,go= {store.path} lets only you); "
                "nothing was changed")
    return f"store grant sets up PostgreSQL roles; the store {store.describe()} has none; nothing was changed"


def grant(store: Store, role: str, write: bool, open_register: Callable[[], Governance]) -> dict[str, Any]:
    """Make `role` a reader (or a writer, `write`) of the register at `store`, opened
    for writing by `open_register()` once the role is known to exist."""
    access = "write" if write else "read"
    with psycopg.connect(host=store.host, port=store.port, user=store.user, password=store.password,
                         dbname=store.dbname) as connection:
        if connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone() is None:
            msg = (f"there is no role {role!r} on the server: create it first (CREATE ROLE {role} LOGIN "
                   "PASSWORD '...'), then grant it")
            raise InvalidInput(msg)
        tables = _set_up(open_register())
        schema = store.schema or "public"
        found = connection.execute("SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = to_regclass(%s)",
                                   (f'"{schema}"."{tables[0]}"',)).fetchone()
        owner = found[0] if found else store.user
        if owner == role:
            msg = f"role {role!r} owns the store's tables: it may already do everything; grant another role"
            raise InvalidInput(msg)
        for statement in _statements(schema, role, owner, access, tables):
            connection.execute(statement)
    return {"role": role, "access": access, "store": store.describe(), "schema": schema, "owner": owner}


def _set_up(gov: Governance) -> list[str]:
    """Create every table of the register (and bring its read models to the log's
    head); return the log's tables: events, snapshots, chain index."""
    recorder = cast(PostgresCommandRecorder, gov.recorder)
    chain = cast(PostgresAggregateRecorder, index_recorder(gov))
    reads = Reads(gov)
    try:
        reads.catch_up()
    finally:
        reads.close()
    return [recorder.events_table_name, recorder.snapshot_recorder.events_table_name, chain.events_table_name]


def _statements(schema: str, role: str, owner: str, access: str, tables: list[str]) -> list[Composed]:
    names = {"schema": Identifier(schema), "role": Identifier(role), "owner": Identifier(owner),
             "privileges": SQL(_PRIVILEGES[access])}
    statements = [
        "REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}",
        "REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {role}",
        "ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema} REVOKE ALL ON TABLES FROM {role}",
        "GRANT USAGE ON SCHEMA {schema} TO {role}",
        "GRANT {privileges} ON ALL TABLES IN SCHEMA {schema} TO {role}",
        "ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema} GRANT {privileges} ON TABLES TO {role}",
    ]
    if access == "write":
        events, snapshots, chain = (Identifier(schema, table) for table in tables)
        return [SQL(s).format(**names) for s in statements] + [
            SQL("REVOKE DELETE ON {0} FROM {1}").format(events, names["role"]),
            SQL("REVOKE UPDATE, DELETE ON {0}, {1} FROM {2}").format(snapshots, chain, names["role"]),
            SQL("GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {role}").format(**names),
        ]
    return [SQL(s).format(**names) for s in statements]
