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
from eventsourcing.persistence import JSONTranscoder, Mapper, Recording, StoredEvent
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
        "persistence.register.Register._record overrides it to put due snapshots in the events' transaction "
        "(super() otherwise)",
        body="104c6186b29d5059"),
    Pin("eventsourcing.application:Application._take_snapshots",
        "(self, processing_event: 'ProcessingEvent[TAggregateID]') -> 'None'",
        "Register._take_snapshots skips it when _record took the snapshots; persistence.snapshots.due mirrors its rule",
        body="ae98c5b97ed9a8e3"),
    Pin("eventsourcing.application:Application._notify",
        "(self, recordings: 'list[Recording[TAggregateID]]') -> 'None'",
        "Register.save, which replaces the library's save, calls it as the library's save does"),
    Pin("eventsourcing.application:Application.save",
        "(self, *objs: 'MutableOrImmutableAggregate[TAggregateID] | DomainEventProtocol[TAggregateID] | None', "
        "**kwargs: 'Any') -> 'list[Recording[TAggregateID]]'",
        "Register.save replaces it (without its runtime-protocol isinstance checks) and repeats its steps",
        body="4e9747d14b8fd046"),
    Pin("eventsourcing.application:Application.notify",
        "(self, new_events: 'list[DomainEventProtocol[TAggregateID]]') -> 'None'",
        "Register.save calls this deprecated hook, as the library's save does"),
    Pin("eventsourcing.application:ProcessingEvent.events", None,
        "Register.save fills a ProcessingEvent by hand and Register._record reads it"),
    Pin("eventsourcing.application:ProcessingEvent.aggregates", None,
        "Register.save fills it by hand; Register._record and persistence.snapshots.due read it"),
    Pin("eventsourcing.application:ProcessingEvent.saved_kwargs", None,
        "Register.save fills it; Register._record passes it to EventStore.put"),
    Pin("eventsourcing.application:ProcessingEvent.tracking", None,
        "Register._record passes it to EventStore.put"),
    Pin("eventsourcing.sqlite:SQLiteApplicationRecorder._insert_events",
        "(self, c: 'SQLiteCursor', stored_events: 'Sequence[StoredEvent]', **_: 'Any') -> 'Sequence[int] | None'",
        "persistence.sqlite.SQLiteCommandRecorder._insert_events overrides it to insert the `snapshots` keyword's "
        "snapshots on the same cursor"),
    Pin("eventsourcing.sqlite:SQLiteAggregateRecorder._insert_events",
        "(self, c: 'SQLiteCursor', stored_events: 'Sequence[StoredEvent]', **_: 'Any') -> 'Sequence[int] | None'",
        "SQLiteCommandRecorder._insert_events calls it on its snapshot recorder, inside the events' transaction"),
    Pin("eventsourcing.postgres:PostgresApplicationRecorder._insert_stored_events",
        "(self, curs: 'Cursor[DictRow]', stored_events: 'Sequence[StoredEvent]', **kwargs: 'Any') -> 'None'",
        "persistence.postgres.PostgresCommandRecorder overrides it to insert snapshots after the events, "
        "under the library's table lock, "
        "on another cursor (insert_events then reads the notification ids from `curs`)"),
    Pin("eventsourcing.postgres:PostgresAggregateRecorder._insert_stored_events",
        "(self, curs: 'Cursor[DictRow]', stored_events: 'Sequence[StoredEvent]', **_: 'Any') -> 'None'",
        "PostgresCommandRecorder._insert_stored_events calls it on the snapshot recorder, in the events' transaction"),
    Pin("eventsourcing.postgres:PostgresDatastore.enable_db_functions", None,
        "PostgresCommandRecorder.takes_snapshots reads it: with the stored-function insert there is no hook, "
        "so snapshots are not taken inline"),
    # Loading: an aggregate's latest snapshot and its later events in one read.
    Pin("eventsourcing.application:Repository._reconstruct_aggregate",
        "(self, aggregate_id: 'TAggregateID', version: 'int | None', "
        "projector_func: 'ProjectorFunction[TMutableOrImmutableAggregate, TDomainEvent]') "
        "-> 'TMutableOrImmutableAggregate'",
        "persistence.repository.LatestRepository overrides it to load through the recorder's select_latest; "
        "super() for past versions",
        body="56d7c30cb77083be"),
    Pin("eventsourcing.application:Repository.event_store", None,
        "LatestRepository._reconstruct_aggregate decodes events with event_store.mapper"),
    Pin("eventsourcing.application:Repository.snapshot_store", None,
        "LatestRepository._reconstruct_aggregate decodes the snapshot with snapshot_store.mapper"),
    Pin("eventsourcing.application:Repository.cache", None,
        "Register._record, load and commit put and copy cached aggregates"),
    Pin("eventsourcing.application:Cache.get", "(self, key: 'S', *, evict: 'bool' = False) -> 'T'",
        "LatestRepository.current looks an aggregate up in Repository.cache, a miss raising KeyError, "
        "before it reads the store (and asks Repository.get to fast-forward a cached one not known current)"),
    Pin("eventsourcing.persistence:Recording.notification", None,
        "Register.commit reads the notification ids its save took (LatestRepository.saved keeps cached "
        "aggregates known current by them)"),
    Pin("eventsourcing.application:Repository.fastforward", None,
        "Register._record caches saved aggregates only when fastforward is off, as the library's _record"),
    Pin("eventsourcing.application:project_aggregate",
        "(aggregate: 'TMutableOrImmutableAggregate | None', domain_events: 'Iterable[DomainEventProtocol[Any]]') "
        "-> 'TMutableOrImmutableAggregate | None'",
        "persistence.repository.project is a copy of it without its per-event runtime-protocol assert",
        body="e2d05062a4fad31f"),
    Pin("eventsourcing.domain:DomainEvent.__post_init__", "(self) -> 'None'",
        "PydanticMapper.to_domain_event's fast path skips it (and redoes its UUID check) when an event class has it",
        body="896a720b8431001a"),
    # Reading an aggregate's events: a near copy of the library's select_events.
    Pin("eventsourcing.sqlite:SQLiteAggregateRecorder.select_events",
        "(self, originator_id: 'UUID | str', *, gt: 'int | None' = None, lte: 'int | None' = None, "
        "desc: 'bool' = False, limit: 'int | None' = None) -> 'Sequence[StoredEvent]'",
        "SQLiteCommandRecorder.select_events is a near copy of it that reads on the thread's own connection",
        body="9f67704c004bbbd4"),
    Pin("eventsourcing.sqlite:SQLiteApplicationRecorder.select_events_statement", None,
        "SQLiteCommandRecorder.select_events builds its statement on it, reading the columns by position"),
    Pin("eventsourcing.sqlite:SQLiteApplicationRecorder.events_table_name", None,
        "the command recorders' select_latest, projections.engine._sqlite_reader and bench name the table"),
    Pin("eventsourcing.sqlite:SQLiteApplicationRecorder.datastore", None,
        "projections.db.open_database keeps the read models beside the events (else a private memory database), "
        "engine._sqlite_reader reads rows through it, SQLiteCommandRecorder._reading opens its reader from its pool"),
    Pin("eventsourcing.popo:POPOApplicationRecorder._insert_events",
        "(self, stored_events: 'Sequence[StoredEvent]', **kwargs: 'Any') -> 'Sequence[int] | None'",
        "loader._ReadThrough.select_events copies the target's events into the rehearsal's memory store"),
    Pin("eventsourcing.popo:POPOApplicationRecorder._stored_events", None,
        "bench/run.py stored_snapshots reads a memory store's snapshots from it"),
    # SQLite durability: every connection synchronous=FULL, on a datastore of our own.
    Pin("eventsourcing.sqlite:SQLiteConnectionPool._create_connection", "(self) -> 'SQLiteConnection'",
        "persistence.sqlite.DurableSQLiteConnectionPool overrides it to set PRAGMA synchronous=FULL on each "
        "new connection"),
    Pin("eventsourcing.sqlite:SQLiteDatastore.__init__",
        "(self, db_name: 'str', *, lock_timeout: 'int | None' = None, pool_size: 'int' = 5, "
        "max_overflow: 'int' = 10, pool_timeout: 'float' = 5.0, max_age: 'float | None' = None, "
        "pre_ping: 'bool' = False, single_row_tracking: 'bool' = True, "
        "originator_id_type: \"Literal['uuid', 'text']\" = 'uuid')",
        "persistence.sqlite.DurableSQLiteDatastore restates its assignments with the durable pool (the library "
        "has no hook for the pool's class)",
        body="6f70a3c7d7e9d8ae"),
    Pin("eventsourcing.sqlite:SQLiteDatastore.single_row_tracking", None,
        "DurableSQLiteFactory copies it from the datastore the library's factory built"),
    Pin("eventsourcing.sqlite:SQLiteDatastore.originator_id_type", None,
        "DurableSQLiteFactory copies it from the datastore the library's factory built"),
    Pin("eventsourcing.sqlite:SQLiteDatastore.pool", None,
        "DurableSQLiteFactory reads the library's settings from it; SQLiteCommandRecorder._reading and "
        "projections.db read it"),
    Pin("eventsourcing.sqlite:SQLiteConnectionPool.db_name", None,
        "DurableSQLiteFactory copies it; SQLiteCommandRecorder._reading connects to it; "
        "projections.engine.Projector._into_memory attaches it to copy a read-only store's read models"),
    Pin("eventsourcing.sqlite:SQLiteConnectionPool.lock_timeout", None,
        "DurableSQLiteFactory copies it; SQLiteCommandRecorder._reading uses it as its reader's timeout"),
    Pin("eventsourcing.sqlite:SQLiteConnectionPool.is_sqlite_memory_mode", None,
        "SQLiteCommandRecorder._reading and projections.db.open_database tell an in-memory database by it"),
    # Construction: the library's hooks, and one restated constructor.
    Pin("eventsourcing.sqlite:SQLiteFactory.application_recorder_class", None,
        "DurableSQLiteFactory names SQLiteCommandRecorder by it"),
    Pin("eventsourcing.postgres:PostgresFactory.application_recorder_class", None,
        "SchemaPostgresFactory names PostgresCommandRecorder by it"),
    Pin("eventsourcing.application:Application.construct_repository", "(self) -> 'Repository[TAggregateID]'",
        "Register.construct_repository restates it to build LatestRepository with the same settings",
        body="0b91d1e16616f82c"),
    Pin("eventsourcing.application:Application.construct_snapshot_store", "(self) -> 'EventStore[TAggregateID]'",
        "Register.construct_snapshot_store uses the command recorder's own snapshot recorder instead",
        body="c37ed9d58b22ca34"),
    # A store opened read-only: a table the file lacks reads as empty (persistence.sqlite).
    Pin("eventsourcing.sqlite:SQLiteFactory.aggregate_recorder",
        "(self, purpose: 'str' = 'events') -> 'AggregateRecorder'",
        "DurableSQLiteFactory.aggregate_recorder names the table as it does (stored_PURPOSE) to tell whether a "
        "read-only file has it, and builds the same recorder on an empty in-memory table where it has not",
        body="4230cf93597935b5"),
    Pin("eventsourcing.sqlite:SQLiteFactory.application_recorder", "(self) -> 'ApplicationRecorder'",
        "DurableSQLiteFactory.application_recorder tells by the recorder's default table name (stored_events, "
        "persistence.opening.EVENTS_TABLE) whether a read-only file holds a register",
        body="2ff89d365dc5ba79"),
    # PostgreSQL: tables created only where they are missing (persistence.postgres).
    Pin("eventsourcing.postgres:BasePostgresFactory.env_create_table", "(self) -> 'bool'",
        "SchemaPostgresFactory.env_create_table overrides it: the factory methods below ask it whether to create "
        "a recorder's tables, which a reader or writer role may not do"),
    Pin("eventsourcing.postgres:PostgresFactory.aggregate_recorder",
        "(self, purpose: 'str' = 'events') -> 'AggregateRecorder'",
        "SchemaPostgresFactory._recorder names the table as it does (governance_PURPOSE) to tell whether it is "
        "set up, and relies on it asking env_create_table after constructing the recorder",
        body="79b5be3db77bd32c"),
    Pin("eventsourcing.postgres:PostgresFactory.application_recorder", "(self) -> 'ApplicationRecorder'",
        "SchemaPostgresFactory._recorder: as aggregate_recorder, for the events table (governance_events)",
        body="b6fe3818818125cd"),
    Pin("eventsourcing.postgres:PostgresDatastore.schema", None,
        "SchemaPostgresFactory creates the schema; PostgresCommandRecorder.select_latest and projections.db name it"),
]

MEMORY_DB = "file:near-gov-contract?mode=memory&cache=shared"

#: How to construct, without opening a file or a connection, an object of each library
#: class whose attributes are pinned (attributes are set by `__init__`, not on the class).
CONSTRUCT: dict[type, Callable[[], Any]] = {
    ProcessingEvent: ProcessingEvent,
    Recording: lambda: Recording(None, None),  # type: ignore[arg-type]
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
    if any(name in vars(k) for k in cls.__mro__):  # a class attribute (a hook such as a class to use)
        return True
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
    from near_gov.persistence.sqlite import SQLiteCommandRecorder

    recorder = SQLiteCommandRecorder(SQLiteDatastore(str(tmp_path / "events.db")))
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


def _library_member_overridden(cls: type, name: str) -> str | None:
    """`module:Class.name` of the library class whose member `cls` overrides, if any."""
    for base in cls.__mro__[1:]:
        if base.__module__.startswith("eventsourcing.") and name in vars(base):
            return f"{base.__module__}:{base.__qualname__}.{name}"
    return None


def test_every_private_library_member_the_persistence_package_overrides_is_pinned():
    import near_gov.persistence.postgres
    import near_gov.persistence.register
    import near_gov.persistence.repository
    import near_gov.persistence.sqlite

    pinned = {pin.member for pin in PINS}
    overridden = set()
    for module in (near_gov.persistence.postgres, near_gov.persistence.register,
                   near_gov.persistence.repository, near_gov.persistence.sqlite):
        for cls in vars(module).values():
            if isinstance(cls, type) and cls.__module__ == module.__name__:
                for name in vars(cls):
                    private = name.startswith("_") and not name.startswith("__") and name != "_abc_impl" \
                        or name == "save"  # replaced without calling the library's
                    member = _library_member_overridden(cls, name) if private else None
                    if member:
                        overridden.add(member)

    assert overridden, "the scan found no override: it no longer looks where the overrides are"
    assert sorted(overridden - pinned) == []
