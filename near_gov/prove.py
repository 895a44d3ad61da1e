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
from typing import Any, cast

from domain.errors import GovernanceError, IntegrityFailure
from domain.seal import Seal
from near_gov.attested import SEALED
from near_gov.integrity import PAGE, chain, leaf_data
from near_gov.merkle import inclusion_proof, leaf_hash, root
from near_gov.receipt import FORMAT
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
        "tree_head": {"size": head.position, "head": head.head, "root": head.root, "time": head.signed_at,
                      "key_id": head.key_id, "signature": head.signature},
        "entries": [_entry(position, event, leaves) for position, event in sorted(chosen, key=lambda c: c[0])],
    }


def _last_signed_seal(gov: Governance) -> Seal.Sealed:
    found: Seal.Sealed | None = None
    after = 0
    while page := gov.recorder.select_notifications(start=after, limit=PAGE, topics=[SEALED],
                                                    inclusive_of_start=False):
        for notification in page:
            event = cast(Seal.Sealed, gov.mapper.to_domain_event(notification))
            if event.signature is not None:
                found = event
        after = page[-1].id
    if found is None or found.position == 0:
        raise GovernanceError("the register has no signed seal over its events: seal it with the key first "
                              "(`near-gov audit seal --key PRIVATE`)")
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
