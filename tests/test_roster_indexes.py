"""The roster as known at an earlier time reads index ranges, not the roster table:
the plans of its queries (SQLite's EXPLAIN QUERY PLAN, PostgreSQL's EXPLAIN) use the
two partial indexes of `schema.ROSTER` and never scan the table. Their answers are
the tests of test_projections.py and test_counts.py; timings are the benchmark's."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from near_gov.reads import Reads
from projections import counts, membership
from projections.db import Cursor
from tests.histories import given_member

#: Every line of a plan that reads the roster table, and each index the known-at roster needs.
CURRENT, SUPERSEDED = "read_roster_valid_from_", "read_roster_recorded_until_"


def now() -> str:
    return datetime.now(UTC).isoformat()


@pytest.fixture
def reads(gov: Any) -> Iterator[Reads]:
    """A register with current, closed and superseded periods (a correction) and a count."""
    given_member(gov, "Toyama Prefecture", "JP", since="2004-01", source="annual report 2004")
    given_member(gov, "Tottori Prefecture", "JP", since="1996-09")
    gov.register_region("Tianjin City", "CN")
    gov.record_status("Tianjin City", "observer", "2010-10", "NEAR brochure")
    gov.record_status("Tianjin City", "member", "2012-09", "GA-9 minutes")
    gov.record_count(3, "member", "1996-09", "NEAR brochure")
    gov.record_status("Toyama Prefecture", "member", "2002-05", "minutes of GA-4")  # corrects 2004-01
    r = Reads(gov)
    r.catch_up()
    yield r
    r.close()


def plan(c: Cursor, query: tuple[str, list[Any]]) -> list[str]:
    """The lines of the plan of `query`. PostgreSQL is told
    to avoid scanning tables where it can (a table of a few rows is cheaper to scan):
    the plan then shows whether an index answers the query at all."""
    sql, params = query
    if c.dialect == "postgres":
        c.run("SET LOCAL enable_seqscan = off")
        return [next(iter(row.values())) for row in c.run("EXPLAIN " + sql, params).all()]
    return [row["detail"] for row in c.run("EXPLAIN QUERY PLAN " + sql, params).all()]


def assert_indexed(lines: list[str], dialect: str) -> None:
    """Both partial indexes are searched (a range of each, not the whole), nothing else
    reads the roster table."""
    if dialect == "postgres":
        scans = [line for line in lines if " on read_roster" in line]
        assert scans and not any("Seq Scan" in line for line in lines), lines
        assert all(re.search(rf"Index (Only )?Scan using ix_(\w+_)?({CURRENT}|{SUPERSEDED})", line)
                   for line in scans), lines
        conditions = [line for line in lines if "Index Cond" in line]
        assert any("valid_from" in line for line in conditions), lines
        assert any("recorded_until" in line for line in conditions), lines
    else:
        lines = [line for line in lines if "read_roster" in line]
        assert lines and all(line.startswith("SEARCH ") for line in lines), lines
        assert any("USING COVERING INDEX ix_" in line and CURRENT in line for line in lines), lines
        assert any(SUPERSEDED in line and "(recorded_until>?)" in line for line in lines), lines
    assert any(CURRENT in line for line in lines) and any(SUPERSEDED in line for line in lines), lines


@pytest.mark.parametrize("country, status", [(None, None), ("JP", None), (None, "observer")])
def test_the_roster_known_at_a_time_reads_two_indexes_not_the_table(reads: Reads, country: str | None,
                                                                      status: str | None) -> None:
    with reads.projector.db.read() as c:
        lines = plan(c, membership.roster_query("2005-01-01", now(), country, status))

        assert_indexed(lines, c.dialect)
        if c.dialect == "sqlite":  # the name a region held then: a range of one index
            assert any("COVERING INDEX ix_read_former_names_id_until_first_position (id=? AND until_first>?)"
                       in line for line in lines), lines


def test_the_periods_a_count_known_at_a_time_may_name_are_read_from_the_same_indexes(reads: Reads) -> None:
    count = {"status": "member", "since_from": "1996-09-01", "since_last": "1996-09-30"}
    with reads.projector.db.read() as c:
        lines = plan(c, counts.periods_query(count, ["JP"], now()))

        assert_indexed(lines, c.dialect)


def test_the_roster_known_at_a_time_still_answers_as_the_register_then_stood(gov: Any, reads: Reads) -> None:
    before = now()
    gov.record_status("Tottori Prefecture", "member", "1997-03", "GA-2 minutes")  # corrects 1996-09

    then = reads.roster(as_of="1996-12-31", known_at=before)
    today = reads.roster(as_of="1996-12-31")

    assert [e["name"] for e in then["entries"]] == ["Tottori Prefecture"]
    assert then["entries"][0]["source"] == "NEAR brochure"
    assert today["entries"] == []


def test_a_source_longer_than_an_index_entry_holds_is_read_back(gov: Any) -> None:
    """PostgreSQL's index entries hold at most 2704 bytes: the long texts are left out of
    its indexes and read from the table."""
    source = " ".join(f"page {n} of the minutes of the founding assembly" for n in range(80))[:4000]
    given_member(gov, "Toyama Prefecture", "JP", since="1996-09", source=source)
    moment = now()
    reads = Reads(gov)

    roster = reads.roster(as_of="2000-01-01", known_at=moment)

    assert [e["source"] for e in roster["entries"]] == [source]
    assert reads.roster(as_of="2000-01-01")["entries"] == roster["entries"]
    reads.close()
