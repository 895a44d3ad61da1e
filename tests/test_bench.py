"""The benchmark runs end to end at a tiny size and prints the figures it promises.
Timings are measured by `bench/run.py`, never asserted: they depend on the machine."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

RUN = Path(__file__).resolve().parent.parent / "bench" / "run.py"

FIGURES = {
    "events", "command_per_s", "library_save_per_s", "command_ratio",
    "rebuild_events_per_s", "library_read_events_per_s", "rebuild_ratio", "catchup_one_ms",
    "roster_as_of_ms_p50", "roster_known_at_ms_p50", "history_page_ms_p50", "audit_region_ms_p50",
    "cli_roster_ms", "cli_floor_ms", "rebuild_peak_rss_mb",
}


def run_bench(*store: str, tmp_path: Path) -> dict:
    done = subprocess.run(
        [sys.executable, str(RUN), "--events", "600", "--commands", "20", "--queries", "4",
         "--cli-repeat", "1", "--cache", str(tmp_path / "cache"), "--json", *store],
        capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_bench_prints_one_json_object_with_every_figure(tmp_path):
    figures = run_bench(tmp_path=tmp_path)

    assert FIGURES <= figures.keys()
    assert figures["events"] >= 500 and figures["store"] == "sqlite"
    assert all(figures[name] > 0 for name in FIGURES)


def test_bench_reuses_its_cached_register(tmp_path):
    first = run_bench(tmp_path=tmp_path)

    second = run_bench(tmp_path=tmp_path)

    assert second["events"] == first["events"]
    assert second["generate_seconds"] == 0


def test_the_cached_register_is_named_by_the_version_of_the_code_that_generated_it(tmp_path):
    """Code that generates or stores other events must not reuse a register of older code."""
    sys.path.insert(0, str(RUN.parent))
    import synth

    run_bench(tmp_path=tmp_path)

    version = synth.code_version()
    assert len(version) == 12 and version == synth.code_version()
    assert [p.name for p in (tmp_path / "cache").glob("*.sim")] == [
        f"near-bench-600-1-{synth.date.today().isoformat()}-{version}.sim"]


def test_bench_runs_on_postgresql_in_a_schema_it_drops(tmp_path):
    if not os.environ.get("NEAR_GOV_TEST_POSTGRES"):
        pytest.skip("set NEAR_GOV_TEST_POSTGRES=1 to run against PostgreSQL at 127.0.0.1:5432")

    figures = run_bench("--store", "postgresql://postgres@127.0.0.1:5432/test", tmp_path=tmp_path)

    assert figures["store"] == "postgres" and figures["events"] >= 500


def test_bench_refuses_a_store_that_is_not_empty_and_leaves_it_as_it_was(store_url, tmp_path):
    from near_gov.service import Governance

    gov = Governance(store_url, actor="clerk")
    gov.register_region("Toyama Prefecture", "JP")
    head = gov.recorder.max_notification_id()
    gov.close()

    done = subprocess.run([sys.executable, str(RUN), "--events", "600", "--cache", str(tmp_path / "cache"),
                           "--json", "--store", store_url], capture_output=True, text=True, timeout=600)

    assert done.returncode != 0 and "is not empty; give an empty one" in done.stderr
    again = Governance(store_url, actor="clerk")
    assert again.recorder.max_notification_id() == head  # nothing dropped, nothing added
    again.close()


def test_rebuild_parts_accounts_for_a_rebuild_part_by_part(tmp_path):
    store = tmp_path / "register.db"
    example = Path(__file__).resolve().parent.parent / "examples" / "near" / "history.yaml"
    subprocess.run([sys.executable, "-m", "near_gov.cli", "--store", str(store), "load", str(example)],
                   check=True, capture_output=True, timeout=300)

    done = subprocess.run([sys.executable, str(RUN.parent / "rebuild_parts.py"), str(store)],
                          capture_output=True, text=True, timeout=300)

    assert done.returncode == 0, done.stderr
    parts = json.loads(done.stdout)
    assert parts["events"] == 405
    timed = ("read", "decode", "handlers", "flush", "commit", "swap", "checkpoint")
    assert {*timed, "total"} <= parts.keys()
    assert parts["rows"]["read_history"] == 233 and parts["rows"]["read_regions"] == 75
