"""Generations of the read models: a rebuild fills new tables beside the ones in use
and swaps them in with one transaction (blue/green), so a reader never meets a
half-built read model, and a rebuild that fails or is killed leaves the read models
in use as they were.

The new generation's tables are the same tables named `read_*__new`, tracked by the
row `register__new` (`Database.generation` rewrites the SQL). Each generation names
its indexes afresh, because a renamed table keeps its indexes' names and SQLite
cannot rename an index. The swap, in one transaction: build the query indexes, move
the tracking row `register` to the new generation's position, lock the tables in use
(PostgreSQL), give each new table the owner of the one it replaces and what was
granted on it (roles set up by `near-gov store grant`), drop them, and give the new
ones their names. A rebuild drops whatever
`__new` tables an earlier one left before it starts.

Exactly once still holds across a swap: a process that read a batch before it finds
the tracking row at another position and starts again, and one whose position
happens to be the new generation's applies the batch to the new tables, which hold
what the old ones held at that position (read models are a function of the log)."""

from __future__ import annotations

from projections.db import Cursor, Database
from projections.schema import TABLES, TRACKING, VERSION, create_query_indexes, create_tables, drop_tables

#: The tracking row of the read models in use.
NAME = "register"
#: What the tables of a rebuild's generation end with until they are swapped in.
NEW = "__new"
#: Their tracking row.
REBUILDING = NAME + NEW


def reset(c: Cursor, name: str, query_indexes: bool = True) -> None:
    """Drop and create, empty, the tables of the cursor's generation, tracked as `name` at 0."""
    for statement in drop_tables():
        c.run(statement)
    for statement in create_tables(c.dialect) + (create_query_indexes(c.dialect) if query_indexes else []):
        c.run(statement)
    c.run(f"INSERT INTO {TRACKING} (name, position, version) VALUES (?, 0, ?) ON CONFLICT (name) "
          "DO UPDATE SET position = 0, version = excluded.version, error = NULL", (name, VERSION))


def swap(live: Database, new: Database) -> bool:
    """Put `new`'s tables, with the position they reached, in place of `live`'s; False
    when another process swapped them in first (their tracking row is gone).

    On PostgreSQL locks are taken in the order catch-up takes them, tracking row
    first, and tables in the order readers lock them (`Database.read`): a batch or a
    query under way finishes first, and one that starts waits for the swap."""
    with new.write(bulk=True) as c:
        live.advisory_lock(c)
        at = c.run(f"UPDATE {TRACKING} SET position = position WHERE name = ? RETURNING position",
                   (REBUILDING,)).scalar()
        if at is None:
            return False
        for statement in create_query_indexes(c.dialect):
            c.run(statement)
        c.run(f"UPDATE {TRACKING} SET position = ?, error = NULL WHERE name = ?", (at, NAME))
        c.run(f"DELETE FROM {TRACKING} WHERE name = ?", (REBUILDING,))
        live.lock(c)
        for table in TABLES:
            keep_access(c, live.name(table.name), new.name(table.name))
            c.execute(f"DROP TABLE IF EXISTS {live.name(table.name)}")
            c.execute(f"ALTER TABLE {new.name(table.name)} RENAME TO {table.name}")
    return True


def keep_access(c: Cursor, old: str, new: str) -> None:
    """Give table `new` the owner of table `old` and what is granted on it to other roles
    (PostgreSQL: the tables a rebuild creates belong to the role that ran it, and do not
    inherit the grants of the ones they replace; default privileges cover only tables
    their role creates)."""
    if c.dialect != "postgres":
        return
    owners = c.run("SELECT quote_ident(pg_get_userbyid(t.relowner)) AS owner, t.oid = to_regclass(?) AS old "
                   "FROM pg_class t WHERE t.oid IN (to_regclass(?), to_regclass(?))", (old, old, new)).all()
    owner = {row["old"]: row["owner"] for row in owners}
    if owner.get(True) not in (None, owner.get(False)):
        c.execute(f"ALTER TABLE {new} OWNER TO {owner[True]}")
    grants = c.run("SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END "
                   "AS grantee, a.privilege_type FROM pg_class t, aclexplode(t.relacl) a "
                   "WHERE t.oid = to_regclass(?) AND a.grantee <> t.relowner", (old,)).all()
    for grant in grants:
        c.execute(f"GRANT {grant['privilege_type']} ON {new} TO {grant['grantee']}")
