"""The unit of work of one catch-up batch.

Handlers read the rows they change through `get`/`lookup` (loaded once per batch and
then kept in memory) and write through `put`/`add`; `flush` writes everything with one
statement per table at the end of the batch. This keeps a batch to a handful of
statements however many events it holds, and memory bounded by the batch, not by
the log. All of it runs inside the transaction that also advances the
tracking position.

A batch's memory may outlive its transaction: the next catch-up batch starts from it
when it begins where this one ended (`Projector` checks), so a rebuild reads nothing
back from the tables it is writing. `trim()` bounds it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from projections.db import Cursor
from projections.schema import Table

Row = dict[str, Any]
T = TypeVar("T")


class MissingRecord(LookupError):
    """Raised when an event refers to a record the log never created."""


class Batch:
    def __init__(self) -> None:
        #: The transaction the batch is applied in (`Projector` sets it for each one).
        self._cursor: Cursor | None = None
        self._rows: dict[tuple[str, Any], Row | None] = {}
        self._dirty: dict[Table, dict[Any, Row]] = defaultdict(dict)
        self._added: dict[Table, list[tuple[Any, ...]]] = defaultdict(list)
        self._lookups: dict[Hashable, Any] = {}

    @property
    def cursor(self) -> Cursor:
        if self._cursor is None:
            raise RuntimeError("the batch is not in a transaction: set its cursor first")
        return self._cursor

    @cursor.setter
    def cursor(self, cursor: Cursor) -> None:
        self._cursor = cursor

    # Rows by primary key.

    def get(self, table: Table, *key: Any) -> Row | None:
        """The row with this key as this batch has left it (None if there is none)."""
        assert table.read_back, table.name
        cache_key = (table.name, key)
        try:
            return self._rows[cache_key]
        except KeyError:
            row = self.cursor.run(table.select_by_key, key).one()
            self._rows[cache_key] = row
            return row

    def must(self, table: Table, *key: Any) -> Row:
        """The row an event refers to; the log guarantees it was created earlier."""
        row = self._rows.get((table.name, key))  # most often kept: spare the call to `get`
        if row is None:
            row = self.get(table, *key)
            if row is None:
                raise MissingRecord(f"it refers to a record the log never created (no row {key} in {table.name})")
        return row

    def put(self, table: Table, row: Row) -> None:
        """Insert or replace the row; written at `flush`."""
        key = table.key_of(row)
        if table.read_back:
            self._rows[(table.name, key if type(key) is tuple else (key,))] = row
        self._dirty[table][key] = row

    def add(self, table: Table, values: tuple[Any, ...]) -> None:
        """Append a row no handler reads back within the batch (in column order)."""
        self._added[table].append(values)

    # Other look-ups, cached under a key the handler chooses and keeps up to date.

    def lookup(self, key: Hashable, load: Callable[[Cursor], T]) -> T:
        """The value cached under `key`, loaded on first use."""
        value: T
        try:
            value = self._lookups[key]
        except KeyError:
            value = self._lookups[key] = load(self.cursor)
        return value

    def remember(self, key: Hashable, value: Any) -> None:
        self._lookups[key] = value

    def size(self) -> int:
        """Rows and look-ups held in memory."""
        return len(self._rows) + len(self._lookups)

    def trim(self, limit: int) -> None:
        """Hold at most `limit` rows and look-ups: let go of the rows by key first (the
        many), then of the look-ups (a few per region: each region's current periods)."""
        if self.size() > limit:
            self._rows.clear()
        if self.size() > limit:
            self._lookups.clear()

    def flush(self) -> None:
        """Write the batch's rows (one statement per table); keep what it read."""
        for table, values in self._added.items():
            self.cursor.insert(table, values)
        for table, rows in self._dirty.items():
            self.cursor.insert(table, [table.values_of(r) for r in rows.values()], upsert=True)
        self._added.clear()
        self._dirty.clear()
