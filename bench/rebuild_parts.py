"""Where a rebuild's time goes, part by part: `python bench/rebuild_parts.py STORE`.

Rebuilds every read model of STORE (a store URL, e.g. a copy of a register the
benchmark generated: `$TMPDIR/near-bench-cache/near-bench-1000000-...db`) with timers
around the projector's parts and prints one JSON object of seconds:

- `read`: selecting the stored events, batch by batch;
- `decode`: JSON to plain events, topic routing, upcasting;
- `handlers`: the history row and every read model's handlers, in Python;
- `flush`: writing each batch's rows (inserts and updates);
- `commit`: the rest of each batch's transaction (tracking row, BEGIN, COMMIT);
- `swap`: building the query indexes and swapping the new tables in;
- `checkpoint`: the WAL checkpoint after the swap (SQLite);
- `total`, and `rows`: rows added or put (inserted or updated) per table.

The timers cost a few percent; compare parts with each other, not with the benchmark's
`rebuild_seconds`. It rebuilds in place: give it a copy."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from near_gov.reads import Reads  # noqa: E402
from projections import engine, generations  # noqa: E402
from projections.batch import Batch  # noqa: E402
from projections.db import Database  # noqa: E402

parts: defaultdict[str, float] = defaultdict(float)
rows: Counter[str] = Counter()


def timed(owner: Any, name: str, part: str) -> None:
    """Wrap `owner.name` so that its time is added to `parts[part]`."""
    inner: Callable[..., Any] = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            parts[part] += time.perf_counter() - t0

    setattr(owner, name, wrapper)


def count_rows() -> None:
    """Count the rows the handlers add or put (insert or update), per table."""
    for name in ("add", "put"):
        inner: Callable[..., None] = getattr(Batch, name)

        def counted(self: Batch, table: Any, row: Any, inner: Callable[..., None] = inner) -> None:
            rows[table.name] += 1
            inner(self, table, row)

        setattr(Batch, name, counted)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", help="store URL (rebuilt in place: give it a copy)")
    args = parser.parse_args()
    timed(engine.Projector, "_read", "read")
    timed(engine.Projector, "_decode", "decode")
    timed(engine.Projector, "_apply", "apply")
    timed(engine.Projector, "_commit", "batch")
    timed(Batch, "flush", "flush")
    timed(generations, "swap", "swap")
    timed(Database, "checkpoint", "checkpoint")
    count_rows()
    reads = Reads(store=args.store)
    try:
        t0 = time.perf_counter()
        events = reads.rebuild()
        total = time.perf_counter() - t0
    finally:
        reads.close()
    result = {
        "events": events,
        "read": parts["read"], "decode": parts["decode"],
        "handlers": parts["apply"] - parts["flush"], "flush": parts["flush"],
        "commit": parts["batch"] - parts["apply"],
        "swap": parts["swap"], "checkpoint": parts["checkpoint"], "total": total,
        "rows": dict(rows.most_common()),
    }
    print(json.dumps({k: round(v, 2) if isinstance(v, float) else v for k, v in result.items()}))


if __name__ == "__main__":
    main()
