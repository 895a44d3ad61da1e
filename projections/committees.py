"""Sub-Committees and the history of their coordinators. The coordinator in office
is shown by the region's current official name; each term of a committee's history
by the name the region held when the term began, with today's name beside it."""

from __future__ import annotations

from typing import Any

from domain.values import FuzzyDate, normalise_name
from projections import shapes
from projections.batch import Batch
from projections.common import certain, date_text, dates, key, not_found
from projections.db import Cursor
from projections.names import Names
from projections.registry import ReadModel
from projections.schema import COMMITTEES, COORDINATORS

MODEL = ReadModel("committees")

# Handlers.


@MODEL.handles("domain.committee:Committee.Established")
def established(b: Batch, e: Any, pos: int, at: str) -> None:
    b.put(COMMITTEES, {"id": key(e.originator_id), "name": e.name, "norm": normalise_name(e.name),
                       "purpose": e.purpose, "established": date_text(e.on), "cause": e.cause,
                       "source": e.source, "dissolved": None, "dissolved_cause": None, "position": pos})


@MODEL.handles("domain.committee:Committee.CoordinatorElected")
def coordinator_elected(b: Batch, e: Any, pos: int, at: str) -> None:
    row = b.must(COMMITTEES, key(e.originator_id))
    b.add(COORDINATORS, (pos, row["id"], key(e.region_id), e.region, dates(e.on)[0], e.cause, e.source,
                         certain(e.on)))


@MODEL.handles("domain.committee:Committee.CoordinatorTermEnded")
def term_ended(b: Batch, e: Any, pos: int, at: str) -> None:
    """A vacancy: a row without a region, from the day the term ended."""
    row = b.must(COMMITTEES, key(e.originator_id))
    b.add(COORDINATORS, (pos, row["id"], None, None, dates(e.on)[0], e.cause, None, certain(e.on)))


@MODEL.handles("domain.committee:Committee.Dissolved")
def dissolved(b: Batch, e: Any, pos: int, at: str) -> None:
    row = b.must(COMMITTEES, key(e.originator_id))
    b.put(COMMITTEES, {**row, "dissolved": dates(e.on)[0], "dissolved_cause": e.cause})


# Queries.

_COORDINATIONS = ("SELECT k.committee_id, COALESCE(g.name, k.region) AS region, k.since, k.cause, k.source, "
                  "k.since_first "
                  "FROM read_coordinators k LEFT JOIN read_regions g ON g.id = k.region_id")


def committees(c: Cursor, as_of: FuzzyDate | None = None) -> list[dict[str, Any]]:
    """Every committee with its coordinator now (None while vacant or once dissolved).

    As of a date: the committees the register documents on that day (established by
    then, or recorded without a date of establishment and coordinated by then), each
    with the coordinator in office that day: of the terms and vacancies begun by then,
    the latest by effective date (on one date, the later recorded), so that a term
    recorded late but effective early takes its place in time."""
    day = None if as_of is None else as_of.first.isoformat()
    last: dict[str, tuple[str, str | None]] = {}  # committee id: (first day, region) of its latest term
    for row in c.run(_COORDINATIONS + " ORDER BY k.committee_id, k.position").all():
        since, held = row["since_first"], last.get(row["committee_id"])
        if day is None or (since <= day and (held is None or since >= held[0])):
            last[row["committee_id"]] = (since, row["region"])  # region None after a term ended: vacant
    summaries = []
    for r in c.run("SELECT * FROM read_committees").all():
        established, dissolved = r["established"], r["dissolved"]
        if day is not None:
            if (dates(established)[1] > day) if established else r["id"] not in last:
                continue
            dissolved = dissolved if dissolved and dates(dissolved)[1] <= day else None
        coordinator = None if dissolved else last.get(r["id"], ("", None))[1]
        summaries.append(shapes.committee_summary(r["name"], coordinator, established, r["purpose"], dissolved))
    return shapes.committees(summaries)


def committee(c: Cursor, name: str) -> dict[str, Any]:
    row = c.run("SELECT * FROM read_committees WHERE norm = ?", (normalise_name(name),)).one()
    if row is None:
        known = sorted(r["name"] for r in c.run("SELECT name FROM read_committees").all())
        raise not_found("committee named", " ".join(name.split()), known,
                        "see `near-gov committee list`", names=True)
    terms = c.run("SELECT region_id, region, since, cause, source, since_first FROM read_coordinators "
                  "WHERE committee_id = ? ORDER BY position", (row["id"],)).all()
    names = Names(c, [t["region_id"] for t in terms])
    coordinations = [
        (None, None, t["since"], t["cause"], t["source"]) if t["region_id"] is None else
        (names.on(t["region_id"], t["since_first"]) or t["region"], names.current(t["region_id"]) or t["region"],
         t["since"], t["cause"], t["source"])
        for t in terms]
    return shapes.committee(row["name"], row["purpose"], row["established"], row["cause"],
                            row["source"], row["dissolved"], coordinations)
