"""Signed seals checked: which events of a log a key attests, from the store or from an
export alone.

The hash chain (near_gov/integrity.py) shows that nothing before a seal changed, but
anyone who can write to the store can also append a seal. A signed seal is the key
holder's statement of the log's size, chain head and Merkle root (near_gov/keys.py):
`check` recomputes the chain and the tree over every event, checks each seal's head
and root at the position it claims, each signature with the given public key, and
counts the events after the last signed seal (seals aside): those no key attests yet.

`check` reads only the stored bytes of each event (a seal's fields from its JSON
state), so it runs on the store's log and on an export file the same way, the latter
with no store at all.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from hashlib import sha256
from typing import IO, Any, NoReturn

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from domain.errors import GovernanceError, IntegrityFailure
from domain.seal import Seal
from near_gov import keys
from near_gov.integrity import GENESIS, leaf_data, parse_head
from near_gov.merkle import EMPTY_ROOT, Frontier, leaf_hash
from near_gov.transfer import export_lines

SEALED = get_topic(Seal.Sealed)
_HINT = "restore the register from a backup or an export taken before the change"


def check(events: Iterable[tuple[int, StoredEvent]], public: Ed25519PublicKey | None,
          head: str | None = None) -> dict[str, Any]:
    """Check the chain head and Merkle root every seal claims, and with `public` every
    signature; `head`, if given, must be the chain's head at some position.

    Raises IntegrityFailure naming the first seal that does not hold."""
    head = parse_head(head) if head is not None else None
    links, roots = bytearray(GENESIS), bytearray(EMPTY_ROOT)  # 32 bytes for each position from 0
    tree, last, position = Frontier(), GENESIS, 0
    seals: list[int] = []
    attested, signed, unchecked = 0, 0, 0
    mine = keys.key_id(public) if public is not None else None
    for position, event in events:
        data = leaf_data(event)
        last = sha256(last + data).digest()
        tree.append(leaf_hash(data))
        links += last
        roots += tree.root()
        if event.topic != SEALED:
            continue
        seals.append(position)
        claim = _claim(position, event)
        at = claim["position"]
        _check_claim(position, claim, bytes(links[32 * at:32 * at + 32]), bytes(roots[32 * at:32 * at + 32]))
        if claim["signature"] is None:
            continue
        if public is None:
            unchecked += 1
            continue
        _check_signature(position, claim, public, mine)
        attested, signed = max(attested, at), signed + 1
    if head is not None and bytes.fromhex(head) not in {bytes(links[i:i + 32]) for i in range(0, len(links), 32)}:
        raise IntegrityFailure(f"the given head {head:.16}… is the link of no position 0..{position}: "
                               f"check the head you gave, or {_HINT}")
    sealed = set(seals)
    later = [p for p in range(attested + 1, position + 1) if p not in sealed]
    return {"head": last.hex(), "root": tree.root().hex(), "position": position, "seals_checked": len(seals),
            "signed_seals": signed, "signed_unchecked": unchecked, "key_id": mine, "attested": attested,
            "unattested": len(later), "first_unattested": later[0] if later else None}


def _claim(position: int, event: StoredEvent) -> dict[str, Any]:
    """A seal's fields, read from its stored JSON (a version 1 seal has no root or signature)."""
    try:
        state = json.loads(bytes(event.state))
        claim = {name: state.get(name) for name in ("position", "head", "root", "key_id", "signed_at", "signature")}
    except (ValueError, AttributeError):
        _fails(position, "cannot be read: it is not a JSON object")
    if type(claim["position"]) is not int or not 0 <= claim["position"] < position:
        _fails(position, f"claims position {claim['position']}, which does not precede it")
    if any(claim[name] is not None and type(claim[name]) is not str for name in claim if name != "position"):
        _fails(position, "has a field that is not text")
    return claim


def _check_claim(position: int, claim: dict[str, Any], link: bytes, root: bytes) -> None:
    at = claim["position"]
    if claim["head"] != link.hex():
        raise IntegrityFailure(f"chain differs at or before position {at}: the seal at position {position} "
                               f"records head {str(claim['head']):.16}…, the events up to {at} give "
                               f"{link.hex():.16}…; {_HINT}")
    if claim["root"] is not None and claim["root"] != root.hex():
        _fails(position, f"records Merkle root {claim['root']:.16}… for the first {at} events, which give "
                         f"{root.hex():.16}…")


def _check_signature(position: int, claim: dict[str, Any], public: Ed25519PublicKey, mine: str | None) -> None:
    if claim["key_id"] != mine:
        _fails(position, f"is signed by key {claim['key_id']}, not by the given key {mine}", "check that you "
               "gave the register's public key; if you did, the seal was not made by its holder")
    statement = keys.tree_head(claim["position"], claim["head"], claim["root"], claim["signed_at"], claim["key_id"])
    if claim["root"] is None or claim["signed_at"] is None or not keys.signed_by(public, statement,
                                                                                claim["signature"]):
        _fails(position, f"has a signature that key {mine} did not make: the seal was forged or altered")


def _fails(position: int, what: str, hint: str = _HINT) -> NoReturn:
    raise IntegrityFailure(f"the seal at position {position} {what}; {hint}")


def require_attested(result: dict[str, Any]) -> None:
    """Refuse (IntegrityFailure) a log with events no signed seal attests."""
    if result["unattested"]:
        raise IntegrityFailure(
            f"{result['unattested']} events are not attested by a signed seal, from position "
            f"{result['first_unattested']} on (the last signed seal covers the first {result['attested']}): "
            "if they are genuine, seal the register with the key (`near-gov audit seal --key PRIVATE`)"
        )


def export_events(src: IO[bytes], name: str) -> Iterator[tuple[int, StoredEvent]]:
    """The events of an export file, checked line by line as `near-gov import` checks
    them, and against the head its last line states; a file that fails is an
    integrity failure here (IntegrityFailure naming the file and line)."""
    versions: dict[Any, int] = {}
    last, count, ended = GENESIS, 0, False
    try:
        for number, item in export_lines(src):
            if ended:
                raise IntegrityFailure(f"line {number}: there is a line after the head line")
            if isinstance(item, tuple):
                position, event = item
                count += 1
                if position != count:
                    raise IntegrityFailure(f"line {number}: position {position} is out of turn")
                if event.originator_version != versions.get(event.originator_id, 0) + 1:
                    raise IntegrityFailure(f"line {number}: {event.topic} of {event.originator_id} is version "
                                           f"{event.originator_version}, after version "
                                           f"{versions.get(event.originator_id, 0)}")
                versions[event.originator_id] = event.originator_version
                last = sha256(last + leaf_data(event)).digest()
                yield position, event
                continue
            if (item.events, item.head) != (count, last.hex()):
                raise IntegrityFailure(f"line {number}: the file states {item.events} events with head "
                                       f"{item.head:.16}…, but its {count} events give {last.hex():.16}…")
            ended = True
    except GovernanceError as e:
        raise IntegrityFailure(f"{name}: {e}") from None
    if not ended:
        raise IntegrityFailure(f"{name}: the file ends without its head line: it is incomplete")
