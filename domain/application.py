"""An application for admission, run by the declared admission process."""

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import AssemblyRefused, DateRefused
from domain.fields import ApplicationRef, AssemblyId, Country, DecisionRef, Name, Text
from domain.ids import key_id
from domain.processes import ADMISSION, Step
from domain.values import FuzzyDate, Status


class Application(Aggregate):
    process = ADMISSION

    @staticmethod
    def create_id(reference: str) -> UUID:
        return key_id("application", reference)

    @event("Submitted")
    def __init__(
        self,
        reference: ApplicationRef,
        region_id: UUID,
        region: Name,
        country: Country,
        kind: Status,
        on: FuzzyDate,
        actor: str,
    ) -> None:
        self.reference = reference
        self.region_id = region_id
        self.region = region
        self.country = country
        self.kind = kind
        self.on = on
        self.state = ADMISSION.initial
        self.assembly: str | None = None
        self.decision: str | None = None
        self.reason: str | None = None

    @property
    def subject(self) -> dict[str, str]:
        """What the case is about, as the other processes' cases name it."""
        return {"region": self.region, "country": self.country}

    def next_steps(self) -> list[Step]:
        return ADMISSION.next_steps(self.state)

    def _check(self, step: str, target: str) -> None:
        ADMISSION.check(self.reference, self.state, step, target)

    def screen(self, eligible: bool, reason: str | None, actor: str) -> None:
        self._check("screen", "screened" if eligible else "ineligible")
        self._screened(eligible=eligible, reason=reason, actor=actor)

    def schedule(self, assembly: str, assembly_on: FuzzyDate, actor: str) -> None:
        """Schedule for `assembly`, which opens on `assembly_on`: not before the
        application was submitted (an assembly cannot decide what did not exist yet)."""
        self._check("schedule", "scheduled")
        self._check_after_submission(assembly, assembly_on)
        self._scheduled(assembly=assembly, actor=actor)

    def _check_after_submission(self, assembly: str, on: FuzzyDate) -> None:
        if on < self.on:
            raise DateRefused(f"{assembly} on {on} cannot decide {self.reference}, submitted on {self.on}")

    def check_scheduled_for(self, assembly: str) -> None:
        if self.state == "scheduled" and self.assembly != assembly:
            raise AssemblyRefused(
                f"{self.reference} is scheduled for {self.assembly}, not {assembly}"
            )

    def approve(self, decision: str, on: FuzzyDate, actor: str) -> None:
        self._check("approve", "approved")
        self.check_scheduled_for(decision.split("/")[0])
        self._check_after_submission(decision.split("/")[0], on)
        self._approved(decision=decision, on=on, actor=actor)

    def reject(self, decision: str, on: FuzzyDate, reason: str, actor: str) -> None:
        self._check("reject", "rejected")
        self.check_scheduled_for(decision.split("/")[0])
        self._check_after_submission(decision.split("/")[0], on)
        self._rejected(decision=decision, on=on, reason=reason, actor=actor)

    def withdraw(self, reason: str, actor: str) -> None:
        self._check("withdraw", "withdrawn")
        self._withdrawn(reason=reason, actor=actor)

    @event("Screened")
    def _screened(self, eligible: bool, reason: Text | None, actor: str) -> None:
        self.state = "screened" if eligible else "ineligible"
        self.reason = reason

    @event("Scheduled")
    def _scheduled(self, assembly: AssemblyId, actor: str) -> None:
        self.state = "scheduled"
        self.assembly = assembly

    class Approved(Aggregate.Event):
        """Stored with `decision` (the name it had before the events' vocabulary was
        fixed); `cause` reads it by that vocabulary's name."""

        decision: DecisionRef
        on: FuzzyDate
        actor: str

        @property
        def cause(self) -> str:
            return self.decision

    @event(Approved)
    def _approved(self, decision: DecisionRef, on: FuzzyDate, actor: str) -> None:
        self.state = "approved"
        self.decision = decision

    class Rejected(Aggregate.Event):
        """Stored with `decision`, read as `cause` (see `Approved`)."""

        decision: DecisionRef
        on: FuzzyDate
        reason: Text
        actor: str

        @property
        def cause(self) -> str:
            return self.decision

    @event(Rejected)
    def _rejected(self, decision: DecisionRef, on: FuzzyDate, reason: Text, actor: str) -> None:
        self.state = "rejected"
        self.decision = decision
        self.reason = reason

    @event("Withdrawn")
    def _withdrawn(self, reason: Text, actor: str) -> None:
        self.state = "withdrawn"
        self.reason = reason
