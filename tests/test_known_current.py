"""A register keeps the aggregates it loaded or saved, and uses one without reading the
store while the log has not grown since (persistence.repository): whatever another
writer does in between, each command still sees every event committed before it read."""

from __future__ import annotations

import pytest

from domain.errors import NotFound
from domain.values import FuzzyDate, Status
from near_gov.commands.unit import Unit
from near_gov.service import Governance
from tests.histories import given_member


def _since(gov: Governance, name: str) -> str:
    return str(gov.region(name).since)


def test_a_cached_aggregate_another_writer_changed_is_read_again(store_url):
    first, second = Governance(store_url, actor="one"), Governance(store_url, actor="two")
    given_member(first, "Toyama Prefecture", "JP", since="1996-09")
    assert _since(first, "Toyama Prefecture") == "1996-09"  # cached, known current
    assert _since(second, "Toyama Prefecture") == "1996-09"

    second.record_status("Toyama Prefecture", "member", "1996-10", "Gazette")
    assert _since(first, "Toyama Prefecture") == "1996-10"

    first.record_status("Toyama Prefecture", "member", "1996-11", "Gazette")
    assert _since(second, "Toyama Prefecture") == "1996-11"
    assert _since(first, "Toyama Prefecture") == "1996-11"
    for app in (first, second):
        app.close()


def test_an_aggregate_found_absent_that_another_writer_creates_is_found(store_url):
    first, second = Governance(store_url, actor="one"), Governance(store_url, actor="two")
    given_member(first, "Toyama Prefecture", "JP")
    for _ in range(2):  # absent as of the head, twice (the second time without a read)
        with pytest.raises(NotFound):
            first.region("Hyogo Prefecture")
    second.register_region("Hyogo Prefecture", "JP")
    assert first.region("Hyogo Prefecture").name == "Hyogo Prefecture"
    first.register_region("Nara Prefecture", "JP")  # absent, then created by the register itself
    assert first.region("Nara Prefecture").name == "Nara Prefecture"
    for app in (first, second):
        app.close()


def test_a_write_by_another_between_a_units_first_read_and_its_commit_is_not_missed(store_url):
    """The unit's save takes ids that do not follow the head it read: what it knew
    current before is read again after, here the region the other writer changed."""
    first, second = Governance(store_url, actor="one"), Governance(store_url, actor="two")
    given_member(first, "Toyama Prefecture", "JP", since="1996-09")
    given_member(first, "Hyogo Prefecture", "JP", since="1996-09")
    assert _since(first, "Hyogo Prefecture") == "1996-09"  # cached in `first`, known current

    unit = Unit(first)
    toyama = unit.region("Toyama Prefecture")  # the unit reads the head here
    second.record_status("Hyogo Prefecture", "member", "1997-01", "Gazette")
    toyama.record(Status.MEMBER, FuzzyDate.parse("1996-12"), "Gazette", "one")
    unit.commit()

    assert _since(first, "Toyama Prefecture") == "1996-12"
    assert _since(first, "Hyogo Prefecture") == "1997-01"
    for app in (first, second):
        app.close()


def test_commands_in_a_row_read_the_store_once_for_what_they_have_cached(tmp_path):
    """One writer: the second command finds the log's head where its own commit left it,
    so the aggregates it has cached cost no read of theirs, only that of the head."""
    gov = Governance(str(tmp_path / "register.db"), actor="clerk")
    given_member(gov, "Toyama Prefecture", "JP", since="1996-09")
    gov.record_status("Toyama Prefecture", "member", "1996-10", "Gazette")
    statements: list[str] = []
    with gov.recorder._reading() as reader:
        reader.set_trace_callback(statements.append)
    gov.record_status("Toyama Prefecture", "member", "1996-11", "Gazette")
    reader.set_trace_callback(None)
    assert len(statements) == 1 and statements[0].startswith("SELECT MAX(rowid)"), statements
    assert _since(gov, "Toyama Prefecture") == "1996-11"
    gov.close()
