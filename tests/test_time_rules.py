"""Time as a rule, tried by a machine: random sequences of commands (registering, recording
and withdrawing regions out of date order, renames, applications, assemblies, decisions,
elections, scope changes) on one register, and after every step the invariants the
register promises:

- no effect before its cause: a change citing a decision is not dated before the assembly
  that took it, and an assembly decides no application submitted after its date;
- no two regions hold one name at once;
- no region was admitted from a country outside the scope in force on its admission;
- no coordinator was not a member throughout its term (past terms too), and none is still
  in office after its region left NEAR;
- every meeting's host was a member, and every region attending a member or an observer,
  on the meeting's date, by the record as it stands now;
- the General Assemblies are numbered 1, 2, ... with no gap, in date order;
- a refused command wrote nothing, and no refusal claims a concurrent writer (there is
  only one: exit 3 is for real concurrency).

What the machine found, each now a rule with its own test: a correction moving a membership
after an election that rests on it (past terms too: test_standing.py), and a scope change
leaving a same-day admission out of scope (test_processes.py).
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from domain.assembly import Assembly
from domain.charter import OutOfScope, check_in_scope
from domain.committee import Committee
from domain.errors import ConcurrentChange, GovernanceError
from domain.region import RegionalGovernment
from domain.values import FuzzyDate, Status, normalise_name
from near_gov.service import Governance

NAMES = ["Rasun City", "Toyama Prefecture", "Jeju Province", "Busan"]  # few: names collide and are reused
COUNTRIES = ["KP", "JP", "KR"]
DATES = ["1996-09", "1998-10", "2000-09", "2002-03", "2002-09", "2004-09", "2006-01", "2008-10", "2010-10"]
COMMITTEES = ["Sub-Committee on Tourism", "Sub-Committee on Culture"]


class Register(RuleBasedStateMachine):
    """One register in memory, driven command by command."""

    @initialize()
    def open(self) -> None:
        self.gov = Governance("memory", actor="clerk")
        self.applications: list[str] = []
        self.assemblies: list[str] = []
        self.refusals = 0

    def teardown(self) -> None:
        self.gov.close()

    def run(self, command: Any) -> Any:
        """Run one command; a refusal must write nothing and never claim a concurrent writer."""
        head = self.gov.recorder.max_notification_id() or 0
        try:
            return command()
        except ConcurrentChange:
            raise AssertionError("exit 3 with one writer: a refusal dressed as a concurrent change") from None
        except GovernanceError:
            self.refusals += 1
            assert (self.gov.recorder.max_notification_id() or 0) == head, "a refused command wrote events"
            return None

    # Regions.

    @rule(name=st.sampled_from(NAMES), country=st.sampled_from(COUNTRIES))
    def register(self, name: str, country: str) -> None:
        self.run(lambda: self.gov.register_region(name, country))

    @rule(name=st.sampled_from(NAMES), country=st.sampled_from(COUNTRIES), on=st.sampled_from(DATES[:4]))
    def member(self, name: str, country: str, on: str) -> None:
        """A region documented as a member (most commands need some)."""
        if self.run(lambda: self.gov.register_region(name, country)):
            self.run(lambda: self.gov.record_status(name, "member", on, "a founding document"))

    @rule(name=st.sampled_from(NAMES), status=st.sampled_from(["member", "observer"]), on=st.sampled_from(DATES))
    def record(self, name: str, status: str, on: str) -> None:
        self.run(lambda: self.gov.record_status(name, status, on, "a document"))

    @rule(name=st.sampled_from(NAMES), new=st.sampled_from(NAMES), on=st.sampled_from(DATES))
    def rename(self, name: str, new: str, on: str) -> None:
        self.run(lambda: self.gov.rename_region(name, new, on))

    @rule(name=st.sampled_from(NAMES), on=st.sampled_from(DATES), cite=st.booleans())
    def withdraw(self, name: str, on: str, cite: bool) -> None:
        decision = self._a_decision() if cite else None
        self.run(lambda: self.gov.withdraw_region(name, on, decision=decision, source=None if decision else "a letter"))

    @rule(data=st.data())
    def withdraw_a_coordinator(self, data: st.DataObject) -> None:
        """The hazard of a term that outlives its region's membership."""
        coordinators = sorted(self.gov.repository.get(c.coordinator.region_id).name
                              for c in self._aggregates(Committee) if c.coordinator is not None)
        if coordinators:
            name, on = data.draw(st.sampled_from(coordinators)), data.draw(st.sampled_from(DATES))
            self.run(lambda: self.gov.withdraw_region(name, on, source="a letter"))

    @rule(data=st.data())
    def take_a_freed_name(self, data: st.DataObject) -> None:
        """The hazard of a name a renamed region gave up, registered again."""
        freed = sorted((n, r.country) for r in self._aggregates(RegionalGovernment) for n in r.former_names)
        if freed:
            name, country = data.draw(st.sampled_from(freed))
            self.run(lambda: self.gov.register_region(name, country))

    # Applications and assemblies.

    @rule(name=st.sampled_from(NAMES), country=st.sampled_from(COUNTRIES), on=st.sampled_from(DATES))
    def submit(self, name: str, country: str, on: str) -> None:
        done = self.run(lambda: self.gov.submit_application(name, country, "member", on))
        if done:
            self.applications.append(done["reference"])
            self.run(lambda: self.gov.screen_application(done["reference"], eligible=True))

    @rule(data=st.data())
    def convene(self, data: st.DataObject) -> None:
        """The next General Assembly, on a date not before the last one's, hosted by a member."""
        hosts = sorted(r.name for r in self._aggregates(RegionalGovernment) if r.status == Status.MEMBER)
        last = self.gov.assembly(self.assemblies[-1]).on if self.assemblies else None
        dates = [d for d in DATES if last is None or FuzzyDate.parse(d) >= last]
        if not hosts or not dates:
            return
        host, on = data.draw(st.sampled_from(hosts)), data.draw(st.sampled_from(dates))
        number = len(self.assemblies) + 1
        if self.run(lambda: self.gov.convene("GA", number, host, on)):
            self.assemblies.append(f"GA-{number}")

    @precondition(lambda self: bool(self.assemblies))
    @rule(data=st.data())
    def schedule_and_decide(self, data: st.DataObject) -> None:
        if not self.applications or not self.assemblies:
            return
        ref, ident = data.draw(st.sampled_from(self.applications)), data.draw(st.sampled_from(self.assemblies))
        self.run(lambda: self.gov.schedule_application(ref, ident))
        kind = data.draw(st.sampled_from(["approve", "reject"]))
        params = {"application": ref, **({"reason": "not yet"} if kind == "reject" else {})}
        self.run(lambda: self.gov.decide(ident, kind, **params))

    @rule(data=st.data())
    def convene_out_of_turn(self, data: st.DataObject) -> None:
        """A General Assembly that skips a number is refused."""
        hosts = sorted(r.name for r in self._aggregates(RegionalGovernment) if r.status == Status.MEMBER)
        if hosts and self.assemblies:
            number = len(self.assemblies) + data.draw(st.integers(2, 4))
            assert self.run(lambda: self.gov.convene("GA", number, hosts[0], DATES[-1])) is None

    @precondition(lambda self: bool(self.assemblies))
    @rule(data=st.data(), countries=st.sampled_from(["CN,JP,KR,KP,MN,RU", "CN,JP,KR,RU", "JP,KR"]))
    def set_scope(self, data: st.DataObject, countries: str) -> None:
        if self.assemblies:
            ident = data.draw(st.sampled_from(self.assemblies))
            self.run(lambda: self.gov.decide(ident, "set-scope", countries=countries))

    @precondition(lambda self: bool(self.assemblies))
    @rule(data=st.data(), names=st.lists(st.sampled_from(NAMES), min_size=1, max_size=3))
    def attend(self, data: st.DataObject, names: list[str]) -> None:
        ident = data.draw(st.sampled_from(self.assemblies))
        self.run(lambda: self.gov.attend(ident, names))

    @precondition(lambda self: bool(self.assemblies))
    @rule(data=st.data())
    def close(self, data: st.DataObject) -> None:
        if self.assemblies:
            ident = data.draw(st.sampled_from(self.assemblies))
            self.run(lambda: self.gov.close_assembly(ident))

    # Sub-Committees.

    @precondition(lambda self: bool(self.assemblies))
    @rule(data=st.data(), name=st.sampled_from(COMMITTEES), coordinator=st.sampled_from(NAMES))
    def establish(self, data: st.DataObject, name: str, coordinator: str) -> None:
        if self.assemblies:
            ident = data.draw(st.sampled_from(self.assemblies))
            self.run(lambda: self.gov.decide(ident, "establish-committee", name=name, coordinator=coordinator))

    @rule(name=st.sampled_from(COMMITTEES), region=st.sampled_from(NAMES), on=st.sampled_from(DATES),
          cite=st.booleans())
    def elect(self, name: str, region: str, on: str, cite: bool) -> None:
        decision = self._a_decision() if cite else None
        self.run(lambda: self.gov.elect_coordinator(name, region, on, decision=decision))

    def _a_decision(self) -> str | None:
        for ident in reversed(self.assemblies):
            decisions = self.gov.assembly(ident).decisions
            if decisions:
                return decisions[-1].ref
        return None

    # The invariants, read from the log.

    def _events(self) -> list[Any]:
        return [self.gov.mapper.to_domain_event(n)
                for n in self.gov.recorder.select_notifications(start=1, limit=100_000)]

    def _aggregates(self, cls: type) -> list[Any]:
        ids = {e.originator_id for e in self._events() if type(e).__qualname__.startswith(cls.__name__ + ".")}
        return [self.gov.repository.get(i) for i in ids]

    @invariant()
    def no_effect_before_its_cause(self) -> None:
        if not hasattr(self, "gov"):
            return
        dates = {a.ref: a.on for a in self._aggregates(Assembly)}
        submitted = {}
        for event in self._events():
            name = type(event).__qualname__
            if name == "Application.Submitted":
                submitted[event.originator_id] = event.on
            cause, on = getattr(event, "cause", None), getattr(event, "on", None)
            if isinstance(cause, str) and "/D" in cause and on is not None:
                assert FuzzyDate.parse(str(on)) >= dates[cause.split("/")[0]], (name, cause, on)
            if name in ("Application.Approved", "Application.Rejected"):
                assert event.on >= submitted[event.originator_id], (name, event.on)

    @invariant()
    def no_two_regions_hold_one_name(self) -> None:
        if not hasattr(self, "gov"):
            return
        names = [normalise_name(r.name) for r in self._aggregates(RegionalGovernment)]
        assert len(names) == len(set(names)), names

    @invariant()
    def no_member_admitted_from_outside_the_scope_then_in_force(self) -> None:
        if not hasattr(self, "gov"):
            return
        charter = self.gov.charter()
        for event in self._events():
            if type(event).__qualname__ == "RegionalGovernment.Admitted":
                region = self.gov.repository.get(event.originator_id)
                try:
                    check_in_scope(charter, region.country, event.on)
                except OutOfScope as e:
                    raise AssertionError(f"{region.name} admitted out of scope: {e}") from None

    @invariant()
    def every_coordinator_a_member_in_office(self) -> None:
        if not hasattr(self, "gov"):
            return
        terms: dict[Any, tuple[Any, FuzzyDate]] = {}  # committee -> (region id, since) of its open term
        spans: list[tuple[Any, FuzzyDate, FuzzyDate | None]] = []
        for event in self._events():
            name = type(event).__qualname__
            if name in ("Committee.CoordinatorElected", "Committee.CoordinatorTermEnded", "Committee.Dissolved"):
                if event.originator_id in terms:
                    spans.append((*terms.pop(event.originator_id), event.on))
                if name == "Committee.CoordinatorElected":
                    terms[event.originator_id] = (event.region_id, event.on)
        spans += [(region_id, since, None) for region_id, since in terms.values()]
        for region_id, since, until in spans:
            region = self.gov.repository.get(region_id)
            assert region.status_on(since) == Status.MEMBER, (region.name, str(since))
            for period in region.timeline:
                inside = since.first < period.since.first and (until is None or period.since.first < until.first)
                assert not inside or period.status == Status.MEMBER, (region.name, str(since), str(until))
        for committee in self._aggregates(Committee):
            if committee.coordinator is not None and committee.dissolved is None:
                region = self.gov.repository.get(committee.coordinator.region_id)
                assert region.status != Status.WITHDRAWN, (committee.name, region.name)


    @invariant()
    def meetings_in_turn_with_hosts_and_attendees_in_standing(self) -> None:
        if not hasattr(self, "gov"):
            return
        meetings = sorted(self._aggregates(Assembly), key=lambda a: a.number)
        assert [a.number for a in meetings] == list(range(1, len(meetings) + 1)), [a.ref for a in meetings]
        assert all(not b.on < a.on for a, b in pairwise(meetings)), [(a.ref, str(a.on)) for a in meetings]
        regions: dict[str, list[Any]] = {}  # a name freed by a rename may be borne again
        for r in self._aggregates(RegionalGovernment):
            for name in (r.name, *r.former_names):
                regions.setdefault(name, []).append(r)
        for meeting in meetings:
            host = self.gov.repository.get(meeting.host_id)
            assert host.status_on(meeting.on) == Status.MEMBER, (meeting.ref, host.name)
            for name in meeting.attendance:
                assert any(r.status_on(meeting.on) in (Status.MEMBER, Status.OBSERVER) for r in regions[name]), \
                    (meeting.ref, name)


TestTimeRules = Register.TestCase
TestTimeRules.settings = settings(max_examples=150, stateful_step_count=50, deadline=None,
                                  suppress_health_check=[HealthCheck.too_slow])
