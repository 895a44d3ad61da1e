"""The Secretariat: when and where it began its operation."""

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.fields import Name, Text
from domain.ids import key_id
from domain.values import FuzzyDate


class Secretariat(Aggregate):
    @staticmethod
    def create_id() -> UUID:
        return key_id("secretariat", "NEAR")

    @event("Opened")
    def __init__(self, on: FuzzyDate, seat: Name, source: Text, actor: str) -> None:
        self.opened = on
        self.seat = seat
        self.source = source
