"""Regions outside the admission process: registering, recording a documented status,
renaming, and a withdrawal recorded directly."""

from __future__ import annotations

from domain.errors import AlreadyExists, AlreadyRegistered
from domain.ids import key_id
from domain.indexes import RegionName
from domain.processes import WITHDRAWAL
from domain.region import RegionalGovernment
from domain.values import Status, clean_name, clean_text, country_code, membership_kind, optional
from near_gov.commands.committees import end_terms
from near_gov.commands.standing import check_standing_from
from near_gov.commands.unit import Unit, effective
from near_gov.dating import documentary
from near_gov.decisions import WITHDRAWAL as WITHDRAWING
from near_gov.persistence.register import Register


def register_region(reg: Register, name: str, country: str) -> dict[str, str]:
    name, cc = clean_name(name, "region name"), country_code(country)

    def command() -> dict[str, str]:
        u = Unit(reg)
        region = new_region(u, name, cc)
        u.commit(region)
        return {"name": region.name, "country": cc}

    return reg.retrying(command)


def check_name_free(u: Unit, index: RegionName, name: str) -> None:
    """No two regions hold one name (ignoring case and spaces) at once, in any country."""
    for cc, region_id in sorted(index.regions.items()):
        holder = u.get(RegionalGovernment, region_id, name)
        raise AlreadyRegistered(f"{holder.name} ({cc}) already holds that name: no two regions hold one name at once")


def new_region(u: Unit, name: str, cc: str) -> RegionalGovernment:
    """A new region and its name's index entry, refused if the name is taken in `cc`."""
    index = u.region_index(name)
    if cc in index.regions:
        existing = u.get(RegionalGovernment, index.regions[cc], name)
        raise AlreadyRegistered(f"{existing.name} ({cc}) is already registered")
    check_name_free(u, index, name)
    series = 1
    while u.find(RegionalGovernment, RegionalGovernment.create_id(name, cc, series)):
        series += 1  # a region registered under this name and since renamed holds that id
    region = u.add(RegionalGovernment(name=name, country=cc, actor=u.actor,
                                      id=RegionalGovernment.create_id(name, cc, series)))
    index.add(country=cc, region_id=region.id)
    return region


def record_status(reg: Register, name: str, status: str, since: str, source: str,
                  country: str | None = None, inferred: str | None = None) -> dict[str, str]:
    """`since` as the document gives it (EDTF: exact, approximate or by bounds);
    `inferred`: what the date was inferred from, where the document does not state it."""
    u = Unit(reg)
    region = u.region(name, country)
    kind, day = membership_kind(status), effective(documentary(since, "--since"), "--since")
    changed_from = day if region.since is None or day < region.since else region.since  # a correction moves it
    region.record(kind, day, clean_text(source, "source"), u.actor, optional(clean_text, inferred, "inferred"))
    check_standing_from(u, region, changed_from)
    u.commit(region)
    return {"name": region.name, "status": str(kind), "since": str(day)}


def rename_region(reg: Register, name: str, new_name: str, on: str, country: str | None = None) -> dict[str, str]:
    u = Unit(reg)
    region = u.region(name, country)
    new_name, day = clean_name(new_name, "new name"), effective(on, "--on")
    old_index = u.get(RegionName, key_id("region-name", region.name), region.name)
    if key_id("region-name", new_name) == old_index.id:
        if new_name == region.name:
            raise AlreadyExists(f"{region.name} already has that name")
        new_index = old_index  # only the spelling changes
    else:
        new_index = u.region_index(new_name)
        if region.country in new_index.regions:
            holder = u.get(RegionalGovernment, new_index.regions[region.country], new_name)
            raise AlreadyRegistered(f"{holder.name} ({region.country}) is already registered")
        check_name_free(u, new_index, new_name)
        old_index.retire(country=region.country, region_id=region.id)
    old = region.name
    region.rename(new_name, day, u.actor)
    new_index.add(country=region.country, region_id=region.id)
    u.commit(region, old_index)
    return {"name": region.name, "former_name": old, "on": str(day)}


def withdraw_region(reg: Register, name: str, on: str, decision: str | None = None,
                    source: str | None = None, country: str | None = None) -> dict[str, str]:
    u = Unit(reg)
    region = u.region(name, country)
    day = effective(on, "--on")
    cause = None if decision is None else u.decision(decision, day, WITHDRAWING)
    u.check_no_open_case(WITHDRAWAL, [{"region": n, "country": region.country}
                                      for n in (region.name, *region.former_names)],
                         f"withdrawing {region.name} directly",
                         "confirm it with `near-gov case confirm-withdrawal {refs}` or retract it")
    region.withdraw(day, cause, optional(clean_text, source, "source"), u.actor)
    end_terms(u, region, day, cause)
    check_standing_from(u, region, day)
    u.commit(region)
    return {"name": region.name, "status": str(Status.WITHDRAWN), "since": str(day)}
