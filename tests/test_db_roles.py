"""Who wrote it, from the database: on PostgreSQL every event records the role that
inserted it (`db_role`, set by the server, not the client), and `store grant` sets up
reader and writer roles whose limits the server enforces. Real roles on the test server,
named uniquely (roles belong to the whole cluster) and dropped afterwards."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest

from tests.cli_support import Cli, given_admitted
from tests.conftest import POSTGRES_URL


def sql(statement: str, *params: Any, user: str = "postgres") -> list[Any]:
    """Run one statement on the test server as `user` (trust authentication)."""
    import psycopg  # only when PostgreSQL tests run

    with psycopg.connect(POSTGRES_URL.replace("postgres@", f"{user}@"), autocommit=True) as connection:
        cursor = connection.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


class Roles:
    """The store's owner (`postgres`), a reader and a writer, each a command line on one schema."""

    def __init__(self, schema: str, reader: str, writer: str) -> None:
        self.schema, self.reader_role, self.writer_role = schema, reader, writer
        self.owner = Cli(self.url("postgres"))
        self.reader = Cli(self.url(reader))
        self.writer = Cli(self.url(writer))

    def url(self, role: str) -> str:
        return f"{POSTGRES_URL.replace('postgres@', f'{role}@')}?schema={self.schema}"

    def events(self) -> int:
        return sql(f'SELECT count(*) FROM "{self.schema}".governance_events')[0][0]


@pytest.fixture
def roles() -> Iterator[Roles]:
    """A register (Rasun City admitted at GA-4) in a schema of its own, and two roles
    that may log in and have been granted nothing yet."""
    if not os.environ.get("NEAR_GOV_TEST_POSTGRES"):
        pytest.skip("set NEAR_GOV_TEST_POSTGRES=1 to run against PostgreSQL at 127.0.0.1:5432")
    suffix = uuid4().hex[:12]
    made = Roles(f"t_{uuid4().hex}", f"near_reader_{suffix}", f"near_writer_{suffix}")
    for role in (made.reader_role, made.writer_role):
        sql(f'CREATE ROLE "{role}" LOGIN')
    try:
        made.owner.given(given_admitted)
        yield made
    finally:
        for role in (made.reader_role, made.writer_role):
            sql(f'DROP OWNED BY "{role}"')
            sql(f'DROP ROLE "{role}"')
        sql(f'DROP SCHEMA IF EXISTS "{made.schema}" CASCADE')


@pytest.fixture
def granted(roles: Roles) -> Roles:
    roles.owner.ok("store", "grant", roles.reader_role, "--read")
    roles.owner.ok("store", "grant", roles.writer_role, "--write")
    return roles


def refusal(roles: Roles, role: str, reason: str) -> str:
    return (f"the store postgresql://{role}@127.0.0.1:5432/test (schema {roles.schema}) refused role {role} "
            f"({reason}); nothing was changed: a role the store's owner set up with `near-gov store grant ROLE "
            "--read` may only read, one with --write may also append, and changing events or rebuilding the read "
            "models is the owner's")


def test_a_reader_runs_the_queries_and_the_database_refuses_its_writes(granted: Roles):
    before = granted.events()

    roster = granted.reader.json("roster", "--as-of", "2003-01-01")
    history = granted.reader.json("history")
    verified = granted.reader.json("audit", "verify")
    granted.reader.fails("region", "register", "Toyama Prefecture", "--country", "JP", code=5,
                         error=refusal(granted, granted.reader_role, "permission denied for table governance_events"))
    granted.reader.fails("audit", "seal", code=5,  # the chain index, written before the seal
                         error=refusal(granted, granted.reader_role, "permission denied for table governance_chain"))

    assert roster == granted.owner.json("roster", "--as-of", "2003-01-01")
    assert "Rasun City" in [e["name"] for e in roster["entries"]]
    assert len(history) > 0 and verified["position"] == before
    assert granted.events() == before


def test_a_writer_appends_and_every_event_names_the_role_that_wrote_it(granted: Roles):
    owners = granted.events()

    granted.writer.ok("region", "register", "Toyama Prefecture", "--country", "JP")
    granted.writer.ok("region", "record", "Toyama Prefecture", "--status", "member", "--since", "1996-09",
                      "--source", "NEAR brochure")
    history = granted.reader.json("history")
    audit = granted.reader.json("audit", "membership", "Toyama Prefecture")
    table = granted.reader.ok("history").stdout
    granted.writer.ok("audit", "seal")

    assert {(e["actor"], e["db_role"]) for e in history if e["subject"] == "Toyama Prefecture"} == {
        ("clerk", granted.writer_role)}
    assert {e["db_role"] for e in history if e["subject"] != "Toyama Prefecture"} == {"postgres"}
    assert [(p["actor"], p["db_role"]) for p in audit["timeline"]] == [("clerk", granted.writer_role)]
    assert table.splitlines()[0].split()[:9] == ["#", "Recorded", "at", "Effective", "Event", "Subject", "Actor",
                                                 "DB", "role"]
    assert granted.reader.json("audit", "verify")["seals_checked"] == 1
    assert granted.events() > owners


def test_the_database_role_is_the_servers_not_what_the_client_sends(granted: Roles):
    events = f'"{granted.schema}".governance_events'
    topic = "near_gov.test:Forged"

    sql(f"INSERT INTO {events} (originator_id, originator_version, topic, state, db_role) "
        "VALUES (%s, 1, %s, %s, 'postgres')", uuid4(), topic, b"{}", user=granted.writer_role)
    recorded = sql(f"SELECT db_role FROM {events} WHERE topic = %s", topic)

    assert recorded == [(granted.writer_role,)]


@pytest.mark.parametrize("change", ["UPDATE {events} SET state = %s", "DELETE FROM {events}"])
def test_a_writer_may_not_change_or_delete_an_event(granted: Roles, change: str):
    import psycopg

    events = f'"{granted.schema}".governance_events'
    before = sql(f"SELECT state FROM {events} ORDER BY notification_id")

    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        sql(change.format(events=events) + " WHERE notification_id = (SELECT min(notification_id) FROM "
            f"{events})", *([b"{}"] if change.startswith("UPDATE") else []), user=granted.writer_role)

    assert sql(f"SELECT state FROM {events} ORDER BY notification_id") == before


def test_a_reader_still_reads_after_the_owner_rebuilds_the_read_models(granted: Roles):
    granted.owner.ok("projections", "rebuild")
    granted.writer.ok("region", "register", "Toyama Prefecture", "--country", "JP")

    history = granted.reader.json("history")
    roster = granted.reader.json("roster", "--as-of", "2003-01-01")

    assert history[-1]["subject"] == "Toyama Prefecture" and history[-1]["db_role"] == granted.writer_role
    assert roster == granted.owner.json("roster", "--as-of", "2003-01-01")


def test_a_rebuild_by_a_superuser_keeps_the_owner_and_the_grants_of_the_read_models(roles: Roles):
    owner = f"near_owner_{uuid4().hex[:12]}"
    sql(f'CREATE ROLE "{owner}" LOGIN')
    schema = f"t_{uuid4().hex}"
    sql(f'CREATE SCHEMA "{schema}" AUTHORIZATION "{owner}"')
    try:
        owned = Roles(schema, roles.reader_role, roles.writer_role)
        owned.owner = Cli(owned.url(owner))
        owned.owner.given(given_admitted).ok("store", "grant", roles.reader_role, "--read")
        before = owned.reader.json("history")

        Cli(owned.url("postgres")).ok("projections", "rebuild")
        owned.owner.ok("region", "register", "Toyama Prefecture", "--country", "JP")
        after = owned.reader.json("history")

        assert after[:-1] == before and after[-1]["db_role"] == owner
        owners = sql("SELECT pg_get_userbyid(relowner) FROM pg_class WHERE relnamespace = %s::regnamespace "
                     "AND relname LIKE 'read_%%'", schema)
        assert {row[0] for row in owners} == {owner}
    finally:
        sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        sql(f'DROP OWNED BY "{owner}"')
        sql(f'DROP ROLE "{owner}"')


def test_a_reader_answers_from_the_whole_log_when_the_read_models_are_behind_and_leaves_them(granted: Roles):
    with granted.writer.gov() as gov:  # the service appends without catching the read models up
        gov.register_region("Toyama Prefecture", "JP")
    tracked = sql(f'SELECT position FROM "{granted.schema}".read_tracking WHERE name = %s', "register")

    history = granted.reader.json("history")

    assert history[-1]["subject"] == "Toyama Prefecture" and history[-1]["db_role"] == granted.writer_role
    assert sql(f'SELECT position FROM "{granted.schema}".read_tracking WHERE name = %s', "register") == tracked


def test_a_writer_may_not_rebuild_the_read_models(granted: Roles):
    result = granted.writer("projections", "rebuild")

    assert result.exit_code == 5, result.output
    assert result.stderr.startswith(f"Error: the store postgresql://{granted.writer_role}@")
    assert granted.reader.json("history")


def test_granting_a_role_that_does_not_exist_is_refused(roles: Roles):
    role = f"near_nobody_{uuid4().hex[:12]}"

    roles.owner.fails("store", "grant", role, "--read", code=2,
                      error=f"there is no role {role!r} on the server: create it first (CREATE ROLE {role} LOGIN "
                            "PASSWORD '...'), then grant it")


def test_events_written_before_the_store_recorded_roles_say_nothing_of_who_wrote_them(roles: Roles):
    events = f'"{roles.schema}".governance_events'
    sql(f"DROP TRIGGER near_gov_event_written ON {events}")
    sql(f"ALTER TABLE {events} DROP COLUMN db_role")  # a store of an earlier near-gov

    roles.owner.ok("region", "register", "Toyama Prefecture", "--country", "JP")
    history = roles.owner.json("history")

    assert {e["db_role"] for e in history if e["subject"] != "Toyama Prefecture"} == {None}
    assert [e["db_role"] for e in history if e["subject"] == "Toyama Prefecture"] == ["postgres"]


def test_store_grant_is_refused_on_sqlite(tmp_path: Path):
    path = tmp_path / "register.db"
    cli = Cli(str(path))

    result = cli("store", "grant", "clerk", "--read")

    assert (result.exit_code, result.stderr) == (2, (
        f"Error: store grant sets up PostgreSQL roles; the store sqlite {path} is a SQLite file, whose permissions "
        f"decide who may read or write it (chmod u=rw,go= {path} lets only you); nothing was changed\n"))
    assert not path.exists()


def test_store_grant_takes_one_of_read_and_write(tmp_path: Path):
    cli = Cli(str(tmp_path / "register.db"))

    for flags in ([], ["--read", "--write"]):
        result = cli("store", "grant", "clerk", *flags)
        assert result.exit_code == 2 and "give one of --read and --write" in result.stderr, result.output
