"""Where the register keeps its events: parsing `--store` URLs into eventsourcing env.

A store is one of: a SQLite file (the embedded default), a PostgreSQL database
(optionally one schema of it), or memory (fast unit tests only). `parse_store`
turns what the user typed into a `Store`; `Store.env()` is what an eventsourcing
`Application` needs to open it.

The infrastructure factories defined here are named by PERSISTENCE_MODULE in
that env, so that every application opened on a store gets the same guarantees
without the caller having to remember a preparation step:
- SQLite: the file is created 0600 in a 0700 directory before the library opens
  it, and every connection runs in WAL mode with `synchronous=FULL`, so a
  committed decision survives a power cut (the library only sets WAL).
- PostgreSQL: the schema named in the URL is created if missing (the library
  only creates tables in it).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

from eventsourcing.sqlite import SQLiteConnection, SQLiteConnectionPool, SQLiteFactory

# Seconds a writer waits for another process's write lock before failing.
LOCK_TIMEOUT = 10
# Seconds to wait for a PostgreSQL server to accept a connection.
CONNECT_TIMEOUT = 10

_PG_FORM = "postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?schema=NAME]"
_FORMS = f"use a file path, sqlite:///ABSOLUTE/PATH, {_PG_FORM} or memory"
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")


class StoreError(ValueError):
    """A store URL that cannot be used; the message says what to type instead."""


@dataclass(frozen=True)
class Store:
    """A parsed store URL. `url` is normalised (absolute SQLite path, explicit port)."""

    kind: str  # "sqlite" | "postgres" | "memory"
    url: str = field(repr=False)
    path: Path | None = None
    host: str = ""
    port: int = 5432
    user: str = ""
    password: str = field(default="", repr=False)
    dbname: str = ""
    schema: str = ""

    def __repr__(self) -> str:
        return f"Store({self.describe()!r})"

    def describe(self) -> str:
        """A one-line description for humans and logs; never shows the password."""
        if self.kind == "sqlite":
            return f"sqlite {self.path}"
        if self.kind == "postgres":
            text = f"postgresql://{self.user}@{self.host}:{self.port}/{self.dbname}"
            return f"{text} (schema {self.schema})" if self.schema else text
        return "memory"

    def env(self) -> dict[str, str]:
        """The eventsourcing Application env that opens this store."""
        if self.kind == "sqlite":
            return {
                "PERSISTENCE_MODULE": f"{__name__}:DurableSQLiteFactory",
                "SQLITE_DBNAME": str(self.path),
                "SQLITE_LOCK_TIMEOUT": str(LOCK_TIMEOUT),
            }
        if self.kind == "postgres":
            env = {
                "PERSISTENCE_MODULE": f"{__name__}:SchemaPostgresFactory",
                "POSTGRES_DBNAME": self.dbname,
                "POSTGRES_HOST": self.host,
                "POSTGRES_PORT": str(self.port),
                "POSTGRES_USER": self.user,
                "POSTGRES_PASSWORD": self.password,
                "POSTGRES_CONNECT_TIMEOUT": str(CONNECT_TIMEOUT),
                "POSTGRES_LOCK_TIMEOUT": str(LOCK_TIMEOUT),
            }
            if self.schema:
                env["POSTGRES_SCHEMA"] = self.schema
            return env
        return {"PERSISTENCE_MODULE": "eventsourcing.popo"}


def default_sqlite_path() -> Path:
    """`$XDG_DATA_HOME/near-gov/register.db`, per the XDG spec (relative values ignored)."""
    data_home = os.environ.get("XDG_DATA_HOME", "")
    base = Path(data_home) if os.path.isabs(data_home) else Path.home() / ".local/share"
    return base / "near-gov" / "register.db"


def parse_store(url: str | None) -> Store:
    """Parse a `--store` value; None means the default SQLite file."""
    if url is None:
        return _sqlite_store(default_sqlite_path())
    text = url.strip()
    if text == "memory":
        return Store(kind="memory", url="memory")
    if text.startswith("sqlite:"):
        return _parse_sqlite_url(text)
    if text.startswith(("postgresql:", "postgres:")):
        return _parse_postgres_url(text)
    if not text or "://" in text:
        msg = f"unsupported store {_redact(text)!r}: {_FORMS}"
        raise StoreError(msg)
    return _sqlite_store(Path(text).expanduser())


def _sqlite_store(path: Path) -> Store:
    path = Path(os.path.abspath(path))
    if path.is_dir():
        msg = f"store {str(path)!r} is a directory: give the path of a database file in it"
        raise StoreError(msg)
    return Store(kind="sqlite", url=f"sqlite://{path}", path=path)


def _parse_sqlite_url(text: str) -> Store:
    parts = urlsplit(text)
    path = parts.path
    if parts.netloc or parts.query or parts.fragment or not path.startswith("/"):
        msg = f"bad SQLite store {text!r}: use sqlite:///ABSOLUTE/PATH or sqlite:///./RELATIVE/PATH"
        raise StoreError(msg)
    if path.startswith(("/./", "/../")):
        path = path[1:]  # sqlite:///./x.db names x.db in the working directory
    else:
        path = "/" + path.lstrip("/")  # sqlite:////abs/x.db, as SQLAlchemy writes it
    if path in ("/", ""):
        msg = f"SQLite store {text!r} names no file: use sqlite:///ABSOLUTE/PATH/register.db"
        raise StoreError(msg)
    return _sqlite_store(Path(unquote(path)))


def _parse_postgres_url(text: str) -> Store:
    redacted = _redact(text)
    try:
        parts = urlsplit(text)
        port = parts.port or 5432
    except ValueError as e:
        msg = f"bad PostgreSQL store {redacted!r} ({e}): use {_PG_FORM}"
        raise StoreError(msg) from None
    dbname = unquote(parts.path.removeprefix("/"))
    if parts.scheme not in ("postgresql", "postgres") or not parts.hostname:
        msg = f"bad PostgreSQL store {redacted!r}: give a host, as in postgresql://USER@HOST/DATABASE"
        raise StoreError(msg)
    if not parts.username or not dbname or "/" in dbname or parts.fragment:
        msg = f"bad PostgreSQL store {redacted!r}: give a user and a database, as in postgresql://USER@HOST/DATABASE"
        raise StoreError(msg)
    query = parse_qs(parts.query, keep_blank_values=True)
    schemas = query.pop("schema", [""])
    if query or len(schemas) != 1:
        msg = f"bad PostgreSQL store {redacted!r}: the only query parameter accepted is ?schema=NAME"
        raise StoreError(msg)
    schema = schemas[0]
    if schema and not _IDENTIFIER.fullmatch(schema):
        msg = f"bad schema name {schema!r}: use letters, digits and _ (not first), up to 63 characters"
        raise StoreError(msg)
    user = unquote(parts.username)
    password = unquote(parts.password or "")
    host = parts.hostname
    netloc = quote(user, safe="") + (":" + quote(password, safe="") if password else "")
    host_text = f"[{host}]" if ":" in host else host
    normalised = f"postgresql://{netloc}@{host_text}:{port}/{quote(dbname, safe='')}"
    return Store(
        kind="postgres",
        url=normalised + (f"?schema={schema}" if schema else ""),
        host=host,
        port=port,
        user=user,
        password=password,
        dbname=dbname,
        schema=schema,
    )


def _redact(text: str) -> str:
    """Hide a password in a URL quoted back in an error message."""
    return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", text)


def prepare_sqlite_file(path: str | os.PathLike[str]) -> None:
    """Create the database file for its owner only (0600), and its directory (0700).

    SQLite would create a missing file itself, but with the umask's permissions
    (usually world-readable); the register may hold unpublished decisions.
    Existing files and directories are left as they are.
    """
    path = Path(path)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    try:
        os.fchmod(fd, 0o600)  # exact, whatever the umask
    finally:
        os.close(fd)


class DurableSQLiteConnectionPool(SQLiteConnectionPool):
    """Connections with `synchronous=FULL`: in WAL mode the library's default
    (NORMAL) may lose the last commits on power failure. The pragma is per
    connection, so it is set on each one as it is created."""

    def _create_connection(self) -> SQLiteConnection:
        connection = super()._create_connection()
        connection.cursor().execute("PRAGMA synchronous=FULL;")
        return connection


class DurableSQLiteFactory(SQLiteFactory):
    """SQLiteFactory that prepares the file and uses `DurableSQLiteConnectionPool`."""

    def __init__(self, env: Any):
        super().__init__(env)
        prepare_sqlite_file(self.datastore.pool.db_name)
        # 9.5.6 builds its pool inside SQLiteDatastore; no connection is open yet.
        library_pool = self.datastore.pool
        self.datastore.pool = DurableSQLiteConnectionPool(
            db_name=library_pool.db_name,
            lock_timeout=library_pool.lock_timeout,
            pool_size=library_pool.pool_size,
            max_overflow=library_pool.max_overflow,
            pool_timeout=library_pool.pool_timeout,
            max_age=library_pool.max_age,
            pre_ping=library_pool.pre_ping,
        )
        library_pool.close()


def __getattr__(name: str) -> Any:
    """Define `SchemaPostgresFactory` on first use (PEP 562).

    Importing eventsourcing.postgres loads psycopg, which costs a few hundred
    milliseconds that a SQLite-backed command line should not pay.
    """
    if name != "SchemaPostgresFactory":
        msg = f"module {__name__!r} has no attribute {name!r}"
        raise AttributeError(msg)
    from eventsourcing.postgres import PostgresFactory  # noqa: PLC0415
    from psycopg.sql import SQL, Identifier  # noqa: PLC0415

    class SchemaPostgresFactory(PostgresFactory):
        """PostgresFactory that creates its schema, which the library assumes exists,
        and creates tables one process at a time: the library runs `CREATE OR REPLACE
        FUNCTION` whenever an application opens, and PostgreSQL refuses two of those at
        once ("tuple concurrently updated"), so clerks starting commands together
        would otherwise fail."""

        def __init__(self, env: Any):
            super().__init__(env)
            schema = self.datastore.schema
            if schema == "public":
                return
            statement = SQL("CREATE SCHEMA IF NOT EXISTS {0}").format(Identifier(schema))
            with self._setup_lock() as connection:
                connection.execute(statement)

        @contextmanager
        def _setup_lock(self) -> Iterator[Any]:
            with self.datastore.get_connection() as connection:
                key = f"near-gov setup {self.datastore.schema}"
                connection.execute("SELECT pg_advisory_lock(hashtext(%s))", (key,))
                try:
                    yield connection
                finally:
                    connection.execute("SELECT pg_advisory_unlock(hashtext(%s))", (key,))

        def aggregate_recorder(self, purpose: str = "events") -> Any:
            with self._setup_lock():
                return super().aggregate_recorder(purpose)

        def application_recorder(self) -> Any:
            with self._setup_lock():
                return super().application_recorder()

    SchemaPostgresFactory.__module__ = __name__
    SchemaPostgresFactory.__qualname__ = name
    globals()[name] = SchemaPostgresFactory
    return SchemaPostgresFactory
