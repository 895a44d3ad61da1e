"""What awaits action, oldest first: the steps of open cases, read from each process
declaration, and a General Assembly that is overdue.

A task is a step that a body of NEAR takes and that moves the case on. The applicant's
own options (withdrawing, retracting) and steps that leave the case where it is
(rescheduling a scheduled application) are allowed next steps, shown by `application
show`, but nobody is waiting for them. Steps one body may take either way are one task:
`scheduled` -> "approve or reject at GA-4" by the General Assembly."""

from __future__ import annotations

from typing import Any

from domain.processes import PROCESSES, Process
from domain.values import Body, FuzzyDate
from projections.assemblies import latest_general_assembly
from projections.cases import _SELECT, _summary
from projections.db import Cursor

#: The General Assembly "is held every two years" (NEAR brochure).
GA_INTERVAL_YEARS = 2


def tasks(c: Cursor, today: FuzzyDate) -> list[dict[str, Any]]:
    found = []
    closed = {r["ident"]: r["closed"] for r in c.run(
        "SELECT ident, closed FROM read_assemblies WHERE closed IS NOT NULL").all()}
    for process in PROCESSES.values():
        waiting = sorted(process.states - process.final_states)
        if not waiting:
            continue
        marks = ", ".join("?" for _ in waiting)
        for row in c.run(_SELECT + f" WHERE c.process = ? AND c.state IN ({marks})",
                         (process.name, *waiting)).all():
            found += _case_tasks(process, _summary(row), closed)
    found += vacancies(c)
    overdue = overdue_assembly(c, today)
    if overdue:
        found.append(overdue)
    return sorted(found, key=lambda t: (t["waiting_since"], t["case"]))


def _case_tasks(process: Process, case: dict[str, Any], closed: dict[str, str]) -> list[dict[str, Any]]:
    """The tasks of one case: its next steps by body. A case waiting for an assembly
    that has closed can no longer be decided there: its task is to schedule it again."""
    state, at = case["state"], case["assembly"]
    if at in closed:
        return [{"case": case["reference"], "process": process.name, "state": state,
                 "step": f"schedule for a later General Assembly ({at} closed on {closed[at]})",
                 "by": str(Body.SECRETARIAT), "waiting_since": closed[at], "subject": case["subject"]}]
    by_body: dict[str, list[str]] = {}
    for step in process.next_steps(state):
        if step.by != Body.APPLICANT and set(step.targets) != {state}:
            by_body.setdefault(str(step.by), []).append(step.name)
    found = []
    for body, names in by_body.items():
        steps = " or ".join(names)
        if body == Body.GENERAL_ASSEMBLY and at:
            steps += f" at {at}"
        found.append({"case": case["reference"], "process": process.name, "state": state, "step": steps,
                      "by": body, "waiting_since": case["since"], "subject": case["subject"]})
    return found


def vacancies(c: Cursor) -> list[dict[str, Any]]:
    """Sub-Committees whose coordinator's term ended (the region left NEAR) with no one
    elected since: their members elect a new coordinator."""
    rows = c.run(
        "SELECT m.name, k.since, k.cause FROM read_committees m JOIN read_coordinators k ON k.committee_id = m.id "
        "WHERE m.dissolved IS NULL AND k.region_id IS NULL AND k.position = "
        "(SELECT MAX(position) FROM read_coordinators WHERE committee_id = m.id)").all()
    return [{"case": r["name"], "process": "coordinator-election", "state": "vacant",
             "step": "elect a coordinator" + (f" (the term ended by {r['cause']})" if r["cause"] else ""),
             "by": str(Body.SUB_COMMITTEE), "waiting_since": r["since"], "subject": r["name"]} for r in rows]


def overdue_assembly(c: Cursor, today: FuzzyDate) -> dict[str, Any] | None:
    """The next General Assembly, if the latest one met over two years ago."""
    latest = latest_general_assembly(c)
    if latest is None:
        return None
    met = FuzzyDate.parse(latest["opened"])
    due = _years_later(met, GA_INTERVAL_YEARS)
    if not due.last < today.first:
        return None
    ident = f"GA-{latest['number'] + 1}"
    return {"case": ident, "process": "general-assembly", "state": "overdue",
            "step": f"convene {ident} (due {due})", "by": str(Body.SECRETARIAT),
            "waiting_since": str(due),
            "subject": f"General Assembly, held every two years; {latest['ident']} met {met}"}


def _years_later(day: FuzzyDate, years: int) -> FuzzyDate:
    if day.month == 2 and day.day == 29:
        return FuzzyDate(day.year + years, 2, 28)
    return FuzzyDate(day.year + years, day.month, day.day)
