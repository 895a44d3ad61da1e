"""Two readers catching up the same store at once apply every event exactly once:
as threads with their own application instances, as separate processes, and in the
worst interleaving (a batch read before the other applied it)."""

import multiprocessing
import threading

import pytest

from near_gov.reads import Reads
from near_gov.service import Governance

REGIONS = 15


@pytest.fixture
def populated(store_url):
    """A register of REGIONS members, nothing caught up yet."""
    gov = Governance(store_url, actor="clerk")
    for i in range(REGIONS):
        gov.register_region(f"Region {i}", "JP")
        gov.record_status(f"Region {i}", "member", "1996-09", "NEAR brochure")
    gov.record_status("Region 0", "member", "1997", "corrected")
    yield store_url, gov.recorder.max_notification_id()
    gov.close()


@pytest.fixture
def reader():
    """`reader(url, actor)`: a `Reads` on its own application, closed after the test."""
    opened = []

    def open_reads(url, actor):
        opened.append(Reads(Governance(url, actor=actor)))
        return opened[-1]

    yield open_reads
    for reads in opened:
        reads.close()
        reads.gov.close()


def history_positions(reads):
    return [h["position"] for h in reads.history()]


def test_two_instances_catching_up_at_once_apply_each_event_once(populated, reader):
    url, head = populated
    readers = [reader(url, f"reader {i}") for i in range(2)]
    barrier = threading.Barrier(2)
    handled: dict[int, int] = {}

    def catch_up(i):
        barrier.wait(timeout=10)
        handled[i] = readers[i].projector.catch_up(batch=3)

    threads = [threading.Thread(target=catch_up, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert sum(handled.values()) == head
    positions = history_positions(readers[0])
    assert len(positions) == len(set(positions)) == REGIONS * 2 + 1
    assert len(readers[1].roster()["entries"]) == REGIONS
    assert readers[0].audit_membership("Region 0")["timeline"][0]["corrects"] == "1996-09"


def _catch_up_in_process(url, start, results):
    reads = Reads(Governance(url, actor="process"))
    start.wait(timeout=30)
    results.put(reads.projector.catch_up(batch=2))


def test_two_processes_catching_up_at_once_apply_each_event_once(populated, reader):
    url, head = populated
    context = multiprocessing.get_context("spawn")
    start, results = context.Event(), context.Queue()
    processes = [context.Process(target=_catch_up_in_process, args=(url, start, results)) for _ in range(2)]
    for p in processes:
        p.start()
    start.set()
    counts = [results.get(timeout=120) for _ in processes]
    for p in processes:
        p.join(timeout=30)

    assert sum(counts) == head
    reads = reader(url, "checker")
    assert reads.catch_up() == 0
    positions = history_positions(reads)
    assert len(positions) == len(set(positions)) == REGIONS * 2 + 1


def test_a_batch_another_reader_applied_meanwhile_is_not_applied_again(populated, reader):
    url, head = populated
    slow, fast = reader(url, "slow"), reader(url, "fast")
    slow.projector.setup()
    select = slow.projector._read  # reads a batch of the log, before its transaction
    raced = []

    def select_then_lose_the_race(*args, **kwargs):
        found = select(*args, **kwargs)
        if not raced:
            raced.append(fast.catch_up())  # applies the same events first
        return found

    slow.projector._read = select_then_lose_the_race

    assert slow.catch_up() == 0
    assert raced == [head]
    assert len(history_positions(slow)) == REGIONS * 2 + 1


def test_a_reader_does_not_reuse_its_memory_after_another_reader_moved_on(populated):
    """A reader starts its next batch from the memory of its last one only if nobody
    applied a batch since; otherwise it would write rows from stale memory."""
    url, _ = populated
    gov = Governance(url, actor="clerk")
    first, second = Reads(store=url), Reads(store=url)
    first.catch_up()
    gov.record_status("Region 1", "member", "1995", "corrected")
    second.catch_up()  # Region 1's rows change behind the first reader's memory
    gov.record_status("Region 1", "member", "1994", "corrected again")
    first.catch_up()
    incremental = [first.audit_membership("Region 1"), first.roster(as_of="1994-06-01"),
                   first.roster(known_at="2999-01-01"), first.history()]
    first.rebuild()
    assert incremental == [first.audit_membership("Region 1"), first.roster(as_of="1994-06-01"),
                           first.roster(known_at="2999-01-01"), first.history()]
    assert [(p["since"], p["corrects"]) for p in incremental[0]["timeline"]] == [("1994", "1995")]
    for r in (first, second):
        r.close()
    gov.close()


def test_a_reader_catching_up_during_a_rebuild_fills_the_tables_in_use_and_the_rebuild_its_own(
        populated, monkeypatch):
    """A rebuild fills new tables beside the ones in use: another process catching up
    meanwhile applies the log to the tables in use (and answers from them), the rebuild
    applies all of it to its own, and after the swap every event is there once."""
    from projections import engine

    url, head = populated
    rebuilding, other = Reads(store=url), Reads(store=url)
    rebuilding.projector.setup()
    monkeypatch.setattr(engine, "REBUILD_BATCH", 4)
    during = []

    def progress(position, total):
        if not during:  # after the rebuild's first batch, the other catches up and reads
            during.append((other.catch_up(), len(history_positions(other))))

    assert rebuilding.projector.rebuild(progress) == head
    assert during == [(head, REGIONS * 2 + 1)]
    assert rebuilding.catch_up() == other.catch_up() == 0
    assert history_positions(rebuilding) == history_positions(other)
    assert len(set(history_positions(rebuilding))) == REGIONS * 2 + 1
    assert len(other.roster()["entries"]) == REGIONS
    for r in (rebuilding, other):
        r.close()


def test_a_rebuild_another_rebuild_completes_first_stops_and_leaves_the_other_ones_tables(
        populated, monkeypatch):
    """Two rebuilds at once: the one started later drops the tables the first was
    filling and fills its own; once it has swapped them in, the first stops."""
    from projections import engine

    url, head = populated
    first, second = Reads(store=url), Reads(store=url)
    expected = [first.history(), first.roster(), first.audit_membership("Region 0")]
    monkeypatch.setattr(engine, "REBUILD_BATCH", 4)
    overtaken = []

    def progress(position, total):
        if not overtaken:
            overtaken.append(second.rebuild())

    assert first.projector.rebuild(progress) == 0
    assert overtaken == [head]
    assert [first.history(), first.roster(), first.audit_membership("Region 0")] == expected
    assert first.status()[0]["rebuild"] is None
    for r in (first, second):
        r.close()
