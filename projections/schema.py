"""The read-model tables, declared once as data so that creating, dropping and the
batched upserts of `Batch` are generated rather than written per table.

Types are the portable subset of SQLite and PostgreSQL (TEXT, BIGINT, INTEGER).
Effective dates are stored as ISO text twice: as given (`1996-09`, at its precision)
and as the first day (`1996-09-01`) for range look-ups; recorded times are fixed-width
UTC ISO text, so text order is time order on both databases."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

#: Bump when a table or a handler changes meaning: read models are then rebuilt.
VERSION = 16

TRACKING = "read_tracking"


T, B, INT = "TEXT", "BIGINT", "INTEGER"


@dataclass(frozen=True, eq=False)  # identity hash: tables key the batch's dicts
class Table:
    name: str
    columns: tuple[tuple[str, str], ...]
    key: tuple[str, ...]
    #: Indexes the handlers look rows up by: present while a rebuild fills the table.
    indexes: tuple[tuple[str, ...], ...] = ()
    #: The same, of only the rows meeting a condition: ((columns, condition), ...).
    partial_handler_indexes: tuple[tuple[tuple[str, ...], str], ...] = ()
    #: Indexes only queries use: created after a rebuild has filled the table.
    query_indexes: tuple[tuple[str, ...], ...] = ()
    #: Columns that are mostly NULL: an index led by one leaves those rows out.
    sparse: tuple[str, ...] = ()
    #: Query-only indexes of the rows meeting a condition: (columns, condition).
    partial_indexes: tuple[tuple[tuple[str, ...], str], ...] = ()
    #: Long texts (up to 4000 characters): left out of indexes on PostgreSQL, whose
    #: index entries hold at most 2704 bytes (a query reads them from the table).
    long: tuple[str, ...] = ()
    #: Whether handlers read rows back by key (`Batch.get`): only then does a batch
    #: keep the rows it writes in memory.
    read_back: bool = True
    names: tuple[str, ...] = field(init=False)
    #: `key_of(row)` and `values_of(row)`: the row's key, and its values in column order.
    key_of: Callable[[dict[str, Any]], Any] = field(init=False)
    values_of: Callable[[dict[str, Any]], tuple[Any, ...]] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "names", tuple(c for c, _ in self.columns))
        object.__setattr__(self, "key_of", itemgetter(*self.key))
        object.__setattr__(self, "values_of", itemgetter(*self.names))

    def create(self, dialect: str) -> list[str]:
        """On SQLite a table keyed by one integer (a log position) keeps its rows in key
        order as the rowid: rows written in log order are appended, and no separate
        key index is written."""
        if dialect == "sqlite" and len(self.key) == 1 and dict(self.columns)[self.key[0]] == B:
            cols = ", ".join(f"{c} INTEGER PRIMARY KEY" if c in self.key else f"{c} {t}" for c, t in self.columns)
            return [f"CREATE TABLE IF NOT EXISTS {self.name} ({cols})"]
        cols = ", ".join(f"{c} {t}" for c, t in self.columns)
        return [f"CREATE TABLE IF NOT EXISTS {self.name} ({cols}, PRIMARY KEY ({', '.join(self.key)}))"]

    def create_partial_indexes(self, which: tuple[tuple[tuple[str, ...], str], ...], dialect: str) -> list[str]:
        statements = []
        for cols, where in which:
            if dialect == "postgres":
                cols = tuple(c for c in cols if c not in self.long)
            statements.append(f"CREATE INDEX IF NOT EXISTS ix_{self.name}_{'_'.join(cols)}_part "
                              f"ON {self.name} ({', '.join(cols)}) WHERE {where}")
        return statements

    def create_indexes(self, which: tuple[tuple[str, ...], ...]) -> list[str]:
        return [
            f"CREATE INDEX IF NOT EXISTS ix_{self.name}_{'_'.join(cols)} ON {self.name} ({', '.join(cols)})"
            + (f" WHERE {cols[0]} IS NOT NULL" if cols[0] in self.sparse else "")
            for cols in which
        ]

    def insert(self, dialect: str, upsert: bool) -> str:
        """One statement for many rows: SQLite runs it per row (`executemany`, cheap
        in-process); PostgreSQL gets one array per column (`unnest`), sent in binary
        (`%b`): a single round trip instead of one per row, and no text quoting."""
        if dialect == "postgres":
            arrays = ", ".join(f"%b::{t}[]" for _, t in self.columns)
            sql = f"INSERT INTO {self.name} ({', '.join(self.names)}) SELECT * FROM unnest({arrays})"
        else:
            marks = ", ".join("?" for _ in self.names)
            sql = f"INSERT INTO {self.name} ({', '.join(self.names)}) VALUES ({marks})"
        if upsert:
            updates = ", ".join(f"{c} = excluded.{c}" for c in self.names if c not in self.key)
            sql += f" ON CONFLICT ({', '.join(self.key)}) DO UPDATE SET {updates}"
        return sql

    @property
    def select_by_key(self) -> str:
        where = " AND ".join(f"{c} = ?" for c in self.key)
        return f"SELECT * FROM {self.name} WHERE {where}"


#: A region's current status is its open period in the roster, not repeated here.
#: `named_from`: the first day of the date it took its current name (NULL: never renamed),
#: so that a query looks former names up only for a day before it.
REGIONS = Table(
    "read_regions",
    (("id", T), ("name", T), ("norm", T), ("country", T), ("registered_at", T), ("position", B),
     ("named_from", T)),
    key=("id",),
    indexes=(("norm",),),
)
#: A name a region gave up, until the rename's date (as given, and its first day).
FORMER_NAMES = Table(
    "read_former_names",
    (("position", B), ("id", T), ("name", T), ("norm", T), ("until_on", T), ("until_first", T)),
    key=("position",),
    #: By id, the name a region held on a day (`names.former_name_on`) is the first
    #: entry of the index past the day: a region renamed often has many former names.
    query_indexes=(("norm",), ("id", "until_first", "position")),
)
#: Bitemporal status periods. A row says: from `recorded_from` until `recorded_until`
#: the register held that the region had `status` from `valid_from` until `valid_to`,
#: where the end was learnt at `closed_at` (before then the period was open-ended).
#: `seq` is the period's place in the region's timeline. The next period closes a row
#: in place (setting `valid_to` and `closed_at` loses nothing); a correction, which
#: changes what was known, supersedes rows (sets `recorded_until`) and writes successors.
#: An event writes at most two rows: `row` is twice its position, plus one.
#: A status dated as a document dates it (`since`, EDTF) may hold from `valid_from`
#: (its earliest day) and is documented from `certain_from` (its upper bound; an exact
#: date's first day) until `certain_to` (the earliest day of the next period), possibly
#: until `valid_to` (the day the next period is documented from). `inferred`: what its
#: date was inferred from. `actor` and `db_role`: who recorded the period's event (the
#: `--actor` it gave, the database role that wrote it).
ROSTER = Table(
    "read_roster",
    (("row", B), ("region_id", T), ("seq", INT), ("status", T), ("since", T),
     ("valid_from", T), ("valid_to", T), ("closed_at", T), ("cause", T), ("source", T),
     ("corrects", T), ("recorded_at", T), ("recorded_from", T), ("recorded_until", T),
     ("certain_from", T), ("certain_to", T), ("inferred", T), ("actor", T), ("db_role", T)),
    key=("row",),
    #: A region's current periods, which a new period changes: a small index (a few
    #: rows per region), cheap to keep up while a rebuild writes the table.
    partial_handler_indexes=((("region_id", "seq"), "recorded_until IS NULL"),),
    #: A region's periods as known at any time (`audit --known-at`).
    query_indexes=(("region_id", "recorded_until"),),
    read_back=False,
    #: The roster as of a day reads index ranges, not the table. As known now: only the
    #: first index, of the current rows (a few per region, however many corrections
    #: have been superseded), with every column the answer needs (on PostgreSQL less
    #: the long texts). As known at an earlier time (`common.known_rows`): the rows
    #: still current that were recorded by then, from the same index, and the rows
    #: superseded since then, from the second, of the superseded rows by when they were.
    #: (An index led by recorded_until over all rows made SQLite choose a slower
    #: multi-index plan for `recorded_until IS NULL OR recorded_until > ?`.)
    partial_indexes=((("valid_from", "valid_to", "status", "region_id", "since", "cause", "source",
                       "certain_from", "certain_to", "closed_at", "inferred", "recorded_from", "recorded_until"),
                      "recorded_until IS NULL"),
                     (("recorded_until", "recorded_from", "valid_from", "valid_to", "closed_at", "status"),
                      "recorded_until IS NOT NULL")),
    long=("cause", "source", "inferred"),
)
#: `n` numbers the rows densely in log order (positions have gaps: bookkeeping events
#: are left out), so that any page of the whole history is a range look-up. `names`
#: (JSON, [[region id, name], ...]) are the regions the subject and summary name, as
#: written: a query names them as they were named on the row's date. `db_role`: the
#: database role that wrote the event, where the database records one (PostgreSQL).
HISTORY = Table(
    "read_history",
    (("n", B), ("position", B), ("recorded_at", T), ("effective", T), ("eff_first", T), ("eff_last", T),
     ("kind", T), ("subject", T), ("actor", T), ("cause", T), ("source", T),
     ("region_id", T), ("assembly", T), ("summary", T), ("names", T), ("db_role", T)),
    key=("n",),
    query_indexes=(("region_id", "position"), ("assembly", "position"), ("cause",), ("eff_first",)),
    sparse=("region_id", "assembly", "cause"),
)
ASSEMBLIES = Table(
    "read_assemblies",
    (("id", T), ("ident", T), ("body", T), ("number", INT), ("host_id", T), ("host", T),
     ("opened", T), ("opened_first", T), ("closed", T), ("attended", INT), ("position", B)),
    key=("id",),
    indexes=(("ident",),),
)
ATTENDANCE = Table(
    "read_attendance",
    (("assembly", T), ("seq", INT), ("region", T), ("position", B), ("region_id", T)),
    key=("assembly", "seq"),
)
DECISIONS = Table(
    "read_decisions",
    (("ref", T), ("assembly", T), ("seq", INT), ("kind", T), ("text", T), ("params", T),
     ("position", B), ("recorded_at", T)),
    key=("ref",),
    query_indexes=(("assembly", "seq"),),
)
COMMITTEES = Table(
    "read_committees",
    (("id", T), ("name", T), ("norm", T), ("purpose", T), ("established", T), ("cause", T),
     ("source", T), ("dissolved", T), ("dissolved_cause", T), ("position", B)),
    key=("id",),
    indexes=(("norm",),),
)
#: `since` as given (EDTF for a documentary date); `since_first`: the day the term is
#: documented from (an exact date's first day, a documentary date's upper bound).
COORDINATORS = Table(
    "read_coordinators",
    (("position", B), ("committee_id", T), ("region_id", T), ("region", T), ("since", T),
     ("cause", T), ("source", T), ("since_first", T)),
    key=("position",),
    query_indexes=(("committee_id", "position"),),
)
CHARTER_VERSIONS = Table(
    "read_charter_versions",
    (("number", INT), ("on_date", T), ("on_first", T), ("cause", T), ("scope", T), ("change", T),
     ("article", T), ("position", B), ("recorded_at", T)),
    key=("number",),
    read_back=False,
)
#: An article's text from version `version_from` until `version_to` (exclusive).
CHARTER_ARTICLES = Table(
    "read_charter_articles",
    (("article", T), ("version_from", INT), ("version_to", INT), ("text", T)),
    key=("article", "version_from"),
    indexes=(("article", "version_to"),),
    read_back=False,
)
#: Cases of every declared process, one row each: its state and since when.
CASES = Table(
    "read_cases",
    (("id", T), ("reference", T), ("process", T), ("state", T), ("since", T), ("opened", T),
     ("region_id", T), ("subject", T), ("country", T), ("kind", T), ("assembly", T),
     ("decision", T), ("detail", T), ("position", B)),
    key=("id",),
    query_indexes=(("reference",), ("process", "state")),
)
CASE_STEPS = Table(
    "read_case_steps",
    (("position", B), ("case_id", T), ("step", T), ("state", T), ("recorded_at", T),
     ("on_date", T), ("actor", T), ("cause", T), ("note", T)),
    key=("position",),
    query_indexes=(("case_id", "position"),),
)
#: Counts the record states without naming the regions (`domain.count`; `stated`: the
#: number), one row per version: the current one has `recorded_until` NULL, a correction
#: supersedes it. `since` as given (EDTF); `since_from`: its earliest day (`OPEN_START`
#: if unbounded);
#: `since_certain`: the day it is documented from; `since_to`: the last day it allows
#: as the register reads it (an exact date's last day, a documentary date's upper bound);
#: `since_last`: the last day it allows (a documentary date's, to the end of its upper
#: bound's precision).
#: `countries`: comma-separated codes, empty where the document names none.
COUNTS = Table(
    "read_counts",
    (("row", B), ("id", T), ("status", T), ("stated", INT), ("countries", T), ("since", T),
     ("since_from", T), ("since_certain", T), ("since_to", T), ("since_last", T), ("source", T), ("inferred", T),
     ("recorded_at", T), ("recorded_from", T), ("recorded_until", T)),
    key=("row",),
    partial_handler_indexes=((("id",), "recorded_until IS NULL"),),
)

TABLES = (
    REGIONS, FORMER_NAMES, ROSTER, HISTORY, ASSEMBLIES, ATTENDANCE, DECISIONS,
    COMMITTEES, COORDINATORS, CHARTER_VERSIONS, CHARTER_ARTICLES, CASES, CASE_STEPS, COUNTS,
)

#: One row per generation of the read models: the position they have reached, the
#: VERSION of their tables, and why they cannot go further (`error`, else NULL).
CREATE_TRACKING = (
    f"CREATE TABLE IF NOT EXISTS {TRACKING} "
    "(name TEXT PRIMARY KEY, position BIGINT NOT NULL, version INTEGER NOT NULL, error TEXT)"
)


def create_tables(dialect: str) -> list[str]:
    statements = []
    for table in TABLES:
        statements += (table.create(dialect) + table.create_indexes(table.indexes)
                       + table.create_partial_indexes(table.partial_handler_indexes, dialect))
    return statements


def create_query_indexes(dialect: str) -> list[str]:
    return [s for table in TABLES
            for s in table.create_indexes(table.query_indexes)
            + table.create_partial_indexes(table.partial_indexes, dialect)]


def drop_tables() -> list[str]:
    return [f"DROP TABLE IF EXISTS {table.name}" for table in TABLES]
