"""A stored event as the read models see it, and what stops them at one they cannot read.

An event is plain data (`Event`): a handler that reads a field the stored event lacks
gets the AttributeError of that event (its `obj`), and the engine then names the
event (`Unreadable`) instead of failing somewhere inside a handler. (No `__getattr__`
hook: it would slow every attribute read of every event.) Every stored event was
validated when it was written, so such an event was changed outside near-gov."""

from __future__ import annotations

from domain.errors import IntegrityFailure

#: What to do about an event that cannot be read (`UnreadableEvent`'s last part).
RESTORE = "restore the register from a backup taken before the change"


class Event:
    """A stored event as plain data: its stored fields, `originator_id` (a UUID, or
    its text as SQLite stores it: `common.key` reads both), `originator_version` and
    `db_role` (the database role that wrote it, where the database records one)."""

    def __repr__(self) -> str:
        return f"Event({self.__dict__!r})"


class UnreadableEvent(IntegrityFailure):
    """Raised when a stored event cannot be decoded or applied: the log was changed outside near-gov."""

    def __init__(self, fault: str, consequence: str) -> None:
        super().__init__(f"{fault}; {consequence}: {RESTORE}")
        self.fault = fault


class Unreadable(Exception):
    """The event at `position` cannot be read, and why (caught by the engine, which
    raises UnreadableEvent once it has applied the events before it)."""

    def __init__(self, position: int, topic: str, what: str) -> None:
        super().__init__(f"event {position} ({topic}) cannot be read: {what}")
        self.position = position
