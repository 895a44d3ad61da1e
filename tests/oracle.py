"""The test oracle: the register's membership, committees and Charter folded from its
events in memory, without any database, to test the read models against
(tests/test_projections_property.py).

It answers in the same shapes, and by the same method names, as the read models
(`projections.shapes`, `ReadModels`) but shares none of their machinery: it applies
the domain's own event classes, as the application's mapper returns them. What the
register said at a recorded time (`known_at`) is the fold of the events recorded by
then: `fold(e for e in events if e.timestamp <= t)`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from domain.charter import Charter
from domain.committee import Committee
from domain.errors import AmbiguousName
from domain.region import RegionalGovernment as Region
from domain.values import (
    DEFAULT_SCOPE,
    FuzzyDate,
    Status,
    country_code,
    membership_kind,
    normalise_name,
)
from projections import shapes
from projections.common import Day, date_text, key, not_found, stamp, today_date


@dataclass
class _Region:
    name: str
    country: str
    former: list[str] = field(default_factory=list)
    #: (the day a former name stopped, that name), in the order of the renames.
    renames: list[tuple[date, str]] = field(default_factory=list)
    periods: list[dict[str, Any]] = field(default_factory=list)

    def name_on(self, day: date) -> str:
        """The name in force on `day`: the first name given up after it, or today's."""
        return next((name for until, name in self.renames if until > day), self.name)

    def status_on(self, day: date) -> dict[str, Any] | None:
        found = None
        for period in self.periods:
            if period["since"].first <= day:
                found = period
        return found


@dataclass
class _Committee:
    name: str
    purpose: str | None
    established: str | None
    cause: str | None
    source: str | None
    dissolved: str | None = None
    #: (region id, since, cause, source); region id None: a vacancy (a term ended).
    coordinations: list[tuple[str | None, str, str | None, str | None]] = field(default_factory=list)


@dataclass
class _Version:
    number: int
    on: FuzzyDate | None
    cause: str | None
    articles: dict[str, str]
    scope: tuple[str, ...]


class Register:
    def __init__(self, db_role: str | None = None) -> None:
        #: The database role the store records as having written every event (None where it records none).
        self.db_role = db_role
        self.region_states: dict[str, _Region] = {}  # by `key(id)`
        self.given_up: list[tuple[str, _Region]] = []  # (normalised name, region) by rename, in order
        self.committee_states: dict[UUID, _Committee] = {}
        self.versions = [_Version(0, None, None, {}, DEFAULT_SCOPE)]
        self._apply: dict[type, Callable[[Any], None]] = {
            Region.Registered: self._registered, Region.Renamed: self._renamed,
            Region.Admitted: lambda e: self._period(e, e.status, e.since, e.cause, None),
            Region.StatusRecorded: self._recorded,
            Region.Withdrawn: lambda e: self._period(e, Status.WITHDRAWN, e.on, e.cause, e.source),
            Committee.Established: self._established, Committee.CoordinatorElected: self._elected,
            Committee.Dissolved: self._dissolved, Committee.CoordinatorTermEnded: self._term_ended,
            Charter.ArticleAmended: lambda e: self._version(e, {e.article: e.text}, None),
            Charter.ScopeSet: lambda e: self._version(e, {}, tuple(e.countries)),
        }

    def apply(self, event: Any) -> None:
        handler = self._apply.get(type(event))
        if handler:
            handler(event)

    # Events.

    def _registered(self, e: Any) -> None:
        self.region_states[key(e.originator_id)] = _Region(e.name, e.country)

    def _renamed(self, e: Any) -> None:
        region = self.region_states[key(e.originator_id)]
        region.former.append(region.name)
        self.given_up.append((normalise_name(region.name), region))
        region.renames.append((FuzzyDate.parse(e.on).first, region.name))
        region.name = e.name

    def _period(self, e: Any, status: str, since: Day, cause: str | None, source: str | None) -> None:
        self.region_states[key(e.originator_id)].periods.append(
            {"status": str(status), "since": FuzzyDate.parse(since), "cause": cause, "source": source,
             "recorded_at": stamp(e.timestamp), "corrects": None, "actor": e.actor, "db_role": self.db_role})

    def _recorded(self, e: Any) -> None:
        periods = self.region_states[key(e.originator_id)].periods
        if periods and periods[-1]["status"] == str(e.status):
            old = periods.pop()
            self._period(e, e.status, e.since, None, e.source)
            periods[-1]["corrects"] = str(old["since"])
        else:
            self._period(e, e.status, e.since, None, e.source)

    def _established(self, e: Any) -> None:
        self.committee_states[e.originator_id] = _Committee(e.name, e.purpose, date_text(e.on), e.cause,
                                                            e.source)

    def _elected(self, e: Any) -> None:
        self.committee_states[e.originator_id].coordinations.append(
            (key(e.region_id), date_text(e.on), e.cause, e.source))

    def _term_ended(self, e: Any) -> None:
        self.committee_states[e.originator_id].coordinations.append((None, date_text(e.on), e.cause, None))

    def _dissolved(self, e: Any) -> None:
        self.committee_states[e.originator_id].dissolved = date_text(e.on)

    def _version(self, e: Any, articles: dict[str, str], scope: tuple[str, ...] | None) -> None:
        last = self.versions[-1]
        self.versions.append(_Version(last.number + 1, FuzzyDate.parse(e.on), e.cause, {**last.articles, **articles},
                                      scope or last.scope))

    # Views.

    def roster(self, as_of: str | FuzzyDate | None = None, country: str | None = None,
               status: str | None = None) -> dict[str, Any]:
        day = today_date(as_of)
        wanted_country = country_code(country) if country else None
        wanted_status = str(membership_kind(status)) if status else None
        entries = []
        for region in self.region_states.values():
            period = region.status_on(day.first)
            if period is None or period["status"] not in (Status.MEMBER, Status.OBSERVER):
                continue
            if wanted_country not in (None, region.country) or wanted_status not in (None, period["status"]):
                continue
            entries.append(shapes.roster_entry(region.name_on(day.first), region.name, region.country,
                                               period["status"], str(period["since"]), period["cause"],
                                               period["source"]))
        return shapes.roster(day, None, entries)

    def audit_membership(self, name: str, country: str | None = None) -> dict[str, Any]:
        region = self._find(name, country)
        timeline = [shapes.period(p["status"], str(p["since"]), p["cause"], p["source"], p["recorded_at"],
                                  p["corrects"], region.name_on(p["since"].first), actor=p["actor"],
                                  db_role=p["db_role"])
                    for p in region.periods]
        status = timeline[-1]["status"] if timeline else str(Status.NONE)
        return shapes.audit(region.name, region.country, status, timeline)

    def regions(self) -> list[dict[str, Any]]:
        items = []
        for r in self.region_states.values():
            last = r.periods[-1] if r.periods else None
            items.append(shapes.region(
                r.name, r.country, last["status"] if last else str(Status.NONE),
                str(last["since"]) if last else None, last["cause"] if last else None,
                last["source"] if last else None, r.former))
        return shapes.regions(items)

    def committees(self) -> list[dict[str, Any]]:
        return shapes.committees(
            shapes.committee_summary(c.name, self._coordinator(c), c.established, c.purpose, c.dissolved)
            for c in self.committee_states.values())

    def committee(self, name: str) -> dict[str, Any]:
        norm = normalise_name(name)
        for c in self.committee_states.values():
            if normalise_name(c.name) == norm:
                coordinations = [
                    (None, None, since, cause, source) if r is None else
                    (self.region_states[r].name_on(FuzzyDate.parse(since).first), self.region_states[r].name,
                     since, cause, source)
                    for r, since, cause, source in c.coordinations]
                return shapes.committee(c.name, c.purpose, c.established, c.cause, c.source,
                                        c.dissolved, coordinations)
        raise not_found("committee named", " ".join(name.split()),
                        sorted(c.name for c in self.committee_states.values()), names=True)

    def charter(self, as_of: str | FuzzyDate | None = None) -> dict[str, Any]:
        day = None if as_of is None else FuzzyDate.parse(as_of)
        version = self.versions[-1]
        if day is not None:
            version = self.versions[0]
            for candidate in self.versions[1:]:
                if candidate.on is not None and candidate.on.first <= day.first:
                    version = candidate
        return shapes.charter(version.number, date_text(version.on), version.cause, version.scope,
                              version.articles.items(), date_text(day))

    def _coordinator(self, c: _Committee) -> str | None:
        if c.dissolved or not c.coordinations or c.coordinations[-1][0] is None:
            return None
        return self.region_states[c.coordinations[-1][0]].name

    def _find(self, name: str, country: str | None) -> _Region:
        """The region bearing `name` in `country` (any, if None); else the last in each
        country to give it up."""
        norm, cc = normalise_name(name), country_code(country) if country else None
        found = [r for r in self.region_states.values() if normalise_name(r.name) == norm and cc in (None, r.country)]
        if not found:
            last = {r.country: r for n, r in self.given_up if n == norm and cc in (None, r.country)}
            found = list(last.values())
        if not found:
            raise not_found("region named", " ".join(name.split()),
                            sorted(r.name for r in self.region_states.values()), names=True)
        if len(found) > 1:
            countries = ", ".join(sorted(r.country for r in found))
            raise AmbiguousName(f"{name!r} names regions in {countries}; give the country")
        return found[0]


def fold(events: Iterable[Any], db_role: str | None = None) -> Register:
    """The register the events make, each written by the database role `db_role`."""
    register = Register(db_role)
    for event in events:
        register.apply(event)
    return register
