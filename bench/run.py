"""The near-gov benchmark: the register measured against the eventsourcing library's
own floor, in the same run and on the same kind of store, so that the ratios hold on
a noisy machine.

    python bench/run.py --events 100000 [--store URL] [--json] [--seed 1]

Prints one JSON object (see README). The synthetic register (bench/synth.py) is
generated through `Governance` commands in a scratch in-memory store, cached under
--cache, and copied into the target store in large batches; the write figures are
then measured over a sample of commands issued on top of it. The store named by
--store must be empty; by default a fresh SQLite file (or, for a PostgreSQL URL
without ?schema=, a fresh schema) is used and removed afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from eventsourcing.application import Application  # noqa: E402
from eventsourcing.domain import Aggregate, event  # noqa: E402
from eventsourcing.persistence import JSONTranscoder, Mapper, StoredEvent  # noqa: E402

from near_gov.persistence.stores import Store, parse_store  # noqa: E402
from near_gov.reads import Reads  # noqa: E402
from near_gov.service import Governance  # noqa: E402
from projections.engine import REBUILD_BATCH  # noqa: E402

import synth  # noqa: E402

COPY_BATCH = 20_000
READ_BATCH = REBUILD_BATCH  # the floor reads the log in the read models' rebuild batches
QUIET = False


def say(*parts: Any) -> None:
    if not QUIET:
        print(*parts, file=sys.stderr, flush=True)


class Scratch(Governance):
    """Generation only: a single writer in memory, so aggregates are cached and not copied
    (a refused command stops the generator, so no half-changed aggregate is reused)."""

    env: ClassVar[dict[str, str]] = {
        "AGGREGATE_CACHE_MAXSIZE": "100000000", "AGGREGATE_CACHE_FASTFORWARD": "n",
        "DEEPCOPY_FROM_AGGREGATE_CACHE": "n"}


# Stores.


def stored_snapshots(app: Application) -> list[StoredEvent]:
    """Every stored snapshot of `app` (a memory or SQLite store)."""
    recorder = app.snapshots.recorder
    if hasattr(recorder, "_stored_events"):  # POPO
        return list(recorder._stored_events)
    with recorder.datastore.transaction(commit=False) as c:
        c.execute(f"SELECT * FROM {recorder.events_table_name}")
        return [StoredEvent(uuid.UUID(r["originator_id"]), r["originator_version"], r["topic"], r["state"])
                for r in c.fetchall()]


def notifications(app: Application, batch: int = COPY_BATCH) -> Iterator[list[StoredEvent]]:
    start = 0
    while True:
        found = app.recorder.select_notifications(start=start, limit=batch, inclusive_of_start=False)
        if not found:
            return
        start = found[-1].id
        yield [StoredEvent(n.originator_id, n.originator_version, n.topic, n.state) for n in found]


def copy_events(source: Application, target: Application) -> int:
    copied = 0
    for stored in notifications(source):
        target.recorder.insert_events(stored)
        copied += len(stored)
    snapshots = stored_snapshots(source)
    for i in range(0, len(snapshots), COPY_BATCH):
        target.snapshots.recorder.insert_events(snapshots[i:i + COPY_BATCH])
    return copied


def fresh_schema_url(url: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}schema=bench_{uuid.uuid4().hex[:10]}"


def drop_schema(store: Store) -> None:
    import psycopg
    from psycopg.sql import SQL, Identifier

    with psycopg.connect(host=store.host, port=store.port, user=store.user, password=store.password,
                         dbname=store.dbname, autocommit=True) as conn:
        conn.execute(SQL("DROP SCHEMA IF EXISTS {0} CASCADE").format(Identifier(store.schema)))


# The synthetic register.


def generated(events: int, seed: int, cache: Path | None) -> tuple[Application, synth.Simulation, float]:
    """A register of about `events` events and the simulation that made it (cached per
    size, seed, day and the version of the code that generates and stores it)."""
    name = f"near-bench-{events}-{seed}-{synth.date.today().isoformat()}-{synth.code_version()}"
    if cache and (cache / f"{name}.sim").exists():
        say(f"using cached register {cache / name}.db")
        source = Governance(str(cache / f"{name}.db"), actor="bench")
        with open(cache / f"{name}.sim", "rb") as f:
            return source, pickle.load(f), 0.0
    say(f"generating about {events} events (seed {seed}) ...")
    scratch = Scratch("memory", actor="bench")
    sim = synth.Simulation(seed=seed)
    t0, last = time.perf_counter(), [0]

    def progress(done: int) -> None:
        if done - last[0] >= 50_000:
            last[0] = done
            say(f"  {done} events, {time.perf_counter() - t0:.0f}s")

    sim.generate(scratch, events, lambda: scratch.recorder.max_notification_id() or 0, progress)
    seconds = time.perf_counter() - t0
    say(f"generated {scratch.recorder.max_notification_id()} events by {sim.commands} commands in {seconds:.1f}s")
    if cache:
        cache.mkdir(parents=True, exist_ok=True)
        db = cache / f"{name}.db"
        for leftover in cache.glob(f"{name}.db*"):
            leftover.unlink()
        keep = Governance(str(db), actor="bench")
        copy_events(scratch, keep)
        with open(cache / f"{name}.sim", "wb") as f:
            pickle.dump(sim, f)
        scratch.close()
        return keep, sim, seconds
    return scratch, sim, seconds


# Measurements.


class Thing(Aggregate):
    """The library floor's aggregate: as trivial as an aggregate gets."""

    @event("Noted")
    def note(self, n: int) -> None:
        self.n = n


def save_things(floor: Application, sizes: list[int]) -> None:
    for size in sizes:
        thing = Thing()
        for i in range(size - 1):
            thing.note(i)
        floor.save(thing)


def measure_writes(gov: Governance, sim: synth.Simulation, commands: int, floor_store: Store,
                   rounds: int = 10) -> dict[str, float]:
    """`commands` write commands and the library floor, interleaved in `rounds` so that
    both see the same load on a shared machine. A command's time is the time spent in
    its `Governance` call (the simulation choosing the next one is not near-gov's work:
    in a large register most of its steps find nothing to do). The floor saves, per
    commit, as many events as the commands of the round before it did on average
    (rounded so the totals match)."""
    floor = Application(env=floor_store.env())
    spent = [0.0]
    issue = sim._run

    def timed(method: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return issue(method, *args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - t0

    sim._run = timed  # type: ignore[method-assign]
    try:
        warm = sim.commands + 10  # warm up: adapters, statement caches, connections
        while sim.commands < warm:
            sim.step(gov)
        save_things(floor, [2] * 10)
        done = events = 0
        command_s = floor_s = 0.0
        for k in range(rounds):
            c0, e0, s0 = sim.commands, gov.recorder.max_notification_id(), spent[0]
            while sim.commands - c0 < (commands * (k + 1)) // rounds - (commands * k) // rounds:
                sim.step(gov)
            command_s += spent[0] - s0
            n, e = sim.commands - c0, gov.recorder.max_notification_id() - e0
            done, events = done + n, events + e
            sizes = [max(1, (e * (i + 1)) // n - (e * i) // n) for i in range(n)]
            t0 = time.perf_counter()
            save_things(floor, sizes)
            floor_s += time.perf_counter() - t0
    finally:
        del sim._run
        floor.close()
    return {"commands": done, "command_events": events, "events_per_commit": events / done,
            "command_per_s": done / command_s, "library_save_per_s": done / floor_s,
            "command_ratio": floor_s / command_s}


def child(kind: str, url: str) -> dict[str, Any]:
    """Run a whole-log measurement in a fresh process (so its peak memory is its own)."""
    out = subprocess.run([sys.executable, str(Path(__file__)), "--child", kind, "--store", url],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def run_child(kind: str, url: str) -> None:
    gov = Governance(url, actor="bench")
    t0 = time.perf_counter()
    if kind == "rebuild":
        reads = Reads(gov)
        events = reads.rebuild()
    else:  # the library alone: read and decode the same log with its own mapper
        mapper: Mapper[Any] = Mapper(transcoder=JSONTranscoder())
        events, start = 0, 0
        while True:
            found = gov.recorder.select_notifications(start=start, limit=READ_BATCH, inclusive_of_start=False)
            if not found:
                break
            for n in found:
                mapper.to_domain_event(n)
            events += len(found)
            start = found[-1].id
    seconds = time.perf_counter() - t0
    peak = peak_rss_mb()
    print(json.dumps({"events": events, "seconds": seconds, "per_s": events / seconds, "peak_rss_mb": peak}))
    gov.close()


def peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: on Linux a child's
    ru_maxrss starts from its parent's peak (it survives exec), VmHWM does not."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def p50_ms(queries: list[Callable[[], Any]]) -> float:
    times = []
    for query in queries:
        t0 = time.perf_counter()
        query()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def measure_reads(gov: Governance, sim: synth.Simulation, samples: int, seed: int) -> dict[str, float]:
    rng = random.Random(seed)
    reads = Reads(gov)
    reads.catch_up()
    catch_up = []
    for _ in range(samples // 2):
        sim.one(gov)
        t0 = time.perf_counter()
        handled = reads.catch_up()
        catch_up.append((time.perf_counter() - t0) * 1000)
        assert handled >= 1
    days = (sim.until - synth.START).days
    history_rows = reads.history(limit=1, offset=0) and gov.recorder.max_notification_id()
    names = [n for n in sim.regions]
    # Every query's argument is drawn before any is timed, in this order, so a seed
    # always gives the same queries.
    dates = [synth.START + timedelta(days=rng.randrange(days)) for _ in range(samples)]
    offsets = [rng.randrange(max(1, history_rows - 50)) for _ in range(samples)]
    regions = [rng.choice(names) for _ in range(samples)]
    known = [(synth.START + timedelta(days=rng.randrange(days)), recorded_at(gov, rng)) for _ in range(samples)]
    result = {
        "catchup_one_ms": statistics.median(catch_up),
        "roster_as_of_ms_p50": p50_ms([(lambda d=d: reads.roster(as_of=d.isoformat())) for d in dates]),
        "roster_known_at_ms_p50": p50_ms([(lambda d=d, t=t: reads.roster(as_of=d.isoformat(), known_at=t))
                                          for d, t in known]),
        "history_page_ms_p50": p50_ms([(lambda o=o: reads.history(limit=50, offset=o)) for o in offsets]),
        "audit_region_ms_p50": p50_ms([(lambda n=n: reads.audit_membership(n)) for n in regions]),
        "roster_entries_today": len(reads.roster()["entries"]),
    }
    return result


def recorded_at(gov: Governance, rng: random.Random) -> datetime:
    """When a random event of the log was recorded."""
    position = rng.randrange(gov.recorder.max_notification_id()) + 1
    stored = gov.recorder.select_notifications(start=position, limit=1)[0]
    moment: datetime = gov.mapper.to_domain_event(stored).timestamp
    return moment


def wall_ms(argv: list[str], repeat: int) -> float:
    """Median wall time of a process run in the tree this benchmark belongs to (so the
    command line runs this tree's code, whatever the installed `near-gov` points at)."""
    env = cli_env()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env, cwd=HERE.parent)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def cli_env() -> dict[str, str]:
    """The environment of a measured process: this tree on the path, and bytecode caches
    written and read as an installed package has them (PYTHONDONTWRITEBYTECODE, set in
    some shells, would compile every module on every run)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPATH": str(HERE.parent)}


def measure_cli(url: str, repeat: int) -> dict[str, float]:
    roster = [sys.executable, "-m", "near_gov.cli", "--store", url, "roster", "--format", "json"]
    # warm the OS file cache and write the bytecode caches
    subprocess.run(roster, check=True, stdout=subprocess.DEVNULL, cwd=HERE.parent, env=cli_env())
    return {
        "cli_roster_ms": wall_ms(roster, repeat),
        "cli_floor_ms": wall_ms([sys.executable, "-c", "import click"], repeat),
    }


# The whole run.


def main(argv: list[str] | None = None) -> dict[str, Any]:
    global QUIET
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=10_000, help="size of the synthetic register")
    parser.add_argument("--store", help="an EMPTY store URL (default: a fresh temporary SQLite file); "
                                        "postgresql://... without ?schema= gets a fresh schema, dropped after")
    parser.add_argument("--json", action="store_true", help="one line of JSON, no progress on stderr")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--commands", type=int, default=300, help="measured write commands")
    parser.add_argument("--queries", type=int, default=50, help="samples per query latency")
    parser.add_argument("--cli-repeat", type=int, default=5)
    parser.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "near-bench-cache"),
                        help="directory caching generated registers ('' for none)")
    parser.add_argument("--child", choices=["rebuild", "library-read"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        run_child(args.child, args.store)
        return {}
    QUIET = args.json
    started = time.perf_counter()

    workdir = Path(tempfile.mkdtemp(prefix="near-bench-"))
    url = args.store or str(workdir / "register.db")
    if url.startswith(("postgresql:", "postgres:")) and "schema=" not in url:
        url = fresh_schema_url(url)
    # Only a schema the benchmark made is dropped at the end, never one it was given.
    own_schema = url != args.store
    store = parse_store(url)
    floor_store = parse_store(fresh_schema_url(url.split("?")[0]) if store.kind == "postgres"
                              else str(workdir / "floor.db"))
    gov = Governance(store, actor="bench")
    try:
        if gov.recorder.max_notification_id():
            raise SystemExit(f"bench: the store {store.describe()} is not empty; give an empty one")
        source, sim, generate_s = generated(args.events, args.seed, Path(args.cache) if args.cache else None)
        t0 = time.perf_counter()
        copied = copy_events(source, gov)
        copy_s = time.perf_counter() - t0
        source.close()
        say(f"copied {copied} events into {store.describe()} in {copy_s:.1f}s")

        say(f"commands: {args.commands} steps, interleaved with the library floor ...")
        result: dict[str, Any] = {"events": copied}
        result.update(measure_writes(gov, sim, args.commands, floor_store))
        say(f"  {result['command_per_s']:.1f} commands/s, {result['events_per_commit']:.2f} events/commit; "
            f"library {result['library_save_per_s']:.1f} commits/s")

        say("rebuild (child process) ...")
        rebuild = child("rebuild", store.url)
        say("library read floor (child process) ...")
        library = child("library-read", store.url)
        result.update({
            "rebuild_events_per_s": rebuild["per_s"],
            "library_read_events_per_s": library["per_s"],
            "rebuild_ratio": rebuild["per_s"] / library["per_s"],
            "rebuild_seconds": rebuild["seconds"],
            "rebuild_peak_rss_mb": rebuild["peak_rss_mb"],
            "library_read_peak_rss_mb": library["peak_rss_mb"],
        })
        say(f"  rebuild {rebuild['per_s']:.0f} ev/s, library {library['per_s']:.0f} ev/s")
        say("reads ...")
        result.update(measure_reads(gov, sim, args.queries, args.seed))
        say("command line ...")
        result.update(measure_cli(store.url, args.cli_repeat))
        result.update({
            "store": store.kind,
            "events_requested": args.events,
            "seed": args.seed,
            "generate_seconds": round(generate_s, 1),
            "copy_seconds": round(copy_s, 1),
            "total_seconds": round(time.perf_counter() - started, 1),
            "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": f"{platform.machine()} {os.cpu_count()} cpu, Python {platform.python_version()}, "
                       f"{platform.system()} {platform.release()}",
        })
        return result
    finally:
        gov.close()
        if store.kind == "postgres":
            if own_schema:
                drop_schema(store)
            drop_schema(floor_store)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    figures = main()
    if figures:
        rounded = {k: round(v, 3) if isinstance(v, float) else v for k, v in figures.items()}
        print(json.dumps(rounded) if "--json" in sys.argv else json.dumps(rounded, indent=2))
