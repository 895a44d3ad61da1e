"""Loading a file of governance records: checked completely first (errors name the
record and its line), then written all or nothing, once."""

import io
import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from domain.assembly import Assembly
from domain.errors import (
    AlreadyRegistered,
    ConcurrentChange,
    DateRefused,
    GovernanceError,
    InvalidInput,
    NotAMember,
)
from near_gov.cli import main
from near_gov.loader import load
from near_gov.replay import fact, read_log
from near_gov.service import Governance

HISTORY = Path(__file__).parent.parent / "examples" / "near" / "history.yaml"

SMALL = """\
format: near-gov/1
records:
  - kind: region
    name: Gyeongsangbuk-do Province
    country: KR
    status: member
    since: "1996-09"
    source: brochure
  - kind: assembly
    id: GA-1
    host: Gyeongsangbuk-do Province
    "on": "1996-09"
    source: brochure
    decisions:
      - resolve: NEAR was officially launched
      - establish_committee: Sub-Committee on Economy and Trade
    closed: true
  - kind: committee
    name: Sub-Committee on Economy and Trade
    purpose: To promote co-prosperity
    coordinator: Gyeongsangbuk-do Province
    coordinator_since: "2010-10"
    established_by: GA-1
    source: brochure
  - kind: secretariat
    opened: "2005-05-02"
    seat: Pohang City
    source: brochure
"""


@pytest.fixture
def gov(store_url):
    app = Governance(store_url, actor="loader")
    yield app
    app.close()


def write(tmp_path, text, name="history.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def place(text, needle):
    """The record number and line of the first line holding `needle`."""
    lines = text.splitlines()
    index = next(i for i, line in enumerate(lines) if needle in line)
    record = sum(1 for line in lines[: index + 1] if re.match(r"^  - kind:", line))
    return record, index + 1


def record_start(text, needle):
    """The record number and line of the `- kind:` line of the record holding `needle`."""
    lines = text.splitlines()
    index = next(i for i, line in enumerate(lines) if needle in line)
    while not re.match(r"^  - kind:", lines[index]):
        index -= 1
    return sum(1 for line in lines[: index + 1] if re.match(r"^  - kind:", line)), index + 1


# The documented history with one fault each: (change, error class, expected message).

def unknown_country(text):
    bad = text.replace("name: Dornod Province\n    country: MN", "name: Dornod Province\n    country: XX", 1)
    record, line = place(bad, "country: XX")
    return bad, InvalidInput, f"history.yaml: record {record} (line {line}): unknown country 'XX'"


def host_not_a_member(text):
    bad = text.replace("id: WC-4\n    host: Heilongjiang Province", "id: WC-4\n    host: Dornod Province", 1)
    record, line = record_start(bad, "id: WC-4")
    return bad, NotAMember, (f"history.yaml: record {record} (line {line}): "
                             "Dornod Province cannot be host of WC-4: it is not a member on 2004-01")


def date_out_of_order(text):
    bad = text.replace('id: GA-3\n    host: Hyogo Prefecture\n    "on": "2000-09"',
                       'id: GA-3\n    host: Hyogo Prefecture\n    "on": "1997-09"', 1)
    record, line = record_start(bad, "id: GA-3")
    return bad, DateRefused, (f"history.yaml: record {record} (line {line}): "
                              "GA-3 on 1997-09 would precede GA-2 on 1998-10")


def yaml_syntax_error(text):
    bad = text.replace("name: Tuv Province\n", "name: Tuv: Province\n", 1)
    record, line = place(bad, "name: Tuv: Province")
    return bad, InvalidInput, (f"history.yaml: record {record} (line {line}): "
                               "YAML syntax error: mapping values are not allowed here")


@pytest.mark.parametrize("fault", [unknown_country, host_not_a_member, date_out_of_order, yaml_syntax_error])
def test_bad_history_file_is_refused_with_record_and_line_and_writes_nothing(gov, tmp_path, fault):
    text, error, message = fault(HISTORY.read_text(encoding="utf-8"))
    assert text != HISTORY.read_text(encoding="utf-8")

    with pytest.raises(error) as refused:
        load(gov, write(tmp_path, text))

    assert str(refused.value).startswith(message), str(refused.value)
    assert refused.value.exit_code == (2 if error is InvalidInput else 1)
    assert read_log(gov) == []


def test_loading_the_same_file_twice_is_a_no_op(gov):
    first = load(gov, HISTORY)
    count = len(read_log(gov))

    second = load(gov, HISTORY)

    assert first == {"records": 104, "held": 0, "events": count}
    assert second == {"records": 104, "held": 104, "events": 0}
    assert len(read_log(gov)) == count


def test_a_file_grown_by_new_records_applies_only_those(gov, tmp_path):
    load(gov, write(tmp_path, SMALL))
    count = len(read_log(gov))
    grown = SMALL.replace("  - kind: secretariat", "  - kind: region\n    name: Dornod Province\n    country: MN\n"
                          "    status: member\n    since: \"2002-09\"\n    source: brochure\n  - kind: secretariat")

    result = load(gov, write(tmp_path, grown, "grown.yaml"))

    assert result == {"records": 5, "held": 4, "events": 4}  # the region, its name's index entry, its status
    assert [type(e).__qualname__ for e in (gov.mapper.to_domain_event(n) for n in read_log(gov)[count:])] == [
        "RegionalGovernment.Registered", "RegionName.Started", "RegionName.Indexed",
        "RegionalGovernment.StatusRecorded"]
    assert str(gov.region("Dornod Province").since) == "2002-09"
    assert load(gov, write(tmp_path, grown, "grown.yaml"))["events"] == 0


def test_a_record_that_conflicts_with_the_register_is_refused_at_its_line_and_nothing_is_written(gov, tmp_path):
    load(gov, write(tmp_path, SMALL))
    count = len(read_log(gov))
    other = SMALL.replace('since: "1996-09"', 'since: "1997-01"').replace(
        "  - kind: secretariat", "  - kind: region\n    name: Dornod Province\n    country: MN\n"
        "    source: brochure\n  - kind: secretariat")

    with pytest.raises(AlreadyRegistered) as refused:
        load(gov, write(tmp_path, other, "other.yaml"))

    assert str(refused.value) == "other.yaml: record 1 (line 3): Gyeongsangbuk-do Province (KR) is already registered"
    assert len(read_log(gov)) == count


def test_load_builds_on_the_register_it_is_loaded_into(gov, tmp_path):
    gov.register_region("Gyeongsangbuk-do Province", "KR")
    gov.record_status("Gyeongsangbuk-do Province", "member", "1996-09", "by hand")
    without_region = SMALL.split("  - kind: assembly")[1]

    result = load(gov, write(tmp_path, "format: near-gov/1\nrecords:\n  - kind: assembly" + without_region))

    assert result["records"] == 3
    assert gov.assembly("GA-1").host == "Gyeongsangbuk-do Province"


def test_loaded_events_are_those_the_commands_make_with_the_loading_actor(gov, tmp_path):
    by_hand = Governance(f"sqlite://{tmp_path / 'by-hand.db'}", actor="clerk")
    by_hand.register_region("Gyeongsangbuk-do Province", "KR")
    by_hand.record_status("Gyeongsangbuk-do Province", "member", "1996-09", "brochure")
    by_hand.convene("GA", 1, "Gyeongsangbuk-do Province", "1996-09", source="brochure")
    by_hand.decide("GA-1", "resolve", text="NEAR was officially launched")
    by_hand.decide("GA-1", "establish-committee", name="Sub-Committee on Economy and Trade",
                   purpose="To promote co-prosperity")
    by_hand.close_assembly("GA-1")
    by_hand.elect_coordinator("Sub-Committee on Economy and Trade", "Gyeongsangbuk-do Province", "2010-10",
                              source="brochure")
    by_hand.open_secretariat("2005-05-02", "Pohang City", "brochure")

    load(gov, write(tmp_path, SMALL))

    loaded = read_log(gov)
    assert [fact(gov, n) for n in loaded] == [fact(by_hand, n) for n in read_log(by_hand)]
    assert {getattr(gov.mapper.to_domain_event(n), "actor", "loader") for n in loaded} == {"loader"}
    by_hand.close()


def test_all_events_of_a_load_are_written_in_one_transaction(tmp_path):
    gov = Governance(f"sqlite://{tmp_path / 'register.db'}", actor="loader")
    gov.register_region("Rasun City", "KP")
    table = gov.recorder.events_table_name
    with sqlite3.connect(tmp_path / "register.db") as db:
        db.execute(f"CREATE TRIGGER fail BEFORE INSERT ON {table} WHEN NEW.topic LIKE '%Secretariat.Opened' "
                   "BEGIN SELECT RAISE(ABORT, 'disk failure'); END")
    count = len(read_log(gov))

    # SQLite reports a trigger's RAISE(ABORT) as a constraint failure, which the
    # service, like any IntegrityError on insert, reads as a lost race.
    with pytest.raises(ConcurrentChange) as refused:
        load(gov, write(tmp_path, SMALL))

    assert type(refused.value) is ConcurrentChange
    assert str(refused.value) == "the register was changed concurrently by another writer; retry"
    assert len(read_log(gov)) == count
    gov.close()


def test_change_by_another_writer_during_a_load_writes_nothing_and_asks_to_retry(gov, store_url, tmp_path):
    other = Governance(store_url, actor="someone else")

    def meanwhile(done, total):
        if done == 2:
            other.register_region("Rasun City", "KP")

    with pytest.raises(ConcurrentChange):
        load(gov, write(tmp_path, SMALL), progress=meanwhile)

    assert [n.topic.rsplit(":", 1)[-1] for n in read_log(gov)] == ["RegionalGovernment.Registered",
                                                                   "RegionName.Started", "RegionName.Indexed"]
    assert load(gov, write(tmp_path, SMALL))["records"] == 4
    other.close()


def test_loaded_aggregates_are_snapshotted_as_commands_would(gov, tmp_path):
    many = SMALL.replace("      - resolve: NEAR was officially launched\n",
                         "".join(f"      - resolve: resolution {n}\n" for n in range(1, 30)))

    load(gov, write(tmp_path, many))

    assembly = gov.assembly("GA-1")
    (snapshot,) = gov.snapshots.get(assembly.id, desc=True, limit=1)
    assert assembly.version > Governance.snapshotting_intervals[Assembly]
    assert snapshot.originator_version == assembly.version  # one save: the policy snapshots its end


def test_committee_established_by_an_assembly_is_not_created_twice(gov, tmp_path):
    load(gov, write(tmp_path, SMALL))

    topics = [n.topic.rsplit(":", 1)[-1] for n in read_log(gov)]
    committee = gov.committee("Sub-Committee on Economy and Trade")

    assert topics.count("Committee.Established") == 1
    assert topics.count("Committee.CoordinatorElected") == 1
    assert (committee.cause, committee.purpose) == ("GA-1/D2", "To promote co-prosperity")
    assert (committee.coordinator.region, str(committee.coordinator.since)) == ("Gyeongsangbuk-do Province", "2010-10")


def test_committee_record_naming_another_establishing_assembly_is_refused(gov, tmp_path):
    text = SMALL.replace("established_by: GA-1", "established_by: GA-2")

    with pytest.raises(GovernanceError) as refused:
        load(gov, write(tmp_path, text))

    assert str(refused.value) == ("history.yaml: record 3 (line 23): "
                                  "Sub-Committee on Economy and Trade was established by GA-1/D2, not by GA-2")
    assert read_log(gov) == []


# The file alone: structure, types and YAML (no store needed beyond an empty one).

@pytest.fixture
def empty(tmp_path):
    app = Governance(f"sqlite://{tmp_path / 'register.db'}", actor="loader")
    yield app
    app.close()


@pytest.mark.parametrize("change, message", [
    (("    source: brochure\n  - kind: assembly", "  - kind: assembly"),
     "history.yaml: record 1 (line 3): missing field 'source'"),
    (("    status: member\n", "    status: member\n    colour: blue\n"),
     "history.yaml: record 1 (line 7): unknown field 'colour'"),
    (("  - kind: secretariat", "  - kind: treaty"),
     "history.yaml: record 4 (line 25): a record needs a kind: one of region, assembly, committee, secretariat,"
     " count (not 'treaty')"),
    (('since: "1996-09"', 'since: "1996-13"'),
     "history.yaml: record 1 (line 7): no such date: 1996-13"),
    (("status: member", "status: founder"),
     "history.yaml: record 1 (line 6): status: Input should be 'member' or 'observer'"),
    (("      - resolve: NEAR was officially launched", "      - approve: APP-1996-001"),
     "history.yaml: record 2 (line 15): a decision is a mapping with one key of: establish_committee,"
     " elect_coordinator, amend_charter, set_scope, resolve"),
    (('    "on": "1996-09"\n', '    "on": "1996-09"\n    host: Toyama Prefecture\n'),
     "history.yaml: record 2 (line 13): YAML syntax error: duplicate key 'host'"),
    (("format: near-gov/1", "format: near-gov/2"),
     "history.yaml: line 1: not a governance records file: it must start with `format: near-gov/1`"),
])
def test_malformed_record_is_refused_naming_record_and_line(empty, tmp_path, change, message):
    text = SMALL.replace(*change)
    assert text != SMALL

    with pytest.raises(InvalidInput) as refused:
        load(empty, write(tmp_path, text))

    assert str(refused.value).startswith(message), str(refused.value)
    assert read_log(empty) == []


def test_unquoted_on_key_and_dates_are_read_as_text(empty, tmp_path):
    text = SMALL.replace('"on": "1996-09"', "on: 1996-09").replace('opened: "2005-05-02"', "opened: 2005-05-02")

    load(empty, write(tmp_path, text))

    assert str(empty.assembly("GA-1").on) == "1996-09"


def test_text_stream_is_loaded_with_progress_per_record(empty):
    stream = io.StringIO(SMALL)
    stream.name = "piped.yaml"
    seen = []

    result = load(empty, stream, progress=lambda done, total: seen.append((done, total)))

    assert result == {"records": 4, "held": 0, "events": len(read_log(empty))}
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_errors_in_a_stream_name_the_stream(empty):
    stream = io.StringIO(SMALL.replace("country: KR", "country: XX"))
    stream.name = "piped.yaml"

    with pytest.raises(InvalidInput, match=r"^piped\.yaml: record 1 \(line 5\): unknown country 'XX'"):
        load(empty, stream)


def test_command_line_load_of_a_bad_file_exits_2_naming_record_and_line(store_url, tmp_path):
    path = write(tmp_path, SMALL.replace("country: KR", "country: XX"))

    result = CliRunner().invoke(main, ["--store", store_url, "load", str(path)])

    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: history.yaml: record 1 (line 5): unknown country 'XX'"), result.stderr
    with Governance(store_url, actor="loader") as gov:
        assert read_log(gov) == []


def test_assembly_keeps_its_documentary_source(empty, tmp_path):
    load(empty, write(tmp_path, SMALL))

    assert empty.assembly("GA-1").source == "brochure"


def test_regions_of_one_name_in_two_countries_are_refused_naming_the_record(empty, tmp_path):
    text = "format: near-gov/1\nrecords:\n" + "".join(
        f"  - kind: region\n    name: Amur Region\n    country: {cc}\n    status: member\n"
        f"    since: \"2010-10\"\n    source: brochure\n" for cc in ("RU", "CN"))

    with pytest.raises(AlreadyRegistered) as refused:
        load(empty, write(tmp_path, text))

    assert str(refused.value) == ("history.yaml: record 2 (line 9): Amur Region (RU) already holds that name: "
                                  "no two regions hold one name at once")
    assert read_log(empty) == []


def test_a_records_file_dissolves_a_sub_committee_by_an_assemblys_decision(gov, tmp_path):
    later = SMALL + """\
  - kind: assembly
    id: GA-2
    host: Gyeongsangbuk-do Province
    "on": "2012-09"
    source: brochure
    decisions:
      - dissolve_committee: Sub-Committee on Economy and Trade
"""
    load(gov, write(tmp_path, later))

    committee = gov.committee("Sub-Committee on Economy and Trade")
    assert (str(committee.dissolved), gov.assembly("GA-2").decisions[0].text) == \
        ("2012-09", "Dissolve the Sub-Committee on Economy and Trade")
