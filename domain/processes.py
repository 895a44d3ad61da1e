"""Governance processes declared once, as data: states, steps, who takes each step.

An aggregate that runs a case asks its process whether a step is allowed in its
current state (`Process.check`) and where it leads; `next_steps` tells staff what may
happen next and who acts. Adding a process is a new declaration, not a new engine."""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import TransitionRefused
from domain.phrasing import body
from domain.values import Body


@dataclass(frozen=True)
class Step:
    """One allowed move: from any of `sources`, taken by `by`, to one of `targets`."""

    name: str
    sources: frozenset[str]
    targets: tuple[str, ...]
    by: Body


@dataclass(frozen=True)
class Process:
    """`subject_key`: the subject fields that name what a case is about, for the index of
    open cases (`domain.indexes.OpenCases`) that lets a fact recorded directly refuse
    while a case about it is open; `one_open`: at most one open case per subject;
    `one_open_per`: more subject fields, at most one open case per their values among
    the open cases about a subject (one nomination of a region for a Sub-Committee)."""

    name: str
    initial: str
    steps: tuple[Step, ...]
    subject_key: tuple[str, ...] = ()
    one_open: bool = False
    one_open_per: tuple[str, ...] = ()

    @property
    def states(self) -> frozenset[str]:
        found = {self.initial}
        for step in self.steps:
            found |= step.sources | set(step.targets)
        return frozenset(found)

    @property
    def final_states(self) -> frozenset[str]:
        return frozenset(s for s in self.states if not self.next_steps(s))

    def next_steps(self, state: str) -> list[Step]:
        return [s for s in self.steps if state in s.sources]

    def step(self, name: str) -> Step:
        """The declared step named `name` (KeyError if there is none)."""
        for step in self.steps:
            if step.name == name:
                return step
        raise KeyError(f"{self.name} has no step {name!r}")

    def check(self, case: str, state: str, step: str, target: str) -> Step:
        """Return the declared step, or refuse naming the state and what is allowed."""
        for candidate in self.next_steps(state):
            if candidate.name == step and target in candidate.targets:
                return candidate
        allowed = [f"{s.name} by {body(s.by)}" for s in self.next_steps(state)]
        raise TransitionRefused(case, state, step, allowed)


ADMISSION = Process(
    name="admission",
    initial="submitted",
    steps=(
        Step("screen", frozenset({"submitted"}), ("screened", "ineligible"), Body.SECRETARIAT),
        Step("schedule", frozenset({"screened", "scheduled"}), ("scheduled",), Body.SECRETARIAT),
        Step("approve", frozenset({"scheduled"}), ("approved",), Body.GENERAL_ASSEMBLY),
        Step("reject", frozenset({"scheduled"}), ("rejected",), Body.GENERAL_ASSEMBLY),
        Step(
            "withdraw",
            frozenset({"submitted", "screened", "scheduled"}),
            ("withdrawn",),
            Body.APPLICANT,
        ),
    ),
    subject_key=("region", "country"),
    one_open=True,
)

#: A Charter amendment: proposed to the Secretariat, reviewed by a Working Committee
#: meeting, adopted or rejected by a General Assembly. Adoption amends the Charter.
CHARTER_AMENDMENT = Process(
    name="charter-amendment",
    initial="proposed",
    steps=(
        Step("review", frozenset({"proposed"}), ("reviewed",), Body.WORKING_COMMITTEE),
        Step("adopt", frozenset({"reviewed"}), ("adopted",), Body.GENERAL_ASSEMBLY),
        Step("reject", frozenset({"proposed", "reviewed"}), ("rejected",), Body.GENERAL_ASSEMBLY),
        Step("withdraw", frozenset({"proposed", "reviewed"}), ("withdrawn",), Body.APPLICANT),
    ),
)

#: A coordinator election: a member region is nominated for a Sub-Committee and
#: elected by the Sub-Committee's members. Election makes it the coordinator.
COORDINATOR_ELECTION = Process(
    name="coordinator-election",
    initial="nominated",
    steps=(
        Step("elect", frozenset({"nominated"}), ("elected",), Body.SUB_COMMITTEE),
        Step("decline", frozenset({"nominated"}), ("declined",), Body.SUB_COMMITTEE),
        Step("withdraw", frozenset({"nominated"}), ("withdrawn",), Body.APPLICANT),
    ),
    subject_key=("committee",),
    one_open_per=("region", "country"),
)

#: A withdrawal: the region notifies the Secretariat, which records it as taking
#: effect on a date; the region may retract its notice before then.
WITHDRAWAL = Process(
    name="withdrawal",
    initial="notified",
    steps=(
        Step("confirm", frozenset({"notified"}), ("withdrawn",), Body.SECRETARIAT),
        Step("retract", frozenset({"notified"}), ("retracted",), Body.APPLICANT),
    ),
    subject_key=("region", "country"),
    one_open=True,
)

#: Every declared process by name; read models and `tasks` look steps up here.
PROCESSES = {p.name: p for p in (ADMISSION, CHARTER_AMENDMENT, COORDINATOR_ELECTION, WITHDRAWAL)}

#: The reference prefix of each process's cases (APP-2002-001, AMD-..., ELE-..., WDR-...).
PREFIXES = {
    "APP": ADMISSION,
    "AMD": CHARTER_AMENDMENT,
    "ELE": COORDINATOR_ELECTION,
    "WDR": WITHDRAWAL,
}
