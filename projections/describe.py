"""What the history says about each kind of event: its subject, effective date and
summary, and the region and assembly it concerns (a `Note`). Told here once per event
type, whichever read models handle the event (`projections.registry`).

The engine asks for the note before the read models apply the event, so a describer
reads the register as the event found it: the name a region is renamed from, the
Charter version an amendment follows, the period a record corrects. It only reads;
what it reads is kept in the batch and is what the handlers then change. An event a
read model handles but no describer knows still has its place in the history, told by
its reference or name; one neither knows stops the read models (`projections.engine`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from domain.phrasing import counted
from domain.values import BODIES, Status
from projections import cases, charter, counts, membership
from projections.batch import Batch
from projections.cases import MOVES, Move
from projections.common import Day, Note, dates, key
from projections.registry import add
from projections.schema import ASSEMBLIES, CASES, COMMITTEES, REGIONS

#: `describer(batch, event) -> Note`.
Describer = Callable[[Batch, Any], Note]

#: Describers by event topic (`module:Class.Event`).
DESCRIBE: dict[str, Describer] = {}


def describes(*topics: str) -> Callable[[Describer], Describer]:
    """Decorator: the function describes events of `topics`; a topic described twice is refused."""
    def register(describer: Describer) -> Describer:
        for topic in topics:
            add(DESCRIBE, topic, describer, "the history")
        return describer
    return register


def describer(topic: str) -> Describer:
    return DESCRIBE.get(topic, other)


def other(b: Batch, e: Any) -> Note:
    """An event no describer knows yet: it still appears in the history."""
    return Note(getattr(e, "reference", None) or getattr(e, "name", None))


# Regions.


@describes("domain.region:RegionalGovernment.Registered")
def registered(b: Batch, e: Any) -> Note:
    rid = key(e.originator_id)
    return Note(e.name, None, f"registered ({e.country})", rid, names=((rid, e.name),))


@describes("domain.region:RegionalGovernment.Renamed")
def renamed(b: Batch, e: Any) -> Note:
    """A rename states names themselves (the one taken, the one left): they stay as written."""
    rid = key(e.originator_id)
    return Note(e.name, e.on, f"renamed from {b.must(REGIONS, rid)['name']}", rid)


@describes("domain.region:RegionalGovernment.Admitted")
def admitted(b: Batch, e: Any) -> Note:
    return _status(b, e, str(e.status), e.since, correcting=False)


@describes("domain.region:RegionalGovernment.StatusRecorded")
def status_recorded(b: Batch, e: Any) -> Note:
    return _status(b, e, str(e.status), e.since, correcting=True)


@describes("domain.region:RegionalGovernment.Withdrawn")
def withdrawn(b: Batch, e: Any) -> Note:
    return _status(b, e, str(Status.WITHDRAWN), e.on, correcting=False)


def _status(b: Batch, e: Any, status: str, since: Day, correcting: bool) -> Note:
    rid = key(e.originator_id)
    region = b.must(REGIONS, rid)
    summary = f"{status} since {dates(since)[0]}"
    old = membership.corrected(b, rid, status) if correcting else None
    if old is not None:
        summary += f" (corrects {old['since']})"
    return Note(region["name"], since, summary, rid, names=((rid, region["name"]),))


# Assemblies.


@describes("domain.assembly:Assembly.Convened")
def convened(b: Batch, e: Any) -> Note:
    body = e.ident.split("-")[0]
    host = key(e.host_id)
    return Note(e.ident, e.on, f"{BODIES[body]} convened, hosted by {e.host}", host, e.ident, ((host, e.host),))


@describes("domain.assembly:Assembly.DecisionTaken")
def decision_taken(b: Batch, e: Any) -> Note:
    row = b.must(ASSEMBLIES, key(e.originator_id))
    return Note(e.ref, row["opened"], f"{e.kind}: {e.text}", None, row["ident"])


@describes("domain.assembly:Assembly.Attended")
def attended(b: Batch, e: Any) -> Note:
    row = b.must(ASSEMBLIES, key(e.originator_id))
    names = tuple((rid, name) for name in e.regions if (rid := membership.region_named(b, name)))
    return Note(row["ident"], row["opened"], "attended by " + ", ".join(e.regions), None, row["ident"], names)


@describes("domain.assembly:Assembly.Closed")
def closed(b: Batch, e: Any) -> Note:
    row = b.must(ASSEMBLIES, key(e.originator_id))
    return Note(row["ident"], e.on, "closed", None, row["ident"])


# Committees.


@describes("domain.committee:Committee.Established")
def established(b: Batch, e: Any) -> Note:
    return Note(e.name, e.on, "established")


@describes("domain.committee:Committee.CoordinatorElected")
def coordinator_elected(b: Batch, e: Any) -> Note:
    row = b.must(COMMITTEES, key(e.originator_id))
    rid = key(e.region_id)
    return Note(row["name"], e.on, f"coordinator: {e.region}", rid, names=((rid, e.region),))


@describes("domain.committee:Committee.CoordinatorTermEnded")
def coordinator_term_ended(b: Batch, e: Any) -> Note:
    row = b.must(COMMITTEES, key(e.originator_id))
    rid = key(e.region_id)
    return Note(row["name"], e.on, f"coordinator's term ended: {e.region}", rid, names=((rid, e.region),))


@describes("domain.committee:Committee.Dissolved")
def dissolved(b: Batch, e: Any) -> Note:
    return Note(b.must(COMMITTEES, key(e.originator_id))["name"], e.on, "dissolved")


# The Charter.


@describes("domain.charter:Charter.Recorded")
def charter_recorded(b: Batch, e: Any) -> Note:
    return Note("Charter", None, "recorded")


@describes("domain.charter:Charter.ArticleAmended")
def article_amended(b: Batch, e: Any) -> Note:
    number = charter.current(b)["number"] + 1
    return Note("Charter", e.on, f"version {number}: article {e.article} amended")


@describes("domain.charter:Charter.ScopeSet")
def scope_set(b: Batch, e: Any) -> Note:
    number = charter.current(b)["number"] + 1
    return Note("Charter", e.on, f"version {number}: membership scope {', '.join(e.countries)}")


# Cases.


@describes("domain.application:Application.Submitted")
def submitted(b: Batch, e: Any) -> Note:
    summary = f"application of {e.region} ({e.country}) as {e.kind}"
    rid = key(e.region_id)
    return Note(e.reference, dates(e.on)[0], summary, rid, names=((rid, e.region),))


@describes("domain.case:Case.Opened")
def opened(b: Batch, e: Any) -> Note:
    subject = dict(e.subject)
    rid = cases.subject_region_id(b, subject)
    names = ((rid, subject["region"]),) if rid else ()
    return Note(e.reference, e.on, f"{e.process}: {cases.about(subject)}", rid, names=names)


def _taking(move: Callable[[Any], Move]) -> Describer:
    """The describer of an event that records the step `move` reads from it."""
    def step_taken(b: Batch, e: Any) -> Note:
        step, state, on, _, note, assembly = move(e)
        row = b.must(CASES, key(e.originator_id))
        summary = f"{step}: {state}" + (f" ({note})" if note else "")
        return Note(row["reference"], on, summary, row["region_id"], assembly)
    return step_taken


for _topic, _move in MOVES.items():
    describes(_topic)(_taking(_move))


# Events only the history shows.


@describes("domain.secretariat:Secretariat.Opened")
def secretariat_opened(b: Batch, e: Any) -> Note:
    return Note("Secretariat", e.on, f"opened in {e.seat}")


@describes("domain.count:StatedCount.Recorded")
def count_recorded(b: Batch, e: Any) -> Note:
    return _count(e, str(e.status), e.on, "")


@describes("domain.count:StatedCount.Corrected")
def count_corrected(b: Batch, e: Any) -> Note:
    row = counts.current(b, key(e.originator_id))
    return _count(e, row["status"], counts.since(row), "corrected: ")


def _count(e: Any, status: str, on: Day, corrected: str) -> Note:
    """A count has no subject of its own: the history says what it counts."""
    unstated = "" if e.countries else ", countries not stated"
    return Note(f"count of {status}s", on, f"{corrected}{counted(e.count, status, e.countries)}{unstated}")


@describes("domain.seal:Seal.Sealed")
def sealed(b: Batch, e: Any) -> Note:
    signed = f", signed by key {e.key_id}" if getattr(e, "key_id", None) else ""
    return Note("hash chain", None, f"sealed the first {e.position} events: head {e.head}{signed}")
