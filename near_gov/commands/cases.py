"""Cases of the governance processes beyond admission (Charter amendment, coordinator
election, withdrawal): opening one under its process's reference, reading one, and the
steps that change only the case."""

from __future__ import annotations

from typing import Any

from domain.case import Case
from domain.errors import CaseOpen, InvalidInput
from domain.processes import PREFIXES, PROCESSES, Process
from domain.values import FuzzyDate, clean_text
from near_gov.clock import today
from near_gov.commands.unit import Unit, effective
from near_gov.persistence.register import Register

_PROCESS_PREFIX = {p.name: prefix for prefix, p in PREFIXES.items()}


def case_info(reg: Register, reference: str) -> dict[str, Any]:
    case = Unit(reg).case(reference)
    return {
        "reference": case.reference,
        "process": case.process_name,
        "state": case.state,
        "subject": dict(case.subject),
        "history": [
            {"step": t.step, "state": t.state, "on": str(t.on), "cause": t.cause, "note": t.note}
            for t in case.history
        ],
        "next": [{"step": s.name, "by": str(s.by)} for s in case.next_steps()],
    }


def open_case(reg: Register, process: str, subject: dict[str, str], on: FuzzyDate,
              note: str | None) -> dict[str, str]:
    """Open a case under the next reference of its process, entered in the index of
    open cases about its subject where the process keeps one."""
    declared = PROCESSES[process]

    def command() -> dict[str, str]:
        u = Unit(reg)
        if declared.one_open:
            u.check_no_open_case(declared, [subject], f"a new {process} case about {label(declared, subject)}",
                                 "see `near-gov case show {refs}`")
        if declared.one_open_per:
            _check_one_open_per(u, declared, subject)
        counter = u.counter(_PROCESS_PREFIX[process], on.year)
        ref = counter.next_reference()
        case = u.add(Case(reference=ref, process=process, subject=subject, on=on, note=note, actor=u.actor))
        u.enter_open_case(declared, subject, ref)
        u.commit(counter, case)
        return {"reference": ref}

    return reg.retrying(command)


def _check_one_open_per(u: Unit, process: Process, subject: dict[str, str]) -> None:
    index = u.open_cases(process, subject)
    for ref in index.open if index else ():
        other = u.case(ref)
        if all(other.subject.get(k) == subject[k] for k in process.one_open_per if k in other.subject):
            first, *more = (subject[k] for k in process.one_open_per)
            what = first + (f" ({', '.join(more)})" if more else "")
            raise CaseOpen(f"a new {process.name} case about {label(process, subject)} for {what} is refused: "
                           f"{process.name} case {ref} is open; see `near-gov case show {ref}`")


def label(process: Process, subject: dict[str, str]) -> str:
    """What a case is about, as its process's subject key names it: "Rasun City (KP)"."""
    first, *more = (subject[k] for k in process.subject_key)
    return first + (f" ({', '.join(more)})" if more else "")


def case_of(u: Unit, reference: str, process: str, what: str) -> Case:
    """Case `reference`, refused unless it is a case of `process`."""
    case = u.case(reference)
    if case.process_name != process:
        raise InvalidInput(f"{case.reference} is a {case.process_name} case, not {what}")
    return case


def withdraw_case(reg: Register, reference: str, reason: str, on: str | None = None) -> dict[str, str]:
    """The applicant withdraws a proposal or nomination, or retracts a withdrawal notice."""
    u = Unit(reg)
    case = u.case(reference)
    step, target = ("retract", "retracted") if case.process_name == "withdrawal" else ("withdraw", "withdrawn")
    return take_step(u, case, step, target, on, clean_text(reason, "reason"))


def take_step(u: Unit, case: Case, step: str, target: str, on: str | None, note: str) -> dict[str, str]:
    """A step that changes only the case."""
    day = today() if on is None else effective(on, "--on")
    case.take(step, target, day, None, note, u.actor)
    u.commit(case)
    return {"reference": case.reference, "state": case.state}
