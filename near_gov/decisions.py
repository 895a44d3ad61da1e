"""Every kind of decision an assembly may take, declared once: its name, which body may
take it (from the process declarations where it is a step of one), its parameters, and
its handler. The service's `decide`, the command line's options and help, the loader's
decision records and replay all read these declarations; adding a kind is one
declaration here, its handler and its tests.

This module is cheap to import (no domain, no library): the command line builds its
options from it. Handlers are named by topic and imported when a decision is taken.

A decision's parameters are stored with it (`DecisionTaken.params`) as a versioned
payload: `version` is stored beside them when above 1, and `upcasters[v]` turns a
version v payload into version v + 1, so that replaying an old assembly calls today's
handler with parameters it accepts (tests/test_decisions.py round-trips every kind)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

#: The key a stored payload's version is kept under, when above 1.
VERSION_KEY = "v"

GA, WC = "General Assembly", "Working Committee"

#: The changes recorded directly that may cite a decision as their cause, as refusals name them.
ELECTION, WITHDRAWAL = "the election of a coordinator", "a withdrawal"
CHANGES = frozenset({ELECTION, WITHDRAWAL})


@dataclass(frozen=True)
class Param:
    """One parameter of a decision.

    `main`: given as the value of the decision's own option (`--approve REF`); otherwise
    an option of its own named after the parameter (`--reason TEXT`). `kind`: how the
    loader checks it in a records file (name, text or scope). `region`: it names a
    region, found in the country given with the decision (`--country`) if any."""

    name: str
    help: str
    metavar: str = "TEXT"
    main: bool = False
    required: bool = True
    kind: str = "text"
    region: bool = False


@dataclass(frozen=True)
class DecisionKind:
    name: str
    help: str
    params: tuple[Param, ...]
    handler: str  # "module:function", called as handler(deciding, **params)
    by: str | None = None  # the body that may take it, where it is not a process step; None: either
    step: tuple[str, str] | None = None  # (process, step) whose declared body takes it
    loadable: bool = False  # may appear in a records file (`near-gov load`)
    version: int = 1
    upcasters: Mapping[int, Callable[[dict[str, str]], dict[str, str]]] = field(default_factory=dict)
    #: The parameters to re-take a recorded decision with, from its stored payload and text.
    recall: Callable[[dict[str, str], str], dict[str, str]] | None = None
    #: The changes recorded later (`CHANGES`) that may cite a decision of this kind as
    #: their cause: an election may cite the Sub-Committee's establishment or an
    #: election decision; a resolution, whose text the register cannot read, any.
    causes: frozenset[str] = frozenset()
    #: What a decision of this kind does, as refusals say it: "only a General Assembly
    #: may amend the Charter", "GA-4/D1 is a decision to approve an application".
    doing: str = ""
    #: Not a decision: the record of a discussion, proposal, report or bid (`RECORDS`).
    record: bool = False

    @property
    def being(self) -> str:
        """What an item of this kind is, as refusals say it."""
        return f"the record of {self.doing.removeprefix('record ')}, not a decision" if self.record \
            else f"a decision to {self.doing}"

    @property
    def option(self) -> str:
        return self.name.replace("-", "_")

    @property
    def body(self) -> str | None:
        """The body that may take it: the process step's, else `by`."""
        if self.step is None:
            return self.by
        from domain.processes import PROCESSES  # noqa: PLC0415 (keeps this module cheap to import)

        process, name = self.step
        return str(PROCESSES[process].step(name).by)

    def names_region(self, params: Mapping[str, str]) -> bool:
        """Whether a decision of this kind with `params` names a region."""
        return any(p.region and p.name in params for p in self.params)

    def run(self, deciding: Any, params: Mapping[str, str]) -> Any:
        from domain.errors import InvalidInput  # noqa: PLC0415 (keeps this module cheap to import)

        names = {p.name for p in self.params}
        missing = [p.name for p in self.params if p.required and p.name not in params]
        if params.keys() - names or missing:
            wrong = ", ".join(sorted(params.keys() - names)) or f"no {', '.join(missing)}"
            raise InvalidInput(f"{self.name} takes {', '.join(sorted(names))}, not {wrong}")
        module, _, function = self.handler.partition(":")
        return getattr(import_module(module), function)(deciding, **params)

    def stored(self, params: Mapping[str, str]) -> dict[str, str]:
        """The payload stored with a decision: its parameters, and its version above 1."""
        return {**params, **({VERSION_KEY: str(self.version)} if self.version > 1 else {})}

    def recalled(self, payload: Mapping[str, str], text: str) -> dict[str, str]:
        """The parameters to re-take a recorded decision with, upcast to this version."""
        params = dict(payload)
        version = int(params.pop(VERSION_KEY, "1"))
        while version < self.version:
            params = self.upcasters[version](params)
            version += 1
        return self.recall(params, text) if self.recall else params


def _as_text(params: dict[str, str], text: str) -> dict[str, str]:
    return {"text": text}


def _record(nature: str, what: str) -> DecisionKind:
    """An item that is not a decision: the record of a discussion, proposal, report or
    bid, kept as text under the assembly's numbering; it has no effects and no change
    may cite it as its cause."""
    return DecisionKind(nature, f"Record {what} (not a decision: no effects), as text.",
                        (Param("text", "", main=True),), "near_gov.commands.assemblies:note",
                        loadable=True, recall=_as_text, doing=f"record {what}", record=True)


#: The kinds of item that are records, not decisions (`domain.assembly.RECORDS` names them).
RECORDS = (_record("discussion", "a discussion"), _record("proposal", "a proposal"),
           _record("report", "a report presented"), _record("bid", "a bid"))

_REASON = Param("reason", "Why")
_AMENDMENT = "AMD-REF"

KINDS: tuple[DecisionKind, ...] = (
    DecisionKind("approve", "Approve application REF (it becomes member or observer).",
                 (Param("application", "", "REF", main=True),),
                 "near_gov.commands.admission:approve", step=("admission", "approve"),
                 doing="approve an application"),
    DecisionKind("reject", "Reject application REF (with --reason).",
                 (Param("application", "", "REF", main=True), _REASON),
                 "near_gov.commands.admission:reject", step=("admission", "reject"),
                 doing="reject an application"),
    DecisionKind("establish-committee",
                 "Establish a Sub-Committee (optionally with --coordinator REGION and --purpose TEXT).",
                 (Param("name", "", "NAME", main=True, kind="name"),
                  Param("coordinator", "First coordinator", "REGION", required=False, kind="name", region=True),
                  Param("purpose", "Field and purpose", required=False)),
                 "near_gov.commands.committees:establish", by=GA, loadable=True, causes=frozenset({ELECTION}),
                 doing="establish a Sub-Committee"),
    DecisionKind("elect-coordinator", "Elect REGION coordinator of COMMITTEE.",
                 (Param("committee", "", "COMMITTEE", main=True, kind="name"),
                  Param("region", "", "REGION", main=True, kind="name", region=True)),
                 "near_gov.commands.committees:elect", by=GA, loadable=True, causes=frozenset({ELECTION}),
                 doing="elect a coordinator"),
    DecisionKind("amend-charter", "Amend a Charter article (with --text).",
                 (Param("article", "", "ARTICLE", main=True, kind="name"), Param("text", "The article's new text")),
                 "near_gov.commands.charter:amend", by=GA, loadable=True,
                 doing="amend the Charter"),
    DecisionKind("set-scope", "Amend the Charter's membership scope (eligible countries).",
                 (Param("countries", "", "CC,CC,...", main=True, kind="scope"),),
                 "near_gov.commands.charter:set_scope", by=GA, loadable=True,
                 doing="amend the Charter's membership scope"),
    DecisionKind("resolve", "Any other resolution, recorded as text.",
                 (Param("text", "", main=True),),
                 "near_gov.commands.assemblies:resolve", loadable=True, recall=_as_text, causes=CHANGES,
                 doing="adopt a resolution"),
    DecisionKind("dissolve-committee", "Dissolve a Sub-Committee.",
                 (Param("committee", "", "NAME", main=True, kind="name"),),
                 "near_gov.commands.committees:dissolve", by=GA, loadable=True,
                 doing="dissolve a Sub-Committee"),
    DecisionKind("review-amendment", "Review a proposed Charter amendment (Working Committee).",
                 (Param("amendment", "", _AMENDMENT, main=True),),
                 "near_gov.commands.charter:review_amendment", step=("charter-amendment", "review"),
                 doing="review a Charter amendment"),
    DecisionKind("adopt-amendment", "Adopt a reviewed Charter amendment.",
                 (Param("amendment", "", _AMENDMENT, main=True),),
                 "near_gov.commands.charter:adopt_amendment", step=("charter-amendment", "adopt"),
                 doing="adopt a Charter amendment"),
    DecisionKind("reject-amendment", "Reject a Charter amendment (with --reason).",
                 (Param("amendment", "", _AMENDMENT, main=True), _REASON),
                 "near_gov.commands.charter:reject_amendment", step=("charter-amendment", "reject"),
                 doing="reject a Charter amendment"),
    *RECORDS,
)

DECISIONS: dict[str, DecisionKind] = {kind.name: kind for kind in KINDS}


def causing(change: str) -> list[str]:
    """The kinds of decision that may cause `change`."""
    return [kind.name for kind in KINDS if change in kind.causes]

#: The parameters that name a region, as the command line gives them: what `--country` applies to.
REGION_PARAMS = ", ".join(f"--{k.name}'s " + (p.metavar if p.main else f"--{p.name}")
                          for k in KINDS for p in k.params if p.region)


def decision_kind(name: str) -> DecisionKind:
    from domain.errors import InvalidInput  # noqa: PLC0415 (keeps this module cheap to import)

    kind = DECISIONS.get(str(name))
    if kind is None:
        raise InvalidInput(f"unknown decision kind {name!r}")
    return kind
