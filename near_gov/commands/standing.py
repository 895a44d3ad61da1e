"""What rests on a region's standing: the coordinator terms it held (a member throughout),
the meetings it hosted (a member on the day) and attended (a member or an observer). A
change of its record, such as a document dated earlier or a withdrawal recorded late,
is checked against every such fact on or after the first day it changes, and refused
naming the first fact it would leave without ground."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from domain.assembly import Assembly
from domain.errors import DateRefused
from domain.indexes import Coordinating, Term
from domain.phrasing import standing
from domain.region import RegionalGovernment
from domain.values import BODIES, FuzzyDate, Status
from near_gov.commands.unit import Unit

_ATTENDING = (Status.MEMBER, Status.OBSERVER)


def check_standing_from(u: Unit, region: RegionalGovernment, day: FuzzyDate) -> None:
    """Refuse `region`'s changed record (in `u`, not yet committed) if a fact on or after
    `day` that rests on its standing no longer holds."""
    index = u.find(Coordinating, Coordinating.create_id(region.id))
    for term in index.terms if index else ():
        if term.since is not None and (term.until is None or day.first < term.until.first):
            _check_term(region, term)
    names = {region.name, *region.former_names}
    for assembly in meetings_from(u, day):
        if assembly.host_id == region.id and region.status_on(assembly.on) != Status.MEMBER:
            raise DateRefused(f"{region.name} hosted {assembly.ref} on {assembly.on}: the change would leave it "
                              "not a member on that date")
        if names.intersection(assembly.attendance) and region.status_on(assembly.on) not in _ATTENDING:
            raise DateRefused(f"{region.name} attended {assembly.ref} on {assembly.on}: the change would leave it "
                              "neither a member nor an observer on that date")


def _check_term(region: RegionalGovernment, term: Term) -> None:
    assert term.since is not None
    since, until = term.since, term.until
    held = f"{region.name} coordinates {term.committee} since {since}" if until is None else \
        f"{region.name} coordinated {term.committee} from {since} until {until}"
    if region.status_on(since) != Status.MEMBER:
        raise DateRefused(f"{held}: the change would leave it not a member on {since}")
    for period in region.timeline:
        inside = since.first < period.since.first and (until is None or period.since.first < until.first)
        if inside and period.status != Status.MEMBER:
            raise DateRefused(f"{held}: the change would leave it {standing(period.status)} from {period.since}")


def meetings_from(u: Unit, day: FuzzyDate, bodies: Iterable[str] = BODIES) -> Iterator[Assembly]:
    """The meetings of `bodies` (every body) from `day`'s first day on, latest first: each body's
    series has no gaps and runs in date order, so its latest is found in a few look-ups
    (doubling, then halving) and the walk stops at the first meeting before `day`."""
    for body in bodies:
        n = _latest(u, body)
        while n and (assembly := u.find(Assembly, Assembly.create_id(f"{body}-{n}"))) \
                and assembly.on.first >= day.first:
            yield assembly
            n -= 1


def _latest(u: Unit, body: str) -> int:
    """The number of the body's latest meeting, 0 if it has none."""
    first = u.first_meeting(body)
    if first == 0:
        return 0

    def held(n: int) -> bool:
        return u.find(Assembly, Assembly.create_id(f"{body}-{n}")) is not None

    low, step = first, 1
    while held(low + step):
        low, step = low + step, step * 2
    high = low + step  # low is held, high is not
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if held(middle) else (low, middle)
    return low
