"""`Governance`: the register with one method per write command of the contract.

A thin facade: each command is a function in `near_gov.commands` (by process), run on
this register; the loading and saving it relies on is `near_gov.persistence`. Look-ups
by natural key are here too, for callers that read one aggregate (tests, the loader)."""

from __future__ import annotations

from domain.application import Application
from domain.assembly import Assembly
from domain.case import Case
from domain.charter import Charter
from domain.committee import Committee
from domain.region import RegionalGovernment
from domain.values import FuzzyDate
from near_gov.commands import (
    admission,
    assemblies,
    cases,
    charter,
    committees,
    counts,
    election,
    regions,
    withdrawal,
)
from near_gov.commands.unit import Unit, effective
from near_gov.persistence.register import Register


class Governance(Register):
    # Regions.
    register_region = regions.register_region
    record_status = regions.record_status
    rename_region = regions.rename_region
    withdraw_region = regions.withdraw_region
    record_count = counts.record_count
    # Admission.
    submit_application = admission.submit_application
    screen_application = admission.screen_application
    schedule_application = admission.schedule_application
    withdraw_application = admission.withdraw_application
    # Assemblies and their decisions (near_gov.decisions).
    convene = assemblies.convene
    attend = assemblies.attend
    close_assembly = assemblies.close_assembly
    decide = assemblies.decide
    # Sub-Committees and the Secretariat.
    elect_coordinator = committees.elect_coordinator
    record_committee = committees.record_committee
    open_secretariat = committees.open_secretariat
    # Cases: Charter amendment, coordinator election, withdrawal.
    case_info = cases.case_info
    withdraw_case = cases.withdraw_case
    propose_amendment = charter.propose_amendment
    nominate_coordinator = election.nominate_coordinator
    elect_nominee = election.elect_nominee
    decline_nomination = election.decline_nomination
    notify_withdrawal = withdrawal.notify_withdrawal
    confirm_withdrawal = withdrawal.confirm_withdrawal

    # Look-ups.

    @staticmethod
    def effective(text: str | FuzzyDate, what: str = "date") -> FuzzyDate:
        return effective(text, what)

    def region(self, name: str, country: str | None = None) -> RegionalGovernment:
        return Unit(self).region(name, country)

    def application(self, reference: str) -> Application:
        return Unit(self).application(reference)

    def assembly(self, ident: str) -> Assembly:
        return Unit(self).assembly(ident)

    def committee(self, name: str) -> Committee:
        return Unit(self).committee(name)

    def charter(self) -> Charter | None:
        return Unit(self).recorded_charter()

    def case(self, reference: str) -> Case:
        return Unit(self).case(reference)

    def check_decision_exists(self, ref: str) -> str:
        return Unit(self).decision(ref)
