"""A case of a declared governance process other than admission (which has its own
aggregate, `Application`): a Charter amendment, a coordinator election, a withdrawal.
The case only records steps its process allows; what a deciding step changes on the
register (the effects) is applied by the application service in the same transaction."""

from dataclasses import dataclass
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import DateRefused
from domain.fields import Text
from domain.ids import key_id
from domain.processes import PROCESSES, Process, Step
from domain.values import FuzzyDate


@dataclass(frozen=True)
class Taken:
    step: str
    state: str
    on: FuzzyDate
    cause: str | None
    note: str | None


class Case(Aggregate):
    @staticmethod
    def create_id(reference: str) -> UUID:
        return key_id("case", reference)

    @event("Opened")
    def __init__(
        self, reference: str, process: str, subject: dict[str, str], on: FuzzyDate,
        note: Text | None, actor: str,
    ) -> None:
        self.reference = reference
        self.process_name = process
        self.subject = dict(subject)
        self.opened = on
        self.state = PROCESSES[process].initial
        self.history: list[Taken] = [Taken("open", self.state, on, None, note)]

    @property
    def process(self) -> Process:
        return PROCESSES[self.process_name]

    @property
    def since(self) -> FuzzyDate:
        return self.history[-1].on

    def next_steps(self) -> list[Step]:
        return self.process.next_steps(self.state)

    def take(self, step: str, target: str, on: FuzzyDate, cause: str | None,
             note: str | None, actor: str) -> None:
        self.process.check(self.reference, self.state, step, target)
        last = self.history[-1]
        if on < last.on:
            raise DateRefused(f"{self.reference}: {step} on {on} would precede its last step, {last.step} on {last.on}")
        self._taken(step=step, state=target, on=on, cause=cause, note=note, actor=actor)

    @event("StepTaken")
    def _taken(self, step: str, state: str, on: FuzzyDate, cause: str | None,
               note: Text | None, actor: str) -> None:
        self.state = state
        self.history.append(Taken(step, state, on, cause, note))
