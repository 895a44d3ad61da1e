"""Regions and the roster: who is (or was) a member or observer, since when, why.

The roster is bitemporal so that both time questions are indexed look-ups:
`as_of` (effective date) selects rows whose period covers the day, `known_at`
(recorded time) selects the row versions the register held at that moment. A later
period closes the one before it in place, noting when (`closed_at`: until then the
period was open-ended, so nothing known earlier is lost). A correction (recording the
current status again with another date) changes what was known, so it supersedes
rows instead of changing them, and an answer known at an earlier time stays what it
was."""

from __future__ import annotations

from typing import Any

from domain.errors import AmbiguousName
from domain.values import (
    FuzzyDate,
    Status,
    country_code,
    membership_kind,
    normalise_name,
)
from projections import counts, shapes
from projections.batch import Batch, Row
from projections.common import Day, certain, dates, key, known_rows, not_found
from projections.db import Cursor
from projections.names import Names, former_name_on
from projections.registry import ReadModel
from projections.schema import FORMER_NAMES, REGIONS, ROSTER

MODEL = ReadModel("membership")

# Handlers.


@MODEL.handles("domain.region:RegionalGovernment.Registered")
def registered(b: Batch, e: Any, pos: int, at: str) -> None:
    rid = key(e.originator_id)
    b.put(REGIONS, {"id": rid, "name": e.name, "norm": normalise_name(e.name), "country": e.country,
                    "registered_at": at, "position": pos, "named_from": None})
    b.remember(("timeline", rid), [])
    regions_named(b, normalise_name(e.name)).append((rid, e.country))


@MODEL.handles("domain.region:RegionalGovernment.Renamed")
def renamed(b: Batch, e: Any, pos: int, at: str) -> None:
    rid = key(e.originator_id)
    region = b.must(REGIONS, rid)
    text, first, _ = dates(e.on)
    b.add(FORMER_NAMES, (pos, rid, region["name"], region["norm"], text, first))
    b.put(REGIONS, {**region, "name": e.name, "norm": normalise_name(e.name), "named_from": first})
    b.remember(("regions-named", region["norm"]),
               [r for r in regions_named(b, region["norm"]) if r[0] != rid])
    regions_named(b, normalise_name(e.name)).append((rid, region["country"]))


@MODEL.handles("domain.region:RegionalGovernment.Admitted")
def admitted(b: Batch, e: Any, pos: int, at: str) -> None:
    _change(b, e, pos, at, str(e.status), e.since, e.cause, None, correcting=False)


@MODEL.handles("domain.region:RegionalGovernment.StatusRecorded")
def status_recorded(b: Batch, e: Any, pos: int, at: str) -> None:
    _change(b, e, pos, at, str(e.status), e.since, None, e.source, correcting=True,
            inferred=getattr(e, "inferred", None))


@MODEL.handles("domain.region:RegionalGovernment.Withdrawn")
def withdrawn(b: Batch, e: Any, pos: int, at: str) -> None:
    _change(b, e, pos, at, str(Status.WITHDRAWN), e.on, e.cause, e.source, correcting=False)


def regions_named(b: Batch, norm: str) -> list[tuple[str, str]]:
    """(id, country) of the regions now bearing the normalised name `norm`, as this batch
    has left them: handlers find regions by name without flushing the batch."""
    return b.lookup(("regions-named", norm), lambda c: [
        (r["id"], r["country"]) for r in c.run("SELECT id, country FROM read_regions WHERE norm = ?", (norm,)).all()
    ])


def region_named(b: Batch, name: str) -> str | None:
    """The id of the region now bearing `name`, if exactly one does."""
    found = regions_named(b, normalise_name(name))
    return found[0][0] if len(found) == 1 else None


def _timeline(b: Batch, rid: str) -> list[Row]:
    """The region's last two current periods, oldest first: all that a new period
    changes (the last closes or is corrected, and a correction reopens the one before)."""
    return b.lookup(("timeline", rid), lambda c: c.run(
        "SELECT * FROM read_roster WHERE region_id = ? AND recorded_until IS NULL ORDER BY seq DESC LIMIT 2",
        (rid,),
    ).all()[::-1])


def corrected(b: Batch, rid: str, status: str) -> Row | None:
    """The current period that a record of `status` (taken from a document) corrects:
    the region's last period, if it has that status."""
    return _corrects(_timeline(b, rid), status)


def _corrects(rows: list[Row], status: str) -> Row | None:
    return rows[-1] if rows and rows[-1]["status"] == status else None


def _change(b: Batch, e: Any, pos: int, at: str, status: str, since: Day,
            cause: str | None, source: str | None, correcting: bool, inferred: str | None = None) -> None:
    """A period dated by bounds may begin from its earliest day (`valid_from`) and is
    documented from `certain_from`; the period before it is documented until the new
    one's earliest day (`certain_to`) and possible until `certain_from` (`valid_to`)."""
    rid = key(e.originator_id)
    rows = _timeline(b, rid)
    text, start, _ = dates(since)
    sure = certain(since)
    new = {"row": 2 * pos, "region_id": rid, "seq": rows[-1]["seq"] + 1 if rows else 0, "status": status,
           "since": text, "valid_from": start, "valid_to": None, "closed_at": None, "cause": cause,
           "source": source, "corrects": None, "recorded_at": at, "recorded_from": at,
           "recorded_until": None, "certain_from": sure, "certain_to": None, "inferred": inferred,
           "actor": getattr(e, "actor", None), "db_role": e.db_role}
    old = _corrects(rows, status) if correcting else None
    if old is not None:
        rows.pop()
        b.put(ROSTER, {**old, "recorded_until": at})
        new.update(seq=old["seq"], corrects=old["since"])
        if rows:  # the period before now ends on the corrected date: supersede it
            b.put(ROSTER, {**rows[-1], "recorded_until": at})
            rows[-1] = {**rows[-1], "row": 2 * pos + 1, "valid_to": sure, "certain_to": start, "closed_at": at,
                        "recorded_from": at, "recorded_until": None}
            b.put(ROSTER, rows[-1])
    elif rows:  # an open period ends where the new one starts: close it in place
        rows[-1] = {**rows[-1], "valid_to": sure, "certain_to": start, "closed_at": at}
        b.put(ROSTER, rows[-1])
    rows.append(new)
    del rows[:-2]
    b.put(ROSTER, new)


# Queries.


#: The roster's rows on a day as known now (of `read_roster r`); as known at a time
#: (`known_rows`), where a period closed after that time was then still open.
_ON_DAY = "r.valid_from <= ? AND (r.valid_to IS NULL OR r.valid_to > ?) AND r.status IN ('member', 'observer')"
_KNOWN_ON_DAY = ("valid_from <= ? AND (valid_to IS NULL OR closed_at > ? OR valid_to > ?) "
                 "AND status IN ('member', 'observer')")
_KNOWN_COLUMNS = "region_id, status, since, cause, source, certain_from, certain_to, closed_at, inferred"


def roster(c: Cursor, as_of: FuzzyDate, known_at: str | None, country: str | None,
           status: str | None) -> dict[str, Any]:
    """Each region by the name it held on `as_of`, with today's name beside it (the
    names follow the renames known now, also `known_at` an earlier time)."""
    day = as_of.first.isoformat()
    entries = [shapes.roster_entry(name, now, cc, st, since, cause, source,
                                   _documented(day, known_at, sure, sure_to, closed_at), inferred)
               for name, now, cc, st, since, cause, source, sure, sure_to, closed_at, inferred
               in c.run(*roster_query(day, known_at, country, status)).tuples()]
    found = counts.in_force(c, as_of, known_at, country, status)
    return shapes.roster(as_of, known_at, entries, ordered=True, counts=[view for view, _ in found],
                         at_least=counts.at_least(entries, found, country))


def roster_query(day: str, known_at: str | None, country: str | None, status: str | None) -> tuple[str, list[Any]]:
    """The roster's SQL and parameters: its rows on `day` (an ISO day)."""
    sql = ("SELECT COALESCE(f.name, g.name) AS name, g.name AS current_name, g.country, r.status, r.since, "
           "r.cause, r.source, r.certain_from, r.certain_to, r.closed_at, r.inferred "
           "FROM read_roster r JOIN read_regions g ON g.id = r.region_id "
           f"{former_name_on('g', 'f')} WHERE {_ON_DAY}")
    params: list[Any] = [day, day, day, day]
    if known_at:  # the rows then held, from indexes
        rows, held = known_rows(_KNOWN_COLUMNS, _KNOWN_ON_DAY, [day, known_at, day], known_at)
        sql = sql.replace("FROM read_roster r", f"FROM {rows} r").replace(_ON_DAY, "TRUE")
        params = [*held, day, day]
    else:
        sql += " AND r.recorded_until IS NULL"
    if country:
        sql += " AND g.country = ?"
        params.append(country_code(country))
    if status:
        sql += " AND r.status = ?"
        params.append(str(membership_kind(status)))
    # As `shapes.roster` orders them: by the names then, today's settling a tie.
    sql += " ORDER BY g.country, COALESCE(f.norm, g.norm) COLLATE BINARY, g.norm COLLATE BINARY"
    return sql, params


def _documented(day: str, known_at: str | None, certain_from: str | None, certain_to: str | None,
                closed_at: str | None) -> bool:
    """Whether the record documents the period on `day` (rather than only allowing it):
    from its certain start until the earliest day of the period after it (as then known)."""
    ended = certain_to is not None and (known_at is None or closed_at is None or closed_at <= known_at)
    return (certain_from or day) <= day and not (ended and certain_to is not None and certain_to <= day)


#: Regions with their current status: the period still open in current knowledge.
_REGIONS = ("SELECT g.id, g.name, g.country, g.registered_at, COALESCE(r.status, 'none') AS status, "
            "r.since, r.cause, r.source FROM read_regions g LEFT JOIN read_roster r "
            "ON r.region_id = g.id AND r.recorded_until IS NULL AND r.valid_to IS NULL")


def find_region(c: Cursor, name: str, country: str | None = None) -> Row:
    """The region a user means by `name` (case and spaces ignored), as write commands find
    it (`near_gov.commands.unit.Unit.region`): the region bearing it, within `country` if
    given; else the one that gave it up, the last to do so in each country."""
    norm = normalise_name(name)
    cc = country_code(country) if country else None
    rows = [r for r in c.run(_REGIONS + " WHERE g.norm = ?", (norm,)).all() if cc is None or r["country"] == cc]
    if not rows:  # a former name
        rows = [r for r in c.run(_REGIONS + " JOIN read_former_names f ON f.id = g.id WHERE f.norm = ? "
                                 "ORDER BY f.position", (norm,)).all() if cc is None or r["country"] == cc]
        rows = list({r["country"]: r for r in rows}.values())
    found = list({r["id"]: r for r in rows}.values())
    if not found:
        names = sorted(r["name"] for r in c.run("SELECT name FROM read_regions").all())
        raise not_found("region named", " ".join(name.split()), names,
                        "see `near-gov region list`", names=True)
    if len(found) > 1:
        countries = ", ".join(sorted(r["country"] for r in found))
        raise AmbiguousName(f"{name!r} names regions in {countries}; give the country")
    return found[0]


def timeline(c: Cursor, rid: str, known_at: str | None = None) -> list[dict[str, Any]]:
    """The region's status periods, each with the name it held when the period began."""
    if known_at:
        rows = c.run("SELECT * FROM read_roster WHERE region_id = ? AND recorded_from <= ? "
                     "AND (recorded_until IS NULL OR recorded_until > ?) ORDER BY seq",
                     (rid, known_at, known_at)).all()
    else:
        rows = c.run("SELECT * FROM read_roster WHERE region_id = ? AND recorded_until IS NULL "
                     "ORDER BY seq", (rid,)).all()
    names = Names(c, [rid])
    return [shapes.period(r["status"], r["since"], r["cause"], r["source"], r["recorded_at"], r["corrects"],
                          names.on(rid, r["certain_from"] or r["valid_from"]), r["inferred"], r["actor"], r["db_role"])
            for r in rows]


def audit(c: Cursor, name: str, country: str | None = None, known_at: str | None = None) -> dict[str, Any]:
    region = find_region(c, name, country)
    periods = timeline(c, region["id"], known_at)
    status = periods[-1]["status"] if periods else str(Status.NONE)
    return shapes.audit(region["name"], region["country"], status, periods)


def regions(c: Cursor) -> list[dict[str, Any]]:
    former: dict[str, list[str]] = {}
    for row in c.run("SELECT id, name FROM read_former_names ORDER BY position").all():
        former.setdefault(row["id"], []).append(row["name"])
    return shapes.regions(_shape(r, former.get(r["id"], [])) for r in c.run(_REGIONS).all())


def region(c: Cursor, name: str, country: str | None = None) -> dict[str, Any]:
    row = find_region(c, name, country)
    former = [r["name"] for r in c.run(
        "SELECT name FROM read_former_names WHERE id = ? ORDER BY position", (row["id"],)).all()]
    return {**_shape(row, former), "registered_at": row["registered_at"],
            "timeline": timeline(c, row["id"])}


def _shape(row: Row, former: list[str]) -> dict[str, Any]:
    return shapes.region(row["name"], row["country"], row["status"], row["since"], row["cause"],
                         row["source"], former)

