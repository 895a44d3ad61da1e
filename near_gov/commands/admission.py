"""The admission process: an application is submitted, screened, scheduled for a
General Assembly, and approved or rejected there (or withdrawn by the applicant)."""

from __future__ import annotations

from domain.application import Application
from domain.charter import check_in_scope
from domain.errors import AssemblyRefused, InvalidInput, NotFound
from domain.phrasing import body
from domain.processes import ADMISSION
from domain.region import RegionalGovernment
from domain.values import Body, clean_name, clean_text, country_code, membership_kind, optional
from near_gov.clock import today
from near_gov.commands.assemblies import Deciding
from near_gov.commands.regions import new_region
from near_gov.commands.unit import Unit, effective
from near_gov.persistence.register import Register


def submit_application(reg: Register, name: str, country: str, kind: str = "member",
                       on: str | None = None) -> dict[str, str]:
    name, cc = clean_name(name, "region name"), country_code(country)
    status, day = membership_kind(kind), effective(today() if on is None else on, "--on")
    check_in_scope(Unit(reg).recorded_charter(), cc, day)

    def command() -> dict[str, str]:
        u = Unit(reg)
        counter = u.counter("APP", day.year)
        try:
            region = u.region(name, cc)
            new = False
        except NotFound:
            region, new = new_region(u, name, cc), True
        region.check_may_apply(status)
        u.check_no_open_case(ADMISSION, [{"region": n, "country": cc} for n in (region.name, *region.former_names)],
                             f"a new application of {region.name} ({cc})", "see `near-gov application show {refs}`")
        ref = counter.next_reference()
        application = u.add(Application(reference=ref, region_id=region.id, region=region.name, country=cc,
                                        kind=status, on=day, actor=u.actor))
        u.enter_open_case(ADMISSION, application.subject, ref)
        u.commit(counter, application, *([region] if new else []))
        return {"reference": ref}

    return reg.retrying(command)


def screen_application(reg: Register, reference: str, eligible: bool, reason: str | None = None) -> dict[str, str]:
    u = Unit(reg)
    application = u.application(reference)
    if not eligible and not reason:
        raise InvalidInput("--ineligible needs --reason TEXT")
    if eligible and reason is not None:
        raise InvalidInput("--reason goes with --ineligible: an eligible finding records no reason")
    application.screen(eligible, optional(clean_text, reason, "reason"), u.actor)
    u.commit(application)
    return {"reference": application.reference, "state": application.state}


def schedule_application(reg: Register, reference: str, assembly: str) -> dict[str, str]:
    u = Unit(reg)
    application = u.application(reference)
    target = u.assembly(assembly)
    if not target.is_general:
        raise AssemblyRefused(
            f"{target.ref} is {body(Body.WORKING_COMMITTEE)}: only {body(Body.GENERAL_ASSEMBLY)} may approve "
            "an application")
    target.check_is_open()
    application.schedule(target.ref, target.on, u.actor)
    u.commit(application)
    return {"reference": application.reference, "state": application.state, "assembly": target.ref}


def withdraw_application(reg: Register, reference: str, reason: str) -> dict[str, str]:
    u = Unit(reg)
    application = u.application(reference)
    application.withdraw(clean_text(reason, "reason"), u.actor)
    u.commit(application)
    return {"reference": application.reference, "state": application.state}


# Decisions of a General Assembly (declared in near_gov.decisions).

def approve(d: Deciding, application: str) -> None:
    case = d.unit.application(application)
    region = d.unit.get(RegionalGovernment, case.region_id, case.region)
    case.check_scheduled_for(d.assembly.ref)
    check_in_scope(d.unit.recorded_charter(), case.country, d.on)  # the scope in force when it is decided
    ref = d.take(f"Admit {region.name} ({region.country}) as {case.kind} on application {case.reference}",
                 {"application": case.reference})
    case.approve(ref, d.on, d.actor)
    region.admit(case.kind, d.on, ref, d.actor)


def reject(d: Deciding, application: str, reason: str) -> None:
    case = d.unit.application(application)
    reason = clean_text(reason, "reason")
    case.check_scheduled_for(d.assembly.ref)
    ref = d.take(f"Reject application {case.reference} of {case.region}: {reason}",
                 {"application": case.reference, "reason": reason})
    case.reject(ref, d.on, reason, d.actor)
