"""Records are stored under ids worked out from their natural keys (domain/ids.py), and
every register holds those ids: a later version must work out the same ones, or it no
longer finds the Charter, the Secretariat, a counter or a seal of an existing
register (and would, say, let the Secretariat's opening, or a count, be recorded twice)."""

from uuid import UUID

from domain.application import Application
from domain.assembly import Assembly
from domain.case import Case
from domain.charter import Charter
from domain.committee import Committee
from domain.count import StatedCount
from domain.indexes import ReferenceCounter, RegionName
from domain.region import RegionalGovernment
from domain.seal import Seal
from domain.secretariat import Secretariat
from domain.values import FuzzyDate, Status


def test_record_ids_stay_those_existing_registers_hold():
    ids = {
        "charter": Charter.create_id(),
        "secretariat": Secretariat.create_id(),
        "seal": Seal.create_id(7),
        "counter": ReferenceCounter.create_id("APP", 2002),
        "name index": RegionName.create_id("Rasun City"),
        "region": RegionalGovernment.create_id("Rasun City", "KP"),
        "committee": Committee.create_id("Sub-Committee on Environment"),
        "assembly": Assembly.create_id("GA-4"),
        "application": Application.create_id("APP-2002-001"),
        "case": Case.create_id("AMD-2002-001"),
        "count": StatedCount.create_id(Status.MEMBER, FuzzyDate.parse("1996-09")),
    }

    assert ids == {
        "charter": UUID("94184e4e-3eac-53fe-b7bd-f20e11ec7e27"),
        "secretariat": UUID("758e3271-1d73-58e0-a898-66756e8ae82f"),
        "seal": UUID("949f5ef2-550e-54eb-b606-8540d132efac"),
        "counter": UUID("28f936ab-a577-5355-a11f-058f2d79c9da"),
        "name index": UUID("c402224e-67e7-5c54-9c45-2974964e830e"),
        "region": UUID("59fe9efb-5429-5c44-94a7-59843fb8eaee"),
        "committee": UUID("25b5dea1-0e73-595f-b349-b1fabf86aecb"),
        "assembly": UUID("baf8e33b-9bfe-5b85-b7dd-7074a3208bb6"),
        "application": UUID("ef693f37-9626-522e-91bb-580fa8929aa9"),
        "case": UUID("ddb64a2d-7686-5d9d-bf4b-c3b7b175840a"),
        "count": UUID("b9eba874-0973-5c5a-b434-2639ae14f988"),
    }


def test_case_references_are_numbered_per_process_and_restart_each_year(gov):
    gov.register_region("Toyama Prefecture", "JP")

    refs = [gov.submit_application("Rasun City", "KP", "member", "2002-03")["reference"],
            gov.submit_application("Tumen City", "CN", "member", "2003-03")["reference"],
            gov.submit_application("Hunchun City", "CN", "member", "2002-04")["reference"],
            gov.propose_amendment("2002-05", scope="CN,JP,KR,KP,MN,RU,US")["reference"]]

    assert refs == ["APP-2002-001", "APP-2003-001", "APP-2002-002", "AMD-2002-001"]
