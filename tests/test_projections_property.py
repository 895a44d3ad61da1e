"""Property: for any valid history of commands, the read models caught up
incrementally (at random points), rebuilt from scratch, and the direct fold of the
events give the same roster, as-of rosters, audits, regions, committees and Charter;
and what they answer `known_at` a recorded time is the fold of the events recorded
by then. Refused commands write nothing, so random commands make valid histories;
each history starts with a registration, so no example passes on an empty register."""

from __future__ import annotations

import itertools
from uuid import uuid4

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.assembly import Assembly
from domain.errors import (
    AlreadyExists,
    AlreadyRegistered,
    AssemblyRefused,
    CaseOpen,
    DateRefused,
    GovernanceError,
    NotAMember,
    NotFound,
    OutOfScope,
    StatusRefused,
    TransitionRefused,
)
from domain.values import FuzzyDate
from near_gov.reads import Reads
from near_gov.service import Governance
from projections.common import stamp
from tests.oracle import fold

REGIONS = [("Rasun City", "KP"), ("Toyama Prefecture", "JP"), ("Jeju Province", "KR"),
           ("Dornod Province", "MN"), ("Tianjin City", "CN")]
COMMITTEES = ["Sub-Committee on Tourism", "Sub-Committee on Culture"]
DATES = ["1996", "1996-09", "1998-10", "2000-09", "2002", "2002-09", "2002-09-15", "2004-01",
         "2004-09", "2006-09", "2008", "2010-10", "2010-10-05"]
AS_OF = ["1995-12-31", "1996-01-01", "1996-08-31", "1996-09-30", "2002-08-31", "2002-09-01",
         "2002-09-14", "2003", "2008-12-31", "2010-10-04", "2011"]
#: The register's refusals a drawn command may meet: its rules on dates, statuses,
#: steps and duplicates (the Charter and committees refuse with the base class). Bad
#: input, a concurrent change or an integrity failure is a failure of the test.
REFUSALS = (GovernanceError, AlreadyExists, AlreadyRegistered, AssemblyRefused, CaseOpen, DateRefused, NotAMember,
            NotFound, OutOfScope, StatusRefused, TransitionRefused)


class NothingToDraw(Exception):
    """Raised by the driver when the register holds nothing the drawn command could act on."""


class Driver:
    """Draws commands that fit the register's current state (which regions exist and
    their status, open cases and assemblies), so that most are accepted; one that is
    refused anyway (a date out of order, say) must have written nothing, and is
    skipped. Counts the writes applied and refused."""

    def __init__(self, gov: Governance, reads: Reads, draw) -> None:
        self.gov, self.reads, self.draw = gov, reads, draw
        self.names = [name for name, _ in REGIONS]
        self.registered: list[int] = []
        self.refs: list[str] = []
        self.assemblies: list[str] = []
        self.committees: list[str] = []
        self.renames = itertools.count(1)
        self.applied = self.refused = 0

    def step(self) -> None:
        ops = ["register", "submit", "submit", "catch_up", "catch_up"]
        ops += ["record"] * 4 + ["rename", "withdraw", "convene", "convene", "elect"] if self.registered else []
        ops += ["screen", "screen", "schedule", "schedule", "decide", "decide"] if self.refs else []
        ops += ["establish", "establish", "amend", "close"] if self.assemblies else []
        self.run(self.draw(st.sampled_from(ops)))

    def run(self, op: str) -> None:
        if op == "catch_up":
            self.reads.catch_up()
            return
        head = self.gov.recorder.max_notification_id() or 0
        try:
            getattr(self, op)()
        except NothingToDraw:
            return
        except GovernanceError as refusal:
            assert type(refusal) in REFUSALS, f"{op}: {type(refusal).__name__}: {refusal}"
            assert (self.gov.recorder.max_notification_id() or 0) == head, f"{op} was refused but wrote"
            self.refused += 1
            return
        assert (self.gov.recorder.max_notification_id() or 0) > head, f"{op} was accepted but wrote nothing"
        self.applied += 1

    def _status(self, i: int) -> str:
        return str(self.gov.region(self.names[i], REGIONS[i][1]).status)

    def _day(self, after: FuzzyDate | None = None) -> str:
        return self.draw(st.sampled_from([d for d in DATES if after is None or FuzzyDate.parse(d) >= after] or DATES))

    def _region(self, *statuses: str) -> int:
        found = [i for i in self.registered if not statuses or self._status(i) in statuses]
        if not found:
            raise NothingToDraw()
        return self.draw(st.sampled_from(found))

    def _open_general_assembly(self) -> Assembly:
        found = [a for a in self.assemblies if a.startswith("GA") and not self.gov.assembly(a).is_closed]
        if not found:
            raise NothingToDraw()
        return self.gov.assembly(self.draw(st.sampled_from(found)))

    def register(self):
        i = self.draw(st.sampled_from(range(len(REGIONS))))
        self.gov.register_region(self.names[i], REGIONS[i][1])
        self.registered.append(i)

    def record(self):
        i = self._region("none", "observer", "member")
        status = {"none": ["member", "observer"], "observer": ["observer", "member"], "member": ["member"]}
        region = self.gov.region(self.names[i], REGIONS[i][1])
        earlier = region.timeline[-2].since if len(region.timeline) > 1 else None
        self.gov.record_status(self.names[i], self.draw(st.sampled_from(status[self._status(i)])),
                               self._day(earlier), "a document")

    def withdraw(self):
        i = self._region("member", "observer")
        self.gov.withdraw_region(self.names[i], self._day(self.gov.region(self.names[i]).since), source="a letter")

    def rename(self):
        i = self._region()
        new = f"{REGIONS[i][0]} {next(self.renames)}"
        self.gov.rename_region(self.names[i], new, self._day())
        self.names[i] = new

    def convene(self):
        body = self.draw(st.sampled_from(["GA", "WC"]))
        number = 1 + sum(a.startswith(body) for a in self.assemblies)
        host = self._region("member")
        self.gov.convene(body, number, self.names[host], self._day(self.gov.region(self.names[host]).since))
        self.assemblies.append(f"{body}-{number}")

    def submit(self):
        i = self.draw(st.sampled_from(range(len(REGIONS))))
        kind = self.draw(st.sampled_from(["member", "observer"]))
        self.refs.append(self.gov.submit_application(self.names[i], REGIONS[i][1], kind, self._day())["reference"])
        self.registered += [] if i in self.registered else [i]

    def screen(self):
        eligible = self.draw(st.booleans())
        self.gov.screen_application(self.draw(st.sampled_from(self.refs)), eligible, None if eligible else "no letter")

    def schedule(self):
        self.gov.schedule_application(self.draw(st.sampled_from(self.refs)), self._open_general_assembly().ref)

    def decide(self):
        scheduled = [r for r in self.refs if self.gov.application(r).state == "scheduled"]
        if not scheduled:
            raise NothingToDraw()
        case = self.gov.application(self.draw(st.sampled_from(scheduled)))
        if self.draw(st.booleans()):
            self.gov.decide(case.assembly, "approve", application=case.reference)
        else:
            self.gov.decide(case.assembly, "reject", application=case.reference, reason="no quorum")

    def establish(self):
        name = self.draw(st.sampled_from(COMMITTEES))
        extra = {"coordinator": self.names[self._region("member")]} if self.draw(st.booleans()) else {}
        self.gov.decide(self._open_general_assembly().ref, "establish-committee", name=name, **extra)

    def elect(self):
        committee = self.draw(st.sampled_from(COMMITTEES))
        self.gov.elect_coordinator(committee, self.names[self._region("member")], self._day())

    def amend(self):
        article, text = self.draw(st.sampled_from(["1", "2", "10"])), self.draw(st.sampled_from("ABC"))
        self.gov.decide(self._open_general_assembly().ref, "amend-charter", article=article, text=f"Text {text}")

    def close(self):
        self.gov.close_assembly(self.draw(st.sampled_from(self.assemblies)))

def views(source, region_names, committee_names):
    """Everything the property compares, from `Reads` or from a fold."""
    return {
        "roster": source.roster(),
        "as_of": [source.roster(as_of=day) for day in AS_OF],
        "audit": [source.audit_membership(n) for n in region_names],
        "regions": source.regions(),
        "committees": source.committees(),
        "committee": [source.committee(n) for n in committee_names],
        "charter": [source.charter(), source.charter(as_of="2001")],
    }


def without_names(roster):
    """The entries without names: as known at an earlier time, the register names each
    region as the renames known now have it named (a fold of the events recorded by
    then knows fewer renames)."""
    return sorted((tuple((k, v) for k, v in e.items() if k not in ("name", "current_name"))
                   for e in roster["entries"]), key=repr)


def unnamed(timeline):
    return [{k: v for k, v in period.items() if k != "name"} for period in timeline]


@pytest.fixture
def new_store(store_url, tmp_path):
    """A fresh empty store per hypothesis example, of the kind `store_url` is."""
    made = []

    def make() -> str:
        if store_url.startswith("sqlite"):
            return f"sqlite://{tmp_path / uuid4().hex}.db"
        base, schema = store_url.split("?schema=")
        made.append(f"{schema}_{len(made)}")
        return f"{base}?schema={made[-1]}"

    yield make
    if made:
        import psycopg
        from psycopg.sql import SQL, Identifier

        with psycopg.connect(store_url.split("?")[0], autocommit=True) as connection:
            for schema in made:
                connection.execute(SQL("DROP SCHEMA IF EXISTS {0} CASCADE").format(Identifier(schema)))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), length=st.integers(10, 40))
def test_incremental_rebuilt_and_folded_read_models_agree(new_store, data, length):
    gov = Governance(new_store(), actor="clerk")
    reads = Reads(gov)
    driver = Driver(gov, reads, data.draw)
    driver.run("register")
    for _ in range(length):
        driver.step()

    events = [gov.mapper.to_domain_event(n) for n in gov.recorder.select_notifications(start=1, limit=10**6)]
    db_role = gov.store.user or None  # the role PostgreSQL records; SQLite records none
    folded = fold(events, db_role)
    assert driver.applied >= 1 and len(events) >= driver.applied, (driver.applied, driver.refused)
    assert folded.regions(), "the register is empty"
    region_names = [r["name"] for r in folded.regions()]
    committee_names = [c["name"] for c in folded.committees()]
    incremental = views(reads, region_names, committee_names)
    reads.rebuild()
    rebuilt = views(reads, region_names, committee_names)

    assert incremental == views(folded, region_names, committee_names)
    assert rebuilt == incremental
    for moment in sorted({stamp(e.timestamp) for e in events})[::3]:
        then = fold((e for e in events if stamp(e.timestamp) <= moment), db_role)
        for day in AS_OF[::2]:
            assert without_names(reads.roster(as_of=day, known_at=moment)) == without_names(then.roster(as_of=day))
        for region_id, past in then.region_states.items():
            current_name = folded.region_states[region_id].name
            assert unnamed(reads.audit_membership(current_name, known_at=moment)["timeline"]) == \
                unnamed(then.audit_membership(past.name)["timeline"])
    gov.close()
