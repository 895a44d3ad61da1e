"""Read models as a list. Each read model declares the event topics it follows; for an
event, the engine runs every read model's handler of its topic, in list order. Two
read models may follow one topic (each keeps its own tables), but a read model that
registers a topic twice, or a list that holds one read model twice, is refused when
its module is imported: one handler can never silently replace another.

A handler only changes its read model's tables. What the history says about an event
is told once per event type, in `projections.describe`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from projections.batch import Batch

#: `handler(batch, event, position, recorded_at)`.
Handler = Callable[[Batch, Any, int, str], None]
F = TypeVar("F", bound=Callable[..., Any])


class DuplicateRegistration(Exception):
    """Raised when a topic is registered twice in one table, or a read model twice in a list."""


def add(table: dict[str, F], topic: str, function: F, owner: str) -> F:
    """Put `function` in `table` under `topic`, refusing a second registration."""
    if topic in table:
        raise DuplicateRegistration(
            f"{owner} registers {topic} twice ({table[topic].__qualname__}, then {function.__qualname__}); "
            "one function per topic: do both things in one")
    table[topic] = function
    return function


class ReadModel:
    """A read model's name and its handler of each event topic (`module:Class.Event`)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._handlers: dict[str, Handler] = {}

    def __repr__(self) -> str:
        return f"ReadModel({self.name!r})"

    def handles(self, topic: str) -> Callable[[Handler], Handler]:
        """Decorator: the function handles `topic` for this read model."""
        return lambda handler: add(self._handlers, topic, handler, f"read model {self.name!r}")

    def handler(self, topic: str) -> Handler | None:
        return self._handlers.get(topic)

    @property
    def topics(self) -> frozenset[str]:
        return frozenset(self._handlers)


class Registry:
    """The read models, in the order their handlers run."""

    def __init__(self, *models: ReadModel) -> None:
        self._models: list[ReadModel] = []
        for model in models:
            self.register(model)

    def register(self, model: ReadModel) -> None:
        """Append `model`; refuse it if it, or another read model of its name, is listed."""
        if any(m is model or m.name == model.name for m in self._models):
            raise DuplicateRegistration(f"read model {model.name!r} is registered twice")
        self._models.append(model)

    def __iter__(self) -> Iterator[ReadModel]:
        return iter(self._models)

    def handlers(self, topic: str) -> tuple[Handler, ...]:
        """Every read model's handler of `topic`, in list order."""
        return tuple(h for m in self._models if (h := m.handler(topic)) is not None)

    @property
    def topics(self) -> frozenset[str]:
        return frozenset(t for m in self._models for t in m.topics)
