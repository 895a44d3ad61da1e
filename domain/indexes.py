"""Small aggregates that make natural keys safe under concurrency: a name index for
regions (names are unique per country and may be renamed) and a per-year counter for
case references. Saving them with the record they index makes two writers
racing for the same key collide in the store instead of both succeeding."""

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.ids import key_id


class RegionName(Aggregate):
    """The regions that bear (or bore) one normalised name, by country."""

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
