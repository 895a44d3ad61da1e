"""Small aggregates that make natural keys safe under concurrency: a name index for
regions (names are unique per country and may be renamed), a per-year counter for
case references, the open cases about one subject, and the Sub-Committees a region
coordinates. Saving them with the record they index makes two writers
racing for the same key collide in the store instead of both succeeding."""

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.ids import key_id
from domain.values import FuzzyDate


class RegionName(Aggregate):
    """The regions that bear one normalised name, by country, and those that bore it."""

    @staticmethod
    def create_id(name: str) -> UUID:
        return key_id("region-name", name)

    @event("Started")
    def __init__(self, name: str) -> None:
        self.regions: dict[str, UUID] = {}

    @event("Indexed")
    def add(self, country: str, region_id: UUID) -> None:
        self.regions[country] = region_id

    @event("Unindexed")
    def remove(self, country: str) -> None:
        self.regions.pop(country, None)

    @event("Retired")
    def retire(self, country: str, region_id: UUID) -> None:
        """The region of `country` gave this name up (a rename): it is found by it still."""
        self.regions.pop(country, None)
        self._former = {**self.former, country: region_id}

    @property
    def former(self) -> dict[str, UUID]:
        """The regions that bore this name before a rename, by country (a snapshot taken
        before renames were kept here has none)."""
        former: dict[str, UUID] = self.__dict__.get("_former", {})
        return former


class ReferenceCounter(Aggregate):
    """Issues PREFIX-YYYY-NNN case references (APP-2002-001) in order within a year."""

    @staticmethod
    def create_id(prefix: str, year: int) -> UUID:
        return key_id("case-year", prefix, str(year))

    @event("Started")
    def __init__(self, prefix: str, year: int) -> None:
        self.prefix = prefix
        self.year = year
        self.issued = 0

    def next_reference(self) -> str:
        self._issued(number=self.issued + 1)
        return f"{self.prefix}-{self.year:04d}-{self.issued:03d}"

    @event("Issued")
    def _issued(self, number: int) -> None:
        self.issued = number


class OpenCases(Aggregate):
    """The open cases of one process about one subject (a region's withdrawal notice, a
    Sub-Committee's nominations): a fact recorded directly refuses while one is open,
    rather than leave a case behind that can no longer be taken further."""

    @staticmethod
    def create_id(process: str, subject: tuple[str, ...]) -> UUID:
        return key_id("open-cases", process, *subject)

    @event("Started")
    def __init__(self, process: str, subject: tuple[str, ...]) -> None:
        self.open: list[str] = []

    @event("Opened")
    def add(self, reference: str) -> None:
        self.open.append(reference)

    @event("Closed")
    def remove(self, reference: str) -> None:
        self.open.remove(reference)


@dataclass(frozen=True)
class Term:
    """A coordinator term as the index knows it: `since` and `until` are None for a term
    recorded before the index kept dates."""

    committee: str
    since: FuzzyDate | None
    until: FuzzyDate | None


class Coordinating(Aggregate):
    """The Sub-Committees a region coordinates now, so that its withdrawal ends those
    terms, and every term it has held with its dates, so that a change of its record
    dated earlier can be checked against them."""

    #: Every term since the index kept dates (a class default: a snapshot taken before
    #: then has none).
    terms: tuple[Term, ...] = ()

    @staticmethod
    def create_id(region_id: UUID) -> UUID:
        return key_id("coordinating", region_id.hex)

    @event("Started")
    def __init__(self, region_id: UUID) -> None:
        self.committees: list[str] = []

    class Added(Aggregate.Event):
        """Version 2 adds the date the term began (None: recorded before then)."""

        class_version = 2
        committee: str
        since: FuzzyDate | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["since"] = None

    class Removed(Aggregate.Event):
        """Version 2 adds the date the term ended (None: recorded before then)."""

        class_version = 2
        committee: str
        until: FuzzyDate | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["until"] = None

    def add(self, committee: str, since: FuzzyDate) -> None:
        self._added(committee=committee, since=since)

    def remove(self, committee: str, until: FuzzyDate) -> None:
        self._removed(committee=committee, until=until)

    @event(Added)
    def _added(self, committee: str, since: FuzzyDate | None) -> None:
        self.committees.append(committee)
        self.terms = (*self.terms, Term(committee, since, None))

    @event(Removed)
    def _removed(self, committee: str, until: FuzzyDate | None) -> None:
        self.committees.remove(committee)
        ended = next((i for i in reversed(range(len(self.terms)))
                      if self.terms[i].committee == committee and self.terms[i].until is None), None)
        if ended is not None and self.terms[ended].since is not None:
            terms = list(self.terms)
            terms[ended] = Term(committee, terms[ended].since, until)
            self.terms = tuple(terms)


class FirstMeeting(Aggregate):
    """The number of the first meeting of a body the register recorded, where that is
    not 1 (the register began its record mid-series): later meetings follow it in number,
    and the series has no gaps."""

    @staticmethod
    def create_id(body: str) -> UUID:
        return key_id("first-meeting", body)

    @event("Recorded")
    def __init__(self, body: str, number: int) -> None:
        self.body, self.number = body, number
