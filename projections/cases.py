"""Cases of the declared governance processes, one generic table for all of them:
reference, process, state, since when (recorded time of the last step) and what the
case is about. An application for admission is one aggregate, the other processes'
cases another; each is just a handler here, and what may happen next is always read
from the process declaration (`domain.processes.PROCESSES`), never restated."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, NamedTuple

from domain.errors import InvalidInput
from domain.processes import ADMISSION, PROCESSES
from domain.values import application_ref, normalise_name
from projections.batch import Batch
from projections.common import Day, date_text, dates, key, not_found
from projections.db import Cursor
from projections.membership import regions_named
from projections.registry import Handler, ReadModel
from projections.schema import CASE_STEPS, CASES

MODEL = ReadModel("cases")


class Move(NamedTuple):
    """The step an event of a case records: its name, the state it leaves the case in
    and, where the event gives them, its date, the decision it cites, a note and the
    assembly it schedules."""

    step: str
    state: str
    on: Day | None = None
    decision: str | None = None
    note: str | None = None
    assembly: str | None = None


#: The step each event of an open case records, by topic: read by its handler below
#: and by the history's account of the event (`projections.describe`).
MOVES: dict[str, Callable[[Any], Move]] = {
    "domain.application:Application.Screened":
        lambda e: Move("screen", "screened" if e.eligible else "ineligible", note=e.reason),
    "domain.application:Application.Scheduled": lambda e: Move("schedule", "scheduled", assembly=e.assembly),
    "domain.application:Application.Approved": lambda e: Move("approve", "approved", e.on, e.decision),
    "domain.application:Application.Rejected": lambda e: Move("reject", "rejected", e.on, e.decision, e.reason),
    "domain.application:Application.Withdrawn": lambda e: Move("withdraw", "withdrawn", note=e.reason),
    "domain.case:Case.StepTaken": lambda e: Move(e.step, e.state, e.on, e.cause, e.note),
}

# Handlers.


@MODEL.handles("domain.application:Application.Submitted")
def submitted(b: Batch, e: Any, pos: int, at: str) -> None:
    row = {"id": key(e.originator_id), "reference": e.reference, "process": ADMISSION.name,
           "state": ADMISSION.initial, "since": at, "opened": dates(e.on)[0], "region_id": key(e.region_id),
           "subject": e.region, "country": e.country, "kind": str(e.kind), "assembly": None,
           "decision": None, "detail": None, "position": pos}
    _open(b, e, pos, at, row, "submit")


@MODEL.handles("domain.case:Case.Opened")
def opened(b: Batch, e: Any, pos: int, at: str) -> None:
    subject = dict(e.subject)
    row = {"id": key(e.originator_id), "reference": e.reference, "process": e.process,
           "state": PROCESSES[e.process].initial, "since": at, "opened": dates(e.on)[0],
           "region_id": subject_region_id(b, subject), "subject": about(subject),
           "country": subject.get("country"), "kind": None, "assembly": None, "decision": None,
           "detail": json.dumps(subject), "position": pos}
    _open(b, e, pos, at, row, "open", e.note)


def _taking(move: Callable[[Any], Move]) -> Handler:
    """The handler of an event that records the step `move` reads from it."""
    def step_taken(b: Batch, e: Any, pos: int, at: str) -> None:
        _step(b, e, pos, at, move(e))
    return step_taken


for _topic, _move in MOVES.items():
    MODEL.handles(_topic)(_taking(_move))


def about(subject: dict[str, str]) -> str:
    """What a case is about, in a few words."""
    parts = [subject[k] for k in ("region", "committee") if k in subject]
    if "article" in subject:
        parts.append(f"article {subject['article']}")
    if "scope" in subject:
        parts.append(f"membership scope {subject['scope']}")
    return ", ".join(parts) or json.dumps(subject)


def subject_region_id(b: Batch, subject: dict[str, str]) -> str | None:
    """The region a case is about, if its subject names exactly one."""
    if "region" not in subject:
        return None
    country = subject.get("country")
    ids = [rid for rid, cc in regions_named(b, normalise_name(subject["region"])) if country is None or cc == country]
    return ids[0] if len(ids) == 1 else None


def _open(b: Batch, e: Any, pos: int, at: str, row: dict[str, Any], step: str, note: str | None = None) -> None:
    b.put(CASES, row)
    b.add(CASE_STEPS, (pos, row["id"], step, row["state"], at, row["opened"], e.actor, None, note))


def _step(b: Batch, e: Any, pos: int, at: str, move: Move) -> None:
    row = b.must(CASES, key(e.originator_id))
    changed = {"state": move.state, "since": at}
    if move.decision:
        changed["decision"] = move.decision
    if move.assembly:
        changed["assembly"] = move.assembly
    b.put(CASES, {**row, **changed})
    b.add(CASE_STEPS, (pos, row["id"], move.step, move.state, at, date_text(move.on), e.actor, move.decision,
                       move.note))


# Queries.

_SELECT = ("SELECT c.*, g.name AS region, g.country AS region_country FROM read_cases c "
           "LEFT JOIN read_regions g ON g.id = c.region_id")


def _summary(row: dict[str, Any]) -> dict[str, Any]:
    return {"reference": row["reference"], "process": row["process"],
            "region": row["region"] or row["subject"], "country": row["region_country"] or row["country"],
            "subject": row["subject"], "kind": row["kind"], "state": row["state"], "since": row["since"],
            "opened": row["opened"], "assembly": row["assembly"], "decision": row["decision"]}


def declared_state(process: str | None, state: str) -> str:
    """`state` as a state of the declared `process` (of any process, if None); a state
    no such case can be in is refused, naming those it can."""
    if process is not None and process not in PROCESSES:
        raise InvalidInput(f"unknown process {process!r}: use one of {', '.join(PROCESSES)}")
    declared = PROCESSES[process].states if process else frozenset().union(*(p.states for p in PROCESSES.values()))
    name = str(state).strip().lower()
    if name not in declared:
        of = f"a {process} case" if process else "any case"
        raise InvalidInput(f"{state!r} is not a state of {of}: use one of {', '.join(sorted(declared))}")
    return name


def cases(c: Cursor, process: str | None = None, state: str | None = None) -> list[dict[str, Any]]:
    sql, params = _SELECT + " WHERE 1 = 1", []
    if process:
        sql += " AND c.process = ?"
        params.append(process)
    if state:
        sql += " AND c.state = ?"
        params.append(declared_state(process, state))
    return sorted((_summary(r) for r in c.run(sql, params).all()), key=lambda s: s["reference"])


def case(c: Cursor, reference: str, process: str | None = None) -> dict[str, Any]:
    ref = str(reference).strip().upper()
    row = c.run(_SELECT + " WHERE c.reference = ?", (ref,)).one()
    if row is None or (process and row["process"] != process):
        known = [s["reference"] for s in cases(c, process)]
        what = "application" if process == ADMISSION.name else "case"
        raise not_found(what, ref, known, f"see `near-gov {what} list`" if process else "see `near-gov tasks`")
    steps = c.run("SELECT step, state, recorded_at, on_date, actor, cause, note FROM read_case_steps "
                  "WHERE case_id = ? ORDER BY position", (row["id"],)).all()
    declared = PROCESSES.get(row["process"])
    nxt = declared.next_steps(row["state"]) if declared else []
    return {**_summary(row), "detail": json.loads(row["detail"]) if row["detail"] else None,
            "history": [{"step": s["step"], "state": s["state"], "recorded_at": s["recorded_at"],
                         "on": s["on_date"], "actor": s["actor"], "cause": s["cause"], "note": s["note"]}
                        for s in steps],
            "next": [{"step": s.name, "by": str(s.by)} for s in nxt]}


def applications(c: Cursor, status: str | None = None) -> list[dict[str, Any]]:
    return cases(c, ADMISSION.name, status)


def application(c: Cursor, reference: str) -> dict[str, Any]:
    return case(c, application_ref(reference), ADMISSION.name)
