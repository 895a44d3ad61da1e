"""`near-gov assembly replay ID`: re-run an assembly on a scratch copy of the register,
check that it yields exactly what the register recorded, and show the register as of
the assembly's date without and with its decisions.

Why it works this way:

- The proof reads "the register as it stood" in log order, not by effective dates: the
  scratch register (a memory store) receives a copy of every event recorded before
  the assembly's `Convened`, then the assembly is re-run command by command (convene,
  attend, each decision with its recorded kind and parameters, close), and events of
  other aggregates recorded while it was open (an application scheduled for it, say)
  are copied in at their place. The recorded decisions were checked against exactly
  that state; facts recorded later, even if effective earlier, did not exist for them.
  (Re-deciding on effective dates would answer another question, "would GA-4 pass
  on what we know now", and legitimately fail after any correction.)
- A decision's effects are the events committed with it. `Governance.decide` saves the
  assembly's `DecisionTaken` first and its effects after it in one transaction, and
  both stores give one transaction's events consecutive log positions (SQLite has one
  writer; PostgreSQL locks the table while inserting), so the recorded effects are
  the N events after `DecisionTaken`, N being what the replayed command committed.
  Events recorded later that cite the decision (`committee elect --decision`, a
  confirmed withdrawal) are listed as `cited_later`, not compared: the decision did
  not make them, a later command did.
- Events compare as facts: event type, subject and every field except the recording
  time and actor (ids of regions and committees are derived from their names, so the
  replay's equal the record's). The first difference raises `IntegrityFailure`.
- The views `before` and `after` answer another question, "what did the assembly
  change in the world", so they read by effective date from everything recorded up
  to the replay: `after` is the whole log, `before` the log without what the assembly
  made (its own events and those its commands committed, the facts recorded later
  citing its decisions, and every event of an aggregate one of those created), both
  read as of the assembly's date in scratch registers of their own. A fact recorded
  late but effective by that date is in both; one effective later is in neither;
  facts of that date from other causes are in both. Leaving events out leaves gaps
  in an aggregate's versions (a region the assembly admitted, renamed later), which
  the read models do not mind: they follow the log, not versions, and refer only to
  rows made by an aggregate's first event, which is left out with all the rest of its
  aggregate's events or not at all. Log order is kept, as the read models need it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from functools import cache
from itertools import zip_longest
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import ApplicationRecorder, Notification, StoredEvent
from pydantic import TypeAdapter

from domain.assembly import Assembly
from domain.charter import SCOPE_ARTICLE, Charter, Version
from domain.committee import Committee
from domain.errors import GovernanceError, IntegrityFailure
from domain.region import RegionalGovernment
from domain.values import FuzzyDate, item_of
from near_gov.decisions import decision_kind
from near_gov.service import Governance
from projections.engine import BOOKKEEPING
from projections.queries import ReadModels

A = TypeVar("A", bound=Aggregate)

PAGE = 1000
#: Fields that say when and by whom an event was recorded, not what happened.
_RECORDING = frozenset({"originator_id", "originator_version", "timestamp", "actor"})


# The log, and events compared as facts (the loader uses them too).

def read_log(app: Governance, start: int = 1) -> list[Notification]:
    return read_log_of(app.recorder, start)


def read_log_of(recorder: ApplicationRecorder, start: int = 1) -> list[Notification]:
    log: list[Notification] = []
    while page := recorder.select_notifications(start=start, limit=PAGE):
        log.extend(page)
        start = page[-1].id + 1
    return log


def copy_into(box: Governance, events: Sequence[StoredEvent]) -> None:
    """Copy stored events as they are (same ids, versions, bytes) into a scratch register."""
    if events:
        box.recorder.insert_events([StoredEvent(e.originator_id, e.originator_version, e.topic, e.state)
                                    for e in events])


@cache
def _adapter(cls: type) -> TypeAdapter[Any]:
    return TypeAdapter(cls)


def payload(app: Governance, stored: StoredEvent) -> dict[str, Any]:
    """What an event says happened, as JSON values (upcast to the current class)."""
    event = app.mapper.to_domain_event(stored)
    said: dict[str, Any] = _adapter(type(event)).dump_python(event, mode="json", exclude=set(_RECORDING))
    return said


def fact(app: Governance, stored: StoredEvent) -> tuple[str, str, str]:
    """An event as a hashable fact: its type, its subject's id and what it says."""
    return stored.topic, str(stored.originator_id), json.dumps(payload(app, stored), sort_keys=True)


# Describing events and state.

def _kind(stored: StoredEvent) -> str:
    return stored.topic.rsplit(":", 1)[-1]


def _uuid(originator_id: UUID | str) -> UUID:
    """The register's ids are UUIDs (the library types stored ids as UUID or str)."""
    return originator_id if isinstance(originator_id, UUID) else UUID(originator_id)


def _subject(app: Governance, originator_id: UUID | str) -> str:
    try:
        aggregate: Aggregate = app.repository.get(_uuid(originator_id))
    except AggregateNotFoundError:
        return str(originator_id)
    for attribute in ("name", "reference", "ref"):
        value = getattr(aggregate, attribute, None)
        if isinstance(value, str):
            return value
    return type(aggregate).__name__


def describe(app: Governance, stored: StoredEvent) -> dict[str, Any]:
    """An event in brief: its kind, subject, effective date and cause (the events'
    vocabulary, `domain`'s docs); None where the event has no such field."""
    event = app.mapper.to_domain_event(stored)
    on, cause = getattr(event, "on", None), getattr(event, "cause", None)
    return {"event": _kind(stored), "subject": _subject(app, stored.originator_id),
            "effective": None if on is None else str(on), "cause": cause}


def _period(region: RegionalGovernment | None) -> dict[str, Any]:
    if region is None or not region.timeline:
        return {"status": "none"}
    last = region.timeline[-1]
    return {"status": str(last.status), "since": str(last.since), "cause": last.cause, "source": last.source}


def _coordination(committee: Committee | None) -> dict[str, Any] | None:
    if committee is None:
        return None
    current = committee.coordinator
    return {"coordinator": current.region if current else None, "since": str(current.since) if current else None,
            "established": str(committee.established) if committee.established else None,
            "cause": committee.cause}


def _charter_changes(before: Charter | None, after: Charter) -> list[dict[str, Any]]:
    """Articles and scope that differ; before any Charter is recorded the default applies."""
    old, new = (before.current if before else Version(0, None, None)), after.current
    changes = [{"article": article, "before": old.articles.get(article), "after": text}
               for article, text in new.articles.items() if old.articles.get(article) != text]
    if old.scope != new.scope:
        changes.append({"article": SCOPE_ARTICLE, "before": ",".join(old.scope), "after": ",".join(new.scope)})
    return [{**c, "version": new.number, "on": str(new.on) if new.on else None, "cause": new.cause}
            for c in changes]


def _of(cls: type[A], aggregate: Aggregate | None) -> A | None:
    """An earlier version of an aggregate of `cls` (so of `cls` too), or None."""
    return aggregate if isinstance(aggregate, cls) else None


def _changes(box: Governance, committed: Sequence[Notification]) -> dict[str, list[dict[str, Any]]]:
    """Before and after of every roster entry, committee and Charter the events touched."""
    changes: dict[str, list[dict[str, Any]]] = {"roster": [], "committees": [], "charter": []}
    first_versions: dict[UUID, int] = {}
    for n in committed:
        first_versions.setdefault(_uuid(n.originator_id), n.originator_version)
    for originator_id, version in first_versions.items():
        after: Aggregate = box.repository.get(originator_id)
        before: Aggregate | None = box.repository.get(originator_id, version=version - 1) if version > 1 else None
        if isinstance(after, RegionalGovernment):
            changes["roster"].append({"name": after.name, "country": after.country,
                                      "before": _period(_of(RegionalGovernment, before)), "after": _period(after)})
        elif isinstance(after, Committee):
            changes["committees"].append({"name": after.name, "before": _coordination(_of(Committee, before)),
                                          "after": _coordination(after)})
        elif isinstance(after, Charter):
            changes["charter"].extend(_charter_changes(_of(Charter, before), after))
    return changes


def views(box: Governance, as_of: FuzzyDate) -> dict[str, Any]:
    """The register in brief, from read models caught up on the scratch register's log
    (in a private in-memory database, dropped after): roster counts by country and
    status, each committee's coordinator and the Charter in force, all on the date `as_of`."""
    reads = ReadModels(box.recorder, box.mapper)
    try:
        entries, charter = reads.roster(as_of=as_of)["entries"], reads.charter(as_of=as_of)
        committees = reads.committees(as_of=as_of)
    finally:
        reads.close()
    roster: dict[str, dict[str, int]] = {}
    for entry in entries:
        by_status = roster.setdefault(entry["country"], {})
        by_status[entry["status"]] = by_status.get(entry["status"], 0) + 1
    return {"as_of": str(as_of), "roster": roster,
            "committees": {c["name"]: c["coordinator"] for c in committees},
            "charter": {"version": charter["version"], "scope": charter["scope"], "articles": charter["articles"]}}


# The replay.

class _Replay:
    def __init__(self, gov: Governance, assembly: Assembly):
        self.gov, self.assembly, self.ident = gov, assembly, assembly.ref
        self.box = Governance("memory", actor=gov.actor)
        self.decisions: list[dict[str, Any]] = []
        self.changes: dict[str, list[dict[str, Any]]] = {"roster": [], "committees": [], "charter": []}
        #: Log indices of the events the assembly's commands committed.
        self.windows: set[int] = set()
        #: Log indices of the events recorded later that cite its decisions.
        self.cited: set[int] = set()

    def rerun(self, event: Any) -> tuple[str, list[Notification]]:
        """Run the command that recorded `event` on the scratch register; return a label
        for messages and the events that command committed."""
        box, ident, name = self.box, self.ident, type(event).__name__
        head = box.recorder.max_notification_id() or 0
        command: Callable[[], object]
        if name == "Convened":
            body, number = ident.split("-")
            label, command = ident, lambda: box.convene(body, number, event.host, str(event.on), event.source)
        elif name == "DecisionTaken":
            params = decision_kind(event.kind).recalled(event.params, event.text)
            label, command = event.ref, lambda: box.decide(ident, event.kind, **params)
        elif name == "Attended":
            label, command = f"{ident} attendance", lambda: box.attend(ident, list(event.regions))
        elif name == "Closed":
            label, command = f"{ident} closing", lambda: box.close_assembly(ident, str(event.on))
        else:
            raise GovernanceError(f"{ident}: replay does not know how to re-run its event {name}")
        try:
            command()
        except GovernanceError as e:
            raise IntegrityFailure(f"{label}: the register refuses it on replay: {e}") from e
        committed = read_log(box, start=head + 1)
        if committed[0].originator_id != self.assembly.id:
            raise RuntimeError(f"{label}: Governance no longer saves the assembly's event first")
        return label, committed

    def compare(self, label: str, recorded: Sequence[Notification], replayed: Sequence[Notification]) -> None:
        """Raise at the first recorded event that is not the replayed one."""
        what = "effect" if "/D" in label else "event"
        for rec, rep in zip_longest(recorded, replayed):
            if rec is None:
                raise IntegrityFailure(f"{label}: the replay makes {self._name(self.box, rep)}, which is not recorded")
            if rep is None or (rec.topic, rec.originator_id) != (rep.topic, rep.originator_id):
                raise IntegrityFailure(f"{label}: recorded {what} {self._name(self.gov, rec)} differs from replay "
                                       + (self._name(self.box, rep) if rep else "(the replay makes no more)"))
            said, redone = payload(self.gov, rec), payload(self.box, rep)
            if said != redone:
                field = next(k for k in sorted(said.keys() | redone.keys()) if said.get(k) != redone.get(k))
                raise IntegrityFailure(
                    f"{label}: recorded {what} {self._name(self.gov, rec)} differs from replay: "
                    f"{field} {said.get(field)!r} recorded, {redone.get(field)!r} replayed")

    @staticmethod
    def _name(app: Governance, stored: StoredEvent) -> str:
        return f"{_kind(stored)} of {_subject(app, stored.originator_id)}"

    def run(self, log: list[Notification]) -> dict[str, Any]:
        positions = [i for i, n in enumerate(log) if n.originator_id == self.assembly.id]
        first, end = positions[0], positions[-1] + 1
        copy_into(self.box, log[:first])
        i = first
        while i < end:
            if log[i].originator_id != self.assembly.id:
                j = next((k for k in range(i, end) if log[k].originator_id == self.assembly.id), end)
                copy_into(self.box, log[i:j])
                i = j
                continue
            event = self.gov.mapper.to_domain_event(log[i])
            label, committed = self.rerun(event)
            recorded = log[i:i + len(committed)]
            self.compare(label, recorded, committed)
            self.windows.update(range(i, i + len(committed)))
            if type(event).__name__ == "DecisionTaken":
                self._record_decision(event, committed[1:])
            i += len(committed)
            end = max(end, i)
        self._cite_later(log)
        made = self._made(log)
        return {"assembly": self.ident, "host": self.assembly.host, "on": str(self.assembly.on),
                "decisions": self.decisions, "changes": self.changes,
                "before": self._view([n for i, n in enumerate(log) if i not in made]),
                "after": self._view(log), "matches": True}

    def _made(self, log: list[Notification]) -> set[int]:
        """Log indices of what the assembly made: the events its commands committed, the
        later ones citing its decisions, and every event of an aggregate one of those
        created (what rests on it cannot have been so before the assembly)."""
        made = self.windows | self.cited
        created = {_uuid(log[i].originator_id) for i in made if log[i].originator_version == 1}
        return made | {i for i, n in enumerate(log) if _uuid(n.originator_id) in created}

    def _view(self, events: Sequence[Notification]) -> dict[str, Any]:
        """The register of `events` (in log order) as of the assembly's date."""
        register = Governance("memory", actor=self.gov.actor)
        try:
            copy_into(register, events)
            return views(register, self.assembly.on)
        finally:
            register.close()

    def _record_decision(self, event: Any, committed: Sequence[Notification]) -> None:
        """A decision with its effects: the facts it made (the index entries committed
        with them are compared, not listed: they are bookkeeping)."""
        effects = [n for n in committed if not n.topic.startswith(BOOKKEEPING)]
        self.decisions.append({"ref": event.ref, "kind": event.kind, "item": item_of(event.kind), "text": event.text,
                               "effects": [describe(self.box, n) for n in effects], "cited_later": []})
        for key, entries in _changes(self.box, effects).items():
            self.changes[key].extend(entries)

    def _cite_later(self, log: list[Notification]) -> None:
        by_ref = {d["ref"]: d for d in self.decisions}
        needles = [ref.encode() for ref in by_ref]
        plain = not (self.gov.mapper.cipher or self.gov.mapper.compressor)
        for i, n in enumerate(log):
            if i in self.windows or (plain and not any(x in n.state for x in needles)):
                continue
            said = describe(self.gov, n)
            if said["cause"] in by_ref:
                by_ref[said["cause"]]["cited_later"].append(said)
                self.cited.add(i)


def replay(gov: Governance, ident: str) -> dict[str, Any]:
    """Re-run assembly `ident` on the register as it stood before it; raise
    IntegrityFailure at the first recorded event the replay does not reproduce.
    Its `before` and `after` are the register as of its date without and with what it made."""
    assembly = gov.assembly(ident)
    return _Replay(gov, assembly).run(read_log(gov))
