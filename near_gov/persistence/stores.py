"""Where the register keeps its events: parsing `--store` URLs into eventsourcing env.

A store is one of: a SQLite file (the embedded default), a PostgreSQL database
(optionally one schema of it), or memory (fast unit tests only). `parse_store`
turns what the user typed into a `Store`; `Store.env()` is what an eventsourcing
`Application` needs to open it. How a command opens one (a query never creates a
store, a write refuses a read-only one) is `persistence.opening`'s.

The env names an infrastructure factory (PERSISTENCE_MODULE): `persistence.sqlite`'s
or `persistence.postgres`'s, which give every application opened on a store the same
guarantees without the caller having to remember a preparation step. This module
imports neither eventsourcing nor a database driver: parsing a store is cheap.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

# Seconds a writer waits for another process's write lock before failing.
LOCK_TIMEOUT = 10
# Seconds to wait for a PostgreSQL server to accept a connection (and for a free
# connection of the pool).
CONNECT_TIMEOUT = 5

_PG_FORM = "postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?schema=NAME]"
_FORMS = f"use a file path, sqlite:///ABSOLUTE/PATH, {_PG_FORM} or memory"
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")


class StoreError(ValueError):
    """A store URL that cannot be used; the message says what to type instead."""


class StoreUnavailable(Exception):
    """Raised when a store cannot be opened or reached: a server down or refusing the
    role or database, a read-only file for a write. The message says what to do."""


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
    #: How a SQLite file is opened, in SQLite's URI terms: "rwc" creates a missing file,
    #: "rw" opens an existing one for writing, "ro" one that may not be written.
    mode: str = "rwc"

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

    @property
    def read_only(self) -> bool:
        return self.mode == "ro"

    def env(self) -> dict[str, str]:
        """The eventsourcing Application env that opens this store."""
        if self.kind == "sqlite":
            env = {
                "PERSISTENCE_MODULE": "near_gov.persistence.sqlite:DurableSQLiteFactory",
                "SQLITE_DBNAME": self._sqlite_name(),
                "SQLITE_LOCK_TIMEOUT": str(LOCK_TIMEOUT),
            }
            if self.read_only:
                env["SQLITE_READ_ONLY"] = "y"
            return env
        if self.kind == "postgres":
            env = {
                "PERSISTENCE_MODULE": "near_gov.persistence.postgres:SchemaPostgresFactory",
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


    def _sqlite_name(self) -> str:
        """The file's path, or a URI that opens it without creating it (`mode=rw`), or
        read-only (`mode=ro`).

        Read-only, SQLite would create the write-ahead log and its index beside the file
        (with the file's permissions, so that they stay read-only once the file is
        writable again, and no writer can open them), or fail where the folder is
        read-only. Where there is no log, nobody has the store open for writing and
        its whole content is in the file: it is read as `immutable`, creating nothing."""
        if self.mode == "rwc":
            return str(self.path)
        uri = f"file:{quote(str(self.path))}?mode={self.mode}"
        if self.read_only and not os.path.exists(f"{self.path}-wal"):
            uri += "&immutable=1"
        return uri


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


def unreachable(store: Store, error: str, password: str = "") -> str:
    """What to tell the user when a connection to `store` failed with libpq's `error`:
    its first line without the connection preamble (`connection to server at ... failed:`),
    the password, if libpq ever quoted it, masked."""
    lines = [line.strip() for line in error.splitlines() if line.strip()] or ["no reason given"]
    reason = lines[0].rsplit(" failed: ", 1)[-1]
    refused = not reason.startswith(("FATAL:", "ERROR:"))
    reason = " ".join(reason.removeprefix("FATAL:").removeprefix("ERROR:").split())
    if password:
        reason = reason.replace(password, "***")
    check = "that the server is running and the URL's host and port" if refused \
        else "the URL's user, password and database"
    return f"cannot open the store {store.describe()}: {reason}; check {check}"


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
