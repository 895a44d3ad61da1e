"""A regional government and its membership status over time."""

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import DateRefused, NotAMember, StatusRefused
from domain.fields import Country, Name, Text
from domain.ids import key_id
from domain.phrasing import become, holds, standing
from domain.values import FuzzyDate, Status

# Status changes a decision may make (DESIGN.md): none -> member | observer,
# observer -> member, member | observer -> withdrawn.
ALLOWED = {
    Status.NONE: {Status.MEMBER, Status.OBSERVER},
    Status.OBSERVER: {Status.MEMBER, Status.WITHDRAWN},
    Status.MEMBER: {Status.WITHDRAWN},
    Status.WITHDRAWN: set(),
}


@dataclass(frozen=True)
class Period:
    """A status held from `since`, with what caused it and where it is documented."""

    status: Status
    since: FuzzyDate
    cause: str | None
    source: str | None
    #: For a status taken from a document: what its date was inferred from (None: the
    #: document states it, or a decision caused the status).
    inferred: str | None = None


class RegionalGovernment(Aggregate):
    #: When it took its current name (None: never renamed). A class default, so that a
    #: snapshot taken before the attribute existed still loads.
    renamed_on: FuzzyDate | None = None

    @staticmethod
    def create_id(name: str, country: str, series: int = 1) -> UUID:
        """The id of the `series`-th region registered under `name` in `country`: a name
        a renamed region gave up may be registered again, by a region of its own."""
        return key_id("region", country, name) if series == 1 else key_id("region", country, name, str(series))

    @event("Registered")
    def __init__(self, name: Name, country: Country, actor: str, id: UUID | None = None) -> None:
        """`id`: from `create_id` with the series the name is at (the library's own
        parameter: it is the originator id, not a field of the event)."""
        self.name = name
        self.country = country
        self.former_names: list[str] = []
        self.timeline: list[Period] = []

    # Queries used by the rules of other aggregates.

    @property
    def status(self) -> Status:
        return self.timeline[-1].status if self.timeline else Status.NONE

    @property
    def since(self) -> FuzzyDate | None:
        return self.timeline[-1].since if self.timeline else None

    def status_on(self, day: FuzzyDate) -> Status:
        """The status in force on `day`: the latest period that began by then."""
        current = Status.NONE
        for period in self.timeline:
            if period.since.first <= day.first:
                current = period.status
        return current

    def left_after(self, day: FuzzyDate) -> FuzzyDate | None:
        """The date of its first withdrawal after `day`, if it has one."""
        return next((p.since for p in self.timeline if p.status == Status.WITHDRAWN and day < p.since), None)

    def check_is_member_on(self, day: FuzzyDate, role: str) -> None:
        if self.status_on(day) != Status.MEMBER:
            raise NotAMember(
                f"{self.name} cannot be {role}: it is not a member on {day}"
                + (f" (it {holds(self.status, self.since)})" if self.timeline else "")
            )

    def check_can_become(self, status: Status) -> None:
        if status == self.status:
            raise StatusRefused(
                f"{self.name} {holds(status, self.since, already=True)}"
                + (f" ({self.timeline[-1].cause})" if self.timeline[-1].cause else "")
            )
        if status not in ALLOWED[self.status]:
            raise StatusRefused(f"{self.name} {holds(self.status, self.since)}: it cannot {become(status)}")

    def check_may_apply(self, status: Status) -> None:
        """An observer may apply to become a member; a member may not apply again."""
        if self.status == Status.MEMBER:
            raise StatusRefused(
                f"{self.name} {holds(Status.MEMBER, self.since, already=True)}"
                + (f" ({self.timeline[-1].cause})" if self.timeline[-1].cause else "")
            )
        self.check_can_become(status)

    # Commands.

    def admit(self, status: Status, since: FuzzyDate, cause: str, actor: str) -> None:
        self.check_can_become(status)
        self._check_in_order(since)
        self._admitted(status=status, since=since, cause=cause, actor=actor)

    def record(self, status: Status, since: FuzzyDate, source: str, actor: str,
               inferred: str | None = None) -> None:
        """Record a status taken from a document, its date as the document gives it
        (`inferred`: what the date was inferred from, where the document does not state
        it). Recording the status the region already holds, with another date, corrects
        the earlier record, if a document recorded it: a status a decision caused stays
        as decided."""
        correcting = self.timeline and self.timeline[-1].status == status
        if correcting:
            decided = self.timeline[-1].cause
            if decided is not None:
                raise StatusRefused(
                    f"{self.name} {holds(status, self.since)} by {decided}: a document does not correct "
                    f"a decision; a change takes a new decision citing {decided}")
            if self.timeline[-1].since == since and self.timeline[-1].inferred == inferred:
                raise StatusRefused(f"{self.name} is already recorded as {standing(status)} since {since}")
            earlier = self.timeline[-2].since if len(self.timeline) > 1 else None
            if earlier is not None and since < earlier:
                raise StatusRefused(
                    f"{self.name}: {standing(status)} since {since} would precede its earlier status "
                    f"({standing(self.timeline[-2].status)} since {earlier})"
                )
        else:
            self.check_can_become(status)
            self._check_in_order(since)
        self._recorded(status=status, since=since, source=source, inferred=inferred, actor=actor)

    def withdraw(self, on: FuzzyDate, cause: str | None, source: str | None, actor: str) -> None:
        self.check_can_become(Status.WITHDRAWN)
        self._check_in_order(on)
        self._withdrawn(on=on, cause=cause, source=source, actor=actor)

    def rename(self, new_name: str, on: FuzzyDate, actor: str, source: str | None = None) -> None:
        if new_name == self.name:
            raise StatusRefused(f"{self.name} already has that name")
        # Renames follow each other in date order (by first day), so a region's former
        # names stop in log order: `projections.names` finds the name held on a day by it.
        if self.renamed_on is not None and on < self.renamed_on:
            raise DateRefused(f"{self.name}: a rename on {on} would precede its rename from "
                              f"{self.former_names[-1]} on {self.renamed_on}")
        self._renamed(name=new_name, on=on, source=source, actor=actor)

    def _check_in_order(self, since: FuzzyDate) -> None:
        if self.timeline and since < self.timeline[-1].since:
            raise StatusRefused(
                f"{self.name}: a change on {since} would precede its current status "
                f"(it {holds(self.status, self.since)})"
            )

    # Events: they only change state.

    class Admitted(Aggregate.Event):
        """Stored with `since` (the name it had before the events' vocabulary was
        fixed); `on` reads it by that vocabulary's name."""

        status: Status
        since: FuzzyDate
        cause: str
        actor: str

        @property
        def on(self) -> FuzzyDate:
            return self.since

    @event(Admitted)
    def _admitted(self, status: Status, since: FuzzyDate, cause: str, actor: str) -> None:
        self.timeline.append(Period(status, since, cause, None))

    class StatusRecorded(Aggregate.Event):
        """Stored with `since`, read as `on` (see `Admitted`). Version 2 adds what the
        date was inferred from; version 1 events read back with `inferred=None` (their
        dates are exact, as the document gave them)."""

        class_version = 2

        status: Status
        since: FuzzyDate
        source: Text
        inferred: Text | None
        actor: str

        @property
        def on(self) -> FuzzyDate:
            return self.since

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["inferred"] = None

    @event(StatusRecorded)
    def _recorded(self, status: Status, since: FuzzyDate, source: Text, inferred: Text | None, actor: str) -> None:
        if self.timeline and self.timeline[-1].status == status:
            self.timeline[-1] = Period(status, since, None, source, inferred)
        else:
            self.timeline.append(Period(status, since, None, source, inferred))

    @event("Withdrawn")
    def _withdrawn(
        self, on: FuzzyDate, cause: str | None, source: str | None, actor: str
    ) -> None:
        self.timeline.append(Period(Status.WITHDRAWN, on, cause, source))

    class Renamed(Aggregate.Event):
        """Version 2 adds the document that records the new name; version 1 events
        have none, and read back with `source=None`."""

        class_version = 2

        name: Name
        on: FuzzyDate
        source: Text | None
        actor: str

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["source"] = None

    @event(Renamed)
    def _renamed(self, name: Name, on: FuzzyDate, source: Text | None, actor: str) -> None:
        self.former_names.append(self.name)
        self.name = name
        self.renamed_on = on
