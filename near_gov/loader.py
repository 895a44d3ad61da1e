"""`near-gov load FILE`: apply a file of governance records (format `near-gov/1`).

Why it works this way:

- Records go through the same `Governance` commands a user runs, so a loaded register
  obeys every rule and holds the same events as one typed in by hand.
- All or nothing, in two passes. The file is first checked on its own (YAML, then each
  record's fields against a pydantic model: countries, dates, names), then rehearsed
  record by record on a scratch register in memory that reads through to the target:
  the first time a command loads an aggregate, its events are copied from the target,
  so the rules see the target's real state (loading into a non-empty store works) at
  the cost of the aggregates the file touches, not of the whole log. Only when every
  record passed are the events the rehearsal produced saved to the target in ONE
  `save`, one transaction: the very events the commands produced, with the loading
  user as actor, with the snapshots the commands would have taken (the one policy,
  `persistence.snapshots`). If the target changed meanwhile, nothing is written and the
  load may be retried (exit 3).
- Loading is incremental: the file is first rehearsed alone, on an empty register, and
  each record's events are compared as facts (without recording time and actor) with
  what the target holds. A record whose every event the target holds is already held
  and skipped; the others are rehearsed over the target as above. So loading a file a
  second time writes nothing, and a file grown by new records applies only those; a
  record that conflicts with what the register holds (a region registered there under
  another country, say) is refused at its line by the rehearsal over the target, and
  nothing is written. (A file that builds on records outside it, say a later year's
  file, cannot be rehearsed alone: every record of it is then rehearsed over the target.)
- Every error names the file, the record (1-based, in file order) and its line; field
  errors point at the field's line. Bad files raise `InvalidInput` (exit 2); a rule the
  register enforces keeps its own error class (exit 1) with the location prefixed.
"""

from __future__ import annotations

import copy
import os
from collections import Counter
from collections.abc import Callable, Sequence
from typing import IO, Any
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import ApplicationRecorder, IntegrityError, Notification, StoredEvent
from eventsourcing.popo import POPOApplicationRecorder

from domain.errors import ConcurrentChange, GovernanceError
from near_gov.persistence import snapshots
from near_gov.records import FORMAT, _Context, _Located, read_records
from near_gov.replay import fact, read_log, read_log_of
from near_gov.service import Governance

__all__ = ["FORMAT", "load", "read_records"]

Progress = Callable[[int, int], None]


class _ReadThrough(POPOApplicationRecorder):
    """A memory recorder that copies an aggregate's events from `source` the first time
    they are read, and tells copied events from those written here."""

    def __init__(self, source: ApplicationRecorder | None):
        super().__init__()
        self.source = source
        self.fetched: set[str] = set()
        self.copied: set[tuple[str, int]] = set()

    def select_events(self, originator_id: UUID | str, **kwargs: Any) -> Sequence[StoredEvent]:
        if self.source is not None and str(originator_id) not in self.fetched:
            self.fetched.add(str(originator_id))
            events = self.source.select_events(originator_id)
            self._insert_events(events)
            self.copied.update((str(e.originator_id), e.originator_version) for e in events)
        return super().select_events(originator_id, **kwargs)

    def written(self) -> list[Notification]:
        return [n for n in read_log_of(self) if (str(n.originator_id), n.originator_version) not in self.copied]


class _Rehearsal(Governance):
    """A scratch register in memory over `target` (or over nothing)."""

    recorder: _ReadThrough  # made by construct_recorder

    def __init__(self, actor: str, target: Governance | None):
        self._source = target.recorder if target else None
        super().__init__("memory", actor=actor)

    def construct_recorder(self) -> _ReadThrough:
        return _ReadThrough(self._source)


def _rehearse(gov: Governance, over: Governance | None, file: str, records: list[_Located],
              progress: Progress | None, done: Callable[[int, int], None] | None = None) -> _Rehearsal:
    """Apply every record to a scratch register over `over`; return it. `done(i, head)`
    after the i-th record (0-based), with the scratch register's head then."""
    box = _Rehearsal(gov.actor, over)
    context = _Context([r.record for r in records])
    for i, located in enumerate(records):
        for loc, command in located.record.steps(context):
            try:
                command(box)
            except GovernanceError as e:
                raise _at(e, located.where(file, loc)) from e
        if done:
            done(i, box.recorder.max_notification_id() or 0)
        if progress:
            progress(i + 1, len(records))
    return box


def _at(error: GovernanceError, where: str) -> GovernanceError:
    """The same error (class and exit code), its message prefixed with the record's place."""
    located = copy.copy(error)
    located.args = (f"{where}: {error}",)
    return located


def _held(gov: Governance, file: str, records: list[_Located]) -> set[int]:
    """The records (by index) whose every event, made on an empty register, `gov` holds
    already: none if the file cannot be rehearsed alone."""
    heads: list[int] = []
    try:
        alone = _rehearse(gov, None, file, records, None, done=lambda i, head: heads.append(head))
    except GovernanceError:
        return set()
    log = read_log(alone)
    held: Counter[tuple[str, str, str]] = Counter()
    for originator_id in {n.originator_id for n in log}:
        held.update(fact(gov, e) for e in gov.recorder.select_events(originator_id))
    found, start = set(), 0
    for i, head in enumerate(heads):
        made = Counter(fact(alone, n) for n in log[start:head])
        if not made - held:
            held -= made
            found.add(i)
        start = head
    return found


def load(gov: Governance, source: str | os.PathLike[str] | IO[str],
         progress: Progress | None = None) -> dict[str, int]:
    """Check the whole file, rehearse the records the register does not hold yet, then
    write all their events at once."""
    file, records = read_records(source)
    head = gov.recorder.max_notification_id()
    held = _held(gov, file, records) if head is not None else set()
    new = [r for i, r in enumerate(records) if i not in held]
    box = _rehearse(gov, gov, file, new, progress)
    events = [box.mapper.to_domain_event(n) for n in box.recorder.written()]
    if gov.recorder.max_notification_id() != head:
        raise ConcurrentChange()
    touched: dict[UUID, Aggregate] = {e.originator_id: box.repository.get(e.originator_id) for e in events}
    try:
        if events:
            gov.put(events, snapshots.due(touched, events))
    except IntegrityError:
        raise ConcurrentChange() from None
    return {"records": len(records), "held": len(held), "events": len(events)}
