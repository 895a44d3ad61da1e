"""Everything that touches the eventsourcing library's internals, behind one door.

- `stores`: `--store` URLs parsed into the library's env (imports no library code).
- `codec`, `mapping`: events stored as compact JSON through pydantic, read back typed.
- `sqlite`, `postgres`: each store's factory and recorder (durable SQLite commits, the
  PostgreSQL schema, snapshots saved in the events' transaction, one-read loading).
- `repository`: loading an aggregate from its latest snapshot, working copies.
- `snapshots`: the one snapshot policy, for commands and the loader.
- `register`: `Register`, the application every command runs on.

Each module's note says which private members of the library it overrides, calls or
reads, and why; tests/test_library_contract.py pins every one of them, so that a library
upgrade that changes one fails there, in one place.
"""
