"""A unit of work: what one command loads, checks and saves, in one transaction.

A command opens a `Unit` on the register, looks up what it needs by natural key (each
aggregate loaded once: a second look-up returns the same working copy), lets the
aggregates check their rules and record events, then commits: every aggregate it
touched is saved together, those named first in that order, the rest in the order they
were loaded or added. Nothing is written if the command fails before its commit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.application import Application
from domain.assembly import Assembly
from domain.case import Case
from domain.charter import Charter
from domain.committee import Committee
from domain.errors import AmbiguousName, CaseOpen, DateRefused, GovernanceError, InvalidInput, NotFound
from domain.ids import key_id
from domain.indexes import FirstMeeting, OpenCases, ReferenceCounter, RegionName
from domain.processes import PREFIXES, Process
from domain.region import RegionalGovernment
from domain.values import FuzzyDate, application_ref, assembly_id, clean_name, country_code, decision_ref
from near_gov.clock import today
from near_gov.decisions import causing, decision_kind
from near_gov.persistence.register import Register
from projections.common import span

A = TypeVar("A", bound=Aggregate)


def effective(text: str | FuzzyDate, what: str = "date") -> FuzzyDate:
    """Parse an effective date and refuse one after the recorded time (now)."""
    day = FuzzyDate.parse(text)
    now = today()
    if day.first > now.first:
        raise DateRefused(f"{what} {day} is after today ({now}): a fact cannot take effect in the future")
    return day


class Unit:
    def __init__(self, register: Register):
        self.register = register
        self.actor = register.actor
        self._touched: dict[UUID, Aggregate] = {}
        #: Ids looked up and not found: a unit sees each aggregate as it first read it, an
        #: absent one as absent too, so a check and the write it guards read one state
        #: (an index another writer creates meanwhile makes the commit conflict).
        self._absent: set[UUID] = set()
        #: The store as this unit reads it (cached aggregates used while nothing is written).
        self._reading = register.reading()

    # Loading by id, once per unit.

    def get(self, cls: type[A], aggregate_id: UUID, what: str) -> A:
        found = self.find(cls, aggregate_id)
        if found is None:
            raise NotFound(what)
        return found

    def find(self, cls: type[A], aggregate_id: UUID) -> A | None:
        if aggregate_id in self._touched:
            touched = self._touched[aggregate_id]
            return touched if isinstance(touched, cls) else None
        if aggregate_id in self._absent:
            return None
        found = self.register.find(cls, aggregate_id, self._reading)
        if found is None:
            self._absent.add(aggregate_id)
        else:
            self._touched[aggregate_id] = found
        return found

    def add(self, aggregate: A) -> A:
        """A new aggregate, saved with the rest."""
        self._absent.discard(aggregate.id)
        self._touched[aggregate.id] = aggregate
        return aggregate

    def commit(self, *first: Aggregate) -> None:
        """Save every aggregate touched, `first` in that order, in one transaction; a
        case that this unit closed leaves the index of open cases with it."""
        for case in [a for a in self._touched.values()
                     if isinstance(a, (Case, Application)) and a.pending_events]:
            if case.state in case.process.final_states:
                index = self.open_cases(case.process, case.subject)
                if index is not None and case.reference in index.open:
                    index.remove(case.reference)
        rest = [a for a in self._touched.values() if all(a is not f for f in first)]
        self.register.commit(*first, *rest)

    # Look-ups by natural key.

    def region(self, name: str, country: str | None = None) -> RegionalGovernment:
        name = clean_name(name, "region name")
        index = self.find(RegionName, key_id("region-name", name))
        cc = None if country is None else country_code(country)
        regions = {} if index is None else {c: r for c, r in index.regions.items() if cc in (None, c)}
        if not regions and index is not None:  # a former name, as reads resolve it
            regions = {c: r for c, r in index.former.items() if cc in (None, c)}
        if not regions:
            where = f" in {country_code(country)}" if country else ""
            raise NotFound(
                f"no region named {name!r}{where}; register it with "
                "`near-gov region register NAME --country CC`"
            )
        if len(regions) > 1:
            raise AmbiguousName(f"{name!r} names regions in {', '.join(sorted(regions))}; give --country")
        (region_id,) = regions.values()
        return self.get(RegionalGovernment, region_id, f"no region named {name!r}")

    def region_index(self, name: str) -> RegionName:
        """The name index entry of `name`, new if no region has had it."""
        return self.find(RegionName, key_id("region-name", name)) or self.add(RegionName(name=name))

    def application(self, reference: str) -> Application:
        ref = application_ref(reference)
        return self.get(Application, key_id("application", ref),
                        f"no application {ref}; see `near-gov application list`")

    def assembly(self, ident: str) -> Assembly:
        ident = assembly_id(ident)
        found = self.find(Assembly, key_id("assembly", ident))
        if found is None:
            known = self._known_assemblies(ident)
            raise NotFound(f"no assembly {ident}; known: {span(known)} (see `near-gov assembly list`)")
        return found

    def _known_assemblies(self, asked: str) -> list[str]:
        """Assemblies are numbered from 1: probe each body's numbers up to a little
        beyond the one asked for (only on the error path, to say what exists)."""
        last = int(asked.split("-")[1]) + 20
        return [f"{body}-{n}" for body in ("GA", "WC") for n in range(1, last)
                if self.register.find(Assembly, key_id("assembly", f"{body}-{n}"))]

    def first_meeting(self, body: str) -> int:
        """The number of the first meeting of `body` the register holds, 0 if none."""
        first = self.find(FirstMeeting, FirstMeeting.create_id(body))
        if first is not None:
            return first.number
        return 1 if self.find(Assembly, key_id("assembly", f"{body}-1")) else 0

    def committee(self, name: str) -> Committee:
        name = clean_name(name, "committee name")
        return self.get(Committee, key_id("committee", name),
                        f"no committee named {name!r}; see `near-gov committee list`")

    def recorded_charter(self) -> Charter | None:
        """The Charter as recorded; None before any amendment (the default applies)."""
        return self.find(Charter, Charter.create_id())

    def charter(self) -> Charter:
        """The Charter to amend: a new record of it (the default) if none is recorded."""
        return self.recorded_charter() or self.add(Charter(actor=self.actor))

    def case(self, reference: str) -> Case:
        ref = str(reference).strip().upper()
        if ref.split("-", 1)[0] not in PREFIXES or ref.startswith("APP-"):
            raise InvalidInput(f"bad case reference {reference!r}: use AMD-, ELE- or WDR-YYYY-NNN")
        return self.get(Case, key_id("case", ref), f"no case {ref}; see `near-gov tasks`")

    def open_cases(self, process: Process, subject: Mapping[str, str]) -> OpenCases | None:
        """The index of `process`'s open cases about `subject`, if the process keeps one
        and a case about it was ever opened."""
        if not process.subject_key:
            return None
        key = tuple(subject[k] for k in process.subject_key)
        return self.find(OpenCases, OpenCases.create_id(process.name, key))

    def enter_open_case(self, process: Process, subject: Mapping[str, str], reference: str) -> None:
        """Enter a newly opened case in the index of its process's open cases about `subject`."""
        if process.subject_key:
            key = tuple(subject[k] for k in process.subject_key)
            index = self.open_cases(process, subject) or self.add(OpenCases(process=process.name, subject=key))
            index.add(reference)

    def check_no_open_case(self, process: Process, subjects: list[dict[str, str]], fact: str, then: str) -> None:
        """Refuse `fact` while a case of `process` about any of `subjects` is open."""
        for subject in subjects:
            index = self.open_cases(process, subject)
            if index is not None and index.open:
                refs = ", ".join(index.open)
                raise CaseOpen(f"{fact} is refused: {process.name} case {refs} is open; {then.format(refs=refs)}")

    def counter(self, prefix: str, year: int) -> ReferenceCounter:
        return self.find(ReferenceCounter, ReferenceCounter.create_id(prefix, year)) \
            or self.add(ReferenceCounter(prefix=prefix, year=year))

    def decision(self, ref: str, cited_on: FuzzyDate | None = None, change: str | None = None) -> str:
        """A recorded decision's reference, cited as the cause of `change` (one of
        `near_gov.decisions.CHANGES`) effective on `cited_on` (if given): NotFound naming
        the assembly's decisions, or refused if the decision is of a kind that does not
        cause such a change, or was taken after that date (an effect never precedes its
        cause)."""
        ref = decision_ref(ref)
        assembly = self.assembly(ref.split("/")[0])
        taken = next((d for d in assembly.decisions if d.ref == ref), None)
        if taken is None:
            known = ", ".join(d.ref for d in assembly.decisions) or "none"
            raise NotFound(f"no decision {ref}; {assembly.ref} has: {known}")
        if change is not None and change not in decision_kind(taken.kind).causes:
            raise GovernanceError(f"{ref} is {decision_kind(taken.kind).being}: it cannot cause "
                                  f"{change}; cite a decision of kind {' or '.join(causing(change))}")
        if cited_on is not None and cited_on < assembly.on:
            raise DateRefused(f"{ref}, taken by {assembly.ref} on {assembly.on}, cannot cause a change on {cited_on}")
        return ref
