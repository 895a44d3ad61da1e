"""A stored event as the read models see it, and what stops them at one they cannot read.

An event is plain data (`Event`): a handler that reads a field the stored event lacks
gets `MissingField`, and the engine then names the event (`Unreadable`) instead of
failing somewhere inside a handler. Every stored event was validated when it was
written, so such an event was changed outside near-gov."""

from __future__ import annotations

from typing import Any

from domain.errors import IntegrityFailure

#: What to do about an event that cannot be read (`UnreadableEvent`'s last part).
RESTORE = "restore the register from a backup taken before the change"


class MissingField(AttributeError):
    """Raised when a handler reads a field the stored event does not have."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


class Event:
    """A stored event as plain data: its stored fields, `originator_id` (a UUID, or
    its text as SQLite stores it: `common.key` reads both) and `originator_version`."""

    def __repr__(self) -> str:
        return f"Event({self.__dict__!r})"

    def __getattr__(self, name: str) -> Any:
        """Only called for a field the event lacks (`getattr(e, name, default)` still works)."""
        if name.startswith("__"):
            raise AttributeError(name)
        raise MissingField(name)


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
