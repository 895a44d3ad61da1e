"""Counts the record states without naming the regions (`domain.count`), and which of
them are in force on a day, beside the regions the roster names.

A count says that `count` regions took a status (member or observer) on a date, from
the countries it names (any, where it names none): "29 founding members from CN, JP,
KR, RU, 1996-09"; "1 region admitted at GA-8, 2010-10". On a day D (as known now, or
at a recorded time) a count is **in force**:

- from the day its date documents it: an exact date's first day (`1996-09`: from
  1996-09-01, as the roster reads a status dated so), a documentary date's upper bound;
- until the earliest day on which one of the regions it counts may have left that
  status: the earliest day of a later period (a withdrawal; for observers, also
  membership) of any region of its countries whose period in that status may have
  begun within the count's date (its earliest day on or before the count's last day,
  and the day it is documented from on or after the count's first), for any such
  region may be one of those counted. From then the record no longer shows that all
  of them still hold it;
- a later count of the same status does not end it: a count is of the regions that
  took the status on its date (founded NEAR, were admitted), so a later count's regions
  are others, and both are in force.

**Named** is how many regions of the register the record shows to be among those
counted: regions of the count's countries (any, where it names none) whose period in
that status is documented to have begun within the count's date: its earliest day on
or after the count's earliest day, and documented from no later than the count's last
day. Gyeongsangbuk-do Province, a member since 1996-09, is named in the count of
1996-09; a region listed as a member between 1996-09 and 2010-10 may be one of them,
but the record does not show it, so it is not named."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.values import FuzzyDate, country_code, membership_kind, month_end
from projections import shapes
from projections.batch import Batch, MissingRecord, Row
from projections.common import OPEN_START, Day, certain, dates, is_bounded, key, known_rows
from projections.db import Cursor
from projections.registry import ReadModel
from projections.schema import COUNTS

MODEL = ReadModel("counts")

# Handlers.


@MODEL.handles("domain.count:StatedCount.Recorded")
def recorded(b: Batch, e: Any, pos: int, at: str) -> None:
    text, first, last = dates(e.on)
    sure = certain(e.on)
    _put(b, {"row": pos, "id": key(e.originator_id), "status": str(e.status), "since": text,
             "since_from": first, "since_certain": sure, "since_to": last,
             "since_last": _last_day(text, sure) if is_bounded(text) else last}, e, at)


@MODEL.handles("domain.count:StatedCount.Corrected")
def corrected(b: Batch, e: Any, pos: int, at: str) -> None:
    """The current version is superseded (what was known before is kept), a new one written."""
    old = current(b, key(e.originator_id))
    b.put(COUNTS, {**old, "recorded_until": at})
    _put(b, {**old, "row": pos}, e, at)


def _put(b: Batch, row: Row, e: Any, at: str) -> None:
    new = {**row, "stated": e.count, "countries": ",".join(e.countries), "source": e.source,
           "inferred": e.inferred, "recorded_at": at, "recorded_from": at, "recorded_until": None}
    b.put(COUNTS, new)
    b.remember(("count", new["id"]), new)


def current(b: Batch, cid: str) -> Row:
    row: Row | None = b.lookup(("count", cid), lambda c: c.run(
        "SELECT * FROM read_counts WHERE id = ? AND recorded_until IS NULL", (cid,)).one())
    if row is None:
        raise MissingRecord(f"it refers to a count the log never recorded (no current row {cid} in read_counts)")
    return row


def _last_day(text: str, latest_start: str) -> str:
    """The last day a documentary date allows: its latest period (which begins on
    `latest_start`) to its end, at the precision its upper end is written in."""
    upper = text.strip("[]").replace("..", "/").split("/")[-1] or text
    digits, day = sum(ch.isdigit() for ch in upper), date.fromisoformat(latest_start)
    if digits >= 8:
        return latest_start
    if digits >= 6:
        return month_end(day.year, day.month).isoformat()
    return date(day.year, 12, 31).isoformat()


def since(row: Row) -> Day:
    """A count's date as its event stored it (a documentary date with its bounds)."""
    if not is_bounded(row["since"]):
        return str(row["since"])
    lower = None if row["since_from"] == OPEN_START else row["since_from"]
    return {"edtf": row["since"], "lower": lower, "upper": row["since_certain"]}


# Queries.


def counts_on(c: Cursor, as_of: FuzzyDate, known_at: str | None = None, country: str | None = None,
              status: str | None = None) -> list[dict[str, Any]]:
    """The counts in force on `as_of` (as known at `known_at`, else now), oldest first;
    `country`: those that may count regions of that country (they name it, or no
    country); `status`: those of that status."""
    return [view for view, _ in in_force(c, as_of, known_at, country, status)]


#: A count in force: its view, and the first and last day its date allows.
InForce = tuple[dict[str, Any], tuple[str, str]]


def in_force(c: Cursor, as_of: FuzzyDate, known_at: str | None, country: str | None,
             status: str | None) -> list[InForce]:
    day = as_of.first.isoformat()
    sql = "SELECT * FROM read_counts WHERE since_certain <= ?"
    params: list[Any] = [day]
    if known_at:
        sql += " AND recorded_from <= ? AND (recorded_until IS NULL OR recorded_until > ?)"
        params += [known_at, known_at]
    else:
        sql += " AND recorded_until IS NULL"
    if status:
        sql += " AND status = ?"
        params.append(str(membership_kind(status)))
    cc = country_code(country) if country else None
    found = []
    for row in c.run(sql + " ORDER BY since_certain, status, row", params).all():
        countries = row["countries"].split(",") if row["countries"] else []
        if cc and countries and cc not in countries:
            continue
        periods = _periods(c, row, countries, known_at)
        if any(_left_by(p, day, known_at) for p in periods):
            continue
        named = {p["region_id"] for p in periods
                 if p["valid_from"] >= row["since_from"] and (p["certain_from"] or p["valid_from"]) <= row["since_to"]}
        found.append((shapes.count(row["status"], row["stated"], len(named), countries, row["since"],
                                   row["source"], row["inferred"]), (row["since_from"], row["since_last"])))
    return found


def at_least(entries: list[dict[str, Any]], found: list[InForce], country: str | None) -> list[dict[str, Any]]:
    """For each status a count in force counts: at least how many regions held it on
    the day (`count`), and how many of them the record names (`named`: the entries
    documented in it then).

    Counts are added up only where their dates cannot overlap (a region takes a status
    once while it holds it, so counts of regions that took it in two periods apart
    count different regions); of counts whose dates may overlap, the larger set of
    counts apart is taken. With `country`, only counts of that country alone are
    added: a count of several countries does not say how many of its regions are of it."""
    cc = country_code(country) if country else None
    summary = []
    for status in ("member", "observer"):
        spans = [(first, last, view["count"]) for view, (first, last) in found
                 if view["status"] == status and (cc is None or view["countries"] == [cc])]
        if not spans:
            continue
        named = sum(1 for e in entries if e["status"] == status and e["documented"])
        summary.append({"status": status, "count": max(_apart(spans), named), "named": named})
    return summary


def _apart(spans: list[tuple[str, str, int]]) -> int:
    """The largest total of counts whose periods (first and last day) do not overlap."""
    spans = sorted(spans, key=lambda s: s[1])
    best = [0]  # best[i]: the largest total among the first i spans
    for i, (first, _, count) in enumerate(spans):
        before = max((j + 1 for j in range(i) if spans[j][1] < first), default=0)
        best.append(max(best[i], best[before] + count))
    return best[-1]


#: The periods of a status (as known now, of `read_roster r`) that may have begun within a date.
_PERIODS_ON = "status = ? AND valid_from <= ? AND COALESCE(certain_from, valid_from) >= ?"
_PERIODS_ON_R = "r.status = ? AND r.valid_from <= ? AND COALESCE(r.certain_from, r.valid_from) >= ?"


def _periods(c: Cursor, count: Row, countries: list[str], known_at: str | None) -> list[Row]:
    """The periods in the count's status, of its countries, that may have begun within
    its date (as known at `known_at`, else now): their regions may be among those
    counted. A period that began before it is another region's, which held the status
    already."""
    return c.run(*periods_query(count, countries, known_at)).all()


def periods_query(count: Row, countries: list[str], known_at: str | None) -> tuple[str, list[Any]]:
    """`_periods`' SQL and parameters."""
    sql = ("SELECT r.region_id, r.valid_from, r.certain_from, r.certain_to, r.closed_at FROM read_roster r "
           f"JOIN read_regions g ON g.id = r.region_id WHERE {_PERIODS_ON_R}")
    params: list[Any] = [count["status"], count["since_last"], count["since_from"]]
    if countries:
        sql += f" AND g.country IN ({', '.join('?' for _ in countries)})"
        params += countries
    if known_at:  # the rows then held, from indexes
        rows, held = known_rows("region_id, valid_from, certain_from, certain_to, closed_at",
                                _PERIODS_ON, params[:3], known_at)
        sql = sql.replace("FROM read_roster r", f"FROM {rows} r").replace(_PERIODS_ON_R, "TRUE")
        params = [*held, *params[3:]]
    else:
        sql += " AND r.recorded_until IS NULL"
    return sql, params


def _left_by(period: Row, day: str, known_at: str | None) -> bool:
    """Whether the region may have left the period's status by `day`: a later period
    (known at `known_at`) begins at the earliest on or before it."""
    known = known_at is None or (period["closed_at"] is not None and period["closed_at"] <= known_at)
    return period["certain_to"] is not None and known and period["certain_to"] <= day
