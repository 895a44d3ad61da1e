"""Seals of the register's hash chain. A seal records the head of the chain over the
first `position` events of the log, so that the head can be published (in an
assembly's minutes, say) and the log checked against it later; near_gov/integrity.py
computes and checks the chain.

Seals are events in the log itself, not rows beside it: a seal is then covered by
the chain like any other event, so editing, removing or inserting one afterwards is
caught by `audit verify` too, and an export carries the seals with the register.
"""

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
        so that the fields integrity and transfer read are known to the type checker."""

        head: str
        position: int
        actor: str

    @event(Sealed)
    def __init__(self, head: str, position: int, actor: str) -> None:
        self.head = head
        self.position = position
