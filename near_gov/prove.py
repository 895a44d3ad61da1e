"""Write a receipt (near_gov/receipt.py): the events about a region or a decision, each
with its inclusion proof against the tree head of the register's last signed seal.

For a region: every event of its record (registration, statuses, renames, withdrawal)
and the decisions its record cites. For a decision (`GA-4/D1`): the decision as its
assembly took it, and every event that cites it as cause or decision (the effects).
Only events the signed seal covers are proved: events recorded later wait for the
next signed seal.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, cast

from domain.errors import GovernanceError, IntegrityFailure
from domain.seal import Seal
from near_gov.attested import SEALED
from near_gov.integrity import PAGE, chain, leaf_data
from near_gov.merkle import consistency_proof, inclusion_proof, leaf_hash, root
from near_gov.receipt import FORMAT, GROWTH
from near_gov.service import Governance

_DECISION = re.compile(r"(GA|WC)-\d+/D\d+", re.IGNORECASE)
_DECIDED = "domain.assembly:Assembly.DecisionTaken"


def prove(gov: Governance, subject: str, country: str | None = None) -> dict[str, Any]:
    """The receipt for a region (by name) or a decision (by reference), as a dict;
    `near_gov.receipt.render` gives its written form. Raises GovernanceError if there is no signed seal, or no
    attested event about the subject, IntegrityFailure if the log no longer gives the
    seal's head and root."""
    head = _last_signed_seal(gov)
    decision = subject.strip().upper() if _DECISION.fullmatch(subject.strip()) else None
    region = None if decision else gov.region(subject, country).id
    leaves: list[bytes] = []
    chosen: list[tuple[int, Any]] = []
    decisions: dict[str, tuple[int, Any]] = {}
    cited: set[str] = set()
    sealed = b""
    for position, link, event in chain(gov):
        if position > head.position:
            break
        sealed = link
        data = leaf_data(event)
        leaves.append(leaf_hash(data))
        state = _state(event) if event.topic == _DECIDED or decision is not None or \
            event.originator_id == region else {}
        if event.topic == _DECIDED and isinstance(state.get("ref"), str):
            decisions[state["ref"]] = (position, event)
        if region is not None and event.originator_id == region:
            chosen.append((position, event))
            cited.update(str(state[name]) for name in ("cause", "decision") if state.get(name))
        elif decision is not None and (state.get("ref") == decision and event.topic == _DECIDED
                                       or decision in (state.get("cause"), state.get("decision"))):
            chosen.append((position, event))
    if len(leaves) != head.position or sealed.hex() != head.head or root(leaves).hex() != head.root:
        raise IntegrityFailure(f"the log no longer gives the head and root its signed seal records for its first "
                               f"{head.position} events: run `near-gov audit verify` to find what changed")
    chosen += [decisions[ref] for ref in sorted(cited) if ref in decisions]
    if not chosen:
        raise GovernanceError(f"no event about {subject} is attested by the last signed seal (the first "
                              f"{head.position} events): seal the register with the key first "
                              "(`near-gov audit seal --key PRIVATE`)")
    return {
        "receipt": FORMAT,
        "tree_head": _tree_head(head),
        "entries": [_entry(position, event, leaves) for position, event in sorted(chosen, key=lambda c: c[0])],
    }


def prove_growth(gov: Governance, size: int) -> dict[str, Any]:
    """The consistency document from the signed seal over the first `size` events (the
    tree head of a receipt) to the last signed seal: that the log only grew since."""
    seals = _signed_seals(gov)
    first = next((seal for seal in seals if seal.position == size), None)
    if first is None:
        raise GovernanceError(f"no signed seal covers exactly the first {size} events: give the size a receipt's "
                              "tree_head states")
    last = _last_signed_seal(gov)
    leaves = [leaf_hash(leaf_data(event)) for position, _, event in _prefix(gov, last.position)]
    for seal in (first, last):
        if root(leaves[:seal.position]).hex() != seal.root:
            raise IntegrityFailure(f"the log no longer gives the root its signed seal records for its first "
                                   f"{seal.position} events: run `near-gov audit verify` to find what changed")
    return {"consistency": GROWTH, "from": _tree_head(first), "to": _tree_head(last),
            "proof": [p.hex() for p in consistency_proof(size, leaves)]}


def _prefix(gov: Governance, size: int) -> Iterator[tuple[int, bytes, Any]]:
    for item in chain(gov):
        if item[0] > size:
            return
        yield item


def _tree_head(seal: Seal.Sealed) -> dict[str, Any]:
    return {"size": seal.position, "head": seal.head, "root": seal.root, "time": seal.signed_at,
            "key_id": seal.key_id, "signature": seal.signature}


def _last_signed_seal(gov: Governance) -> Seal.Sealed:
    seals = [seal for seal in _signed_seals(gov) if seal.position > 0]
    if not seals:
        raise GovernanceError("the register has no signed seal over its events: seal it with the key first "
                              "(`near-gov audit seal --key PRIVATE`)")
    return seals[-1]


def _signed_seals(gov: Governance) -> list[Seal.Sealed]:
    """The signed seals of the log, in log order."""
    found: list[Seal.Sealed] = []
    after = 0
    while page := gov.recorder.select_notifications(start=after, limit=PAGE, topics=[SEALED],
                                                    inclusive_of_start=False):
        for notification in page:
            event = cast(Seal.Sealed, gov.mapper.to_domain_event(notification))
            if event.signature is not None:
                found.append(event)
        after = page[-1].id
    return found


def _state(event: Any) -> dict[str, Any]:
    try:
        state = json.loads(bytes(event.state))
    except ValueError:
        return {}
    return state if isinstance(state, dict) else {}


def _entry(position: int, event: Any, leaves: list[bytes]) -> dict[str, Any]:
    try:
        state = bytes(event.state).decode()
    except UnicodeDecodeError:
        raise IntegrityFailure(f"the event at position {position} is not UTF-8 JSON: run `near-gov audit verify`") \
            from None
    return {"position": position, "topic": event.topic, "originator_id": str(event.originator_id),
            "originator_version": event.originator_version, "state": state,
            "proof": [p.hex() for p in inclusion_proof(position - 1, leaves)]}
