"""Assemblies: convening, attendance, closing, and taking a decision of any declared
kind (`near_gov.decisions`) with all its effects in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain.assembly import Assembly
from domain.errors import AlreadyExists, DateRefused, GovernanceError, InvalidInput
from domain.ids import key_id
from domain.indexes import FirstMeeting
from domain.region import RegionalGovernment
from domain.values import BODIES, FuzzyDate, Status, assembly_id, clean_text, country_code, optional
from near_gov.commands.unit import Unit, effective
from near_gov.decisions import REGION_PARAMS, DecisionKind, decision_kind
from near_gov.persistence.register import Register


def convene(reg: Register, body: str, number: int | str, host: str, on: str,
            source: str | None = None, country: str | None = None) -> dict[str, str]:
    """`country`: the host's, where its name has been held in two countries."""
    ident = assembly_id(f"{str(body).strip().upper()}-{number}")
    day, country = effective(on, "--on"), optional(country_code, country)
    u = Unit(reg)
    if u.find(Assembly, key_id("assembly", ident)):
        raise AlreadyExists(f"{ident} is already convened")
    _check_sequence(u, ident, day)
    region = u.region(host, country)
    region.check_is_member_on(day, f"host of {ident}")
    assembly = u.add(Assembly(ident=ident, host_id=region.id, host=region.name, on=day, actor=u.actor,
                              source=optional(clean_text, source, "source")))
    u.commit(assembly)
    return {"id": ident, "body": BODIES[assembly.body], "host": region.name, "on": str(day)}


def _check_sequence(u: Unit, ident: str, day: FuzzyDate) -> None:
    """Assemblies of a body follow each other in number and date, with no gaps: a new
    one is next to one recorded (after it, or before it where earlier meetings are
    recorded late), or it is the body's first; a first numbered above 1 is noted
    (`FirstMeeting`) so that a later one cannot skip numbers."""
    body, number = ident.split("-")
    n, name = int(number), BODIES[body]
    before = u.find(Assembly, key_id("assembly", f"{body}-{n - 1}")) if n > 1 else None
    after = u.find(Assembly, key_id("assembly", f"{body}-{n + 1}"))
    if before and day < before.on:
        raise DateRefused(f"{ident} on {day} would precede {before.ref} on {before.on}")
    if after and after.on < day:
        raise DateRefused(f"{ident} on {day} would follow {after.ref} on {after.on}")
    if before or after:
        return
    if u.first_meeting(body):
        neighbours = f"neither {body}-{n - 1} nor {body}-{n + 1} is" if n > 1 else f"{body}-{n + 1} is not"
        raise DateRefused(f"{ident} cannot be convened: the {name}'s meetings follow each other in number "
                          f"with no gap, and {neighbours} recorded")
    if n > 1:
        u.add(FirstMeeting(body=body, number=n))


def attend(reg: Register, ident: str, names: list[str], country: str | None = None) -> dict[str, Any]:
    """`country`: the country of every region named, where a name has been held in two."""
    country = optional(country_code, country)
    u = Unit(reg)
    assembly = u.assembly(ident)
    if not names:
        raise InvalidInput("name at least one region")
    regions = [u.region(n, country) for n in names]
    for region in regions:
        if region.status_on(assembly.on) not in (Status.MEMBER, Status.OBSERVER):
            raise GovernanceError(f"{region.name} is neither a member nor an observer on {assembly.on}")
    added = assembly.attend([r.name for r in regions], u.actor)
    u.commit(assembly)
    return {"id": assembly.ref, "added": added, "attendance": list(assembly.attendance)}


def close_assembly(reg: Register, ident: str, on: str | None = None) -> dict[str, str]:
    u = Unit(reg)
    assembly = u.assembly(ident)
    day = assembly.on if on is None else effective(on, "--on")
    assembly.close(day, u.actor)
    u.commit(assembly)
    return {"id": assembly.ref, "closed": str(day)}


@dataclass
class Deciding:
    """What a decision's handler works with: the unit, the assembly, the regions it names
    (`region`) and `take`, which records the decision itself (its kind and body from the
    declaration)."""

    unit: Unit
    assembly: Assembly
    kind: DecisionKind
    country: str | None = None  # of the region the decision names, where its name was held in two countries

    @property
    def on(self) -> FuzzyDate:
        return self.assembly.on

    @property
    def actor(self) -> str:
        return self.unit.actor

    def next_ref(self) -> str:
        """The reference the decision will have, for effects recorded before it."""
        return self.assembly.next_decision_ref()

    def region(self, name: str) -> RegionalGovernment:
        """The region a parameter names, in the country given with the decision."""
        return self.unit.region(name, self.country)

    def take(self, text: str, params: dict[str, str]) -> str:
        return self.assembly.decide(self.kind.name, self.kind.body, text, self.kind.stored(params), self.actor,
                                    self.kind.doing)


def decide(reg: Register, ident: str, kind: str, country: str | None = None, **params: str) -> dict[str, str]:
    """Take one decision; the decision and all its effects commit together, the
    assembly's `DecisionTaken` first (replay relies on it). `country`: that of the region
    the decision names (not stored: the decision names the region by its current name)."""
    declared = decision_kind(kind)
    country = optional(country_code, country)
    if country is not None and not declared.names_region(params):
        raise InvalidInput(f"--country gives the country of a region the decision names ({REGION_PARAMS}): "
                           f"this --{declared.name} names none")
    u = Unit(reg)
    assembly = u.assembly(ident)
    assembly.check_may_take(declared.name, declared.body, declared.doing)
    declared.run(Deciding(u, assembly, declared, country), params)
    u.commit(assembly)
    return {"decision": assembly.decisions[-1].ref}


def resolve(d: Deciding, text: str) -> None:
    d.take(clean_text(text, "text"), {})


def note(d: Deciding, text: str) -> None:
    """An item that is not a decision (`near_gov.decisions.RECORDS`): its text only."""
    d.take(clean_text(text, "text"), {})
