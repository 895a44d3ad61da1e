"""Schema evolution: `RegionalGovernment.Renamed` is at version 2 (it gained
`source`, the document that records the new name). `fixtures/register-v1.sqlite`
was written before that, with version 1 renames, and must keep loading: its
renames read back through `upcast_v1_v2` with no source.

The fixture is a register written by near-gov itself and never regenerated (see
fixtures/README.md): three members since 1996-09, Jeju Province renamed Jeju
Special Self-Governing Province on 2006-07, GA-4 convened by Khabarovsk Territory,
Rasun City admitted by GA-4/D1, GA-4 closed. Tests open a copy, since opening a
SQLite store may write to it."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from domain.region import RegionalGovernment
from near_gov.service import Governance

FIXTURE = Path(__file__).parent / "fixtures" / "register-v1.sqlite"
RENAMED = "domain.region:RegionalGovernment.Renamed"


@pytest.fixture
def gov(tmp_path: Path) -> Iterator[Governance]:
    copy = tmp_path / "register.sqlite"
    shutil.copyfile(FIXTURE, copy)
    app = Governance(str(copy), actor="clerk")
    yield app
    app.close()


def stored_renames(path: Path) -> list[bytes]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        return [row[0] for row in connection.execute("SELECT state FROM stored_events WHERE topic = ?", (RENAMED,))]


def test_fixture_holds_a_version_1_rename():
    (state,) = stored_renames(FIXTURE)

    assert b'"class_version"' not in state
    assert b'"source"' not in state


def test_version_1_rename_reads_back_with_no_source(gov):
    region = gov.region("Jeju Special Self-Governing Province")

    (renamed,) = [e for e in gov.events.get(region.id) if isinstance(e, RegionalGovernment.Renamed)]

    assert renamed.source is None
    assert (renamed.name, str(renamed.on), renamed.actor) == ("Jeju Special Self-Governing Province", "2006-07",
                                                              "fixture-clerk")
    assert region.former_names == ["Jeju Province"]


def test_register_written_before_version_2_still_loads(gov):
    rasun = gov.region("rasun city")
    ga4 = gov.assembly("GA-4")

    assert (str(rasun.status), str(rasun.since), rasun.timeline[-1].cause) == ("member", "2002-09", "GA-4/D1")
    assert [d.ref for d in ga4.decisions] == ["GA-4/D1"]
    assert gov.application("APP-2002-001").state == "approved"


def test_new_renames_are_stored_at_version_2(gov, tmp_path):
    gov.rename_region("Toyama Prefecture", "Toyama", "2020-01")

    new = stored_renames(tmp_path / "register.sqlite")[-1]

    assert b'"class_version":2' in new
    assert b'"source":null' in new
