"""A General Assembly session (GA-n) or a Working Committee meeting (WC-n)."""

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain import phrasing
from domain.errors import AssemblyRefused
from domain.fields import AssemblyId, Name, Text
from domain.ids import key_id
from domain.past import Past
from domain.values import Body, FuzzyDate

#: The bodies that meet as assemblies, by the prefix of their ids.
BODY_OF = {"GA": Body.GENERAL_ASSEMBLY, "WC": Body.WORKING_COMMITTEE}


@dataclass(frozen=True)
class Decision:
    ref: str
    kind: str
    text: str
    params: dict[str, str]


class Assembly(Aggregate):
    #: State kept as `Past`: the decisions taken, of which the rules read the count.
    past_state = frozenset({"decisions"})

    @staticmethod
    def create_id(ident: str) -> UUID:
        return key_id("assembly", ident)

    class Convened(Aggregate.Created):
        """Version 2 added `source`, the document that records the meeting."""

        class_version = 2
        ident: AssemblyId
        host_id: UUID
        host: Name
        on: FuzzyDate
        actor: str
        source: Text | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["source"] = None

    @event(Convened)
    def __init__(
        self, ident: AssemblyId, host_id: UUID, host: Name, on: FuzzyDate, actor: str,
        source: Text | None = None,
    ) -> None:
        self.ref = ident
        self.source = source
        self.body, number = ident.split("-")
        self.number = int(number)
        self.host_id = host_id
        self.host = host
        self.on = on
        self.closed_on: FuzzyDate | None = None
        self.attendance: list[str] = []
        self.decisions: Past[Decision] = Past()

    @property
    def is_general(self) -> bool:
        return self.body == "GA"

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None

    def check_is_open(self) -> None:
        if self.is_closed:
            raise AssemblyRefused(
                f"{self.ref} was closed on {self.closed_on}: its decisions are final; "
                "record a correction as a decision of a later assembly"
            )

    def check_may_take(self, kind: str, by: str | None, doing: str | None = None) -> None:
        """Refuse a decision of `kind` unless this assembly is open and of the body `by`
        that takes it (None: either body). `doing`: what the decision does, as the
        refusal says it ("amend the Charter"; default: the kind's name)."""
        self.check_is_open()
        if by is None or BODY_OF[self.body] == by:
            return
        doing = doing or kind.replace("-", " ")
        raise AssemblyRefused(
            f"{self.ref} is {phrasing.body(BODY_OF[self.body])}: only {phrasing.body(by)} may {doing}")

    def next_decision_ref(self) -> str:
        return f"{self.ref}/D{len(self.decisions) + 1}"

    def decide(self, kind: str, by: str | None, text: str, params: dict[str, str], actor: str,
               doing: str | None = None) -> str:
        """Record decision `kind`, which body `by` takes (None: either); return its reference."""
        self.check_may_take(kind, by, doing)
        ref = self.next_decision_ref()
        self._decided(ref=ref, kind=kind, text=text, params=params, actor=actor)
        return ref

    def attend(self, regions: list[str], actor: str) -> list[str]:
        self.check_is_open()
        new = [r for r in dict.fromkeys(regions) if r not in self.attendance]  # each region once
        if new:
            self._attended(regions=tuple(new), actor=actor)
        return new

    def close(self, on: FuzzyDate, actor: str) -> None:
        self.check_is_open()
        if on < self.on:
            raise AssemblyRefused(f"{self.ref} cannot close on {on}, before it opened on {self.on}")
        self._closed(on=on, actor=actor)

    @event("DecisionTaken")
    def _decided(self, ref: str, kind: str, text: Text, params: dict[str, str], actor: str) -> None:
        self.decisions.append(Decision(ref, kind, text, dict(params)))

    @event("Attended")
    def _attended(self, regions: tuple[str, ...], actor: str) -> None:
        self.attendance.extend(regions)

    @event("Closed")
    def _closed(self, on: FuzzyDate, actor: str) -> None:
        self.closed_on = on
