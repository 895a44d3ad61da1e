"""Export and import: a register exported as JSON Lines and imported into an empty
store (a new SQLite file, or PostgreSQL) has the same events, byte for byte, the
same chain head, and the same read models; bad files are refused, naming the line,
and leave the store empty."""

from __future__ import annotations

import base64
import io
import json
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import StoredEvent
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.errors import (
    AlreadyExists,
    AlreadyRegistered,
    AmbiguousName,
    GovernanceError,
    IntegrityFailure,
    InvalidInput,
    NotFound,
    StatusRefused,
)
from near_gov.integrity import GENESIS, seal, verify
from near_gov.reads import Reads
from near_gov.service import Governance
from near_gov.transfer import export_events, import_events
from tests.test_integrity import chained


@pytest.fixture
def source(tmp_path: Path) -> Iterator[Governance]:
    app = Governance(f"sqlite://{tmp_path / 'source.db'}", actor="clerk")
    yield app
    app.close()


@pytest.fixture
def target(store_url: str) -> Iterator[Governance]:
    app = Governance(store_url, actor="importer")
    yield app
    app.close()


def given_register(gov: Governance) -> None:
    """Regions in several scripts, a rename, an admission and a seal."""
    for name, country in [("Khabarovsk Territory", "RU"), ("경상북도", "KR"), ("黑龙江省", "CN")]:
        gov.register_region(name, country)
        gov.record_status(name, "member", "1996-09", 'NEAR brochure, "Members" list')
    gov.rename_region("경상북도", "Gyeongsangbuk-do Province", "1996-10")
    gov.convene("GA", 4, "Khabarovsk Territory", "2002-09")
    ref = gov.submit_application("Rasun City", "KP", "member", "2002-03")["reference"]
    gov.screen_application(ref, eligible=True)
    gov.schedule_application(ref, "GA-4")
    gov.decide("GA-4", "approve", application=ref)
    seal(gov)


def exported(gov: Governance) -> str:
    out = io.StringIO()
    export_events(gov, out)
    return out.getvalue()


def imported(gov: Governance, text: str, **options: Any) -> dict[str, Any]:
    return import_events(gov, io.BytesIO(text.encode()), **options)


def as_stored(state: str | bytes) -> bytes:
    """A state column read with plain SQL, as bytes (SQLite's replace() leaves TEXT)."""
    return state.encode() if isinstance(state, str) else bytes(state)


def stored(gov: Governance) -> list[tuple[Any, ...]]:
    return [(n.originator_id, n.originator_version, n.topic, bytes(n.state))
            for n in gov.recorder.select_notifications(start=None, limit=100_000)]


# --- the file -----------------------------------------------------------------


def test_export_writes_one_line_per_event_then_the_head(source):
    given_register(source)

    result = export_events(source, out := io.StringIO())

    *events, last = [json.loads(line) for line in out.getvalue().splitlines()]
    assert last == {"head": verify(source)["head"], "events": len(events)} == {"head": result["head"],
                                                                                "events": result["events"]}
    assert [e["position"] for e in events] == list(range(1, len(events) + 1))
    assert events[0]["actor"] == "clerk" and events[0]["recorded_at"] == events[0]["state"]["timestamp"]
    assert "黑龙江省" in out.getvalue()  # UTF-8, not escapes


def test_export_to_a_binary_file_writes_utf8(source):
    given_register(source)

    export_events(source, out := io.BytesIO())

    assert out.getvalue().decode() == exported(source)


def test_export_of_an_empty_register_is_only_the_genesis_head(gov):
    result = export_events(gov, out := io.StringIO())

    assert out.getvalue() == f'{{"head":"{GENESIS.hex()}","events":0}}\n'
    assert result == {"events": 0, "head": GENESIS.hex()}


def test_export_to_a_text_file_that_is_not_a_text_stream_writes_text(source):
    """A file opened for text (its mode has no "b") takes text even when it is not an
    io.TextIOBase, as a spooled temporary file is not."""
    given_register(source)

    with tempfile.SpooledTemporaryFile(mode="w+", encoding="utf-8") as out:
        export_events(source, out)
        out.seek(0)
        written = out.read()

    assert written == exported(source)


# --- the file: known answers ---------------------------------------------------

RASUN_CITY = "59fe9efb-5429-5c44-94a7-59843fb8eaee"
RASUN_CITY_NAME = "c402224e-67e7-5c54-9c45-2974964e830e"  # the region-name index
#: Rasun City registered, then recorded as an observer: the events as the mapper
#: stores them, with fixed recorded times. (topic, originator id, version, state)
FIXED_REGISTER = [
    ("domain.region:RegionalGovernment.Registered", RASUN_CITY, 1,
     '{"timestamp":"2003-01-15T09:00:00.000000Z","originator_topic":"domain.region:RegionalGovernment",'
     '"name":"Rasun City","country":"KP","actor":"clerk"}'),
    ("domain.indexes:RegionName.Started", RASUN_CITY_NAME, 1,
     '{"timestamp":"2003-01-15T09:00:00.000000Z","originator_topic":"domain.indexes:RegionName",'
     '"name":"Rasun City"}'),
    ("domain.indexes:RegionName.Indexed", RASUN_CITY_NAME, 2,
     '{"timestamp":"2003-01-15T09:00:00.000000Z","country":"KP","region_id":"59fe9efb-5429-5c44-94a7-59843fb8eaee"}'),
    ("domain.region:RegionalGovernment.StatusRecorded", RASUN_CITY, 2,
     '{"timestamp":"2003-01-16T09:00:00.000000Z","status":"observer","since":"2001-05",'
     '"source":"NEAR brochure, “Members: Observer”","actor":"clerk"}'),
]
#: Its export, computed once by the code; the head is checked against `chained` below.
FIXED_HEAD = "4399fbf86b72a705afe2714859e30f14f06e2b9a2f11db17217482570cea20d6"
FIXED_EXPORT = (
    '{"position":1,"topic":"domain.region:RegionalGovernment.Registered",'
    '"originator_id":"59fe9efb-5429-5c44-94a7-59843fb8eaee","originator_version":1,'
    '"recorded_at":"2003-01-15T09:00:00.000000Z","actor":"clerk","state":{"timestamp":"2003-01-15T09:00:00.000000Z",'
    '"originator_topic":"domain.region:RegionalGovernment","name":"Rasun City","country":"KP","actor":"clerk"}}\n'
    '{"position":2,"topic":"domain.indexes:RegionName.Started",'
    '"originator_id":"c402224e-67e7-5c54-9c45-2974964e830e","originator_version":1,'
    '"recorded_at":"2003-01-15T09:00:00.000000Z","state":{"timestamp":"2003-01-15T09:00:00.000000Z",'
    '"originator_topic":"domain.indexes:RegionName","name":"Rasun City"}}\n'
    '{"position":3,"topic":"domain.indexes:RegionName.Indexed",'
    '"originator_id":"c402224e-67e7-5c54-9c45-2974964e830e","originator_version":2,'
    '"recorded_at":"2003-01-15T09:00:00.000000Z","state":{"timestamp":"2003-01-15T09:00:00.000000Z",'
    '"country":"KP","region_id":"59fe9efb-5429-5c44-94a7-59843fb8eaee"}}\n'
    '{"position":4,"topic":"domain.region:RegionalGovernment.StatusRecorded",'
    '"originator_id":"59fe9efb-5429-5c44-94a7-59843fb8eaee","originator_version":2,'
    '"recorded_at":"2003-01-16T09:00:00.000000Z","actor":"clerk","state":{"timestamp":"2003-01-16T09:00:00.000000Z",'
    '"status":"observer","since":"2001-05","source":"NEAR brochure, “Members: Observer”","actor":"clerk"}}\n'
    '{"head":"4399fbf86b72a705afe2714859e30f14f06e2b9a2f11db17217482570cea20d6","events":4}\n'
)


def given_fixed_register(gov: Governance) -> None:
    gov.recorder.insert_events([StoredEvent(UUID(originator_id), version, topic, state.encode())
                                for topic, originator_id, version, state in FIXED_REGISTER])
    assert gov.region("Rasun City").status == "observer"  # a register the application reads


def test_export_of_a_fixed_register_is_a_known_text_and_head(gov):
    given_fixed_register(gov)

    result = export_events(gov, out := io.StringIO())

    assert out.getvalue() == FIXED_EXPORT
    assert result == {"events": 4, "head": FIXED_HEAD}
    head = GENESIS
    for topic, originator_id, version, state in FIXED_REGISTER:
        head = chained(head, topic, UUID(originator_id), version, state.encode())
    assert head.hex() == FIXED_HEAD


def test_export_line_of_state_that_is_not_compact_json_is_a_known_text(gov):
    topic, originator_id, _, state = FIXED_REGISTER[0]
    spaced = json.dumps(json.loads(state)).encode()
    gov.recorder.insert_events([StoredEvent(UUID(originator_id), 1, topic, spaced)])

    first = exported(gov).splitlines()[0]

    assert first == ('{"position":1,"topic":"domain.region:RegionalGovernment.Registered",'
                     '"originator_id":"59fe9efb-5429-5c44-94a7-59843fb8eaee","originator_version":1,'
                     f'"state_base64":"{base64.b64encode(spaced).decode()}"}}')


# --- importing ----------------------------------------------------------------


def test_import_reproduces_every_stored_event_and_the_chain_head(source, target):
    given_register(source)
    head = verify(source)["head"]

    result = imported(target, exported(source))

    assert result == {"events": len(stored(source)), "head": head, "resumed": 0}
    assert stored(target) == stored(source)
    assert verify(target, head=head)["seals_checked"] == verify(source)["seals_checked"] == 1


def test_import_reproduces_the_roster_and_the_history(source, target):
    given_register(source)

    imported(target, exported(source))

    before, after = Reads(source), Reads(target)
    assert after.roster() == before.roster()
    # but for who wrote each event into this database, which only PostgreSQL records
    assert [{**e, "db_role": None} for e in after.history()] == before.history()
    assert {e["db_role"] for e in after.history()} == {target.store.user or None}
    before.close()
    after.close()


def test_imported_register_works_on(source, target):
    given_register(source)
    imported(target, exported(source))

    target.withdraw_region("Gyeongsangbuk-do Province", "2010-01", source="letter of withdrawal")
    seal(target)

    assert target.region("Gyeongsangbuk-do Province").status == "withdrawn"
    assert verify(target)["seals_checked"] == 2


def test_import_reads_a_pipe(source, target):
    given_register(source)

    class Pipe(io.BytesIO):
        def seekable(self) -> bool:
            return False

    result = import_events(target, Pipe(exported(source).encode()))

    assert result["head"] == verify(source)["head"]


def test_import_reports_its_progress(source, target):
    given_register(source)
    calls: list[tuple[int, int]] = []

    result = imported(target, exported(source), progress=lambda done, total: calls.append((done, total)))

    assert calls[-1] == (result["events"], result["events"])


def test_state_that_is_not_compact_json_travels_as_base64_unchanged(source, tmp_path):
    source.register_region("Rasun City", "KP")
    first = source.recorder.select_notifications(start=None, limit=1)[0]
    spaced = json.dumps(json.loads(first.state)).encode()  # valid, but not the mapper's own bytes
    origin = Governance(f"sqlite://{tmp_path / 'origin.db'}")
    origin.recorder.insert_events([StoredEvent(first.originator_id, 1, first.topic, spaced)])
    copy = Governance(f"sqlite://{tmp_path / 'copy.db'}")

    text = exported(origin)
    imported(copy, text)

    assert "state_base64" in json.loads(text.splitlines()[0])
    assert stored(copy) == stored(origin)
    origin.close()
    copy.close()


def test_import_into_a_store_with_events_is_refused_and_writes_nothing(source, target):
    given_register(source)
    target.register_region("Toyama Prefecture", "JP")
    before = stored(target)

    with pytest.raises(GovernanceError, match=r"already holds events that are not the start of this file"):
        imported(target, exported(source))

    assert stored(target) == before


def test_an_import_cut_short_is_finished_by_importing_the_same_file_again(source, target, monkeypatch):
    """Events are written a batch per transaction: an import that stops part way
    leaves the file's first batches, and the same import then writes the rest."""
    import near_gov.transfer as transfer

    given_register(source)
    head = verify(source)["head"]
    text = exported(source)
    monkeypatch.setattr(transfer, "BATCH", 7)
    calls = []
    insert = target.recorder.insert_events

    def insert_then_fail(events, **kwargs):
        if len(calls) == 2:
            raise ConnectionError("the connection was lost")
        calls.append(len(events))
        return insert(events, **kwargs)

    monkeypatch.setattr(target.recorder, "insert_events", insert_then_fail)
    with pytest.raises(ConnectionError):
        imported(target, text)
    assert len(stored(target)) == 14  # two batches of 7
    monkeypatch.setattr(target.recorder, "insert_events", insert)

    result = imported(target, text)

    assert result == {"events": len(stored(source)), "head": head, "resumed": 14}
    assert stored(target) == stored(source)


def test_resuming_into_a_store_whose_first_events_differ_only_in_content_is_refused(source, target):
    """The store looks like an unfinished import of the file (the same aggregates,
    versions and event types, in the same order) but its events were recorded by
    someone else at another time: their stored bytes differ, so it is not the start."""
    given_register(source)
    text = exported(source)
    target.register_region("Khabarovsk Territory", "RU")
    target.record_status("Khabarovsk Territory", "member", "1996-09", 'NEAR brochure, "Members" list')
    before = stored(target)
    assert [event[:3] for event in before] == [event[:3] for event in stored(source)[:len(before)]]
    assert [event[3] for event in before] != [event[3] for event in stored(source)[:len(before)]]

    with pytest.raises(GovernanceError) as refused:
        imported(target, text)

    assert str(refused.value) == (
        f"the store {target.store.describe()} already holds events that are not the start of this file: "
        "import only into an empty store, or into the one an import of this file left unfinished "
        "(give a new file or schema with --store)")
    assert refused.value.exit_code == 1
    assert stored(target) == before


def test_an_import_into_a_store_holding_more_than_the_file_is_refused(source, target):
    given_register(source)
    text = exported(source)
    imported(target, text)
    target.register_region("Toyama Prefecture", "JP")
    before = stored(target)

    with pytest.raises(GovernanceError, match=r"already holds events that are not the start of this file"):
        imported(target, text)

    assert stored(target) == before


@pytest.mark.parametrize("mode", ["rb", "r"], ids=["binary", "text"])
def test_import_reads_a_real_pipe(source, target, mode):
    """A pipe cannot seek back (nor tell where it is): the import reads it once, keeping
    a copy to read again."""
    given_register(source)
    data = exported(source).encode()
    assert len(data) < 65536  # the whole export fits in the pipe's buffer: no writer thread
    reader, writer = os.pipe()
    os.write(writer, data)
    os.close(writer)

    with open(reader, mode, encoding=None if "b" in mode else "utf-8") as pipe:
        result = import_events(target, pipe)

    assert result == {"events": len(stored(source)), "head": verify(source)["head"], "resumed": 0}
    assert stored(target) == stored(source)


def test_import_reads_the_file_from_where_it_stands(source, target):
    """The caller may have read the start of the file (a header of its own, say): both
    readings of the export begin where the file stood when it was given."""
    given_register(source)
    src = io.BytesIO(b"a header the caller reads itself\n" + exported(source).encode())
    src.readline()

    result = import_events(target, src)

    assert result["events"] == len(stored(source))
    assert stored(target) == stored(source)


def test_a_resumed_import_reports_its_progress_from_where_it_resumes(source, target, monkeypatch):
    import near_gov.transfer as transfer

    given_register(source)
    text = exported(source)
    target.recorder.insert_events(source.recorder.select_notifications(start=None, limit=14))  # left by a cut import
    monkeypatch.setattr(transfer, "BATCH", 7)
    total = len(stored(source))
    calls: list[tuple[int, int]] = []

    imported(target, text, progress=lambda done, total: calls.append((done, total)))

    assert calls == [(14, total)] + [(written, total) for written in range(21, total, 7)] + [(total, total)]


class ReadThenWrittenTo(io.BytesIO):
    """An export whose first reading ends with another clerk writing to the store."""

    def __init__(self, data: bytes, other_clerk):
        super().__init__(data)
        self.other_clerk = other_clerk

    def __next__(self) -> bytes:
        try:
            return super().__next__()
        except StopIteration:
            if self.other_clerk is not None:
                self.other_clerk()
                self.other_clerk = None
            raise


def test_another_writer_while_the_file_is_checked_is_refused_and_the_import_writes_nothing(source, target,
                                                                                         store_url):
    given_register(source)
    other = Governance(store_url, actor="other clerk")
    src = ReadThenWrittenTo(exported(source).encode(), lambda: other.register_region("Toyama Prefecture", "JP"))

    with pytest.raises(GovernanceError) as refused:
        import_events(target, src)

    assert str(refused.value) == (f"another writer used the store {target.store.describe()} during the import: "
                                  "import into a store nobody else writes to")
    assert refused.value.exit_code == 1
    assert [event[2] for event in stored(target)] == [topic for topic, *_ in FIXED_REGISTER[:3]]  # the other's only
    other.close()


def test_another_writer_while_the_events_are_written_fails_the_import_naming_both_heads(source, target, store_url):
    given_register(source)
    other = Governance(store_url, actor="other clerk")
    expected = verify(source)["head"]

    def another_clerk_writes(written: int, total: int) -> None:
        if written == total:
            other.register_region("Toyama Prefecture", "JP")

    with pytest.raises(IntegrityFailure) as failure:
        imported(target, exported(source), progress=another_clerk_writes)

    now = verify(target)["head"]
    assert str(failure.value) == (
        f"the imported log's chain head {now[:16]}… differs from the file's {expected[:16]}…: another writer used "
        "the store during the import; import again into a new, empty store")
    assert failure.value.exit_code == 4
    other.close()


def test_a_seal_of_the_empty_register_travels_with_the_export(source, target):
    seal(source)  # the head of no events at all: the genesis link
    given_register(source)

    result = imported(target, exported(source))

    assert result["head"] == verify(source)["head"]
    assert verify(target)["seals_checked"] == 2


# --- bad files ----------------------------------------------------------------


def spoil_line(text: str, number: int, change) -> str:
    lines = text.splitlines()
    lines[number - 1] = change(lines[number - 1])
    return "\n".join(lines) + "\n"


def spoil_event(where, **fields: Any):
    """Change `fields` of the first event line for which `where(event)` holds."""

    def spoil(text: str) -> str:
        number = next(i for i, line in enumerate(text.splitlines(), 1) if where(json.loads(line)))
        return spoil_line(text, number, lambda line: json.dumps(_changed(json.loads(line), fields),
                                                                  ensure_ascii=False))

    return spoil


def _changed(event: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    state = {**event.get("state", {}), **fields.get("state", {})}
    return {**event, **fields, "state": state}


def registered(event: dict[str, Any]) -> bool:
    return event.get("topic") == "domain.region:RegionalGovernment.Registered"


def second_version(event: dict[str, Any]) -> bool:
    return event.get("originator_version") == 2


def line_5(event: dict[str, Any]) -> bool:
    return event.get("position") == 5


BAD_FILES = {
    "not JSON": (lambda t: spoil_line(t, 3, lambda line: line[:-1]), r"^line 3: not JSON"),
    "unknown field": (spoil_event(line_5, note="x"), r"^line 5: note: Extra inputs are not permitted"),
    "bad id": (spoil_event(line_5, originator_id="Rasun"), r"^line 5: originator_id: Input should be a valid UUID"),
    "unknown type": (spoil_event(line_5, topic="domain.region:RegionalGovernment.Annexed"),
                     r"^line 5: unknown event type domain.region:RegionalGovernment.Annexed;"),
    "state does not fit": (spoil_event(registered, state={"country": "XX"}),
                           r"^line 1: the state does not fit domain.region:RegionalGovernment.Registered"),
    "version gap": (spoil_event(second_version, originator_version=3),
                    r"^line \d+: .* is version 3, but the one before it is version 1;"),
    "position out of turn": (spoil_event(line_5, position=6), r"^line 5: position 6 is out of turn"),
    "actor disagrees": (spoil_event(registered, actor="someone else"),
                        r"^line 1: recorded_at and actor disagree with the state;"),
    "altered state": (spoil_event(registered, actor="someone else", state={"actor": "someone else"}),
                      r"^line \d+: the file states \d+ events with head .*, but its \d+ events give .*: "
                      "it was altered or is incomplete"),
    "no head line": (lambda t: "\n".join(t.splitlines()[:-1]), r"the file ends without its head line"),
    "line after the head": (lambda t: t + t.splitlines()[0] + "\n", r"there is a line after the head line"),
}


@pytest.mark.parametrize("damage", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_bad_file_is_refused_naming_the_line_and_writes_nothing(source, target, damage):
    spoil, message = damage
    given_register(source)
    text = spoil(exported(source))

    with pytest.raises(InvalidInput, match=message) as refused:
        imported(target, text)

    assert refused.value.exit_code == 2
    assert stored(target) == []


def fixed_line(change) -> str:
    """FIXED_EXPORT with its first line changed by `change(event)`."""
    first, *rest = FIXED_EXPORT.splitlines(keepends=True)
    return json.dumps(change(json.loads(first)), ensure_ascii=False) + "\n" + "".join(rest)


def without_state(event: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in event.items() if name not in ("state", "recorded_at", "actor")}


def stray_character_in_base64(event: dict[str, Any]) -> dict[str, Any]:
    encoded = base64.b64encode(FIXED_REGISTER[0][3].encode()).decode()
    return {**without_state(event), "state_base64": encoded[:8] + "!" + encoded[8:]}


def version(number: int):
    return lambda event: {**event, "originator_version": number}


FIXED_ID = RASUN_CITY
BAD_FIXED_FILES = {
    "empty": ("", "line 1: the file ends without its head line: it is incomplete"),
    "no head line": ("".join(FIXED_EXPORT.splitlines(keepends=True)[:4]),
                     "line 5: the file ends without its head line: it is incomplete"),
    "line after the head": (FIXED_EXPORT + FIXED_EXPORT.splitlines(keepends=True)[0],
                            "line 6: there is a line after the head line"),
    "first version not 1": (fixed_line(version(2)),
                            f"line 1: domain.region:RegionalGovernment.Registered of {FIXED_ID} is version 2, but the "
                            "one before it is version 0"),
    "no state": (fixed_line(without_state), "line 1: give either state or state_base64"),
    "stray character in base64": (fixed_line(stray_character_in_base64),
                                  "line 1: state_base64 is not base64 (Only base64 data is allowed)"),
}


@pytest.mark.parametrize("text, error", BAD_FIXED_FILES.values(), ids=BAD_FIXED_FILES.keys())
def test_bad_file_is_refused_with_exactly_what_is_wrong_where(target, text, error):
    with pytest.raises(InvalidInput) as refused:
        imported(target, text)

    assert str(refused.value) == f"{error}; fix the file or export it again"
    assert stored(target) == []


def test_a_seal_in_the_file_claiming_its_own_position_is_refused(source, target, tmp_path):
    given_register(source)  # ends with a seal
    source.close()
    with sqlite3.connect(tmp_path / "source.db") as raw:
        (key, state), = raw.execute("SELECT rowid, state FROM stored_events ORDER BY rowid DESC LIMIT 1").fetchall()
        own = json.loads(state)
        own["position"] = key  # the seal's own position: a seal cannot cover itself
        raw.execute("UPDATE stored_events SET state = ? WHERE rowid = ?", (json.dumps(own).encode(), key))
    altered = Governance(f"sqlite://{tmp_path / 'source.db'}")
    text = exported(altered)
    altered.close()

    with pytest.raises(IntegrityFailure) as refused:
        imported(target, text)

    assert str(refused.value) == f"line {key}: the seal there claims position {key}, which does not precede it"
    assert refused.value.exit_code == 4
    assert stored(target) == []


def test_export_of_a_register_altered_after_its_seal_cannot_be_imported(source, target, tmp_path):
    given_register(source)
    source.close()
    with sqlite3.connect(tmp_path / "source.db") as raw:
        raw.execute("UPDATE stored_events SET state = replace(state, 'clerk', 'intruder') WHERE rowid = 1")
    altered = Governance(f"sqlite://{tmp_path / 'source.db'}")
    text = exported(altered)
    altered.close()
    (seal_line,) = [i for i, line in enumerate(text.splitlines(), 1) if "Seal.Sealed" in line]
    sealed = json.loads(text.splitlines()[seal_line - 1])["state"]
    now = GENESIS
    with sqlite3.connect(tmp_path / "source.db") as raw:
        for topic, originator_id, version, state in raw.execute(
                "SELECT topic, originator_id, originator_version, state FROM stored_events ORDER BY rowid LIMIT ?",
                (sealed["position"],)):
            now = chained(now, topic, UUID(originator_id), version, as_stored(state))

    with pytest.raises(IntegrityFailure) as refused:
        imported(target, text)

    assert str(refused.value) == (
        f"line {seal_line}: the seal there records head {sealed['head'][:16]}… for position {sealed['position']}, "
        f"but the events up to there give {now.hex()[:16]}…: the register was altered before it was exported "
        "(see `near-gov audit verify` on the source); nothing was imported")
    assert stored(target) == []


# --- for every register -------------------------------------------------------

NAMES = ["Khabarovsk Territory", "Toyama Prefecture", "경상북도", "黑龙江省", "Rasun City", "O'Higgins \"Bay\""]
DATES = st.dates(min_value=date(1990, 1, 1), max_value=date(2020, 12, 31)).map(date.isoformat)
REGISTER = st.tuples(st.just("register"), st.sampled_from(NAMES), st.sampled_from(["CN", "JP", "KR", "KP", "MN", "RU"]))
COMMANDS = st.builds(
    lambda registered, then: registered + then,
    st.lists(REGISTER, min_size=1, max_size=4),
    st.lists(
        st.one_of(
            REGISTER,
            st.tuples(st.just("record"), st.sampled_from(NAMES), st.sampled_from(["member", "observer"]), DATES),
            st.tuples(st.just("withdraw"), st.sampled_from(NAMES), DATES),
            st.tuples(st.just("rename"), st.sampled_from(NAMES), st.sampled_from(NAMES)),
            st.tuples(st.just("seal")),
        ),
        max_size=10,
    ),
)


#: The register's refusals a drawn command may meet (a duplicate, a name of two
#: countries, a status or date out of order); anything else fails the test.
REFUSALS = (AlreadyExists, AlreadyRegistered, AmbiguousName, NotFound, StatusRefused)


def apply(gov: Governance, command: tuple[str, ...], registered: set[tuple[str, ...]]) -> bool:
    """Run one drawn command; True if it was applied (and wrote), False if refused (and
    wrote nothing). `registered` holds the (name, country) of every registration applied."""
    kind, *args = command
    head = gov.recorder.max_notification_id() or 0
    try:
        if kind == "register":
            gov.register_region(*args)
            registered.add(tuple(args))
        elif kind == "record":
            gov.record_status(args[0], args[1], args[2], "minutes")
        elif kind == "withdraw":
            gov.withdraw_region(args[0], args[1], source="minutes")
        elif kind == "rename":
            gov.rename_region(args[0], args[1], "2021-01")
        else:
            seal(gov)
    except GovernanceError as refusal:
        assert type(refusal) in REFUSALS, f"{command}: {type(refusal).__name__}: {refusal}"
        assert (gov.recorder.max_notification_id() or 0) == head, f"{command} was refused but wrote"
        return False
    assert (gov.recorder.max_notification_id() or 0) > head, f"{command} was accepted but wrote nothing"
    return True


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(COMMANDS)
def test_export_then_import_gives_the_same_head_for_every_register(commands):
    original, copy = Governance("memory", actor="clerk"), Governance("memory", actor="clerk")
    registered: set[tuple[str, ...]] = set()
    applied = [apply(original, command, registered) for command in commands]
    assert applied[0], "the first registration, on an empty register, is always applied"

    result = imported(copy, exported(original))

    assert result["events"] == len(stored(original)) >= sum(applied)
    assert result["head"] == verify(original)["head"]
    assert stored(copy) == stored(original)
    original.close()
    copy.close()


def test_a_file_changed_while_it_is_imported_puts_only_the_checked_lines_in_the_store(source, target):
    given_register(source)
    text = exported(source)
    forged = text.replace("Khabarovsk Territory", "Forged City")

    class Rewritten(io.BytesIO):
        """A file that someone rewrites as soon as it has been read to the end once."""

        def read(self, *args: Any) -> bytes:
            data = super().read(*args)
            if not data and self.getvalue() != forged.encode():
                self.seek(0)
                self.truncate()
                self.write(forged.encode())
            return data

        def readline(self, *args: Any) -> bytes:
            line = super().readline(*args)
            if not line and self.getvalue() != forged.encode():
                self.read()
            return line

        def __iter__(self) -> Any:
            while line := self.readline():
                yield line

    result = import_events(target, Rewritten(text.encode()))

    assert result["head"] == verify(source)["head"]
    assert stored(target) == stored(source)
    assert not any(b"Forged City" in state for *_, state in stored(target))
