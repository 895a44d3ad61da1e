"""What awaits action, oldest first: the steps of open cases, read from each process
declaration, and a General Assembly that is overdue.

A task is a step that a body of NEAR takes and that moves the case on. The applicant's
own options (withdrawing, retracting) and steps that leave the case where it is
(rescheduling a scheduled application) are allowed next steps, shown by `application
show`, but nobody is waiting for them. Steps one body may take either way are one task:
`scheduled` -> "approve or reject at GA-4" by the General Assembly.

A task has two dates, one per time axis: `due`, the effective date from which the step
is due (the date of the step that brought the case to its state, or of the assembly it
waits for, the closing of an assembly that did not decide it, the end of a
coordinator's term, the date a General Assembly was due), and `waiting_since`, the
recorded time at which the register learnt it (of the case's last step, the closing,
the end of the term, the latest General Assembly)."""

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
            found += _case_tasks(c, process, row, closed)
    found += vacancies(c)
    overdue = overdue_assembly(c, today)
    if overdue:
        found.append(overdue)
    return sorted(found, key=lambda t: (t["due"], t["waiting_since"] or "", t["case"]))


def _task(case: str, process: str, state: str, step: str, by: str, due: str, waiting_since: str | None,
          subject: str) -> dict[str, Any]:
    return {"case": case, "process": process, "state": state, "step": step, "by": by, "due": due,
            "waiting_since": waiting_since, "subject": subject}


def _case_tasks(c: Cursor, process: Process, row: dict[str, Any], closed: dict[str, str]) -> list[dict[str, Any]]:
    """The tasks of one case: its next steps by body. A case waiting for an assembly
    that has closed can no longer be decided there: its task is to schedule it again."""
    case = _summary(row)
    state, at = case["state"], case["assembly"]
    if at in closed:
        learnt = max(case["since"], _recorded(c, at, "Assembly.Closed") or "")
        return [_task(case["reference"], process.name, state,
                      f"schedule for a later General Assembly ({at} closed on {closed[at]})",
                      str(Body.SECRETARIAT), closed[at], learnt, case["subject"])]
    by_body: dict[str, list[str]] = {}
    for step in process.next_steps(state):
        if step.by != Body.APPLICANT and set(step.targets) != {state}:
            by_body.setdefault(str(step.by), []).append(step.name)
    found = []
    for body, names in by_body.items():
        steps = " or ".join(names)
        due = _entered(c, row)
        if body == Body.GENERAL_ASSEMBLY and at:
            steps += f" at {at}"
            due = _opened(c, at) or due
        found.append(_task(case["reference"], process.name, state, steps, body, due, case["since"],
                           case["subject"]))
    return found


def _entered(c: Cursor, row: dict[str, Any]) -> str:
    """The effective date of the latest step of a case that gives one (screening and
    scheduling do not): the date from which its next step is due."""
    dated = c.run("SELECT on_date FROM read_case_steps WHERE case_id = ? AND on_date IS NOT NULL "
                  "ORDER BY position DESC LIMIT 1", (row["id"],)).one()
    return str(dated["on_date"] if dated else row["opened"])


def _opened(c: Cursor, ident: str) -> str | None:
    found = c.run("SELECT opened FROM read_assemblies WHERE ident = ?", (ident,)).one()
    return None if found is None else str(found["opened"])


def _recorded(c: Cursor, ident: str, kind: str) -> str | None:
    """When the register learnt the first event of `kind` of assembly `ident`."""
    found = c.run("SELECT recorded_at FROM read_history WHERE assembly = ? AND kind = ? ORDER BY position LIMIT 1",
                  (ident, kind)).one()
    return None if found is None else str(found["recorded_at"])


def vacancies(c: Cursor) -> list[dict[str, Any]]:
    """Sub-Committees whose coordinator's term ended (the region left NEAR) with no one
    elected since: their members elect a new coordinator. The term's end is recorded in
    the history under the region whose term ended: the committee's coordinator before."""
    rows = c.run(
        "SELECT m.name, k.since, k.cause, (SELECT h.recorded_at FROM read_history h WHERE h.position = k.position "
        "  AND h.region_id = (SELECT p.region_id FROM read_coordinators p WHERE p.committee_id = k.committee_id "
        "  AND p.position < k.position ORDER BY p.position DESC LIMIT 1)) AS recorded_at "
        "FROM read_committees m JOIN read_coordinators k ON k.committee_id = m.id "
        "WHERE m.dissolved IS NULL AND k.region_id IS NULL AND k.position = "
        "(SELECT MAX(position) FROM read_coordinators WHERE committee_id = m.id)").all()
    return [_task(r["name"], "coordinator-election", "vacant",
                  "elect a coordinator" + (f" (the term ended by {r['cause']})" if r["cause"] else ""),
                  str(Body.SUB_COMMITTEE), r["since"], r["recorded_at"], r["name"]) for r in rows]


def overdue_assembly(c: Cursor, today: FuzzyDate) -> dict[str, Any] | None:
    """The next General Assembly, if the latest one met over two years ago: due two
    years after it met, and waited for since the register learnt of that meeting."""
    latest = latest_general_assembly(c)
    if latest is None:
        return None
    met = FuzzyDate.parse(latest["opened"])
    due = _years_later(met, GA_INTERVAL_YEARS)
    if not due.last < today.first:
        return None
    ident = f"GA-{latest['number'] + 1}"
    return _task(ident, "general-assembly", "overdue", f"convene {ident} (due {due})", str(Body.SECRETARIAT),
                 str(due), _recorded(c, latest["ident"], "Assembly.Convened"),
                 f"General Assembly, held every two years; {latest['ident']} met {met}")


def _years_later(day: FuzzyDate, years: int) -> FuzzyDate:
    if day.month == 2 and day.day == 29:
        return FuzzyDate(day.year + years, 2, 28)
    return FuzzyDate(day.year + years, day.month, day.day)
