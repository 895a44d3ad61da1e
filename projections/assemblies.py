"""General Assembly sessions and Working Committee meetings: host, dates, attendance
and numbered decisions. A decision's effects are not copied here: they are the
history rows whose cause is the decision, so an effect recorded later (a withdrawal
citing the decision) shows up as well as those saved with it. The host and the
attendees are named as they were on the assembly's date (`host`, `attendance`),
with today's names beside (`current_host`, `attendees`)."""

from __future__ import annotations

import json
from typing import Any

from domain.values import BODIES, assembly_id, item_of
from projections import history, membership
from projections.batch import Batch
from projections.common import dates, key, not_found
from projections.db import Cursor
from projections.names import Names
from projections.registry import ReadModel
from projections.schema import ASSEMBLIES, ATTENDANCE, DECISIONS

MODEL = ReadModel("assemblies")

# Handlers.


@MODEL.handles("domain.assembly:Assembly.Convened")
def convened(b: Batch, e: Any, pos: int, at: str) -> None:
    body, number = e.ident.split("-")
    opened, first, _ = dates(e.on)
    b.put(ASSEMBLIES, {"id": key(e.originator_id), "ident": e.ident, "body": body, "number": int(number),
                       "host_id": key(e.host_id), "host": e.host, "opened": opened, "opened_first": first,
                       "closed": None, "attended": 0, "position": pos})


@MODEL.handles("domain.assembly:Assembly.DecisionTaken")
def decision_taken(b: Batch, e: Any, pos: int, at: str) -> None:
    row = b.must(ASSEMBLIES, key(e.originator_id))
    seq = int(e.ref.rsplit("/D", 1)[1])
    params = json.dumps(dict(e.params)) if e.params else "{}"  # most decisions (resolutions) have none
    b.add(DECISIONS, (e.ref, row["ident"], seq, e.kind, e.text, params, pos, at))


@MODEL.handles("domain.assembly:Assembly.Attended")
def attended(b: Batch, e: Any, pos: int, at: str) -> None:
    row = b.must(ASSEMBLIES, key(e.originator_id))
    for i, name in enumerate(e.regions, start=row["attended"] + 1):
        b.add(ATTENDANCE, (row["ident"], i, name, pos, membership.region_named(b, name)))
    b.put(ASSEMBLIES, {**row, "attended": row["attended"] + len(e.regions)})


@MODEL.handles("domain.assembly:Assembly.Closed")
def closed(b: Batch, e: Any, pos: int, at: str) -> None:
    row = b.must(ASSEMBLIES, key(e.originator_id))
    b.put(ASSEMBLIES, {**row, "closed": dates(e.on)[0]})


# Queries.

_SELECT = ("SELECT a.ident, a.body, a.number, a.host_id, a.host, a.opened, a.opened_first, a.closed "
           "FROM read_assemblies a")


def _summary(row: dict[str, Any], decisions: list[dict[str, Any]], names: Names) -> dict[str, Any]:
    host, day = row["host_id"], row["opened_first"]
    return {"id": row["ident"], "body": BODIES[row["body"]], "number": row["number"],
            "host": names.on(host, day) or row["host"], "opened": row["opened"], "closed": row["closed"],
            "decisions": decisions, "current_host": names.current(host) or row["host"]}


def assemblies(c: Cursor) -> list[dict[str, Any]]:
    decided: dict[str, list[dict[str, Any]]] = {}
    for d in c.run("SELECT ref, assembly, kind, text FROM read_decisions ORDER BY assembly, seq").all():
        decided.setdefault(d.pop("assembly"), []).append({**d, "item": item_of(d["kind"])})
    rows = sorted(c.run(_SELECT).all(), key=lambda r: (r["opened_first"], r["body"], r["number"]))
    names = Names(c, [r["host_id"] for r in rows])
    return [_summary(r, decided.get(r["ident"], []), names) for r in rows]


def assembly(c: Cursor, ident: str) -> dict[str, Any]:
    ident = assembly_id(ident)
    row = c.run(_SELECT + " WHERE a.ident = ?", (ident,)).one()
    if row is None:
        known = [r["ident"] for r in sorted(c.run("SELECT ident, body, number FROM read_assemblies").all(),
                                            key=lambda r: (r["body"], r["number"]))]
        raise not_found("assembly", ident, known, "see `near-gov assembly list`")
    decisions = c.run("SELECT ref, kind, text, params FROM read_decisions WHERE assembly = ? ORDER BY seq",
                      (ident,)).all()
    caused = history.effects(c, [d["ref"] for d in decisions])
    for d in decisions:
        d["item"] = item_of(d["kind"])
        d["params"] = json.loads(d["params"])
        d["effects"] = caused[d["ref"]]
    attended = c.run("SELECT region, region_id FROM read_attendance WHERE assembly = ? ORDER BY seq",
                     (ident,)).all()
    names = Names(c, [row["host_id"], *(r["region_id"] for r in attended)])
    day = row["opened_first"]
    attendees = [{"name": names.on(r["region_id"], day) or r["region"],
                  "current_name": names.current(r["region_id"]) or r["region"]} for r in attended]
    return {**_summary(row, decisions, names), "attendance": [a["name"] for a in attendees], "attendees": attendees}


def latest_general_assembly(c: Cursor) -> dict[str, Any] | None:
    return c.run("SELECT ident, number, opened FROM read_assemblies WHERE body = 'GA' "
                 "ORDER BY number DESC LIMIT 1").one()

