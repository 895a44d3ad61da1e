"""Mutation testing: how many small, deliberate bugs in the rules the test suite kills.

    python3.12 -m venv .venv-mutation && . .venv-mutation/bin/activate   # 3.12 or newer
    pip install -e '.[test,mutation]'
    python bench/mutation.py                     # every scope, then the table
    python bench/mutation.py domain integrity    # some scopes only
    python bench/mutation.py commands --sample 150 --seed 1   # a random sample
    python bench/mutation.py --report            # the table from the last run, no run
    python bench/mutation.py domain --survivors  # and the name of every surviving mutant

mutmut (configured in pyproject.toml, `[tool.mutmut]`) copies the packages into
`mutants/`, makes each mutant of a function selectable at run time, and runs, for each
mutant, only the tests that called that function (with `-x`). A mutant is killed when a
test fails; it survives when every test passes. A survivor is either a missing test or an
equivalent mutant (the same behaviour, e.g. a default argument nobody relies on changed
to another that gives the same answers); equivalents are listed with the reason in
`bench/mutation-equivalent.txt` and left out of the score.

PostgreSQL tests are not run here (they skip without NEAR_GOV_TEST_POSTGRES): the scopes
are the store-independent rules, and each mutant would otherwise pay for a server
round trip per test. Not in CI: a full run of every scope takes about two hours on 2
cores (`commands` alone about one; a sample of 150 a few minutes). Under Python 3.11.7
mutmut's first pass crashed here with a segmentation fault in `contextvars`.
"""

from __future__ import annotations

import argparse
import ast
import fnmatch
import json
import math
import random
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENT = Path(__file__).with_name("mutation-equivalent.txt")

# mutmut's exit codes (mutmut.stats.status_by_exit_code) folded into what the score needs.
KILLED = {1, 3, 24, -24, 36, 37, 152, 255, -9, -11}
SURVIVED = {0}
NO_TESTS = {5, 33}


@dataclass(frozen=True)
class Scope:
    about: str
    patterns: tuple[str, ...]
    target: float


def query_patterns() -> tuple[str, ...]:
    """The read models' queries: every method of `ReadModels` and every function of a
    read-model module that answers from a cursor (its first parameter is `c: Cursor`)."""
    patterns = ["projections.queries.xǁReadModelsǁ*"]
    for path in sorted((ROOT / "projections").glob("*.py")):
        for node in ast.parse(path.read_text()).body:
            if (isinstance(node, ast.FunctionDef) and node.args.args
                    and isinstance(node.args.args[0].annotation, ast.Name)
                    and node.args.args[0].annotation.id == "Cursor"):
                patterns.append(f"projections.{path.stem}.x_{node.name}__mutmut_*")
    return tuple(patterns)


def command_patterns() -> tuple[str, ...]:
    """The commands: every function of `near_gov/commands/` (the commands by process and
    the decisions' handlers) and every method of its unit of work. The persistence layer
    (loading, saving, snapshots) is not a command's: measured with the commands it would
    dilute them."""
    patterns = []
    for path in sorted((ROOT / "near_gov" / "commands").glob("*.py")):
        module = f"near_gov.commands.{path.stem}"
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.ClassDef):
                patterns += [f"{module}.xǁ{node.name}ǁ{item.name}__mutmut_*" for item in node.body
                             if isinstance(item, ast.FunctionDef)]
            elif isinstance(node, ast.FunctionDef):
                patterns.append(f"{module}.x_{node.name}__mutmut_*")
    return tuple(patterns)


SCOPES = {
    "domain": Scope("domain/ (aggregates, values, processes)", ("domain.*",), 0.90),
    "integrity": Scope("near_gov/integrity.py (hash chain, seals)", ("near_gov.integrity.*",), 0.90),
    "transfer": Scope("near_gov/transfer.py (export, import)", ("near_gov.transfer.*",), 0.90),
    "queries": Scope("the read models' queries (projections/)", query_patterns(), 0.80),
    "commands": Scope("the commands (near_gov/commands/: by process, handlers, unit of work)",
                      command_patterns(), 0.80),
}


def equivalents() -> dict[str, str]:
    """`NAME: reason` per line; blank lines and `#` comments are skipped."""
    listed: dict[str, str] = {}
    for line in EQUIVALENT.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, reason = line.partition(":")
            listed[name.strip()] = reason.strip()
    return listed


def results() -> dict[str, int | None]:
    """Every mutant's last exit code, from mutmut's `.meta` files."""
    codes: dict[str, int | None] = {}
    for meta in (ROOT / "mutants").rglob("*.py.meta"):
        codes.update(json.loads(meta.read_text())["exit_code_by_key"])
    return codes


def in_scope(name: str, scope: Scope) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in scope.patterns)


@dataclass
class Score:
    mutants: int
    killed: int
    equivalent: int
    not_checked: int
    alive: list[str]  # survived, or no test called the function
    target: float
    sampled: bool = False

    @property
    def score(self) -> float | None:
        counted = self.killed + len(self.alive)
        return round(self.killed / counted, 4) if counted else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return interval(self.killed, self.killed + len(self.alive)) if self.sampled else None

    @property
    def met(self) -> bool:
        return self.score is not None and self.score >= self.target and not self.not_checked


def score(scope: Scope, codes: dict[str, int | None], equivalent: dict[str, str],
          size: int | None = None, seed: int = 0) -> Score:
    names = sorted(n for n in codes if in_scope(n, scope)) if size is None else sample(scope, codes, size, seed)
    killed = [n for n in names if codes[n] in KILLED]
    alive = [n for n in names if codes[n] in SURVIVED | NO_TESTS and n not in equivalent]
    return Score(
        mutants=len(names), killed=len(killed),
        equivalent=sum(1 for n in names if n in equivalent and codes[n] not in KILLED),
        not_checked=sum(1 for n in names if codes[n] is None),
        alive=alive, target=scope.target, sampled=size is not None,
    )


GENERATE = """
import os
os.environ["MUTANT_UNDER_TEST"] = "mutant_generation"
from mutmut.__main__ import create_mutants, store_lines_covered_by_tests
from mutmut.utils.file_utils import copy_also_copy_files, copy_src_dir, setup_source_paths
os.makedirs("mutants", exist_ok=True)
copy_src_dir(); copy_also_copy_files(); setup_source_paths(); store_lines_covered_by_tests()
create_mutants(2)
"""


def generate() -> None:
    """Write the mutants without running them, so a sample can be drawn from their
    names. mutmut 3.8 has no command for this; these are the first steps of its `run`
    (the version is pinned in pyproject.toml's `mutation` extra)."""
    subprocess.run([sys.executable, "-c", GENERATE], cwd=ROOT, check=True)


def sample(scope: Scope, codes: dict[str, int | None], size: int, seed: int = 0) -> list[str]:
    """A repeatable random sample of the scope's mutants. Triage the survivors of one
    sample, then measure on a sample drawn with another seed: a score measured on the
    mutants whose tests were just written would flatter the suite."""
    names = sorted(n for n in codes if in_scope(n, scope))
    return sorted(random.Random(seed).sample(names, min(size, len(names))))


def interval(killed: int, counted: int) -> tuple[float, float]:
    """The 95% Wilson score interval of a sampled score."""
    if not counted:
        return (0.0, 1.0)
    z, p = 1.96, killed / counted
    centre = (p + z * z / (2 * counted)) / (1 + z * z / counted)
    half = z * math.sqrt(p * (1 - p) / counted + z * z / (4 * counted * counted)) / (1 + z * z / counted)
    return (round(centre - half, 4), round(centre + half, 4))


def run(scopes: list[str], children: int, size: int | None, seed: int) -> None:
    for name in scopes:
        started = time.monotonic()
        print(f"== {name}: {SCOPES[name].about}", flush=True)
        if size is None:
            chosen = list(SCOPES[name].patterns)
        else:
            if not results():
                generate()
            chosen = sample(SCOPES[name], results(), size, seed)
        subprocess.run(["mutmut", "run", "--max-children", str(children), *chosen], cwd=ROOT, check=False)
        print(f"== {name}: {time.monotonic() - started:.0f} s", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scopes", nargs="*", metavar="SCOPE",
                        help=f"scopes to run: {', '.join(SCOPES)} (default: all)")
    parser.add_argument("--report", action="store_true", help="print the last run's table; run nothing")
    parser.add_argument("--survivors", action="store_true", help="list every mutant still alive")
    parser.add_argument("--max-children", type=int, default=2, help="mutants run at once (default 2)")
    parser.add_argument("--json", action="store_true", help="print the table as JSON")
    parser.add_argument("--sample", type=int, metavar="N",
                        help="run and score a repeatable random sample of N mutants per scope "
                             "(the score then comes with its 95%% interval)")
    parser.add_argument("--seed", type=int, default=0, help="which sample --sample draws (default 0)")
    args = parser.parse_args()
    unknown = sorted(set(args.scopes) - set(SCOPES))
    if unknown:
        parser.error(f"no such scope: {', '.join(unknown)} (choose from {', '.join(SCOPES)})")
    chosen = args.scopes or list(SCOPES)
    if args.sample is not None and args.sample < 1:
        parser.error("--sample takes a positive number of mutants")
    if not args.report:
        run(chosen, args.max_children, args.sample, args.seed)

    codes, equivalent = results(), equivalents()
    table = {name: score(SCOPES[name], codes, equivalent, args.sample, args.seed) for name in chosen}
    stale = sorted(n for n in equivalent if codes.get(n) in KILLED or n not in codes)
    if args.json:
        print(json.dumps({"scopes": {n: {"mutants": t.mutants, "killed": t.killed, "alive": len(t.alive),
                                         "equivalent": t.equivalent, "not_checked": t.not_checked,
                                         "score": t.score, "interval_95": t.interval, "target": t.target}
                                     for n, t in table.items()},
                          "stale_equivalents": stale}, indent=2))
    else:
        print(f"{'scope':<10} {'mutants':>7} {'killed':>6} {'alive':>5} {'equiv':>5} {'unrun':>5} "
              f"{'score':>6} target")
        for name, t in table.items():
            shown = "-" if t.score is None else f"{t.score:.1%}"
            low_high = f"  (95%: {t.interval[0]:.1%} to {t.interval[1]:.1%})" if t.interval else ""
            print(f"{name:<10} {t.mutants:>7} {t.killed:>6} {len(t.alive):>5} {t.equivalent:>5} "
                  f"{t.not_checked:>5} {shown:>6} {t.target:.0%}{low_high}")
        for name in stale:
            print(f"listed as equivalent but killed or gone (remove it): {name}")
    if args.survivors:
        for name, t in table.items():
            for mutant in t.alive:
                print(f"{name}: {mutant}")
    return 0 if all(t.met for t in table.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
