"""A rebuild never destroys read models that work, and an event that cannot be read
stops catch-up and rebuild with exit 4, naming it.

Events are corrupted behind the register's back, with SQL on the store's table of
events (in the SQLite file, or in the PostgreSQL schema): state bytes that are not
JSON, a topic naming no event type, or the topic of an event type whose fields the
stored state lacks (one decoded as plain data, one through its class's upcasters)."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from near_gov.reads import Reads
from near_gov.service import Governance
from projections.schema import TABLES
from tests.cli_support import Cli, given_admitted
from tests.test_integrity import RawStore

RESTORE = "restore the register from a backup taken before the change"

REGION = "domain.region:RegionalGovernment."
REGISTERED = REGION + "Registered"
#: How each corruption changes a region's `Registered` event (column, new value), and
#: what the error says is wrong with it.
CORRUPTIONS = {
    "state not JSON": ("state", b"\xff\xfe{not json", "its state is not JSON"),
    "unknown topic": ("topic", REGION + "Annexed", "its topic names no event type near-gov knows"),
    "fields lacking": ("topic", REGION + "Withdrawn", "it has no field 'on'"),
    "fields lacking after upcasting": ("topic", REGION + "Renamed", "it has no field 'on'"),
}


class Events:
    """The store's table of events, addressed by log position (the read models' position)."""

    def __init__(self, url: str) -> None:
        self.raw = RawStore(url)

    def positions(self, topic: str) -> list[int]:
        return [r[0] for r in self.raw.run("SELECT {key} FROM {events} WHERE topic = ? ORDER BY {key}", topic)]

    def get(self, position: int, column: str) -> Any:
        value = self.raw.run(f"SELECT {column} FROM {{events}} WHERE {{key}} = ?", position)[0][0]
        return bytes(value) if column == "state" else value

    def set(self, position: int, column: str, value: Any) -> None:
        self.raw.run(f"UPDATE {{events}} SET {column} = ? WHERE {{key}} = ?", value, position)

    def new_tables(self) -> list[str]:
        """The tables of a rebuild not swapped in (yet)."""
        if self.raw.marker == "?":
            sql = "SELECT name FROM sqlite_master WHERE type = 'table'"
        else:
            schema = self.raw.names["events"].split(".")[0].strip('"')
            sql = f"SELECT tablename FROM pg_tables WHERE schemaname = '{schema}'"
        return sorted(name for (name,) in self.raw.run(sql) if name.endswith("__new"))

    def indexes(self) -> list[str]:
        """The names of the indexes near-gov created on the read models in use."""
        if self.raw.marker == "?":
            sql = "SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        else:
            schema = self.raw.names["events"].split(".")[0].strip('"')
            sql = f"SELECT indexname, tablename FROM pg_indexes WHERE schemaname = '{schema}'"
        return sorted(name for name, table in self.raw.run(sql) if table.startswith("read_") and name.startswith("ix_"))

    def close(self) -> None:
        self.raw.connection.close()


@pytest.fixture
def register(store_url: str) -> Iterator[tuple[Cli, Events]]:
    """GA-4 admitted Rasun City; the read models are caught up."""
    cli = Cli(store_url).given(given_admitted)
    cli.ok("roster")
    events = Events(store_url)
    yield cli, events
    events.close()


def answers(cli: Cli) -> list[Any]:
    return [cli.json("roster"), cli.json("region", "list")]


def corrupt(events: Events, position: int, corruption: str) -> tuple[Any, str]:
    """Corrupt the event at `position`; return what to put back, and the error's first part."""
    column, value, what = CORRUPTIONS[corruption]
    original = events.get(position, column)
    events.set(position, column, value)
    topic = value if column == "topic" else REGISTERED
    return original, f"event {position} ({topic}) cannot be read: {what}"


@pytest.mark.parametrize("corruption", list(CORRUPTIONS))
def test_a_rebuild_stops_at_an_unreadable_event_and_the_read_models_in_use_still_answer(register, corruption):
    cli, events = register
    before = answers(cli)
    rasun_city = events.positions(REGISTERED)[1]
    _, fault = corrupt(events, rasun_city, corruption)

    cli.fails("projections", "rebuild",
              error=f"{fault}; the rebuild stopped there and the read models in use are kept: {RESTORE}", code=4)

    assert answers(cli) == before
    (status,) = cli.json("projections", "status")
    assert (status["position"], status["stale"], status["error"]) == (status["head"], False, None)
    assert status["rebuild"] == {"position": rasun_city - 1, "error": fault}
    line = cli.ok("projections", "status").stdout.splitlines()[3]
    assert line.split(None, 4) == ["register", "(rebuild)", str(rasun_city - 1), str(status["head"]),
                                   f"stopped: {fault}"]


@pytest.mark.parametrize("corruption", ["state not JSON", "fields lacking"])
def test_a_rebuild_after_the_event_is_repaired_completes_and_drops_the_tables_left_behind(register, corruption):
    cli, events = register
    before = answers(cli)
    rasun_city = events.positions(REGISTERED)[1]
    original, _ = corrupt(events, rasun_city, corruption)
    cli("projections", "rebuild")
    assert len(events.new_tables()) == len(TABLES)
    events.set(rasun_city, CORRUPTIONS[corruption][0], original)

    rebuilt = cli.json("projections", "rebuild")

    assert rebuilt == {"rebuilt": ["register"], "events": cli.events()}
    assert events.new_tables() == []
    assert cli.json("projections", "status")[0]["rebuild"] is None
    assert answers(cli) == before


@pytest.mark.parametrize("corruption", list(CORRUPTIONS))
def test_catch_up_stops_before_an_unreadable_new_event_and_queries_refuse_until_it_is_repaired(register, corruption):
    """A query answers from read models caught up with the log, or not at all: a clerk
    is never shown a roster that silently leaves out a recorded admission."""
    cli, events = register
    cli.ok("region", "register", "Toyama Prefecture", "--country", "JP")
    cli.ok("region", "register", "Tottori Prefecture", "--country", "JP")
    tottori = events.positions(REGISTERED)[-1]
    original, fault = corrupt(events, tottori, corruption)
    head = cli.events()
    error = f"{fault}; the read models stop before it: {RESTORE}"

    cli.fails("roster", error=error, code=4)
    cli.fails("region", "list", "--format", "json", error=error, code=4)

    (status,) = cli.json("projections", "status")
    assert (status["position"], status["head"], status["stale"], status["error"]) == (tottori - 1, head, True, fault)
    assert cli.ok("projections", "status").stdout.splitlines()[2].split(None, 3) == [
        "register", str(tottori - 1), str(head), f"stale: {fault}"]
    events.set(tottori, CORRUPTIONS[corruption][0], original)
    listed = [r["name"] for r in cli.json("region", "list")]
    assert "Toyama Prefecture" in listed and "Tottori Prefecture" in listed
    (status,) = cli.json("projections", "status")
    assert (status["position"], status["stale"], status["error"]) == (head, False, None)


def test_a_rebuild_stops_at_an_event_whose_record_the_log_never_created(register):
    cli, events = register
    before = answers(cli)
    rasun_city = events.positions(REGISTERED)[1]
    submitted = events.positions("domain.application:Application.Submitted")[0]
    assert submitted < rasun_city  # the application registers the region after it
    events.set(rasun_city, "topic", "domain.indexes:RegionName.Started")  # now bookkeeping, skipped
    admitted = events.positions("domain.region:RegionalGovernment.Admitted")[0]

    result = cli("projections", "rebuild")

    assert result.exit_code == 4, result.output
    assert result.stderr.startswith(f"Error: event {admitted} (domain.region:RegionalGovernment.Admitted) "
                                    "cannot be read: it refers to a record the log never created (no row (")
    assert answers(cli) == before


def test_each_rebuild_gives_its_tables_every_index_under_names_of_its_own(register):
    """A renamed table keeps its indexes' names: the next generation's must not collide
    with them (a collision would leave an index out, silently)."""
    from projections.schema import create_query_indexes, create_tables

    cli, events = register
    declared = sum("CREATE INDEX" in s for s in create_tables("sqlite") + create_query_indexes("sqlite"))
    names = []

    for _ in range(2):
        cli.ok("projections", "rebuild")
        names.append(events.indexes())

    assert len(names[0]) == len(names[1]) == declared
    assert set(names[0]).isdisjoint(names[1])


def test_queries_answer_while_rebuilds_swap_their_tables_in(store_url):
    """Readers and rebuilds at once, on threads with their own connections: every query
    answers, and answers the same, before, during and after each swap."""
    gov = Governance(store_url, actor="clerk")
    given_admitted(gov)
    for i in range(30):
        gov.register_region(f"Region {i}", "JP")
    reader, rebuilder = Reads(store=store_url), Reads(store=store_url)
    expected = [reader.roster(), reader.history(), reader.regions()]
    stop, failures, answered = threading.Event(), [], [0]

    def read() -> None:
        while not stop.is_set():
            try:
                assert [reader.roster(), reader.history(), reader.regions()] == expected
                answered[0] += 1
            except Exception as e:  # noqa: BLE001 - reported below
                failures.append(e)
                return

    thread = threading.Thread(target=read)
    thread.start()
    try:
        rebuilt = [rebuilder.rebuild() for _ in range(5)]
    finally:
        stop.set()
        thread.join(timeout=60)

    assert failures == []
    assert rebuilt == [gov.recorder.max_notification_id()] * 5
    assert answered[0] > 0
    for r in (reader, rebuilder):
        r.close()
    gov.close()


def test_a_query_under_way_keeps_its_snapshot_and_the_swap_waits_for_it(store_url):
    """PostgreSQL: a query holds its tables until it ends. It locks all of them when it
    begins, in the order the swap does: had it locked only the tables it had read, a
    swap holding the next one while waiting for one it held would deadlock with it."""
    if not store_url.startswith("postgresql"):
        pytest.skip("table locks are PostgreSQL's; SQLite's readers keep their snapshot")
    gov = Governance(store_url, actor="clerk")
    given_admitted(gov)
    reader, rebuilder = Reads(store=store_url), Reads(store=store_url)
    before = reader.regions()
    raw, schema = RawStore(store_url), store_url.rsplit("schema=", 1)[1]
    rebuilt: list[int] = []

    with reader.projector.db.read() as c:
        roster_rows = c.run("SELECT COUNT(*) AS n FROM read_roster").scalar()
        thread = threading.Thread(target=lambda: rebuilt.append(rebuilder.rebuild()))
        thread.start()
        waiting = 0
        while not waiting and thread.is_alive():  # until the swap waits for this query's locks
            waiting = raw.run("SELECT COUNT(*) FROM pg_locks l JOIN pg_class r ON r.oid = l.relation "
                              "JOIN pg_namespace n ON n.oid = r.relnamespace WHERE NOT l.granted "
                              "AND n.nspname = ?", schema)[0][0]
        regions = [r["name"] for r in c.run("SELECT name FROM read_regions ORDER BY name").all()]
        roster_again = c.run("SELECT COUNT(*) AS n FROM read_roster").scalar()
    thread.join(timeout=60)

    assert waiting and rebuilt == [gov.recorder.max_notification_id()]
    assert roster_again == roster_rows and sorted(r["name"] for r in before) == regions
    assert reader.regions() == before
    raw.connection.close()
    for r in (reader, rebuilder):
        r.close()
    gov.close()


# Killed rebuilds.

#: Starts the command line with the register's modules imported, then says so.
CHILD = ("import sys; import near_gov.reads, near_gov.cli; print('ready', flush=True); "
         "near_gov.cli.main(sys.argv[1:], prog_name='near-gov')")


def rebuild_process(url: str) -> subprocess.Popen[str]:
    """`near-gov projections rebuild` in a process of its own, once it has imported what it needs."""
    process = subprocess.Popen([sys.executable, "-c", CHILD, "--store", url, "projections", "rebuild"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               cwd=Path(__file__).resolve().parent.parent, env={**os.environ, "NEAR_GOV_ACTOR": "t"})
    assert process.stdout is not None and process.stdout.readline() == "ready\n"
    return process


def read_answers(url: str) -> tuple[dict[str, Any], list[Any]]:
    """The read models' status as found (`status` does not catch up), then the roster and
    the list of regions, which must not need to catch up either."""
    reads = Reads(store=url)
    try:
        (status,) = reads.status()
        assert reads.catch_up() == 0
        return status, [reads.roster(), reads.regions()]
    finally:
        reads.close()


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite register of a few thousand events of every kind (the benchmark's seeded
    simulation), its read models caught up."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    import synth

    url = f"sqlite://{tmp_path_factory.mktemp('killed') / 'register.db'}"
    gov = Governance(url, actor="simulation")
    synth.Simulation(seed=7).generate(gov, 8000, count=lambda: gov.recorder.max_notification_id() or 0)
    Reads(gov).catch_up()
    gov.close()
    return url


def test_killing_rebuilds_at_random_points_leaves_the_read_models_in_use_answering(simulated):
    """Twenty rebuilds killed (SIGKILL) after seeded random delays, spread over how long
    a whole rebuild takes here: after each, the read models in use are where they were,
    caught up, and answer as before; then a rebuild left to finish completes and
    changes no answer."""
    url = simulated
    status, expected = read_answers(url)
    head = status["head"]
    assert status["position"] == head > 5000
    started = time.monotonic()
    assert rebuild_process(url).wait(timeout=120) == 0
    whole = time.monotonic() - started
    rng = random.Random(20)
    interrupted = 0

    for _ in range(20):
        process = rebuild_process(url)
        time.sleep(rng.uniform(0, whole))
        process.kill()
        process.wait(timeout=30)
        status, found = read_answers(url)
        assert (status["position"], status["head"], status["stale"]) == (head, head, False)
        assert found == expected
        interrupted += status["rebuild"] is not None

    finished = rebuild_process(url)
    assert finished.wait(timeout=120) == 0, finished.communicate()
    status, found = read_answers(url)
    assert (status["position"], status["rebuild"]) == (head, None)
    assert found == expected
    print(f"{interrupted} of 20 rebuilds were killed before swapping their tables in")  # shown with -s
