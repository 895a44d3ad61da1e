"""The withdrawal process: a region notifies the Secretariat, which confirms the
withdrawal as taking effect on a date (or the region retracts its notice)."""

from __future__ import annotations

from domain.errors import InvalidInput
from domain.phrasing import standing
from domain.values import Status, clean_text, optional
from near_gov.commands.cases import case_of, open_case
from near_gov.commands.committees import end_terms
from near_gov.commands.standing import check_standing_from
from near_gov.commands.unit import Unit, effective
from near_gov.decisions import WITHDRAWAL
from near_gov.persistence.register import Register


def notify_withdrawal(reg: Register, region: str, on: str, source: str | None = None,
                      country: str | None = None) -> dict[str, str]:
    """`country`: the region's, where its name has been held in two countries."""
    member = Unit(reg).region(region, country)
    day = effective(on, "--on")
    if member.status_on(day) not in (Status.MEMBER, Status.OBSERVER):
        raise InvalidInput(f"{member.name} is {standing(member.status_on(day))} on {day}: "
                           "there is nothing to withdraw from")
    return open_case(reg, "withdrawal", {"region": member.name, "country": member.country}, day,
                     optional(clean_text, source, "source"))


def confirm_withdrawal(reg: Register, reference: str, on: str | None = None,
                       decision: str | None = None) -> dict[str, str]:
    u = Unit(reg)
    case = case_of(u, reference, "withdrawal", "a withdrawal")
    day = case.since if on is None else effective(on, "--on")
    member = u.region(case.subject["region"], case.subject["country"])
    cause = case.reference if decision is None else u.decision(decision, day, WITHDRAWAL)
    case.take("confirm", "withdrawn", day, cause, None, u.actor)
    member.withdraw(day, cause, case.history[0].note, u.actor)
    end_terms(u, member, day, cause)
    check_standing_from(u, member, day)
    u.commit(case, member)
    return {"reference": case.reference, "region": member.name, "status": str(Status.WITHDRAWN), "since": str(day)}
