"""A process killed with SIGKILL at random points during `load` and during catch-up
leaves the store before or after a whole command, and after a restart the read
models equal a rebuild."""

import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from near_gov.reads import Reads
from near_gov.service import Governance

ROOT = Path(__file__).parent.parent
HISTORY = ROOT / "examples" / "near" / "history.yaml"
RUNS = 20


def near_gov(store: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "near_gov.cli", "--store", str(store), *args],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def killed_after(proc: subprocess.Popen, seconds: float) -> bool:
    time.sleep(seconds)
    if proc.poll() is not None:
        return False
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return True


def views(reads: Reads) -> dict:
    return {
        "roster": reads.roster(),
        "as_of": [reads.roster(as_of=d) for d in ("1996-09", "2002-09-30", "2005-01-01", "2010-10")],
        "history": reads.history(),
        "committees": [reads.committee(c["name"]) for c in reads.committees()],
        "assemblies": [reads.assembly(a["id"]) for a in reads.assemblies()],
        "audit": [reads.audit_membership(r["name"], r["country"]) for r in reads.regions()],
        "charter": reads.charter_history(),
    }


def assert_read_models_equal_a_rebuild(store: Path) -> None:
    gov = Governance(str(store), actor="checker")
    reads = Reads(gov)
    caught_up = views(reads)
    reads.rebuild()
    assert views(reads) == caught_up
    gov.close()


def timed(proc: subprocess.Popen) -> float:
    """Seconds a command takes when left alone (so kill times can span all of it)."""
    started = time.monotonic()
    assert proc.wait() == 0
    return time.monotonic() - started


@pytest.fixture(scope="module")
def full_load(tmp_path_factory) -> tuple[int, float]:
    """Events in a whole load, and how long a whole `near-gov load` takes here."""
    store = tmp_path_factory.mktemp("full") / "register.db"
    seconds = timed(near_gov(store, "load", str(HISTORY)))
    gov = Governance(str(store), actor="checker")
    count = gov.recorder.max_notification_id()
    gov.close()
    return count, seconds


def test_load_killed_at_random_points_is_all_or_nothing(tmp_path, full_load):
    full_count, seconds = full_load
    rng = random.Random(1996)
    outcomes = set()

    for run in range(RUNS):
        store = tmp_path / f"load-{run}.db"
        killed = killed_after(near_gov(store, "load", str(HISTORY)), rng.uniform(0.05, 1.5 * seconds))

        gov = Governance(str(store), actor="checker")
        count = gov.recorder.max_notification_id() or 0
        gov.close()
        assert count in (0, full_count), f"run {run}: {count} of {full_count} events"
        outcomes.add((killed, count == full_count))
        assert_read_models_equal_a_rebuild(store)
        assert near_gov(store, "load", str(HISTORY)).wait() == 0  # a rerun completes it
        gov = Governance(str(store), actor="checker")
        assert gov.recorder.max_notification_id() == full_count
        gov.close()

    assert (True, False) in outcomes  # some runs really were killed before the commit


def test_catch_up_killed_at_random_points_recovers_exactly(tmp_path):
    rng = random.Random(2005)
    seed = tmp_path / "seed.db"
    gov = Governance(str(seed), actor="loader")
    from near_gov.loader import load

    load(gov, HISTORY)
    gov.close()
    probe = tmp_path / "probe.db"
    shutil.copy(seed, probe)
    seconds = timed(near_gov(probe, "roster", "--format", "json"))

    positions = set()
    for run in range(RUNS):
        store = tmp_path / f"catchup-{run}.db"
        shutil.copy(seed, store)
        killed_after(near_gov(store, "roster", "--format", "json"), rng.uniform(0.05, 1.5 * seconds))

        positions.add(_tracking_position(store) > 0)
        assert_read_models_equal_a_rebuild(store)

    assert positions == {False, True}  # killed both before and after the read models committed


def _tracking_position(store: Path) -> int:
    """The read models' position as the killed process left it (without catching up)."""
    import sqlite3

    with sqlite3.connect(store) as db:
        try:
            row = db.execute("SELECT position FROM read_tracking").fetchone()
        except sqlite3.OperationalError:  # the tables were never created
            return 0
    return row[0] if row else 0
