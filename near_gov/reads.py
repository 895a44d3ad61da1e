"""The read side of a `Governance` register: its read models, kept in the same store
as its events and caught up before every query. The CLI and the report call this."""

from __future__ import annotations

from near_gov.service import Governance
from projections.queries import ReadModels


class Reads(ReadModels):
    """`Reads(gov).roster(as_of="2004-01-01")`, `.history(region="Rasun City")`, ..."""

    def __init__(self, gov: Governance) -> None:
        super().__init__(gov.recorder, gov.mapper)
        self.gov = gov  # closing the application closes the store the read models share
