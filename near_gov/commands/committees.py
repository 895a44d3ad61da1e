"""Sub-Committees and the Secretariat: established, coordinated and dissolved by a
General Assembly's decisions, elections recorded directly, documented committees and
the Secretariat's opening."""

from __future__ import annotations

from uuid import UUID

from domain.committee import Committee
from domain.errors import AlreadyExists
from domain.ids import key_id
from domain.indexes import Coordinating
from domain.processes import COORDINATOR_ELECTION
from domain.region import RegionalGovernment
from domain.secretariat import Secretariat
from domain.values import FuzzyDate, clean_name, clean_text, country_code, optional
from near_gov.commands.assemblies import Deciding
from near_gov.commands.unit import Unit, effective
from near_gov.dating import documentary
from near_gov.decisions import ELECTION
from near_gov.persistence.register import Register

# Who coordinates what: every election goes through `elect_in`, every withdrawal through
# `end_terms`, which keep the index of the Sub-Committees each region coordinates.

def elect_in(u: Unit, committee: Committee, region: RegionalGovernment, on: FuzzyDate, cause: str | None,
             source: str | None) -> None:
    """Make `region` the coordinator of `committee` from `on` (the committee checks the rules)."""
    previous = committee.coordinator
    committee.elect(region, on, cause, source, u.actor)
    if previous is not None:
        _stop_coordinating(u, previous.region_id, committee.name, on)
    _coordinating(u, region.id).add(committee.name, on)


def end_terms(u: Unit, region: RegionalGovernment, on: FuzzyDate, cause: str | None) -> None:
    """End every coordinator term of `region` on `on` (its withdrawal): the seats are vacant."""
    index = u.find(Coordinating, Coordinating.create_id(region.id))
    if index is None:
        return
    for name in list(index.committees):
        u.committee(name).end_term(region, on, cause, u.actor)
        index.remove(name, on)


def _coordinating(u: Unit, region_id: UUID) -> Coordinating:
    return u.find(Coordinating, Coordinating.create_id(region_id)) or u.add(Coordinating(region_id=region_id))


def _stop_coordinating(u: Unit, region_id: UUID, committee: str, until: FuzzyDate) -> None:
    """Take `committee` off the region's index, where it is there (a term recorded before
    the index was kept is not)."""
    index = u.find(Coordinating, Coordinating.create_id(region_id))
    if index is not None and committee in index.committees:
        index.remove(committee, until)


def establish(d: Deciding, name: str, coordinator: str | None = None, purpose: str | None = None) -> None:
    name = clean_name(name, "committee name")
    if existing := d.unit.find(Committee, key_id("committee", name)):
        raise AlreadyExists(f"{existing.name} already exists")
    region = None if coordinator is None else d.region(coordinator)
    params = {"name": name, **({"coordinator": region.name} if region else {}),
              **({"purpose": clean_text(purpose, "purpose")} if purpose is not None else {})}
    ref = d.take(f"Establish the {name}" + (f", coordinated by {region.name}" if region else ""), params)
    committee = d.unit.add(Committee(name=name, purpose=params.get("purpose"), on=d.on, cause=ref,
                                     source=None, actor=d.actor))
    if region:
        elect_in(d.unit, committee, region, d.on, ref, None)


def elect(d: Deciding, committee: str, region: str) -> None:
    body, member = d.unit.committee(committee), d.region(region)
    ref = d.take(f"Elect {member.name} coordinator of the {body.name}",
                 {"committee": body.name, "region": member.name})
    elect_in(d.unit, body, member, d.on, ref, None)


def dissolve(d: Deciding, committee: str) -> None:
    body = d.unit.committee(committee)
    body.check_active()
    d.unit.check_no_open_case(COORDINATOR_ELECTION, [{"committee": body.name}], f"dissolving the {body.name}",
                              "decline or withdraw the nominations first")
    ref = d.take(f"Dissolve the {body.name}", {"committee": body.name})
    if body.coordinator is not None:
        _stop_coordinating(d.unit, body.coordinator.region_id, body.name, d.on)
    body.dissolve(d.on, ref, d.actor)


def elect_coordinator(reg: Register, committee: str, region: str, on: str, decision: str | None = None,
                      source: str | None = None, country: str | None = None) -> dict[str, str]:
    """An election recorded directly: citing the decision that made it, or a document,
    which may date it as it does (EDTF: `[..2010-10]`, coordinator by then).
    `country`: the region's, where its name has been held in two countries."""
    country = optional(country_code, country)
    u = Unit(reg)
    body, member = u.committee(committee), u.region(region, country)
    day = effective(on if decision is not None or source is None else documentary(on, "--on"), "--on")
    cause = None if decision is None else u.decision(decision, day, ELECTION)
    elect_in(u, body, member, day, cause, optional(clean_text, source, "source"))
    u.commit(body)
    return {"committee": body.name, "coordinator": member.name, "since": str(day)}


def record_committee(reg: Register, name: str, source: str, purpose: str | None = None) -> dict[str, str]:
    """Record a Sub-Committee documented without its establishing decision."""
    name = clean_name(name, "committee name")
    u = Unit(reg)
    if existing := u.find(Committee, key_id("committee", name)):
        raise AlreadyExists(f"{existing.name} already exists")
    committee = u.add(Committee(name=name, purpose=optional(clean_text, purpose, "purpose"),
                                on=None, cause=None, source=clean_text(source, "source"), actor=u.actor))
    u.commit(committee)
    return {"committee": name}


def open_secretariat(reg: Register, on: str, seat: str, source: str) -> dict[str, str]:
    day = effective(on, "opening date")
    u = Unit(reg)
    if u.find(Secretariat, Secretariat.create_id()):
        raise AlreadyExists("the Secretariat's opening is already recorded")
    secretariat = u.add(Secretariat(on=day, seat=clean_name(seat, "seat"), source=clean_text(source, "source"),
                                    actor=u.actor))
    u.commit(secretariat)
    return {"opened": str(day), "seat": secretariat.seat}
