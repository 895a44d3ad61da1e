"""Cases of the declared governance processes, one generic table for all of them:
reference, process, state, since when (recorded time of the last step) and what the
case is about. An application for admission is one aggregate, the other processes'
cases another; each is just a handler here, and what may happen next is always read
from the process declaration (`domain.processes.PROCESSES`), never restated."""

from __future__ import annotations

import json
from typing import Any

from domain.processes import ADMISSION, PROCESSES
from domain.values import application_ref, normalise_name
from projections.batch import Batch
from projections.common import Day, Note, date_text, dates, key, not_found
from projections.db import Cursor
from projections.membership import regions_named
from projections.schema import CASE_STEPS, CASES

# Handlers.


def submitted(b: Batch, e: Any, pos: int, at: str) -> Note:
    row = {"id": key(e.originator_id), "reference": e.reference, "process": ADMISSION.name,
           "state": ADMISSION.initial, "since": at, "opened": dates(e.on)[0], "region_id": key(e.region_id),
           "subject": e.region, "country": e.country, "kind": str(e.kind), "assembly": None,
           "decision": None, "detail": None, "position": pos}
    return _open(b, e, pos, at, row, "submit", f"application of {e.region} ({e.country}) as {e.kind}")


def screened(b: Batch, e: Any, pos: int, at: str) -> Note:
    return _step(b, e, pos, at, "screen", "screened" if e.eligible else "ineligible", note=e.reason)


def scheduled(b: Batch, e: Any, pos: int, at: str) -> Note:
    return _step(b, e, pos, at, "schedule", "scheduled", assembly=e.assembly)


def approved(b: Batch, e: Any, pos: int, at: str) -> Note:
    return _step(b, e, pos, at, "approve", "approved", on=e.on, decision=e.decision)


def rejected(b: Batch, e: Any, pos: int, at: str) -> Note:
    return _step(b, e, pos, at, "reject", "rejected", on=e.on, decision=e.decision, note=e.reason)


def application_withdrawn(b: Batch, e: Any, pos: int, at: str) -> Note:
    return _step(b, e, pos, at, "withdraw", "withdrawn", note=e.reason)


def opened(b: Batch, e: Any, pos: int, at: str) -> Note:
    subject = dict(e.subject)
    region_id = None
    if "region" in subject:
        region_id = _region_id(b, subject["region"], subject.get("country"))
    row = {"id": key(e.originator_id), "reference": e.reference, "process": e.process,
           "state": PROCESSES[e.process].initial, "since": at, "opened": dates(e.on)[0],
           "region_id": region_id, "subject": describe(subject), "country": subject.get("country"),
           "kind": None, "assembly": None, "decision": None, "detail": json.dumps(subject),
           "position": pos}
    return _open(b, e, pos, at, row, "open", f"{e.process}: {row['subject']}", e.on, e.note)


def step_taken(b: Batch, e: Any, pos: int, at: str) -> Note:
    return _step(b, e, pos, at, e.step, e.state, on=e.on, decision=e.cause, note=e.note)


HANDLERS = {
    "domain.application:Application.Submitted": submitted,
    "domain.application:Application.Screened": screened,
    "domain.application:Application.Scheduled": scheduled,
    "domain.application:Application.Approved": approved,
    "domain.application:Application.Rejected": rejected,
    "domain.application:Application.Withdrawn": application_withdrawn,
    "domain.case:Case.Opened": opened,
    "domain.case:Case.StepTaken": step_taken,
}


def describe(subject: dict[str, str]) -> str:
    """What a case is about, in a few words."""
    parts = [subject[k] for k in ("region", "committee") if k in subject]
    if "article" in subject:
        parts.append(f"article {subject['article']}")
    if "scope" in subject:
        parts.append(f"membership scope {subject['scope']}")
    return ", ".join(parts) or json.dumps(subject)


def _open(b: Batch, e: Any, pos: int, at: str, row: dict[str, Any], step: str, summary: str,
          on: Day | None = None, note: str | None = None) -> Note:
    b.put(CASES, row)
    b.add(CASE_STEPS, (pos, row["id"], step, row["state"], at, row["opened"], e.actor, None, note))
    return Note(row["reference"], on or row["opened"], summary, row["region_id"])


def _step(b: Batch, e: Any, pos: int, at: str, step: str, state: str, on: Day | None = None,
          decision: str | None = None, note: str | None = None, assembly: str | None = None) -> Note:
    row = b.must(CASES, key(e.originator_id))
    changed = {"state": state, "since": at}
    if decision:
        changed["decision"] = decision
    if assembly:
        changed["assembly"] = assembly
    b.put(CASES, {**row, **changed})
    b.add(CASE_STEPS, (pos, row["id"], step, state, at, date_text(on), e.actor, decision, note))
    summary = f"{step}: {state}" + (f" ({note})" if note else "")
    return Note(row["reference"], on, summary, row["region_id"], assembly)


def _region_id(b: Batch, name: str, country: str | None) -> str | None:
    ids = [rid for rid, cc in regions_named(b, normalise_name(name)) if country is None or cc == country]
    return ids[0] if len(ids) == 1 else None


# Queries.

_SELECT = ("SELECT c.*, g.name AS region, g.country AS region_country FROM read_cases c "
           "LEFT JOIN read_regions g ON g.id = c.region_id")


def _summary(row: dict[str, Any]) -> dict[str, Any]:
    return {"reference": row["reference"], "process": row["process"],
            "region": row["region"] or row["subject"], "country": row["region_country"] or row["country"],
            "subject": row["subject"], "kind": row["kind"], "state": row["state"], "since": row["since"],
            "opened": row["opened"], "assembly": row["assembly"], "decision": row["decision"]}


def cases(c: Cursor, process: str | None = None, state: str | None = None) -> list[dict[str, Any]]:
    sql, params = _SELECT + " WHERE 1 = 1", []
    if process:
        sql += " AND c.process = ?"
        params.append(process)
    if state:
        sql += " AND c.state = ?"
        params.append(str(state).strip().lower())
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
