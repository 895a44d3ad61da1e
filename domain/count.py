"""A count the record states without naming the regions: "founded by 29 regional
governments from four Northeast Asian countries ... in September 1996", "New members
were admitted (1 region)". It says how many regions took a status on a date (and, where
the document says so, from which countries), not which ones; the roster reports it
beside the regions it names.

One count per status and date (its id): recording another count, other countries or
another source for the same status and date corrects the earlier record, as a region's
documented status is corrected; the read models keep what was known before."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import AlreadyExists, InvalidInput
from domain.fields import Country, Text
from domain.ids import key_id
from domain.values import FuzzyDate, Status

#: The largest count a record may state: far beyond any association of regions, it
#: catches a date or a code typed where the number goes.
MOST = 10_000


def count_of(value: Any) -> int:
    """A stated number of regions: a whole number from 1 to `MOST` (text of digits, or an int)."""
    text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else None
    if text is None or not text.isdigit() or not 1 <= int(text) <= MOST:
        raise InvalidInput(f"bad count {value!r}: give the number of regions the document states, "
                           f"a whole number from 1 to {MOST}")
    return int(text)


def check_countries(count: int, countries: tuple[str, ...]) -> None:
    """Each country the document names has at least one of the regions counted."""
    if len(set(countries)) != len(countries):
        raise InvalidInput(f"countries {', '.join(countries)}: a country is given twice")
    if len(countries) > count:
        raise InvalidInput(f"{count} regions cannot come from {len(countries)} countries "
                           f"({', '.join(countries)}): each country named has at least one of them")


class StatedCount(Aggregate):
    @staticmethod
    def create_id(status: str, on: FuzzyDate) -> UUID:
        return key_id("count", str(status), str(on))

    @event("Recorded")
    def __init__(self, status: Status, count: int, countries: tuple[Country, ...], on: FuzzyDate,
                 source: Text, inferred: Text | None, actor: str) -> None:
        self.status = status
        self.on = on
        self._apply(count, countries, source, inferred)

    def _apply(self, count: int, countries: tuple[str, ...], source: str, inferred: str | None) -> None:
        self.count, self.countries, self.source, self.inferred = count, tuple(countries), source, inferred

    def correct(self, count: int, countries: tuple[str, ...], source: str, inferred: str | None,
                actor: str) -> None:
        """Record the count again with other values: the new record replaces the old."""
        if (count, tuple(countries), source, inferred) == (self.count, self.countries, self.source, self.inferred):
            raise AlreadyExists(f"the count of {self.status}s since {self.on} is already recorded with these "
                                f"values ({self.count}): a correction changes the count, countries, source "
                                "or inferred date")
        self._corrected(count=count, countries=tuple(countries), source=source, inferred=inferred, actor=actor)

    @event("Corrected")
    def _corrected(self, count: int, countries: tuple[Country, ...], source: Text, inferred: Text | None,
                   actor: str) -> None:
        self._apply(count, countries, source, inferred)
