"""Every governance event in log order, with its effective date, recorded time, kind,
subject, actor, cause and source: the register's own account of itself. What it says
about each kind of event is told in `projections.describe`.

Bookkeeping events of the index aggregates (name index, reference counters) are not
facts of governance and are left out; their positions simply do not appear. An event
is linked to the region and the assembly it concerns so that `--region` and
`--assembly` are indexed look-ups, and the effects of a decision are the rows whose
cause is that decision."""

from __future__ import annotations

import re
from typing import Any

from domain.values import FuzzyDate
from projections.batch import Batch
from projections.common import Note, dates
from projections.db import Cursor
from projections.schema import HISTORY

_DECISION = re.compile(r"^((?:GA|WC)-\d+)/D\d+$")

#: LIMIT for "no limit" that SQLite and PostgreSQL both accept before OFFSET.
_ALL = 2**62

_COLUMNS = "position, recorded_at, effective, kind, subject, actor, cause, source, summary"


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
        note.summary,
    ))


def history(c: Cursor, region_id: str | None, assembly: str | None, since: FuzzyDate | None,
            until: FuzzyDate | None, limit: int | None, offset: int) -> list[dict[str, Any]]:
    """Filter by region, assembly and effective period (recorded day for events that
    have no effective date): an event is in [since, until] if its period overlaps it.
    Unfiltered, a page is a range of the dense row number `n`, however deep it is."""
    if region_id is None and assembly is None and since is None and until is None:
        sql = f"SELECT {_COLUMNS} FROM read_history WHERE n > ? ORDER BY n LIMIT ?"
        return c.run(sql, (int(offset), _ALL if limit is None else int(limit))).all()
    sql = f"SELECT {_COLUMNS} FROM read_history WHERE 1 = 1"
    params: list[Any] = []
    if region_id is not None:
        sql += " AND region_id = ?"
        params.append(region_id)
    if assembly is not None:
        sql += " AND assembly = ?"
        params.append(assembly)
    if since is not None:
        sql += " AND eff_last >= ?"
        params.append(since.first.isoformat())
    if until is not None:
        sql += " AND eff_first <= ?"
        params.append(until.last.isoformat())
    sql += " ORDER BY position"
    if limit is not None or offset:
        sql += " LIMIT ? OFFSET ?"
        params += [_ALL if limit is None else int(limit), int(offset)]
    return c.run(sql, params).all()


def effects(c: Cursor, causes: list[str]) -> dict[str, list[dict[str, Any]]]:
    """History rows caused by each of `causes` (decision references), in log order."""
    found: dict[str, list[dict[str, Any]]] = {ref: [] for ref in causes}
    if causes:
        marks = ", ".join("?" for _ in causes)
        for row in c.run(f"SELECT {_COLUMNS} FROM read_history WHERE cause IN ({marks}) "
                         "ORDER BY position", causes).all():
            found[row["cause"]].append(row)
    return found
