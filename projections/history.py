"""Every governance event in log order, with its effective date, recorded time, kind,
subject, actor (and, on PostgreSQL, the database role that wrote it), cause and source:
the register's own account of itself. What it says
about each kind of event is told in `projections.describe`.

Bookkeeping events of the index aggregates (name index, reference counters) are not
facts of governance and are left out; their positions simply do not appear. An event
is linked to the region and the assembly it concerns so that `--region` and
`--assembly` are indexed look-ups, and the effects of a decision are the rows whose
cause is that decision.

A row names regions as they were named on its effective date: the names the subject
and summary were written with are kept with the row, and a query puts in their place
the names in force then (`projections.names`). `region` is the name then of the
region the event concerns, `current_name` its name today. A registration (undated)
and a rename state a name themselves and keep it."""

from __future__ import annotations

import json
import re
from typing import Any

from domain.values import FuzzyDate
from projections.batch import Batch
from projections.common import Note, dates
from projections.db import Cursor
from projections.names import Names
from projections.schema import HISTORY

_DECISION = re.compile(r"^((?:GA|WC)-\d+)/D\d+$")

#: LIMIT for "no limit" that SQLite and PostgreSQL both accept before OFFSET.
_ALL = 2**62

_COLUMNS = ("h.position, h.recorded_at, h.effective, h.kind, h.subject, h.actor, h.db_role, h.cause, h.source, "
            "h.summary, h.region_id, h.eff_first, h.names, g.name AS current_name, g.named_from")
#: With the current name of the region each row concerns.
_FROM = "read_history h LEFT JOIN read_regions g ON g.id = h.region_id"


#: The events whose cause is stored under an older field name (see `domain`'s docs on
#: the vocabulary of event fields); every other event's is `cause`, if it has one.
_CAUSE_FIELD = {"Application.Approved": "decision", "Application.Rejected": "decision"}


def record(b: Batch, e: Any, pos: int, at: str, kind: str, note: Note) -> None:
    cause = getattr(e, _CAUSE_FIELD.get(kind, "cause"), None)
    assembly = note.assembly
    if assembly is None and cause:
        match = _DECISION.match(cause)
        assembly = match.group(1) if match else None
    if note.effective is None:
        effective, first, last = None, at[:10], at[:10]
    else:
        effective, first, last = dates(note.effective)
    n = b.lookup("history", lambda c: c.run("SELECT MAX(n) AS n FROM read_history").scalar() or 0) + 1
    b.remember("history", n)
    b.add(HISTORY, (
        n, pos, at, effective, first, last, kind, note.subject,
        getattr(e, "actor", None), cause, getattr(e, "source", None), note.region_id, assembly,
        note.summary, json.dumps(note.names, ensure_ascii=False) if note.names else None, e.db_role,
    ))


def history(c: Cursor, region_id: str | None, assembly: str | None, since: FuzzyDate | None,
            until: FuzzyDate | None, limit: int | None, offset: int) -> list[dict[str, Any]]:
    """Filter by region, assembly and effective period (recorded day for events that
    have no effective date): an event is in [since, until] if its period overlaps it.
    Unfiltered, a page is a range of the dense row number `n`, however deep it is."""
    if region_id is None and assembly is None and since is None and until is None:
        sql = f"SELECT {_COLUMNS} FROM {_FROM} WHERE h.n > ? ORDER BY h.n LIMIT ?"
        return named(c, c.run(sql, (int(offset), _ALL if limit is None else int(limit))).all())
    sql = f"SELECT {_COLUMNS} FROM {_FROM} WHERE 1 = 1"
    params: list[Any] = []
    if region_id is not None:
        sql += " AND h.region_id = ?"
        params.append(region_id)
    if assembly is not None:
        sql += " AND h.assembly = ?"
        params.append(assembly)
    if since is not None:
        sql += " AND h.eff_last >= ?"
        params.append(since.first.isoformat())
    if until is not None:
        sql += " AND h.eff_first <= ?"
        params.append(until.last.isoformat())
    sql += " ORDER BY h.position"
    if limit is not None or offset:
        sql += " LIMIT ? OFFSET ?"
        params += [_ALL if limit is None else int(limit), int(offset)]
    return named(c, c.run(sql, params).all())


def effects(c: Cursor, causes: list[str]) -> dict[str, list[dict[str, Any]]]:
    """History rows caused by each of `causes` (decision references), in log order."""
    found: dict[str, list[dict[str, Any]]] = {ref: [] for ref in causes}
    if causes:
        marks = ", ".join("?" for _ in causes)
        for row in named(c, c.run(f"SELECT {_COLUMNS} FROM {_FROM} WHERE h.cause IN ({marks}) "
                                  "ORDER BY h.position", causes).all()):
            found[row["cause"]].append(row)
    return found


def named(c: Cursor, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows with the regions they name as named on each row's date, `region` (the
    name then of the region a row concerns) and `current_name` (its name today); the
    stored columns this needs are left out. A region never renamed is named as written;
    former names are looked up only for a region named on a day before it took its
    current name, and for an assembly's attendees."""
    written = [[tuple(p) for p in json.loads(r["names"])] if r["names"] and (r["named_from"] or not r["region_id"])
               else [] for r in rows]
    renamed_since = [r["region_id"] for r in rows if r["named_from"] and r["named_from"] > r["eff_first"]]
    others = [rid for r, pairs in zip(rows, written, strict=True) for rid, _ in pairs if rid != r["region_id"]]
    names = Names(c, renamed_since + others, known={r["region_id"]: r["current_name"] for r in rows if r["region_id"]})
    for row, pairs in zip(rows, written, strict=True):
        day, rid, current = row.pop("eff_first"), row.pop("region_id"), row.pop("current_name")
        del row["named_from"], row["names"]
        if row["effective"] is None:  # a registration: the name it was made under
            row["region"] = (dict(pairs).get(rid) or current) if rid else None
        else:
            for region_id, name in pairs:
                if (then := names.on(region_id, day) or name) != name:
                    row["subject"] = then if row["subject"] == name else row["subject"]
                    row["summary"] = row["summary"] and row["summary"].replace(name, then)
            row["region"] = names.on(rid, day)
        row["current_name"] = current
    return rows
