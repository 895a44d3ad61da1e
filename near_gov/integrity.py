"""Tamper evidence: a hash chain over the whole event log, its seals, and its check.

Each event of the log, in log order, is hashed with the link before it:

    link_0 = sha256(b"near-gov hash chain 1")
    link_i = sha256(link_i-1 + field(topic) + field(originator id)
                    + field(originator version) + field(state))

where field(x) is the length of x as 8 bytes big-endian, then x, so that no two
different events encode alike. The originator id is its canonical text
(`str(UUID)`), the version its decimal digits, and the state the exact stored
bytes. The recorded time and the actor are fields of the stored state
(`timestamp`, `actor`), so hashing the state bytes covers them without decoding
anything: the chain does not depend on event classes or the mapper, and is the
same on every store that holds the same bytes (an export imported elsewhere has
the same head). The genesis link names the encoding, so a head computed under
another encoding can never be mistaken for one of these.

Positions are ordinal, 1..N in log order, not notification ids: those may have
gaps (PostgreSQL sequences) and differ between stores.

`verify` recomputes the chain from the first event and compares it with three
kinds of evidence, reporting the first position that differs:
- the chain index: the link of every sealed position, written when sealing (or
  importing) into a table beside the log, through the library's own aggregate
  recorder (`stored_chain` in SQLite, `governance_chain` in PostgreSQL), so it
  works on every store. It names the exact event that changed.
- seals: `Seal.Sealed` events in the log, each the head at a position. Being
  events, seals are chained too, and an export carries them. Where the index is
  missing they still show that something at or before their position changed.
- a head given by the caller (published in an assembly's minutes): it must be the
  link of some position. It covers what stored evidence cannot: the removal of
  the last events together with their seal and index rows.
Events appended after the last seal are covered by nothing until the next seal.

Snapshots are not in the log, so not in the chain; but commands load aggregates
from them, so an altered snapshot would change what the register does without
touching the log. `verify` therefore also replays every snapshotted aggregate
and checks each snapshot against the state its events give. (A snapshot of an
aggregate with no event at all is not found: the library cannot list snapshots,
so they are looked up by the aggregates of the log.)
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from datetime import UTC, datetime
from hashlib import sha256
from typing import Any, NoReturn, cast
from uuid import NAMESPACE_URL, UUID, uuid5
from weakref import WeakKeyDictionary

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from eventsourcing.domain import Aggregate, Snapshot
from eventsourcing.persistence import (
    AggregateRecorder,
    EventStore,
    IntegrityError,
    MapperDeserialisationError,
    Notification,
    StoredEvent,
)
from eventsourcing.utils import get_topic

from domain.errors import ConcurrentChange, IntegrityFailure, InvalidInput
from domain.seal import Seal
from near_gov import keys
from near_gov.merkle import Frontier, fields, leaf_hash
from near_gov.service import Governance

GENESIS = sha256(b"near-gov hash chain 1").digest()
#: Events (or index rows) read or written per query.
PAGE = 500
#: Attempts to seal when another clerk seals at the same moment.
RETRIES = 5

_INDEX_ID = uuid5(NAMESPACE_URL, "https://www.neargov.org/register/hash-chain")
_LINK_TOPIC = "near_gov.integrity:link"
_SEALED = get_topic(Seal.Sealed)
_HINT = "restore the register from a backup or an export taken before the change"

_indexes: WeakKeyDictionary[Governance, AggregateRecorder] = WeakKeyDictionary()


def link(previous: bytes, event: StoredEvent) -> bytes:
    """The chain link of `event`, given the link before it."""
    return sha256(previous + leaf_data(event)).digest()


def leaf_data(event: StoredEvent) -> bytes:
    """The event's bytes as the chain links them and the Merkle tree hashes them."""
    return fields(as_bytes(value) for value in (event.topic, event.originator_id, event.originator_version,
                                                 event.state))


def as_bytes(value: object) -> bytes:
    """A stored value as bytes: bytes as they are, anything else as UTF-8 text.

    A column edited behind the application's back may come back as another type
    (SQLite's replace() turns a BLOB into TEXT); it must still hash, not crash."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    return str(value).encode()


def chain(gov: Governance) -> Iterator[tuple[int, bytes, Notification]]:
    """The log in order, with each event's position and link; reads a page at a time."""
    previous, position, after = GENESIS, 0, 0
    while page := gov.recorder.select_notifications(start=after, limit=PAGE, inclusive_of_start=False):
        for notification in page:
            position += 1
            previous = link(previous, notification)
            yield position, previous, notification
        after = page[-1].id


def verify(gov: Governance, head: str | None = None) -> dict[str, Any]:
    """Recompute the chain and check it against the index, every seal, and `head`.

    Raises IntegrityFailure naming the first position that differs."""
    head = parse_head(head) if head is not None else None
    seals = _seals(gov)
    claimed = {position for position, _ in seals.values()}
    sealed_at = sorted(claimed)
    seen: dict[int, tuple[bytes, bool]] = {0: (GENESIS, True)}  # claimed position -> link, indexed
    index = _indexed(gov)
    expected = next(index, None)
    found = 0 if head == GENESIS.hex() else None
    confirmed = position = checked = 0
    last = GENESIS
    originators: set[UUID | str] = set()
    for position, last, notification in chain(gov):
        originators.add(notification.originator_id)
        indexed = False
        if expected is not None and expected[0] == position:
            indexed = True
            if expected[1] != last:
                cover = bisect.bisect_left(sealed_at, position)
                by = f" at position {sealed_at[cover]}" if cover < len(sealed_at) else ""
                _differs(f"at position {position}", f"the event there is not the one sealed{by} (its link "
                                                     f"was {expected[1].hex():.16}…, now {last.hex():.16}…)")
            confirmed = position
            expected = next(index, None)
        if position in claimed:
            seen[position] = (last, indexed)
        if notification.id in seals:
            _check_seal(position, seals[notification.id], seen)
            confirmed, checked = max(confirmed, seals[notification.id][0]), checked + 1
        if head == last.hex():
            found = position
    if expected is not None:
        _differs(f"at position {position + 1}",
                 f"the log ends at position {position}, but it was sealed with more events")
    if head is not None and found is None:
        _differs(f"after position {confirmed}",
                 f"the given head {head:.16}… is the link of no position 0..{position}",
                 "check the head you gave, or " + _HINT)
    snapshots = _check_snapshots(gov, originators)
    return {"head": last.hex(), "position": position, "seals_checked": checked, "snapshots_checked": snapshots}


def seal(gov: Governance, key: Ed25519PrivateKey | None = None) -> dict[str, Any]:
    """Verify the chain, index every new link, and record its head and Merkle root as a
    seal in the log, signed with `key` if given (near_gov/keys.py).

    Refuses (IntegrityFailure) to seal a chain that does not verify."""
    for _ in range(RETRIES):
        verify(gov)
        try:
            result = index_chain(gov)
            signed = _signature(key, result) if key is not None else {}
            gov.save(Seal(head=result["head"], position=result["position"], actor=gov.actor, root=result["root"],
                          key_id=signed.get("key_id"), signed_at=signed.get("signed_at"),
                          signature=signed.get("signature")))
        except IntegrityError:
            continue  # another clerk sealed the same log meanwhile: verify again and seal after them
        return {**result, **signed}
    raise ConcurrentChange("the chain's seals")


def _signature(key: Ed25519PrivateKey, sealed: dict[str, Any]) -> dict[str, str]:
    ident = keys.key_id(key.public_key())
    time = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    statement = keys.tree_head(sealed["position"], sealed["head"], sealed["root"], time, ident)
    return {"key_id": ident, "signed_at": time, "signature": keys.sign(key, statement)}


def index_chain(gov: Governance) -> dict[str, Any]:
    """Add to the chain index the link of every event not yet in it; return the head
    and the Merkle root of the log.

    Only call it on a chain just verified: the index is evidence, and must not
    record links of events that were altered."""
    recorder = index_recorder(gov)
    newest = recorder.select_events(_INDEX_ID, desc=True, limit=1)
    indexed = newest[0].originator_version if newest else 0
    batch: list[StoredEvent] = []
    position, last, tree = 0, GENESIS, Frontier()
    for position, last, event in chain(gov):
        tree.append(leaf_hash(leaf_data(event)))
        if position > indexed:
            batch.append(StoredEvent(originator_id=_INDEX_ID, originator_version=position,
                                     topic=_LINK_TOPIC, state=last))
        if len(batch) == PAGE:
            recorder.insert_events(batch)
            batch = []
    if batch:
        recorder.insert_events(batch)
    return {"head": last.hex(), "position": position, "root": tree.root().hex()}


def index_recorder(gov: Governance) -> AggregateRecorder:
    """The chain index's recorder, one per application: a memory store's recorder
    lives only as long as the object that made it."""
    recorder = _indexes.get(gov)
    if recorder is None:
        recorder = _indexes[gov] = gov.factory.aggregate_recorder("chain")
    return recorder


def _indexed(gov: Governance) -> Iterator[tuple[int, bytes]]:
    recorder, after = index_recorder(gov), 0
    while page := recorder.select_events(_INDEX_ID, gt=after, limit=PAGE):
        for row in page:
            yield row.originator_version, bytes(row.state)
        after = page[-1].originator_version


def _seals(gov: Governance) -> dict[int, tuple[int, str]]:
    """Every seal in the log by notification id: (position, head), or (-1, why) if unreadable."""
    seals: dict[int, tuple[int, str]] = {}
    after = 0
    while page := gov.recorder.select_notifications(
        start=after, limit=PAGE, topics=[_SEALED], inclusive_of_start=False
    ):
        for notification in page:
            try:
                # Only seals are selected (by their topic).
                event = cast(Seal.Sealed, gov.mapper.to_domain_event(notification))
                seals[notification.id] = (event.position, event.head)
            except MapperDeserialisationError as e:
                seals[notification.id] = (-1, str(e))
        after = page[-1].id
    return seals


def _check_seal(position: int, claim: tuple[int, str], seen: dict[int, tuple[bytes, bool]]) -> None:
    """Check the seal found at `position`, which claims the head at an earlier position."""
    at, head = claim
    if at < 0:
        _differs(f"at position {position}", f"the seal there cannot be read ({head})")
    if at >= position or at not in seen:
        _differs(f"at position {position}", f"the seal there claims position {at}, which does not precede it")
    actual, indexed = seen[at]
    if head == actual.hex():
        return
    if indexed:
        _differs(f"at position {position}",
                 f"the seal there records head {head:.16}… for position {at}, "
                 f"but the events up to {at} are the ones sealed, and give {actual.hex():.16}…")
    _differs(f"at or before position {at}",
             f"sealed head at position {at} was {head:.16}…, the log now gives {actual.hex():.16}…")


def _check_snapshots(gov: Governance, originators: set[UUID | str]) -> int:
    """Replay each snapshotted aggregate once, comparing every snapshot on the way."""
    store = gov.snapshots
    if store is None:
        return 0
    checked = 0
    for originator_id in originators:
        try:
            # The library's records allow text ids; the register's are all UUIDs.
            checked += _check_snapshots_of(gov, store, cast(UUID, originator_id))
        except MapperDeserialisationError as e:
            raise IntegrityFailure(
                f"the snapshots or events of {originator_id} cannot be read ({e}): they were changed "
                f"outside near-gov; {_HINT}"
            ) from None
    return checked


def _check_snapshots_of(gov: Governance, store: EventStore[UUID], originator_id: UUID) -> int:
    # The register's stores hold only what its aggregates record: the library's
    # snapshots in one, aggregate events in the other.
    snapshots = {s.originator_version: cast(Snapshot, s) for s in store.get(originator_id)}
    if not snapshots:
        return 0
    unmatched = dict(snapshots)
    aggregate: Aggregate | None = None
    for event in gov.events.get(originator_id, lte=max(snapshots)):
        aggregate = cast(Aggregate.Event, event).mutate(aggregate)
        snapshot = unmatched.pop(event.originator_version, None)
        if snapshot is not None and (aggregate is None or type(snapshot).take(aggregate).state != snapshot.state):
            _snapshot_differs(snapshot, "differs from the events it summarises")
    for snapshot in unmatched.values():
        _snapshot_differs(snapshot, "has no events up to its version")
    return len(snapshots)


def _snapshot_differs(snapshot: Snapshot, what: str) -> NoReturn:
    raise IntegrityFailure(
        f"the snapshot of {snapshot.topic} {snapshot.originator_id} at version {snapshot.originator_version} "
        f"{what}: it was changed outside near-gov, or taken by an older near-gov whose aggregates differed; "
        "delete the store's snapshots (commands take them again) and verify again"
    )


def _differs(where: str, detail: str, hint: str = _HINT) -> NoReturn:
    raise IntegrityFailure(f"chain differs {where}: {detail}; {hint}")


def parse_head(text: str) -> str:
    head = text.strip().lower()
    if len(head) != 64 or any(c not in "0123456789abcdef" for c in head):
        raise InvalidInput(f"bad head {text!r}: give the 64 hexadecimal digits printed by `near-gov audit seal`")
    return head
