"""Persistence: store URLs, SQLite durability, and events surviving a restart with their types."""

from __future__ import annotations

import stat
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, ClassVar
from uuid import UUID, uuid4

import pytest
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import MapperDeserialisationError
from pydantic_core import core_schema

from near_gov.persistence.mapping import PydanticApplication
from near_gov.persistence.stores import StoreError, parse_store, prepare_sqlite_file


class Region(str):
    """A tiny custom pydantic type that stores as its string, like a country code."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(
            cls,
            core_schema.str_schema(pattern=r"^[A-Z]{2}$"),
            serialization=core_schema.plain_serializer_function_ser_schema(str),
        )


class Member(Aggregate):
    @event("Joined")
    def __init__(
        self,
        name: str,
        region: Region,
        joined_on: datetime,
        aliases: tuple[str, ...],
        note: str | None = None,
    ) -> None:
        self.name = name
        self.region = region
        self.joined_on = joined_on
        self.aliases = aliases
        self.note = note
        self.delegates: dict[UUID, tuple[str, date]] = {}

    @event("DelegateNamed")
    def name_delegate(self, delegate_id: UUID, name: str, since: date) -> None:
        self.delegates[delegate_id] = (name, since)


class Register(PydanticApplication):
    pass


class SnapshottingRegister(PydanticApplication):
    snapshotting_intervals: ClassVar[dict[type[Aggregate], int]] = {Member: 2}


def new_member() -> Member:
    member = Member(
        name="Gyeongsangbuk-do",
        region=Region("KR"),
        joined_on=datetime(1996, 9, 10, 9, 30, tzinfo=UTC),
        aliases=("Gyeongbuk", "North Gyeongsang"),
    )
    member.name_delegate(uuid4(), "Kim", date(2020, 1, 2))
    return member


# --- store URLs -------------------------------------------------------------


def test_parse_sqlite_forms(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "r.db"
    assert parse_store(str(db)).path == db
    assert parse_store("r.db").path == db
    assert parse_store(f"sqlite://{db}").path == db
    assert parse_store(f"sqlite:///{db}").path == db
    assert parse_store("sqlite:///./r.db").path == db
    store = parse_store(f"sqlite://{db}")
    assert (store.kind, store.url, store.describe()) == ("sqlite", f"sqlite://{db}", f"sqlite {db}")
    assert store.env()["SQLITE_DBNAME"] == str(db)


def test_parse_postgres_forms() -> None:
    store = parse_store("postgres://ann:s%40cret@db.example:6543/reg?schema=s1")
    assert (store.kind, store.user, store.password) == ("postgres", "ann", "s@cret")
    assert (store.host, store.port, store.dbname, store.schema) == ("db.example", 6543, "reg", "s1")
    assert store.describe() == "postgresql://ann@db.example:6543/reg (schema s1)"
    assert "s@cret" not in repr(store)
    env = store.env()
    assert env["POSTGRES_PASSWORD"] == "s@cret"
    assert env["POSTGRES_SCHEMA"] == "s1"
    plain = parse_store("postgresql://postgres@127.0.0.1/test")
    assert plain.describe() == "postgresql://postgres@127.0.0.1:5432/test"
    assert "POSTGRES_SCHEMA" not in plain.env()


def test_parse_memory() -> None:
    store = parse_store("memory")
    assert (store.kind, store.describe()) == ("memory", "memory")
    assert store.env() == {"PERSISTENCE_MODULE": "eventsourcing.popo"}


@pytest.mark.parametrize(
    ("url", "hint"),
    [
        ("", "use a file path"),
        ("mysql://u@h/d", "use a file path"),
        ("sqlite://host/x.db", "sqlite:///ABSOLUTE/PATH"),
        ("sqlite:///", "names no file"),
        ("postgresql://u:secret@/d", "give a host"),
        ("postgresql://h/d", "give a user and a database"),
        ("postgresql://u@h/", "give a user and a database"),
        ("postgresql://u@h/d?sslmode=require", "?schema=NAME"),
        ("postgresql://u@h/d?schema=bad-name", "letters, digits and _"),
        ("postgresql://u:secret@h:99999/d", "postgresql://USER"),
    ],
)
def test_bad_store_urls(url: str, hint: str) -> None:
    with pytest.raises(StoreError) as info:
        parse_store(url)
    message = str(info.value)
    assert hint in message
    assert "\n" not in message
    assert "secret" not in message


def test_directory_is_not_a_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a directory"):
        parse_store(str(tmp_path))


def test_default_store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert parse_store(None).path == tmp_path / "near-gov" / "register.db"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert parse_store(None).path == tmp_path / ".local/share/near-gov/register.db"


# --- SQLite file and connections -----------------------------------------------


def test_sqlite_file_is_private(tmp_path: Path) -> None:
    db = tmp_path / "new" / "register.db"
    prepare_sqlite_file(db)
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700


def test_application_creates_private_file(tmp_path: Path) -> None:
    db = tmp_path / "data" / "register.db"
    app = Register(env=parse_store(str(db)).env())
    app.save(new_member())
    app.close()
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


def test_every_sqlite_connection_is_wal_and_synchronous_full(tmp_path: Path) -> None:
    app = Register(env=parse_store(str(tmp_path / "register.db")).env())
    pool = app.recorder.datastore.pool
    connections = [pool.get_connection(is_writer=i == 0) for i in range(4)]
    try:
        for connection in connections:
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA synchronous")
            assert cursor.fetchone()[0] == 2  # FULL
    finally:
        for connection in connections:
            pool.put_connection(connection)
        app.close()


# --- events round-trip through a restart -------------------------------------


def test_events_survive_restart_with_their_types(store_url: str) -> None:
    env = parse_store(store_url).env()
    member = new_member()
    written = Register(env=env)
    written.save(member)
    originals = list(written.events.get(member.id))
    written.close()

    restarted = Register(env=env)
    try:
        events = list(restarted.events.get(member.id))
        assert events == originals
        joined = events[0]
        assert type(joined.region) is Region
        assert type(joined.joined_on) is datetime
        assert joined.joined_on == datetime(1996, 9, 10, 9, 30, tzinfo=UTC)
        assert type(joined.aliases) is tuple
        assert joined.note is None
        assert type(events[1].delegate_id) is UUID
        assert type(events[1].since) is date
        assert vars(restarted.repository.get(member.id)) == vars(member)
    finally:
        restarted.close()


def test_events_in_memory_store(memory_url: str) -> None:
    app = Register(env=parse_store(memory_url).env())
    member = new_member()
    app.save(member)
    assert vars(app.repository.get(member.id)) == vars(member)


def test_snapshot_round_trip(store_url: str) -> None:
    env = parse_store(store_url).env()
    member = new_member()
    written = SnapshottingRegister(env=env)
    written.save(member)
    written.close()

    restarted = SnapshottingRegister(env=env)
    try:
        assert restarted.snapshots is not None
        (snapshot,) = restarted.snapshots.get(member.id)
        state = snapshot.state
        assert type(state["region"]) is Region
        assert type(state["aliases"]) is tuple
        ((delegate_id, (_, since)),) = state["delegates"].items()
        assert (type(delegate_id), type(since)) == (UUID, date)
        assert vars(restarted.repository.get(member.id)) == vars(member)
    finally:
        restarted.close()


# --- class versions ------------------------------------------------------------


class Pet(Aggregate):
    @event("Adopted")
    def __init__(self, name: str) -> None:
        self.name = name


class PetV2(Aggregate):
    class Adopted(Aggregate.Created):
        class_version = 2
        name: str
        species: str

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["species"] = "cat"

    def __init__(self, name: str, species: str) -> None:
        self.name = name
        self.species = species


def test_upcasting_a_stored_v1_event(store_url: str) -> None:
    env = parse_store(store_url).env()
    app = Register(env=env)
    try:
        pet = Pet(name="Nabi")
        app.save(pet)
        (stored,) = app.recorder.select_events(pet.id)
        assert b"class_version" not in stored.state
        # As if Pet had been upgraded in place to PetV2 after the event was stored.
        as_v2 = replace(
            stored,
            topic=stored.topic.replace("Pet.", "PetV2."),
            state=stored.state.replace(b':Pet"', b':PetV2"'),
        )
        adopted = app.mapper.to_domain_event(as_v2)
        assert (type(adopted), adopted.name, adopted.species) == (PetV2.Adopted, "Nabi", "cat")
        assert adopted.mutate(None).species == "cat"
        restored = app.mapper.to_domain_event(app.mapper.to_stored_event(adopted))
        assert restored == adopted
    finally:
        app.close()


@pytest.mark.parametrize(
    ("state", "complaint"),
    [
        (b'{"species":"cat","name":"Nabi"}', "missing upcaster"),
        (b'{"name":1}', "name"),
    ],
)
def test_stored_state_that_does_not_fit_is_a_clear_error(
    memory_url: str, state: bytes, complaint: str
) -> None:
    app = Register(env=parse_store(memory_url).env())
    pet = Pet(name="Nabi")
    app.save(pet)
    (stored,) = app.recorder.select_events(pet.id)
    stored_state = stored.state.replace(b'"name":"Nabi"}', state[1:])
    assert stored_state != stored.state
    with pytest.raises(MapperDeserialisationError, match=complaint):
        app.mapper.to_domain_event(replace(stored, state=stored_state))


def test_a_snapshot_tags_items_of_one_type_as_it_tags_each_and_reads_them_back():
    """Items all of one type (a tuple of terms) are dumped and validated in one call:
    the stored form is the one each item alone would have, and reads back equal."""
    from domain.indexes import Term
    from domain.values import FuzzyDate
    from near_gov.persistence.mapping import _tag, _untag

    terms = tuple(Term(f"Sub-Committee {i}", FuzzyDate.parse(f"1996-0{i + 1}"), None if i else FuzzyDate.parse("1997"))
                  for i in range(3))
    for value in (terms, list(terms), set(terms), (terms[0], "text", 1), (terms[0],), ()):
        stored = _tag(value)
        items = stored["_data_"] if isinstance(stored, dict) else stored
        assert items == [_tag(item) for item in value]
        assert _untag(stored) == value and type(_untag(stored)) is type(value)

