"""The read side of a register: its read models, kept in the same store as its
events and caught up before every query. The CLI and the report call this.

`Reads(gov)` shares an open `Governance` application's store; `Reads(store=url)`
opens the store itself without the write side, as the command line's queries do:
the domain's aggregates and event classes are then never imported, which is most of
a short command's start-up time. Where its read models are at the log's head, as
they are after any earlier query, it reads them through a plain connection
(`persistence.direct`) and does not load the library either; the library's way,
which catches them up, is opened on the first query that finds them behind, and for
maintenance (`status`, `rebuild`, `catch_up`)."""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

from near_gov.persistence import direct
from near_gov.persistence.stores import Store, parse_store
from projections.queries import ReadModels

if TYPE_CHECKING:
    from eventsourcing.persistence import InfrastructureFactory

    from near_gov.service import Governance
    from projections.db import Cursor
    from projections.engine import Projector

#: The application's name: it prefixes its environment variables and, on
#: PostgreSQL, its tables (tests/test_projections_topics.py checks it).
APPLICATION_NAME = "Governance"

T = TypeVar("T")


class Reads(ReadModels):
    """`Reads(gov).roster(as_of="2004-01-01")`, `Reads(store=url).history(region="Rasun City")`."""

    def __init__(self, gov: Governance | None = None, *, store: Store | str | None = None) -> None:
        self.gov = gov  # closing the application closes the store the read models share
        self._factory: InfrastructureFactory[Any] | None = None
        self._direct: direct.Direct | None = None
        if gov is not None:
            super().__init__(gov.recorder, gov.mapper, read_only=gov.store.read_only)
            return
        self._store = store if isinstance(store, Store) else parse_store(store)
        self._direct = direct.connect(self._store, APPLICATION_NAME)
        if self._direct is None:
            self.projector  # noqa: B018 - opened now, as the library's way always was

    @cached_property
    def projector(self) -> Projector:  # type: ignore[override]  # ReadModels sets it; here on first use
        """The library's way to the read models, opened on first use, as `Governance(store)`
        opens the store: same environment, hence same tables. (`Reads(gov)` sets it.)"""
        from eventsourcing.persistence import InfrastructureFactory  # noqa: PLC0415 - slow import
        from eventsourcing.utils import Environment  # noqa: PLC0415 - likewise

        from near_gov.persistence.codec import CompactJSONTranscoder  # noqa: PLC0415 - loads pydantic
        from projections.engine import Projector  # noqa: PLC0415 - slow import

        store = self._store
        self._factory = InfrastructureFactory.construct(Environment(APPLICATION_NAME, {**os.environ, **store.env()}))
        try:
            return Projector(self._factory.application_recorder(),
                             self._factory.mapper(transcoder=CompactJSONTranscoder()), read_only=store.read_only)
        except BaseException:  # an unreachable server, say: let go of the connection pool now
            self._factory.close()
            raise

    def _answer(self, query: Callable[[Cursor], T]) -> T:
        """From the read models as they are while they are at the log's head; else the
        library's way, which catches them up first (and answers from then on)."""
        if self._direct is not None:
            try:
                return self._direct.answer(query)
            except direct.Behind:
                self._direct.close()
                self._direct = None
        return super()._answer(query)

    def close(self) -> None:
        if self._direct is not None:
            self._direct.close()
        if "projector" in vars(self):  # opened (a cached_property keeps it there)
            super().close()
        if self._factory is not None:
            self._factory.close()
