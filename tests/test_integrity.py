"""The hash chain: sealing and verifying the log, and tampering with a store behind
the application's back (in the SQLite file, or in the PostgreSQL schema's tables),
which `verify` must catch, naming the first position that differs."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import sqlite3
from collections.abc import Iterator
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import StoredEvent

from domain.errors import ConcurrentChange, IntegrityFailure, InvalidInput
from domain.seal import Seal
from near_gov import integrity
from near_gov.integrity import GENESIS, link, seal, verify
from near_gov.persistence.stores import parse_store
from near_gov.service import Governance
from near_gov.transfer import export_events, import_events
from tests.cli_support import Cli


class RawStore:
    """The store's tables of events, snapshots and the chain index, reached with plain SQL.

    Rows are addressed by position (1..N in log order), as `verify` reports them.
    SQLite orders the log by rowid, PostgreSQL by notification_id."""

    def __init__(self, url: str) -> None:
        store = parse_store(url)
        if store.kind == "sqlite":
            self.connection: Any = sqlite3.connect(store.path)
            self.names = {"events": "stored_events", "index": "stored_chain", "snapshots": "stored_snapshots",
                          "key": "rowid"}
            self.marker = "?"
            self.uuid = lambda u: u.hex
        else:
            import psycopg  # only when PostgreSQL tests run

            self.connection = psycopg.connect(host=store.host, port=store.port, user=store.user,
                                              dbname=store.dbname)
            schema = store.schema
            self.names = {"events": f'"{schema}".governance_events', "index": f'"{schema}".governance_chain',
                          "snapshots": f'"{schema}".governance_snapshots', "key": "notification_id"}
            self.marker = "%s"
            self.uuid = lambda u: u

    def run(self, sql: str, *params: Any) -> list[Any]:
        cursor = self.connection.execute(sql.format(**self.names).replace("?", self.marker), params)
        rows = cursor.fetchall() if cursor.description else []
        self.connection.commit()
        return rows

    def key(self, position: int) -> int:
        return self.run("SELECT {key} FROM {events} ORDER BY {key} LIMIT 1 OFFSET ?", position - 1)[0][0]

    def state(self, position: int) -> bytes:
        return bytes(self.run("SELECT state FROM {events} WHERE {key} = ?", self.key(position))[0][0])

    def edit(self, position: int, state: bytes) -> None:
        self.run("UPDATE {events} SET state = ? WHERE {key} = ?", state, self.key(position))

    def delete(self, position: int, through: int | None = None) -> None:
        """Delete the events at `position` .. `through` (or just the one)."""
        last = self.key(through or position)
        self.run("DELETE FROM {events} WHERE {key} >= ? AND {key} <= ?", self.key(position), last)

    def swap(self, a: int, b: int) -> None:
        ka, kb = self.key(a), self.key(b)
        self.run("UPDATE {events} SET {key} = -1 WHERE {key} = ?", ka)
        self.run("UPDATE {events} SET {key} = ? WHERE {key} = ?", ka, kb)
        self.run("UPDATE {events} SET {key} = ? WHERE {key} = -1", kb)

    def shift(self, position: int, by: int) -> None:
        """Renumber the events from `position` on by `by`, keeping their order."""
        start = self.key(position)
        self.run("UPDATE {events} SET {key} = -({key} + ?) WHERE {key} >= ?", by, start)
        self.run("UPDATE {events} SET {key} = -{key} WHERE {key} < 0")

    def insert(self, position: int, originator_id: UUID, version: int, topic: str, state: bytes) -> None:
        """Put a new event at `position`, before the one there now."""
        key = self.key(position)
        self.shift(position, 1)
        self.run("INSERT INTO {events} ({key}, originator_id, originator_version, topic, state) "
                 "VALUES (?, ?, ?, ?, ?)", key, self.uuid(originator_id), version, topic, state)

    def forget_index(self, from_position: int = 1) -> None:
        self.run("DELETE FROM {index} WHERE originator_version >= ?", from_position)

    def close(self) -> None:
        self.connection.close()


@pytest.fixture
def raw(store_url: str) -> Iterator[RawStore]:
    store = RawStore(store_url)
    yield store
    store.close()


def given_register(gov: Governance) -> None:
    """Three regions, an assembly and an admission: a few dozen events."""
    for name, country in [("Khabarovsk Territory", "RU"), ("Toyama Prefecture", "JP")]:
        gov.register_region(name, country)
        gov.record_status(name, "member", "1996-09", "NEAR brochure")
    gov.convene("GA", 4, "Khabarovsk Territory", "2002-09")
    ref = gov.submit_application("Rasun City", "KP", "member", "2002-03")["reference"]
    gov.screen_application(ref, eligible=True)
    gov.schedule_application(ref, "GA-4")
    gov.decide("GA-4", "approve", application=ref)


def given_sealed_register(gov: Governance) -> dict[str, Any]:
    given_register(gov)
    sealed = seal(gov)
    gov.close()
    return sealed


def reopened(store_url: str) -> Governance:
    return Governance(store_url, actor="auditor")


def differs_at(position: int) -> str:
    return rf"^chain differs at position {position}: "


def backdated(state: bytes) -> bytes:
    """The same event, claiming to have been recorded years earlier."""
    event = json.loads(state)
    event["timestamp"] = "2001-01-01T00:00:00.000000Z"
    return json.dumps(event, separators=(",", ":")).encode()


def chained(previous: bytes, topic: str, originator_id: UUID, version: int, state: bytes) -> bytes:
    """A chain link worked out here from the layout integrity.py documents, not with
    its code, so that the known answers below are not the code checking itself:

        sha256(previous + field(topic) + field(str(originator_id))
               + field(decimal digits of originator_version) + field(state bytes))

    where field(x) is len(x) as 8 bytes big-endian, then x (text in UTF-8)."""

    def field(data: bytes) -> bytes:
        return len(data).to_bytes(8, "big") + data

    return hashlib.sha256(previous + field(topic.encode()) + field(str(originator_id).encode())
                          + field(str(version).encode()) + field(state)).digest()


# --- the link: known answers --------------------------------------------------

#: Rasun City recorded as an observer: its second event, as the mapper stores it.
KNOWN_EVENT = StoredEvent(
    originator_id=UUID("59fe9efb-5429-5c44-94a7-59843fb8eaee"),
    originator_version=2,
    topic="domain.region:RegionalGovernment.StatusRecorded",
    state=b'{"timestamp":"2003-01-16T09:00:00.000000Z","status":"observer","since":"2001-05",'
          b'"source":"NEAR brochure","actor":"clerk"}',
)
#: Computed once by the code, and checked against `chained` and hashlib below.
KNOWN_GENESIS = "43ad2b1fe5a35727fdea010f39f6ade0c851cf4639caf1406cf6a194bd80fa23"
KNOWN_LINK = "0507df4bf6a83ad0e143f6ae32cd22f86cef7f6a8c18ed1fae4cfc9a2b84cb90"


def test_genesis_and_link_give_known_answers():
    by_layout = chained(GENESIS, KNOWN_EVENT.topic, KNOWN_EVENT.originator_id, KNOWN_EVENT.originator_version,
                        KNOWN_EVENT.state)

    assert GENESIS.hex() == KNOWN_GENESIS == hashlib.sha256(b"near-gov hash chain 1").hexdigest()
    assert link(GENESIS, KNOWN_EVENT).hex() == KNOWN_LINK == by_layout.hex()


@pytest.mark.parametrize("change", [
    {"topic": "domain.region:RegionalGovernment.Admitted"},
    {"originator_id": UUID("c402224e-67e7-5c54-9c45-2974964e830e")},
    {"originator_version": 3},
    {"state": KNOWN_EVENT.state.replace(b"observer", b"member")},
], ids=["topic", "originator_id", "originator_version", "state"])
def test_link_changes_with_every_stored_column(change):
    altered = dataclasses.replace(KNOWN_EVENT, **change)

    assert link(GENESIS, altered) != link(GENESIS, KNOWN_EVENT)


# --- an untouched log ---------------------------------------------------------


def test_empty_log_verifies_with_the_genesis_head(gov):
    result = verify(gov)

    assert result == {"head": GENESIS.hex(), "position": 0, "seals_checked": 0, "snapshots_checked": 0}


def test_untouched_log_verifies_with_and_without_the_sealed_head(gov, store_url):
    sealed = given_sealed_register(gov)
    gov = reopened(store_url)

    plain, with_head = verify(gov), verify(gov, head=sealed["head"])

    assert plain == with_head
    assert plain["seals_checked"] == 1
    assert plain["position"] == sealed["position"] + 1  # the seal is an event too
    gov.close()


def test_seal_covers_every_event_before_it_and_later_seals_cover_earlier_ones(gov):
    first = seal(gov)
    given_register(gov)

    second = seal(gov)

    assert first == {"head": GENESIS.hex(), "position": 0, "root": hashlib.sha256(b"").hexdigest()}
    assert second["position"] > first["position"]
    assert verify(gov, head=first["head"])["seals_checked"] == 2
    assert verify(gov, head=second["head"])["head"] != second["head"]  # the seal is an event too


def test_two_clerks_sealing_the_same_log_at_once_seal_one_after_the_other(gov, store_url, monkeypatch):
    given_register(gov)
    other = Governance(store_url, actor="other clerk")
    theirs: list[dict[str, Any]] = []
    index_chain = integrity.index_chain

    def racing(app: Governance) -> dict[str, Any]:
        result = index_chain(app)
        if app is gov and not theirs:
            theirs.append(seal(other))  # the other clerk's seal of the same log lands first
        return result

    monkeypatch.setattr(integrity, "index_chain", racing)
    mine = seal(gov)

    assert mine["position"] == theirs[0]["position"] + 1
    assert verify(gov)["seals_checked"] == 2
    other.close()


def test_a_clerk_who_loses_every_race_to_seal_is_told_to_retry_and_records_no_seal(gov, store_url, monkeypatch):
    given_register(gov)
    other = Governance(store_url, actor="other clerk")
    index_chain = integrity.index_chain

    def racing(app: Governance) -> dict[str, Any]:
        result = index_chain(app)
        if app is gov:
            seal(other)  # the other clerk's seal of the same log lands first, every time
        return result

    monkeypatch.setattr(integrity, "index_chain", racing)
    before = gov.recorder.max_notification_id()

    with pytest.raises(ConcurrentChange) as refused:
        seal(gov)

    assert str(refused.value) == "the chain's seals was changed concurrently by another writer; retry"
    after = gov.recorder.select_notifications(start=before + 1, limit=100)  # ids may have gaps (PostgreSQL)
    assert [(n.topic, json.loads(n.state)["actor"]) for n in after] == [
        ("domain.seal:Seal.Sealed", "other clerk")] * integrity.RETRIES
    other.close()


def test_sealing_a_log_longer_than_a_page_indexes_every_position(gov, store_url, raw, monkeypatch):
    monkeypatch.setattr(integrity, "PAGE", 4)  # the index is written and read four links at a time
    sealed = given_sealed_register(gov)
    last = sealed["position"]
    assert last > 3 * integrity.PAGE

    raw.edit(last, backdated(raw.state(last)))

    gov = reopened(store_url)
    with pytest.raises(IntegrityFailure, match=differs_at(last) + f"the event there is not the one sealed at "
                                                                  f"position {last} "):
        verify(gov)
    gov.close()


def test_on_a_memory_store_the_chain_index_lasts_as_long_as_the_application(memory_url):
    gov = Governance(memory_url, actor="clerk")
    given_register(gov)
    sealed = seal(gov)
    third = [link for position, link, _ in integrity.chain(gov) if position == 3][0]

    gov.save(Seal(head="0" * 64, position=3, actor="clerk"))  # a wrong seal, of an indexed position

    with pytest.raises(IntegrityFailure) as failure:
        verify(gov)
    assert str(failure.value) == (
        f"chain differs at position {sealed['position'] + 2}: the seal there records head 0000000000000000… for "
        f"position 3, but the events up to 3 are the ones sealed, and give {third.hex()[:16]}…; restore the "
        "register from a backup or an export taken before the change")
    gov.close()


def test_head_is_given_as_printed_or_refused_clearly(gov):
    given_register(gov)
    head = seal(gov)["head"]

    assert verify(gov, head=f"  {head.upper()} ")["seals_checked"] == 1
    with pytest.raises(InvalidInput, match=r"^bad head 'abc': give the 64 hexadecimal digits"):
        verify(gov, head="abc")


def test_positions_do_not_depend_on_notification_ids(gov, store_url, raw):
    sealed = given_sealed_register(gov)

    raw.shift(5, 1000)  # a gap, as a PostgreSQL sequence leaves after a rollback

    gov = reopened(store_url)
    assert verify(gov, head=sealed["head"])["seals_checked"] == 1
    gov.close()


# --- tampering with events ----------------------------------------------------


def test_edited_payload_is_caught_at_its_position(gov, store_url, raw):
    given_sealed_register(gov)

    raw.edit(6, backdated(raw.state(6)))

    gov = reopened(store_url)
    with pytest.raises(IntegrityFailure, match=differs_at(6) + "the event there is not the one sealed"):
        verify(gov)
    gov.close()


def test_edited_first_event_is_caught_at_position_1(gov, store_url, raw):
    given_sealed_register(gov)

    raw.edit(1, backdated(raw.state(1)))

    gov = reopened(store_url)
    with pytest.raises(IntegrityFailure, match=differs_at(1) + "the event there is not the one sealed"):
        verify(gov)
    gov.close()


def test_deleted_event_is_caught_at_its_position(gov, store_url, raw):
    given_sealed_register(gov)

    raw.delete(7)

    gov = reopened(store_url)
    with pytest.raises(IntegrityFailure, match=differs_at(7)) as failure:
        verify(gov)
    assert failure.value.exit_code == 4
    gov.close()


def test_swapped_events_are_caught_at_the_first_of_them(gov, store_url, raw):
    given_sealed_register(gov)

    raw.swap(8, 11)

    gov = reopened(store_url)
    with pytest.raises(IntegrityFailure, match=differs_at(8)):
        verify(gov)
    gov.close()


def test_event_inserted_outside_the_application_is_caught_at_its_position(gov, store_url, raw):
    given_sealed_register(gov)
    forged = json.loads(raw.state(4))  # a member's status record, for a region never registered
    forged["source"] = "forged minutes"

    raw.insert(5, uuid4(), 1, "domain.region:RegionalGovernment.StatusRecorded", json.dumps(forged).encode())

    gov = reopened(store_url)
    with pytest.raises(IntegrityFailure, match=differs_at(5)):
        verify(gov)
    gov.close()


def test_seal_refuses_a_log_that_does_not_verify_and_records_nothing(gov, store_url, raw):
    sealed = given_sealed_register(gov)
    raw.delete(3)
    gov = reopened(store_url)
    before = gov.recorder.max_notification_id()

    with pytest.raises(IntegrityFailure, match=differs_at(3)):
        seal(gov)

    assert gov.recorder.max_notification_id() == before
    assert sealed["position"] > 3
    gov.close()


def test_edited_originator_version_alone_makes_audit_verify_fail(gov, store_url, raw):
    sealed = given_sealed_register(gov)
    ((topic, originator_id, version, state),) = raw.run(
        "SELECT topic, originator_id, originator_version, state FROM {events} WHERE {key} = ?", raw.key(4))
    assert (topic, version) == ("domain.region:RegionalGovernment.StatusRecorded", 2)  # Khabarovsk's last event
    sealed_links = {position: bytes(value) for position, value in
                    raw.run("SELECT originator_version, state FROM {index} WHERE originator_version IN (3, 4)")}
    count = raw.run("SELECT COUNT(*) FROM {events}")

    raw.run("UPDATE {events} SET originator_version = 3 WHERE {key} = ?", raw.key(4))

    result = Cli(store_url)("audit", "verify")
    now = chained(sealed_links[3], topic, UUID(str(originator_id)), 3, bytes(state))
    assert (result.exit_code, result.stderr, result.stdout) == (
        4, f"Error: chain differs at position 4: the event there is not the one sealed at position "
           f"{sealed['position']} (its link was {sealed_links[4].hex()[:16]}…, now {now.hex()[:16]}…); restore "
           "the register from a backup or an export taken before the change\n", ""), result.output
    assert raw.run("SELECT COUNT(*) FROM {events}") == count


# --- tampering with seals and with the chain index ----------------------------


def test_edited_seal_is_caught_at_the_seal(gov, store_url, raw):
    sealed = given_sealed_register(gov)
    at = sealed["position"] + 1
    state = json.loads(raw.state(at))
    assert state["head"] == sealed["head"]
    state["head"] = "0" * 64

    raw.edit(at, json.dumps(state).encode())

    gov = reopened(store_url)
    with pytest.raises(IntegrityFailure, match=differs_at(at) + f"the seal there records head 0{{16}}… "
                                               f"for position {sealed['position']}"):
        verify(gov)
    gov.close()


def test_without_the_index_an_edit_is_caught_at_or_before_the_seal(gov, store_url, raw):
    sealed = given_sealed_register(gov)
    raw.forget_index()

    raw.edit(3, backdated(raw.state(3)))

    gov = reopened(store_url)
    with pytest.raises(IntegrityFailure, match=rf"^chain differs at or before position {sealed['position']}: "
                                               rf"sealed head at position {sealed['position']} was "):
        verify(gov)
    gov.close()


def test_seal_claiming_its_own_position_is_caught_at_the_seal(gov, store_url, raw):
    sealed = given_sealed_register(gov)
    at = sealed["position"] + 1
    state = json.loads(raw.state(at))
    state["position"] = at  # a seal cannot cover itself: its own event is part of the head
    count = raw.run("SELECT COUNT(*) FROM {events}")

    raw.edit(at, json.dumps(state).encode())

    result = Cli(store_url)("audit", "verify")
    assert (result.exit_code, result.stderr, result.stdout) == (
        4, f"Error: chain differs at position {at}: the seal there claims position {at}, which does not precede "
           "it; restore the register from a backup or an export taken before the change\n", ""), result.output
    assert raw.run("SELECT COUNT(*) FROM {events}") == count


def test_unreadable_seal_is_caught_at_the_seal_saying_why(gov, store_url, raw):
    sealed = given_sealed_register(gov)
    at = sealed["position"] + 1

    raw.edit(at, b"not JSON")

    result = Cli(store_url)("audit", "verify")
    assert (result.exit_code, result.stderr, result.stdout) == (
        4, f"Error: chain differs at position {at}: the seal there cannot be read (Stored event "
           f"domain.seal:Seal.Sealed of {Seal.create_id(sealed['position'])} version 1 does not fit its class: "
           "expected ident at line 1 column 2); restore the register from a backup or an export taken before "
           "the change\n", ""), result.output


def test_seal_of_the_empty_log_recording_a_wrong_head_is_caught_at_the_seal(gov, store_url):
    given_register(gov)
    gov.save(Seal(head="0" * 64, position=0, actor="clerk"))  # position 0 is the genesis link, known to all
    position = gov.recorder.max_notification_id()
    gov.close()

    result = Cli(store_url)("audit", "verify")

    assert (result.exit_code, result.stderr, result.stdout) == (
        4, f"Error: chain differs at position {position}: the seal there records head 0000000000000000… for "
           f"position 0, but the events up to 0 are the ones sealed, and give {GENESIS.hex()[:16]}…; restore the "
           "register from a backup or an export taken before the change\n", ""), result.output


def test_chain_index_holds_the_link_of_every_sealed_position_under_a_stable_topic(gov, raw):
    """The index is stored data in every register, read again by later versions: its
    rows' layout (topic, position as version, link as state) is a format, like event topics."""
    given_register(gov)
    links = [(position, link) for position, link, _ in integrity.chain(gov)]
    seal(gov)

    rows = raw.run("SELECT topic, originator_version, state FROM {index} ORDER BY originator_version")

    assert [(topic, version, bytes(state)) for topic, version, state in rows] == [
        ("near_gov.integrity:link", position, link) for position, link in links]


def test_edited_index_is_caught_at_its_position(gov, store_url, raw):
    given_sealed_register(gov)

    raw.run("UPDATE {index} SET state = ? WHERE originator_version = 9", b"\0" * 32)

    gov = reopened(store_url)
    with pytest.raises(IntegrityFailure, match=differs_at(9)):
        verify(gov)
    gov.close()


def test_edited_event_after_the_last_seal_of_an_import_is_caught_by_the_index_the_import_wrote(gov, store_url, raw):
    source = Governance("memory", actor="clerk")
    given_register(source)
    export_events(source, out := io.BytesIO())
    source.close()
    result = import_events(gov, io.BytesIO(out.getvalue()))  # no seal in the file, but the import indexes it all
    gov.close()
    last = result["events"]
    ((topic, originator_id, version, state),) = raw.run(
        "SELECT topic, originator_id, originator_version, state FROM {events} WHERE {key} = ?", raw.key(last))
    links = {position: bytes(value) for position, value in
             raw.run("SELECT originator_version, state FROM {index} WHERE originator_version >= ?", last - 1)}
    edited = backdated(bytes(state))

    raw.edit(last, edited)

    result = Cli(store_url)("audit", "verify")
    now = chained(links[last - 1], topic, UUID(str(originator_id)), version, edited)
    assert (result.exit_code, result.stderr, result.stdout) == (
        4, f"Error: chain differs at position {last}: the event there is not the one sealed (its link was "
           f"{links[last].hex()[:16]}…, now {now.hex()[:16]}…); restore the register from a backup or an export "
           "taken before the change\n", ""), result.output


# --- removing the last events -------------------------------------------------


def given_two_seals(gov: Governance) -> tuple[dict[str, Any], dict[str, Any]]:
    given_register(gov)
    first = seal(gov)
    gov.register_region("Jeju Special Self-Governing Province", "KR")
    second = seal(gov)
    gov.close()
    return first, second


def test_removed_last_events_are_caught_by_the_index(gov, store_url, raw):
    first, second = given_two_seals(gov)
    kept = first["position"] + 1  # through the first seal

    raw.delete(kept + 1, second["position"] + 1)  # the region, and the second seal

    gov = reopened(store_url)
    with pytest.raises(IntegrityFailure, match=differs_at(kept + 1) + f"the log ends at position {kept}, "
                                                                     "but it was sealed with more events"):
        verify(gov)
    gov.close()


def test_removed_last_events_with_their_seal_and_index_are_caught_only_by_the_published_head(gov, store_url, raw):
    first, second = given_two_seals(gov)
    kept = first["position"] + 1

    raw.delete(kept + 1, second["position"] + 1)
    raw.forget_index(kept + 1)

    gov = reopened(store_url)
    assert verify(gov)["position"] == kept  # what remains is consistent in itself
    with pytest.raises(IntegrityFailure, match=rf"^chain differs after position {kept}: the given head "
                                               rf"{second['head'][:16]}… is the link of no position 0..{kept}; "
                                               "check the head you gave"):
        verify(gov, head=second["head"])
    gov.close()


# --- snapshots ----------------------------------------------------------------


def test_snapshots_are_checked_against_the_events_they_summarise(gov):
    given_register(gov)
    gov.take_snapshot(gov.region("Rasun City").id)

    assert verify(gov)["snapshots_checked"] >= 1


def test_verify_counts_the_snapshots_it_checked(gov):
    given_register(gov)  # regions, an assembly and an application: a dozen aggregates
    gov.take_snapshot(gov.region("Rasun City").id)

    assert verify(gov)["snapshots_checked"] == 1


def test_without_a_snapshot_store_verify_checks_no_snapshots(store_url, monkeypatch):
    monkeypatch.setenv("IS_SNAPSHOTTING_ENABLED", "n")  # the library's switch, read from the environment
    gov = Governance(store_url, actor="clerk")
    assert gov.snapshots is None
    given_register(gov)
    sealed = seal(gov)

    result = verify(gov)

    assert (result["position"], result["seals_checked"], result["snapshots_checked"]) == (sealed["position"] + 1, 1, 0)
    gov.close()


def test_snapshot_altered_to_change_a_status_is_caught(gov, store_url, raw):
    given_register(gov)
    gov.take_snapshot(gov.region("Rasun City").id)
    gov.close()

    ((originator_id, version, state),) = raw.run("SELECT originator_id, originator_version, state FROM {snapshots}")

    raw.run("UPDATE {snapshots} SET state = ? WHERE originator_id = ? AND originator_version = ?",
            bytes(state).replace(b'"member"', b'"observer"'), originator_id, version)

    gov = reopened(store_url)
    with pytest.raises(IntegrityFailure, match=r"^the snapshot of domain.region:RegionalGovernment .* differs "
                                               "from the events it summarises"):
        verify(gov)
    gov.close()


def test_unreadable_snapshot_is_caught(gov, store_url, raw):
    given_register(gov)
    gov.take_snapshot(gov.region("Rasun City").id)
    gov.close()

    raw.run("UPDATE {snapshots} SET state = ?", b"{}")

    gov = reopened(store_url)
    with pytest.raises(IntegrityFailure, match=r"^the snapshots or events of .* cannot be read"):
        verify(gov)
    gov.close()


def test_snapshot_moved_past_its_aggregates_events_is_caught(gov, store_url, raw):
    given_register(gov)
    rasun_city = gov.region("Rasun City").id
    gov.take_snapshot(rasun_city)
    gov.close()

    raw.run("UPDATE {snapshots} SET originator_version = 99")

    gov = reopened(store_url)
    with pytest.raises(IntegrityFailure) as failure:
        verify(gov)
    assert str(failure.value) == (
        f"the snapshot of domain.region:RegionalGovernment {rasun_city} at version 99 has no events up to its "
        "version: it was changed outside near-gov, or taken by an older near-gov whose aggregates differed; "
        "delete the store's snapshots (commands take them again) and verify again")
    gov.close()
