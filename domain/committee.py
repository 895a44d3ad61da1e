"""A Sub-Committee: established by a General Assembly decision (or documented),
with an elected coordinator region. The history of its coordinators is in the log
and the read models (`near-gov committee show`); the aggregate keeps only what its
rules need, the current coordinator."""

from dataclasses import dataclass
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import DateRefused, GovernanceError
from domain.fields import Name
from domain.ids import key_id
from domain.region import RegionalGovernment
from domain.values import FuzzyDate


@dataclass(frozen=True)
class Coordination:
    region_id: UUID
    region: str
    since: FuzzyDate
    cause: str | None
    source: str | None


class Committee(Aggregate):
    #: Version 2 keeps the current coordinator, not every coordinator since the
    #: Sub-Committee was established (version 1, whose snapshots grew with each
    #: election). A version 1 snapshot's list is read as `Past`, so upcasting it
    #: decodes its last item only.
    class_version = 2
    past_state = frozenset({"coordinators"})

    @staticmethod
    def upcast_v1_v2(state: dict) -> None:  # type: ignore[type-arg]
        coordinators = state.pop("coordinators")
        state["coordinator"] = coordinators[-1] if coordinators else None

    @staticmethod
    def create_id(name: str) -> UUID:
        return key_id("committee", name)

    @event("Established")
    def __init__(
        self,
        name: Name,
        purpose: str | None,
        on: FuzzyDate | None,
        cause: str | None,
        source: str | None,
        actor: str,
    ) -> None:
        self.name = name
        self.purpose = purpose
        self.established = on
        self.cause = cause
        self.source = source
        self.coordinator: Coordination | None = None
        self.dissolved: FuzzyDate | None = None

    def check_active(self) -> None:
        if self.dissolved is not None:
            raise GovernanceError(f"{self.name} was dissolved on {self.dissolved}")

    def elect(
        self, region: RegionalGovernment, on: FuzzyDate, cause: str | None, source: str | None, actor: str,
    ) -> None:
        """Make `region` the coordinator from `on`: the Sub-Committee must be active and
        the region a member on that date."""
        self.check_active()
        region.check_is_member_on(on, f"coordinator of {self.name}")
        left = region.left_after(on)
        if left is not None:
            raise DateRefused(f"{region.name} cannot be elected coordinator of {self.name} on {on}: "
                              f"it withdrew on {left}, which would have ended the term")
        current = self.coordinator
        if current and current.region_id == region.id:
            raise GovernanceError(f"{region.name} already coordinates {self.name} since {current.since}")
        if current and on < current.since:
            raise GovernanceError(
                f"{self.name}: an election on {on} would precede the current coordinator "
                f"({current.region} since {current.since})"
            )
        if self.established and on < self.established:
            raise GovernanceError(f"{self.name} was established on {self.established}, after {on}")
        self._elected(region_id=region.id, region=region.name, on=on, cause=cause, source=source, actor=actor)

    def check_nominee(self, region: RegionalGovernment, on: FuzzyDate) -> None:
        """A region may be nominated while the Sub-Committee is active and it is a member."""
        self.check_active()
        region.check_is_member_on(on, f"nominated coordinator of {self.name}")

    def end_term(self, region: RegionalGovernment, on: FuzzyDate, cause: str | None, actor: str) -> None:
        """End `region`'s term as coordinator on `on` (it left NEAR): the seat is vacant."""
        current = self.coordinator
        if current is None or current.region_id != region.id:
            raise GovernanceError(f"{region.name} does not coordinate {self.name}")
        if not current.since < on:  # a term ends after the date it began
            raise DateRefused(f"{self.name}: {region.name}'s term cannot end on {on}: it began on {current.since}")
        self._term_ended(region_id=region.id, region=region.name, on=on, cause=cause, actor=actor)

    def dissolve(self, on: FuzzyDate, cause: str | None, actor: str) -> None:
        self.check_active()
        self._dissolved(on=on, cause=cause, actor=actor)

    @event("CoordinatorElected")
    def _elected(
        self, region_id: UUID, region: str, on: FuzzyDate, cause: str | None,
        source: str | None, actor: str,
    ) -> None:
        self.coordinator = Coordination(region_id, region, on, cause, source)

    @event("CoordinatorTermEnded")
    def _term_ended(self, region_id: UUID, region: str, on: FuzzyDate, cause: str | None, actor: str) -> None:
        self.coordinator = None

    @event("Dissolved")
    def _dissolved(self, on: FuzzyDate, cause: str | None, actor: str) -> None:
        self.dissolved = on
