"""The coordinator election process: a member region is nominated for a Sub-Committee,
then elected by the Sub-Committee's members (or declines, or withdraws)."""

from __future__ import annotations

from domain.case import Case
from domain.values import clean_text, country_code, optional
from near_gov.commands.cases import case_of, open_case, take_step
from near_gov.commands.committees import elect_in
from near_gov.commands.unit import Unit, effective
from near_gov.decisions import ELECTION
from near_gov.persistence.register import Register


def nominate_coordinator(reg: Register, committee: str, region: str, on: str,
                         country: str | None = None) -> dict[str, str]:
    """`country`: the region's, where its name has been held in two countries. The case
    keeps the region's country, so that its election finds it whatever names are taken
    meanwhile."""
    country = optional(country_code, country)
    u = Unit(reg)
    body, member = u.committee(committee), u.region(region, country)
    day = effective(on, "--on")
    body.check_nominee(member, day)
    return open_case(reg, "coordinator-election",
                     {"committee": body.name, "region": member.name, "country": member.country}, day, None)


def elect_nominee(reg: Register, reference: str, on: str, decision: str | None = None) -> dict[str, str]:
    u = Unit(reg)
    case = _election(u, reference)
    day = effective(on, "--on")
    body = u.committee(case.subject["committee"])
    member = u.region(case.subject["region"], case.subject.get("country"))  # none in a case opened before it was kept
    cause = case.reference if decision is None else u.decision(decision, day, ELECTION)
    case.take("elect", "elected", day, cause, None, u.actor)
    elect_in(u, body, member, day, cause, None)
    u.commit(case, body)
    return {"reference": case.reference, "committee": body.name, "coordinator": member.name, "since": str(day)}


def decline_nomination(reg: Register, reference: str, on: str, reason: str) -> dict[str, str]:
    u = Unit(reg)
    return take_step(u, _election(u, reference), "decline", "declined", on, clean_text(reason, "reason"))


def _election(u: Unit, reference: str) -> Case:
    return case_of(u, reference, "coordinator-election", "a coordinator election")
