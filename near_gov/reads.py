"""The read side of a register: its read models, kept in the same store as its
events and caught up before every query. The CLI and the report call this.

`Reads(gov)` shares an open `Governance` application's store; `Reads(store=url)`
opens the store itself without the write side, as the command line's queries do:
the domain's aggregates and event classes are then never imported, which is most of
a short command's start-up time."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from eventsourcing.persistence import InfrastructureFactory
from eventsourcing.utils import Environment

from near_gov.persistence.codec import CompactJSONTranscoder
from near_gov.persistence.stores import Store, parse_store
from projections.queries import ReadModels

if TYPE_CHECKING:
    from near_gov.service import Governance

#: The application's name: it prefixes its environment variables and, on
#: PostgreSQL, its tables (tests/test_projections_topics.py checks it).
APPLICATION_NAME = "Governance"


class Reads(ReadModels):
    """`Reads(gov).roster(as_of="2004-01-01")`, `Reads(store=url).history(region="Rasun City")`."""

    def __init__(self, gov: Governance | None = None, *, store: Store | str | None = None) -> None:
        self.gov = gov  # closing the application closes the store the read models share
        self._factory: InfrastructureFactory | None = None
        if gov is not None:
            super().__init__(gov.recorder, gov.mapper, read_only=gov.store.read_only)
            return
        # Opened as `Governance(store)` opens it: same environment, hence same tables.
        store = store if isinstance(store, Store) else parse_store(store)
        self._factory = InfrastructureFactory.construct(Environment(APPLICATION_NAME, {**os.environ, **store.env()}))
        try:
            super().__init__(self._factory.application_recorder(),
                             self._factory.mapper(transcoder=CompactJSONTranscoder()), read_only=store.read_only)
        except BaseException:  # an unreachable server, say: let go of the connection pool now
            self._factory.close()
            raise

    def close(self) -> None:
        super().close()
        if self._factory is not None:
            self._factory.close()
