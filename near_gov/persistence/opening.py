"""How a command opens its store: a query never creates one, and reads one it may not
write; a write creates a missing SQLite file and refuses a read-only one; a command
that fails leaves no file (nor folder) behind that it created.

This concerns SQLite files. A PostgreSQL database is made by its administrator, and
whether a role may write there is the server's to say; memory is made per command.

- A query opens an existing file without creating it (SQLite URI `mode=rw`), or
  read-only (`mode=ro`) where the file or its folder may not be written; an absent
  file is "no register at PATH" (StoreError, exit 2).
- A write to a file or folder that may not be written is refused before anything is
  opened (StoreUnavailable, exit 5).
- A write to an absent file creates it (0600, and the missing folders, the last 0700)
  through a `Creation` the caller made beforehand and finishes when the command ends:
  if the command failed and the file holds no event, the file and the folders made for
  it are removed. While the creating command runs it holds a lock on the store's
  folder (flock): another write command waits for it before opening the file, so it
  never writes into a file that is about to be removed. Queries do not wait (they
  cannot create the file, and a register being created reads as one being created)."""

from __future__ import annotations

import fcntl
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

from near_gov.persistence.stores import Store, StoreError, StoreUnavailable

#: The SQLite recorder's events table (the library's default name).
EVENTS_TABLE = "stored_events"
#: Files SQLite keeps beside a database.
_COMPANIONS = ("-wal", "-shm", "-journal")


def for_query(store: Store) -> Store:
    """The store as a query opens it; StoreError if there is no SQLite file."""
    if store.kind != "sqlite" or store.path is None:
        return store
    if not store.path.exists():
        msg = (f"no register at {store.path}: check the path (`near-gov store` shows the store in use), "
               "or create the register with a write command such as `near-gov load FILE`")
        raise StoreError(msg)
    return replace(store, mode="ro" if unwritable(store.path) else "rw")


def for_write(store: Store, creation: Creation | None = None) -> Store:
    """The store as a write opens it; StoreUnavailable if it may not be written. A
    missing SQLite file is created through `creation` (made, and its `finish` arranged,
    by the caller beforehand: an interrupt may come at any point in between)."""
    if store.kind != "sqlite" or store.path is None:
        return store
    path = store.path
    while True:
        with _folder_lock(path.parent, exclusive=False):  # wait for a creation in progress to end
            exists = path.exists()
        if exists:
            reason = unwritable(path)
            if reason:
                msg = f"cannot write to the store {store.describe()}: {reason}"
                raise StoreUnavailable(msg)
            return store
        if creation is None:
            msg = f"no register at {path}: create it with a write command such as `near-gov load FILE`"
            raise StoreError(msg)
        if creation.start():
            return store
        # Another command created the file meanwhile: open it as theirs, once settled.


def unwritable(path: Path) -> str:
    """Why a SQLite file may not be written (with what to do), or "" if it may.

    SQLite writes beside the file too (its write-ahead log), so the folder counts."""
    folder = path.parent
    if not os.access(path, os.W_OK):
        return f"the file is read-only; make it writable (chmod u+w {path}) to change the register"
    if not os.access(folder, os.W_OK):
        return (f"its folder {folder} is read-only (SQLite writes its log beside the file); "
                f"make the folder writable (chmod u+w {folder}) to change the register")
    return ""


class Creation:
    """The SQLite file a write command may create, with the folders made for it.
    `start` makes them and holds the folder's lock; `finish`, when the command ends,
    keeps them, or removes them if the command failed and recorded nothing, and lets
    other writers in. Each step is recorded as it is taken, so `finish` undoes exactly
    what an interrupted `start` did."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.folders: list[Path] = []  # made for the store, outermost first
        self._lock: int | None = None
        #: Whether the file was absent when this creation took the folder's lock: from
        #: then on only this creation can make it (other writers wait for the lock).
        self._ours = False

    def start(self) -> bool:
        """Create the folders and the file (0600) and keep the folder's lock; False,
        letting go of the lock, if the file exists by the time the lock is held."""
        try:
            _make_folders(self.path.parent, self.folders)
            self._lock = _lock(self.path.parent, exclusive=True)
            if self.path.exists():
                self._release()
                return False
            self._ours = True
            fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except OSError as e:
            self.finish(succeeded=False)
            where = f" ({e.filename})" if e.filename else ""
            msg = (f"cannot create the store sqlite {self.path}: {(e.strerror or str(e)).lower()}{where}; "
                   "give a path in a folder you may write to")
            raise StoreUnavailable(msg) from None
        try:
            os.fchmod(fd, 0o600)  # exact, whatever the umask
        finally:
            os.close(fd)
        return True

    def finish(self, succeeded: bool) -> None:
        """Keep the store if the command succeeded or recorded events; else remove the
        file and the folders made for it. The caller has closed the store."""
        try:
            if succeeded or self._ours and holds_events(self.path):
                return
            if self._ours:
                for suffix in ("", *_COMPANIONS):
                    with suppress(FileNotFoundError):
                        os.unlink(f"{self.path}{suffix}")
            _remove_folders(self.folders)  # those left empty (not one holding another's store)
        finally:
            self._release()

    def _release(self) -> None:
        lock, self._lock = self._lock, None
        if lock is not None:
            os.close(lock)


def holds_events(path: Path) -> bool:
    """Whether the SQLite file at `path` holds at least one event."""
    try:
        connection = sqlite3.connect(f"file:{quote(str(path))}?mode=rw", uri=True)
    except sqlite3.Error:
        return False
    try:
        return connection.execute(f"SELECT 1 FROM {EVENTS_TABLE} LIMIT 1").fetchone() is not None
    except sqlite3.Error:  # no events table: a store that never got as far as its tables
        return False
    finally:
        connection.close()


def _make_folders(folder: Path, made: list[Path]) -> None:
    """Create `folder` (0700) and its missing parents, adding each made to `made`."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for each in reversed(missing):
        try:
            each.mkdir(mode=0o700 if each is missing[0] else 0o777)
        except FileExistsError:
            continue
        made.append(each)


def _remove_folders(folders: list[Path]) -> None:
    """Remove the folders made for a store, innermost first, while they are empty."""
    for folder in reversed(folders):
        try:
            folder.rmdir()
        except OSError:  # something else was put there meanwhile
            return


def _lock(folder: Path, exclusive: bool) -> int:
    """An open descriptor of `folder` holding its flock, shared or exclusive."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
    except BaseException:
        os.close(fd)
        raise
    return fd


@contextmanager
def _folder_lock(folder: Path, exclusive: bool) -> Iterator[None]:
    """Hold the folder's lock for the block; nothing to hold if it is absent or unreadable."""
    try:
        fd = _lock(folder, exclusive)
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        yield
        return
    try:
        yield
    finally:
        os.close(fd)
