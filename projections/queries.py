"""The read side in one object: every query catches up first (only the events after
the tracking position), then answers from the tables in one consistent snapshot.
Answers are plain data in the JSON shapes of DESIGN.md, dates at their precision.

A query imports the read models it reads when it runs (membership, which most read,
at once): a command runs one query, and need not load the others."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from domain.errors import InvalidInput
from domain.values import FuzzyDate, assembly_id, country_code
from projections import counts, membership
from projections.common import fuzzy, known_at_stamp, not_found, today_date

if TYPE_CHECKING:
    from eventsourcing.persistence import ApplicationRecorder, Mapper

    from projections.db import Cursor
    from projections.engine import Progress, Projector

T = TypeVar("T")
Day = str | date | FuzzyDate | None


class ReadModels:
    def __init__(self, recorder: ApplicationRecorder, mapper: Mapper[Any], read_only: bool = False) -> None:
        from projections.engine import Projector  # noqa: PLC0415 - it loads the library: not for a query at the head

        self.projector: Projector = Projector(recorder, mapper, read_only=read_only)

    def _answer(self, query: Callable[[Cursor], T]) -> T:
        """Catch up, then answer; read models that an unreadable event stops refuse to
        answer (UnreadableEvent, exit 4) rather than leave out what the log records."""
        self.projector.catch_up()
        with self.projector.db.read() as c:
            return query(c)

    # Maintenance.

    def catch_up(self) -> int:
        """Apply the events recorded since the last read; return how many."""
        return self.projector.catch_up()

    def status(self) -> list[dict[str, Any]]:
        """Tracking position against the log's head (without catching up)."""
        return self.projector.status()

    def rebuild(self, progress: Progress | None = None) -> int:
        """Refill from the whole log into new tables, then swap them in; `progress(position,
        head)` after each batch. Raises UnreadableEvent (exit 4) at an event that cannot be read."""
        return self.projector.rebuild(progress)

    def close(self) -> None:
        self.projector.close()

    # Membership.

    def roster(self, as_of: Day = None, known_at: str | datetime | None = None,
               country: str | None = None, status: str | None = None) -> dict[str, Any]:
        day, moment = today_date(as_of), known_at_stamp(known_at)
        return self._answer(lambda c: membership.roster(c, day, moment, country, status))

    def counts(self, as_of: Day = None, known_at: str | datetime | None = None,
               country: str | None = None, status: str | None = None) -> list[dict[str, Any]]:
        """The counts the record states without naming every region, in force on `as_of`
        (`projections.counts`)."""
        day, moment = today_date(as_of), known_at_stamp(known_at)
        return self._answer(lambda c: counts.counts_on(c, day, moment, country, status))

    def audit_membership(self, name: str, country: str | None = None,
                         known_at: str | datetime | None = None) -> dict[str, Any]:
        moment = known_at_stamp(known_at)
        return self._answer(lambda c: membership.audit(c, name, country, moment))

    def regions(self) -> list[dict[str, Any]]:
        return self._answer(membership.regions)

    def region(self, name: str, country: str | None = None) -> dict[str, Any]:
        return self._answer(lambda c: membership.region(c, name, country))

    # History.

    def history(self, region: str | None = None, assembly: str | None = None, since: Day = None,
                until: Day = None, limit: int | None = None, offset: int = 0,
                country: str | None = None) -> list[dict[str, Any]]:
        """`country`: that of `region`, where its name has been held in two countries."""
        from projections import assemblies, history  # noqa: PLC0415 - a query loads only its read models

        first, last = fuzzy(since), fuzzy(until)
        if first is not None and last is not None and last.last < first.first:
            raise InvalidInput(f"--since {first} is after --until {last}: no event is in that period; "
                               "give the earlier date to --since")
        ident = assembly_id(assembly) if assembly else None
        cc = country_code(country) if country else None

        def query(c: Cursor) -> list[dict[str, Any]]:
            region_id = membership.find_region(c, region, cc)["id"] if region else None
            if ident and c.run("SELECT 1 AS found FROM read_assemblies WHERE ident = ?", (ident,)).one() is None:
                known = [a["id"] for a in assemblies.assemblies(c)]
                raise not_found("assembly", ident, known, "see `near-gov assembly list`")
            return history.history(c, region_id, ident, first, last, limit, offset)

        return self._answer(query)

    # Cases.

    def applications(self, status: str | None = None) -> list[dict[str, Any]]:
        from domain.processes import ADMISSION  # noqa: PLC0415 - a query loads only its read models
        from projections import cases  # noqa: PLC0415 - a query loads only its read models

        if status:
            cases.declared_state(ADMISSION.name, status)  # before any work
        return self._answer(lambda c: cases.applications(c, status))

    def application(self, ref: str) -> dict[str, Any]:
        from projections import cases  # noqa: PLC0415 - a query loads only its read models

        return self._answer(lambda c: cases.application(c, ref))

    def cases(self, process: str | None = None, state: str | None = None) -> list[dict[str, Any]]:
        from projections import cases  # noqa: PLC0415 - a query loads only its read models

        if state:
            cases.declared_state(process, state)  # before any work
        return self._answer(lambda c: cases.cases(c, process, state))

    def case(self, ref: str) -> dict[str, Any]:
        from projections import cases  # noqa: PLC0415 - a query loads only its read models

        return self._answer(lambda c: cases.case(c, ref))

    def tasks(self, today: Day = None) -> list[dict[str, Any]]:
        from projections import tasks  # noqa: PLC0415 - a query loads only its read models

        day = today_date(today)
        return self._answer(lambda c: tasks.tasks(c, day))

    # Assemblies, committees, Charter.

    def assemblies(self) -> list[dict[str, Any]]:
        from projections import assemblies  # noqa: PLC0415 - a query loads only its read models

        return self._answer(assemblies.assemblies)

    def assembly(self, ident: str) -> dict[str, Any]:
        from projections import assemblies  # noqa: PLC0415 - a query loads only its read models

        return self._answer(lambda c: assemblies.assembly(c, ident))

    def committees(self, as_of: Day = None) -> list[dict[str, Any]]:
        from projections import committees  # noqa: PLC0415 - a query loads only its read models

        day = fuzzy(as_of)
        return self._answer(lambda c: committees.committees(c, day))

    def committee(self, name: str) -> dict[str, Any]:
        from projections import committees  # noqa: PLC0415 - a query loads only its read models

        return self._answer(lambda c: committees.committee(c, name))

    def charter(self, as_of: Day = None) -> dict[str, Any]:
        from projections import charter  # noqa: PLC0415 - a query loads only its read models

        day = fuzzy(as_of)
        return self._answer(lambda c: charter.charter(c, day))

    def charter_history(self) -> list[dict[str, Any]]:
        from projections import charter  # noqa: PLC0415 - a query loads only its read models

        return self._answer(charter.charter_history)

    def charter_diff(self, a: int | str, b: int | str) -> dict[str, Any]:
        from projections import charter  # noqa: PLC0415 - a query loads only its read models

        return self._answer(lambda c: charter.charter_diff(c, a, b))
