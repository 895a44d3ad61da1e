"""Export the whole log as JSON Lines; import such a file into an empty store.

This is the register's portable backup and its migration path between stores
(`near-gov --store A export | near-gov --store postgresql://... import -`). The
import writes back the exact stored bytes of every event, so the imported log
has the same hash chain as the source, whose head the file's last line states.

One line per event, in log order:

    {"position": 1, "topic": "...", "originator_id": "...", "originator_version": 1,
     "recorded_at": "...", "actor": "...", "state": {...}}

`state` is the stored JSON as an object when encoding that object again gives
back the exact stored bytes; otherwise `state_base64` holds the bytes (and there
is no `recorded_at` or `actor`). `recorded_at` and `actor` are copied from the
state for people reading the file; an import checks that they still agree with
it. The last line is `{"head": "...", "events": N}`.

Both directions stream: memory holds a page of events and, when importing, the
last version of each aggregate (to check that versions are contiguous) and the
file's seals; the link of every position is kept in a temporary file, to check
those seals.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any, NoReturn
from uuid import UUID

from eventsourcing.persistence import Notification, StoredEvent
from eventsourcing.utils import TopicError, resolve_topic
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from domain.errors import GovernanceError, IntegrityFailure, InvalidInput
from domain.seal import Seal
from near_gov.integrity import GENESIS, as_bytes, chain, index_chain, link, verify
from near_gov.persistence.codec import CompactJSONTranscoder
from near_gov.service import Governance

#: Events written per transaction when importing.
BATCH = 500

_encode = CompactJSONTranscoder().encode
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_READABLE = (("recorded_at", "timestamp"), ("actor", "actor"))

#: Told `(written, total)` events as an import writes.
Progress = Callable[[int, int], None]


class _Line(BaseModel):
    """One event line of an export."""

    model_config = ConfigDict(extra="forbid")

    position: int
    topic: str = Field(min_length=1)
    originator_id: UUID
    originator_version: int = Field(ge=1)
    recorded_at: str | None = None
    actor: str | None = None
    state: dict[str, Any] | None = None
    state_base64: str | None = None


class _Head(BaseModel):
    """The last line of an export."""

    model_config = ConfigDict(extra="forbid")

    head: str
    events: int


def export_events(gov: Governance, out: IO[Any]) -> dict[str, Any]:
    """Write every event of the log to `out` (a text or binary file) as JSON Lines,
    then the chain head; in UTF-8 when `out` is binary."""
    text = isinstance(out, io.TextIOBase) or "b" not in getattr(out, "mode", "b")
    position, last = 0, GENESIS
    for position, last, event in chain(gov):  # noqa: B007 - the last link, read after the loop, is the head
        line = _dumps(_export_line(position, event)) + "\n"
        out.write(line if text else line.encode())
    line = _dumps({"head": last.hex(), "events": position}) + "\n"
    out.write(line if text else line.encode())
    return {"events": position, "head": last.hex()}


def import_events(gov: Governance, src: IO[Any], progress: Progress | None = None) -> dict[str, Any]:
    """Import an export into an empty store: check every line, then write them all.

    `src` is a text or binary file, read once: its lines are copied to a private
    temporary file as they are checked, and written from that copy, so a file
    changed while it is imported cannot put lines nobody checked into the store.
    `progress(written, total)` follows the writing.
    Raises InvalidInput naming the first bad line, IntegrityFailure naming a seal
    that the events before it do not match, and GovernanceError if the store holds
    events that are not the start of the file; in each case nothing is written.

    Events are written a batch per transaction, so an import cut short (a crash, a
    lost connection) leaves the file's first events: importing the same file again
    checks that they are, and writes the rest (`resumed` says after how many). Once
    written, the store's chain is recomputed: IntegrityFailure if it is not the
    file's (another writer)."""
    present = gov.recorder.max_notification_id() or 0
    with tempfile.TemporaryFile() as checked:
        expected, total = _check_all(gov, _tee(src, checked))
        if present > total:
            _not_the_start(gov)
        checked.seek(0)
        if (gov.recorder.max_notification_id() or 0) != present:
            raise GovernanceError(f"another writer used the store {gov.store.describe()} during the import: "
                                  "import into a store nobody else writes to")
        _write_all(gov, _raw_lines(checked), total, progress, present)
    result = verify(gov)
    if result["head"] != expected:
        raise IntegrityFailure(
            f"the imported log's chain head {result['head']:.16}… differs from the file's {expected:.16}…: "
            "another writer used the store during the import; import again into a new, empty store"
        )
    index_chain(gov)
    return {"events": result["position"], "head": result["head"], "resumed": present}


def export_lines(src: IO[Any]) -> Iterator[tuple[int, tuple[int, StoredEvent] | _Head]]:
    """The lines of an export, numbered and each checked on its own: an event's position
    and stored form, or the head line (with `head` and `events`). InvalidInput names a
    bad line; what lines say together (order, versions, the head) is the reader's to check."""
    for number, raw in _raw_lines(src):
        yield number, _parse(number, raw)


def _export_line(position: int, event: StoredEvent) -> dict[str, Any]:
    line: dict[str, Any] = {
        "position": position,
        "topic": event.topic,
        "originator_id": str(event.originator_id),
        "originator_version": event.originator_version,
    }
    data = as_bytes(event.state)
    state = _json_object(data)
    if state is None:
        line["state_base64"] = base64.b64encode(data).decode()
    else:
        line.update(_readable(state))
        line["state"] = state
    return line


def _json_object(data: bytes) -> dict[str, Any] | None:
    """The state as a JSON object, if encoding it again gives back exactly `data`."""
    try:
        state = json.loads(data)
    except ValueError:
        return None
    return state if type(state) is dict and _encode(state) == data else None


def _readable(state: dict[str, Any]) -> dict[str, Any]:
    return {name: state[field] for name, field in _READABLE if field in state}


def _not_the_start(gov: Governance) -> NoReturn:
    raise GovernanceError(
        f"the store {gov.store.describe()} already holds events that are not the start of this file: "
        "import only into an empty store, or into the one an import of this file left unfinished "
        "(give a new file or schema with --store)"
    )


def _check_all(gov: Governance, lines: Iterable[tuple[int, bytes]]) -> tuple[str, int]:
    """Check every line; return the head the file states (and its events give), and
    the number of events.

    Seals in the file are checked too, so that a register altered before it was
    exported cannot be laundered by an import. A seal claims the link of an
    earlier position, so every link is kept until the end, on disk (32 bytes each)."""
    versions: dict[UUID | str, int] = {}
    seals: list[tuple[int, int, int, str]] = []  # line, its position, position sealed, head
    last, count, number = GENESIS, 0, 0
    stated: _Head | None = None
    with tempfile.TemporaryFile() as links:
        for number, raw in lines:
            if stated is not None:
                _bad(number, "there is a line after the head line")
            item = _parse(number, raw)
            if isinstance(item, _Head):
                stated = item
                continue
            position, event = item
            count += 1
            if position != count:
                _bad(number, f"position {position} is out of turn: the lines must hold positions 1, 2, ... in order")
            if event.originator_version != versions.get(event.originator_id, 0) + 1:
                _bad(number, f"{event.topic} of {event.originator_id} is version {event.originator_version}, "
                             f"but the one before it is version {versions.get(event.originator_id, 0)}")
            versions[event.originator_id] = event.originator_version
            try:
                decoded = gov.mapper.to_domain_event(event)
            except Exception as e:  # noqa: BLE001 - any failure to decode is bad input
                _bad(number, f"the state does not fit {event.topic}: {e}")
            if isinstance(decoded, Seal.Sealed):
                seals.append((number, count, decoded.position, decoded.head))
            last = link(last, event)
            links.write(last)
        if stated is None:
            _bad(number + 1, "the file ends without its head line: it is incomplete")
        if stated.events != count or stated.head != last.hex():
            _bad(number, f"the file states {stated.events} events with head {stated.head:.16}…, "
                         f"but its {count} events give {last.hex():.16}…: it was altered or is incomplete")
        for seal in seals:
            _check_seal(links, *seal)
    return stated.head, count


def _check_seal(links: IO[bytes], number: int, position: int, sealed: int, head: str) -> None:
    if not 0 <= sealed < position:
        raise IntegrityFailure(f"line {number}: the seal there claims position {sealed}, which does not precede it")
    actual = GENESIS
    if sealed:
        links.seek(32 * (sealed - 1))
        actual = links.read(32)
    if head != actual.hex():
        raise IntegrityFailure(
            f"line {number}: the seal there records head {head:.16}… for position {sealed}, but the events "
            f"up to there give {actual.hex():.16}…: the register was altered before it was exported "
            "(see `near-gov audit verify` on the source); nothing was imported"
        )


def _write_all(gov: Governance, lines: Iterable[tuple[int, bytes]], total: int, progress: Progress | None,
               present: int = 0) -> None:
    """Write the file's events after its first `present`, which must be the store's
    (all of them are compared before anything is written)."""
    batch: list[StoredEvent] = []
    written = 0
    stored = _stored_events(gov)
    for number, raw in lines:
        item = _parse(number, raw)
        if not isinstance(item, _Head) and written < present:
            mine, theirs = next(stored), item[1]
            if (mine.originator_id, mine.originator_version, mine.topic, bytes(mine.state)) != (
                    theirs.originator_id, theirs.originator_version, theirs.topic, theirs.state):
                _not_the_start(gov)
            written += 1
            if progress and written == present:
                progress(written, total)
            continue
        if not isinstance(item, _Head):
            batch.append(item[1])
        if batch and (len(batch) == BATCH or isinstance(item, _Head)):
            gov.recorder.insert_events(batch)
            written += len(batch)
            batch = []
            if progress:
                progress(written, total)


def _stored_events(gov: Governance) -> Iterator[Notification]:
    """The store's events in log order, a page at a time."""
    after = 0
    while page := gov.recorder.select_notifications(start=after, limit=BATCH, inclusive_of_start=False):
        yield from page
        after = page[-1].id


def _parse(number: int, raw: bytes) -> tuple[int, StoredEvent] | _Head:
    """One line of an export, checked on its own: an event's position and stored
    form, or the head line."""
    try:
        data = json.loads(raw)
    except ValueError as e:
        _bad(number, f"not JSON ({e})")
    if type(data) is not dict:
        _bad(number, "not a JSON object")
    try:
        if "head" in data:
            return _Head.model_validate(data)
        line = _Line.model_validate(data)
    except ValidationError as e:
        error = e.errors()[0]
        where = ".".join(str(part) for part in error["loc"])
        _bad(number, f"{where}: {error['msg']}")
    try:
        resolve_topic(line.topic)
    except TopicError:
        _bad(number, f"unknown event type {line.topic}")
    if (line.state is None) == (line.state_base64 is None):
        _bad(number, "give either state or state_base64")
    if line.state_base64 is not None:
        try:
            state = base64.b64decode(line.state_base64, validate=True)
        except binascii.Error as e:
            _bad(number, f"state_base64 is not base64 ({e})")
    else:
        state = _encode(line.state)
    stated = {name: value for name, value in (("recorded_at", line.recorded_at), ("actor", line.actor))
              if value is not None}
    if stated != (_readable(line.state) if line.state is not None else {}):
        _bad(number, "recorded_at and actor disagree with the state")
    return line.position, StoredEvent(originator_id=line.originator_id,
                                      originator_version=line.originator_version, topic=line.topic, state=state)


def _bad(number: int, why: str) -> NoReturn:
    raise InvalidInput(f"line {number}: {why}; fix the file or export it again")


def _tee(src: IO[Any], copy: IO[bytes]) -> Iterator[tuple[int, bytes]]:
    """Number the lines of `src` as bytes, copying each to `copy`."""
    for number, raw in _raw_lines(src):
        copy.write(raw + b"\n")
        yield number, raw


def _raw_lines(src: IO[Any]) -> Iterator[tuple[int, bytes]]:
    """The non-blank lines of a text or binary file, numbered from 1, as bytes."""
    for number, line in enumerate(src, start=1):
        raw = (line.encode() if isinstance(line, str) else line).strip()
        if raw:
            yield number, raw
