"""The eventsourcing library's internals near-gov relies on, pinned against the installed
library.

near-gov overrides, calls or reads members of eventsourcing that are not its public API
(to save a command's snapshots in the command's transaction, load an aggregate in one
read, make SQLite commits durable, ...). A library upgrade may change them without
notice. `PINS` lists each one with the signature near-gov was written against
(`str(inspect.signature(...))`), or, for an attribute, that a constructed object has
it; where near-gov copies or replaces a member's body, also a fingerprint of that body.
`changed_signatures` compares them with the installed library, so that an upgrade
that changes one fails here, in one place, naming the member, both signatures and why
near-gov uses it.

When it fails: read the library's new code for that member, adapt near-gov's use of it
(`why` says where), then update the pin.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import uuid4

from eventsourcing.application import EventStore, ProcessingEvent, Repository
from eventsourcing.persistence import JSONTranscoder, Mapper, StoredEvent
from eventsourcing.popo import POPOApplicationRecorder
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteConnectionPool, SQLiteDatastore


@dataclass(frozen=True)
class Pin:
    """One library member near-gov depends on."""

    member: str  # "module:Class.name", or "module:function"
    signature: str | None  # str(inspect.signature(member)); None: an attribute of a constructed object
    why: str  # where near-gov uses it, and why
    body: str | None = None  # where near-gov copies or replaces the member's code: `fingerprint(member)`


PINS = [
    # Saving: a command's events and the snapshots they make due, in one transaction.
    Pin("eventsourcing.application:Application._record",
        "(self, processing_event: 'ProcessingEvent[TAggregateID]') -> 'list[Recording[TAggregateID]]'",
        "Governance._record overrides it to put due snapshots in the events' transaction (super() otherwise)",
        body="104c6186b29d5059"),
    Pin("eventsourcing.application:Application._take_snapshots",
        "(self, processing_event: 'ProcessingEvent[TAggregateID]') -> 'None'",
        "Governance._take_snapshots skips it when _record took the snapshots; _due_snapshots mirrors its rule",
        body="ae98c5b97ed9a8e3"),
    Pin("eventsourcing.application:Application._notify",
        "(self, recordings: 'list[Recording[TAggregateID]]') -> 'None'",
        "Governance.save, which replaces the library's save, calls it as the library's save does"),
    Pin("eventsourcing.application:Application.save",
        "(self, *objs: 'MutableOrImmutableAggregate[TAggregateID] | DomainEventProtocol[TAggregateID] | None', "
        "**kwargs: 'Any') -> 'list[Recording[TAggregateID]]'",
        "Governance.save replaces it (without its runtime-protocol isinstance checks) and repeats its steps",
        body="4e9747d14b8fd046"),
    Pin("eventsourcing.application:Application.notify",
        "(self, new_events: 'list[DomainEventProtocol[TAggregateID]]') -> 'None'",
        "Governance.save calls this deprecated hook, as the library's save does"),
    Pin("eventsourcing.application:ProcessingEvent.events", None,
        "Governance.save fills a ProcessingEvent by hand and Governance._record reads it"),
    Pin("eventsourcing.application:ProcessingEvent.aggregates", None,
        "Governance.save fills it by hand; _record and _due_snapshots read it"),
    Pin("eventsourcing.application:ProcessingEvent.saved_kwargs", None,
        "Governance.save fills it; Governance._record passes it to EventStore.put"),
    Pin("eventsourcing.application:ProcessingEvent.tracking", None,
        "Governance._record passes it to EventStore.put"),
    Pin("eventsourcing.sqlite:SQLiteApplicationRecorder._insert_events",
        "(self, c: 'SQLiteCursor', stored_events: 'Sequence[StoredEvent]', **_: 'Any') -> 'Sequence[int] | None'",
        "SQLiteRecorder._insert_events overrides it to insert the `snapshots` keyword's snapshots on the same cursor"),
    Pin("eventsourcing.sqlite:SQLiteAggregateRecorder._insert_events",
        "(self, c: 'SQLiteCursor', stored_events: 'Sequence[StoredEvent]', **_: 'Any') -> 'Sequence[int] | None'",
        "SQLiteRecorder._insert_events calls it on the snapshot recorder, inside the events' transaction"),
    Pin("eventsourcing.postgres:PostgresApplicationRecorder._insert_stored_events",
        "(self, curs: 'Cursor[DictRow]', stored_events: 'Sequence[StoredEvent]', **kwargs: 'Any') -> 'None'",
        "PostgresRecorder overrides it to insert snapshots after the events, under the library's table lock, "
        "on another cursor (insert_events then reads the notification ids from `curs`)"),
    Pin("eventsourcing.postgres:PostgresAggregateRecorder._insert_stored_events",
        "(self, curs: 'Cursor[DictRow]', stored_events: 'Sequence[StoredEvent]', **_: 'Any') -> 'None'",
        "PostgresRecorder._insert_stored_events calls it on the snapshot recorder, in the events' transaction"),
    Pin("eventsourcing.postgres:PostgresDatastore.enable_db_functions", None,
        "Governance reads it: with the stored-function insert there is no hook, so snapshots are not taken inline"),
    # Loading: an aggregate's latest snapshot and its later events in one read.
    Pin("eventsourcing.application:Repository._reconstruct_aggregate",
        "(self, aggregate_id: 'TAggregateID', version: 'int | None', "
        "projector_func: 'ProjectorFunction[TMutableOrImmutableAggregate, TDomainEvent]') "
        "-> 'TMutableOrImmutableAggregate'",
        "_Repository (swapped in by Governance.construct_repository) overrides it to load through "
        "recorder.select_latest; super() for past versions",
        body="56d7c30cb77083be"),
    Pin("eventsourcing.application:Repository.event_store", None,
        "_Repository._reconstruct_aggregate decodes events with event_store.mapper"),
    Pin("eventsourcing.application:Repository.snapshot_store", None,
        "_Repository._reconstruct_aggregate decodes the snapshot with snapshot_store.mapper"),
    Pin("eventsourcing.application:Repository.cache", None,
        "Governance._record, _load and the save path put and copy cached aggregates"),
    Pin("eventsourcing.application:Repository.fastforward", None,
        "Governance._record caches saved aggregates only when fastforward is off, as the library's _record"),
    Pin("eventsourcing.application:project_aggregate",
        "(aggregate: 'TMutableOrImmutableAggregate | None', domain_events: 'Iterable[DomainEventProtocol[Any]]') "
        "-> 'TMutableOrImmutableAggregate | None'",
        "service._project is a copy of it without its per-event runtime-protocol assert",
        body="e2d05062a4fad31f"),
    Pin("eventsourcing.domain:DomainEvent.__post_init__", "(self) -> 'None'",
        "PydanticMapper.to_domain_event's fast path skips it (and redoes its UUID check) when an event class has it",
        body="896a720b8431001a"),
    # Reading an aggregate's events: a near copy of the library's select_events.
    Pin("eventsourcing.sqlite:SQLiteAggregateRecorder.select_events",
        "(self, originator_id: 'UUID | str', *, gt: 'int | None' = None, lte: 'int | None' = None, "
        "desc: 'bool' = False, limit: 'int | None' = None) -> 'Sequence[StoredEvent]'",
        "SQLiteRecorder.select_events is a near copy of it that reads on the thread's own connection",
        body="9f67704c004bbbd4"),
    Pin("eventsourcing.sqlite:SQLiteApplicationRecorder.select_events_statement", None,
        "SQLiteRecorder.select_events builds its statement on it, reading the columns by position"),
    Pin("eventsourcing.sqlite:SQLiteApplicationRecorder.events_table_name", None,
        "SQLiteRecorder/PostgresRecorder.select_latest, projections.engine._sqlite_reader and bench name the table"),
    Pin("eventsourcing.sqlite:SQLiteApplicationRecorder.datastore", None,
        "projections.db.open_database keeps the read models beside the events (else a private memory database), "
        "engine._sqlite_reader reads rows through it, SQLiteRecorder._reading opens its reader from its pool"),
    Pin("eventsourcing.popo:POPOApplicationRecorder._insert_events",
        "(self, stored_events: 'Sequence[StoredEvent]', **kwargs: 'Any') -> 'Sequence[int] | None'",
        "loader._ReadThrough.select_events copies the target's events into the rehearsal's memory store"),
    Pin("eventsourcing.popo:POPOApplicationRecorder._stored_events", None,
        "bench/run.py stored_snapshots reads a memory store's snapshots from it"),
    # SQLite durability: every connection synchronous=FULL, by swapping the datastore's pool.
    Pin("eventsourcing.sqlite:SQLiteConnectionPool._create_connection", "(self) -> 'SQLiteConnection'",
        "DurableSQLiteConnectionPool overrides it to set PRAGMA synchronous=FULL on each new connection"),
    Pin("eventsourcing.sqlite:SQLiteConnectionPool.__init__",
        "(self, *, db_name: 'str', lock_timeout: 'int | None' = None, pool_size: 'int' = 5, "
        "max_overflow: 'int' = 10, pool_timeout: 'float' = 5.0, max_age: 'float | None' = None, "
        "pre_ping: 'bool' = False)",
        "DurableSQLiteFactory rebuilds the library's pool passing each of these from the old pool's attributes"),
    Pin("eventsourcing.sqlite:SQLiteDatastore.pool", None,
        "DurableSQLiteFactory replaces it after construction; SQLiteRecorder._reading and projections.db read it"),
    *(Pin(f"eventsourcing.sqlite:SQLiteConnectionPool.{name}", None,
          "DurableSQLiteFactory copies it into the replacement pool")
      for name in ("pool_size", "max_overflow", "pool_timeout", "max_age", "pre_ping")),
    Pin("eventsourcing.sqlite:SQLiteConnectionPool.db_name", None,
        "DurableSQLiteFactory copies it and prepares the file; SQLiteRecorder._reading connects to it"),
    Pin("eventsourcing.sqlite:SQLiteConnectionPool.lock_timeout", None,
        "DurableSQLiteFactory copies it; SQLiteRecorder._reading uses it as its reader's timeout"),
    Pin("eventsourcing.sqlite:SQLiteConnectionPool.is_sqlite_memory_mode", None,
        "SQLiteRecorder._reading and projections.db.open_database tell an in-memory database by it"),
    Pin("eventsourcing.postgres:PostgresDatastore.schema", None,
        "SchemaPostgresFactory creates the schema; PostgresRecorder.select_latest and projections.db name it"),
]

MEMORY_DB = "file:near-gov-contract?mode=memory&cache=shared"

#: How to construct, without opening a file or a connection, an object of each library
#: class whose attributes are pinned (attributes are set by `__init__`, not on the class).
CONSTRUCT: dict[type, Callable[[], Any]] = {
    ProcessingEvent: ProcessingEvent,
    Repository: lambda: Repository(EventStore(Mapper(JSONTranscoder()), POPOApplicationRecorder()), cache_maxsize=1),
    SQLiteConnectionPool: lambda: SQLiteConnectionPool(db_name=MEMORY_DB),
    SQLiteDatastore: lambda: SQLiteDatastore(MEMORY_DB),
    SQLiteApplicationRecorder: lambda: SQLiteApplicationRecorder(SQLiteDatastore(MEMORY_DB)),
    POPOApplicationRecorder: POPOApplicationRecorder,
    PostgresDatastore: lambda: PostgresDatastore("near", "127.0.0.1", 5432, "near", ""),
}


MISSING = object()


def resolve(member: str) -> tuple[Any, str, Any]:
    """(owner, name, value) of `module:Qual.name`; the owner is None where the module or
    class is gone, the value `MISSING` where the owner has no such member."""
    module, _, qualname = member.partition(":")
    *path, name = qualname.split(".")
    try:
        owner: Any = importlib.import_module(module)
        for part in path:
            owner = getattr(owner, part)
    except (ImportError, AttributeError):
        return None, name, MISSING
    return owner, name, getattr(owner, name, MISSING)


def fingerprint(member: str) -> str:
    """The first 16 hex digits of the SHA-256 of the member's source."""
    return hashlib.sha256(inspect.getsource(resolve(member)[2]).encode()).hexdigest()[:16]


def has_attribute(cls: type, name: str) -> bool:
    """Whether an object of the library class `cls`, as `CONSTRUCT` makes it, has `name`."""
    instance = CONSTRUCT[cls]()
    try:
        return hasattr(instance, name)
    finally:
        close = getattr(instance, "close", None)
        if close is not None:
            close()


def changed_signatures(pins: list[Pin]) -> list[str]:
    """A message for every pin the installed eventsourcing no longer matches."""
    changes = []
    for pin in pins:
        owner, name, value = resolve(pin.member)
        if owner is None:
            changes.append(f"{pin.member}: its module or class is missing from the installed library\n"
                           f"  near-gov: {pin.why}")
            continue
        if pin.signature is None:
            if not has_attribute(owner, name):
                changes.append(f"{pin.member}: no longer set on a constructed {owner.__name__}\n"
                               f"  near-gov: {pin.why}")
            continue
        if value is MISSING:
            changes.append(f"{pin.member}: missing from the installed library (pinned {pin.signature})\n"
                           f"  near-gov: {pin.why}")
            continue
        installed = str(inspect.signature(value))
        if installed != pin.signature:
            changes.append(f"{pin.member}: signature changed\n  pinned:    {pin.signature}\n"
                           f"  installed: {installed}\n  near-gov: {pin.why}")
        if pin.body is not None and fingerprint(pin.member) != pin.body:
            changes.append(f"{pin.member}: body changed (pinned {pin.body}, installed {fingerprint(pin.member)}); "
                           f"near-gov copies or replaces it: port the change\n  near-gov: {pin.why}")
    return changes


def test_the_installed_eventsourcing_matches_every_pin():
    changes = changed_signatures(PINS)

    assert changes == [], "eventsourcing changed under near-gov:\n" + "\n".join(changes)


def test_every_pin_names_a_different_member():
    members = [pin.member for pin in PINS]

    assert len(members) == len(set(members))


def test_a_changed_signature_is_reported_with_both_signatures():
    pin = Pin("eventsourcing.application:Application._notify", "(self, recordings) -> 'None'", "a test")

    assert changed_signatures([pin]) == [
        "eventsourcing.application:Application._notify: signature changed\n"
        "  pinned:    (self, recordings) -> 'None'\n"
        "  installed: (self, recordings: 'list[Recording[TAggregateID]]') -> 'None'\n"
        "  near-gov: a test"
    ]


def test_a_missing_method_is_reported():
    pin = Pin("eventsourcing.application:Application._record_all", "(self) -> 'None'", "a test")

    assert changed_signatures([pin]) == [
        "eventsourcing.application:Application._record_all: missing from the installed library "
        "(pinned (self) -> 'None')\n  near-gov: a test"
    ]


def test_a_missing_class_is_reported():
    pin = Pin("eventsourcing.sqlite:SQLiteConnectionPoolV2._create_connection", "(self)", "a test")

    assert changed_signatures([pin]) == [
        "eventsourcing.sqlite:SQLiteConnectionPoolV2._create_connection: its module or class is missing "
        "from the installed library\n  near-gov: a test"
    ]


def test_a_missing_attribute_is_reported():
    pin = Pin("eventsourcing.sqlite:SQLiteDatastore.connection_pool", None, "a test")

    assert changed_signatures([pin]) == [
        "eventsourcing.sqlite:SQLiteDatastore.connection_pool: no longer set on a constructed SQLiteDatastore\n"
        "  near-gov: a test"
    ]


def test_a_changed_body_is_reported():
    (save,) = [pin for pin in PINS if pin.member == "eventsourcing.application:Application.save"]
    pin = Pin(save.member, save.signature, "a test", body="0" * 16)

    (change,) = changed_signatures([pin])

    assert change.startswith("eventsourcing.application:Application.save: body changed (pinned 0000000000000000, ")


def test_the_near_copy_of_select_events_reads_what_the_library_reads(tmp_path: Path):
    from near_gov.service import SQLiteRecorder

    recorder = SQLiteRecorder(SQLiteDatastore(str(tmp_path / "events.db")))
    recorder.create_table()
    aggregate = uuid4()
    recorder.insert_events([StoredEvent(aggregate, v, f"topic{v}", f"state{v}".encode()) for v in range(1, 6)])
    recorder.insert_events([StoredEvent(uuid4(), 1, "other", b"other")])
    queries = [{}, {"gt": 2}, {"lte": 3}, {"gt": 1, "lte": 4}, {"desc": True}, {"desc": True, "limit": 2},
               {"gt": 1, "limit": 2}, {"gt": 5}]

    for query in queries:
        for originator_id in (aggregate, aggregate.hex):
            ours = recorder.select_events(originator_id, **query)
            library = SQLiteApplicationRecorder.select_events(recorder, originator_id, **query)
            assert ours == list(library), (originator_id, query)
    recorder.close_readers()
    recorder.datastore.close()
