"""Seals of the register's hash chain. A seal records the head of the chain over the
first `position` events of the log, so that the head can be published (in an
assembly's minutes, say) and the log checked against it later; near_gov/integrity.py
computes and checks the chain.

Seals are events in the log itself, not rows beside it: a seal is then covered by
the chain like any other event, so editing, removing or inserting one afterwards is
caught by `audit verify` too, and an export carries the seals with the register.
"""

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.ids import key_id


class Seal(Aggregate):
    """One seal, a single event. Its id is its position, so two clerks sealing the
    same log at the same moment collide in the store, and one seals again after."""

    @staticmethod
    def create_id(position: int) -> UUID:
        return key_id("seal", str(position))

    class Sealed(Aggregate.Created):
        """Declared here, not made by `@event` from `__init__` (the same topic and fields),
        so that the fields integrity and transfer read are known to the type checker.

        Version 2 adds the Merkle root of the sealed events and, for a signed seal, the
        key's id, the time signed and the Ed25519 signature of the tree head (see
        near_gov/keys.py); an unsigned seal has None there."""

        class_version = 2

        head: str
        position: int
        actor: str
        root: str | None
        key_id: str | None
        signed_at: str | None
        signature: str | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state.update(root=None, key_id=None, signed_at=None, signature=None)

    @event(Sealed)
    def __init__(self, head: str, position: int, actor: str, root: str | None = None, key_id: str | None = None,
                 signed_at: str | None = None, signature: str | None = None) -> None:
        self.head = head
        self.position = position
