"""A Sub-Committee: established by a General Assembly decision (or documented),
with an elected coordinator region and the history of its coordinators."""

from dataclasses import dataclass
from typing import Optional
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import GovernanceError
from domain.ids import key_id
from domain.past import Past
from domain.values import FuzzyDate, Name


@dataclass(frozen=True)
class Coordination:
    region_id: UUID
    region: str
    since: FuzzyDate
    cause: str | None
    source: str | None


class Committee(Aggregate):
    #: State kept as `Past`: the coordinators' history, which only the current
    #: coordinator's rules read beyond its last item.
    past_state = frozenset({"coordinators"})

    @staticmethod
    def create_id(name: str):  # type: ignore[override]
        return key_id("committee", name)

    @event("Established")
    def __init__(
        self,
        name: Name,
        purpose: Optional[str],
        on: Optional[FuzzyDate],
        cause: Optional[str],
        source: Optional[str],
        actor: str,
    ) -> None:
        self.name = name
        self.purpose = purpose
        self.established = on
        self.cause = cause
        self.source = source
        self.coordinators: Past[Coordination] = Past()
        self.dissolved: FuzzyDate | None = None

    @property
    def coordinator(self) -> Coordination | None:
        return self.coordinators[-1] if self.coordinators else None

    def check_active(self) -> None:
        if self.dissolved is not None:
            raise GovernanceError(f"{self.name} was dissolved on {self.dissolved}")

    def elect(
        self, region_id: UUID, region: str, on: FuzzyDate, cause: Optional[str],
        source: Optional[str], actor: str,
    ) -> None:
        self.check_active()
        current = self.coordinator
        if current and current.region_id == region_id:
            raise GovernanceError(f"{region} already coordinates {self.name} since {current.since}")
        if current and on < current.since:
            raise GovernanceError(
                f"{self.name}: an election on {on} would precede the current coordinator "
                f"({current.region} since {current.since})"
            )
        if self.established and on < self.established:
            raise GovernanceError(f"{self.name} was established on {self.established}, after {on}")
        self._elected(region_id=region_id, region=region, on=on, cause=cause, source=source, actor=actor)

    def dissolve(self, on: FuzzyDate, cause: Optional[str], actor: str) -> None:
        self.check_active()
        self._dissolved(on=on, cause=cause, actor=actor)

    @event("CoordinatorElected")
    def _elected(
        self, region_id: UUID, region: str, on: FuzzyDate, cause: Optional[str],
        source: Optional[str], actor: str,
    ) -> None:
        self.coordinators.append(Coordination(region_id, region, on, cause, source))

    @event("Dissolved")
    def _dissolved(self, on: FuzzyDate, cause: Optional[str], actor: str) -> None:
        self.dissolved = on
