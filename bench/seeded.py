"""Seeded bugs: each is a small, realistic bug that once survived the test suite. Each is
put into a copy of the project in turn and the tests named for it are run: they must
fail with the bug in and pass without it.

    python bench/seeded.py                 # every bug, SQLite and (if set) PostgreSQL
    NEAR_GOV_TEST_POSTGRES=1 python bench/seeded.py member-as-observer

The working tree is never changed: the bugs go into a temporary copy.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Bug:
    name: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]


BUGS = (
    Bug("member-as-observer", "domain/region.py",
        "Status.MEMBER: {Status.WITHDRAWN},", "Status.MEMBER: {Status.WITHDRAWN, Status.OBSERVER},",
        ("tests/test_core.py", "tests/test_cli_region.py", "-k",
         "member_cannot_be_recorded_as_observer or cannot_become_an_observer")),
    Bug("assembly-elects-observer", "domain/committee.py",
        '        region.check_is_member_on(on, f"coordinator of {self.name}")\n', "",
        ("tests/test_core.py", "tests/test_cli_assembly.py", "-k",
         "elect_an_observer or elect_coordinator_refuses_an_observer")),
    Bug("link-without-version", "near_gov/integrity.py",
        "(event.topic, event.originator_id, event.originator_version, event.state)",
        "(event.topic, event.originator_id, event.state)",
        ("tests/test_integrity.py", "-k", "known_answers or originator_version")),
    Bug("resume-without-state", "near_gov/transfer.py",
        "(mine.originator_id, mine.originator_version, mine.topic, bytes(mine.state)) != (\n"
        "                    theirs.originator_id, theirs.originator_version, theirs.topic, theirs.state)",
        "(mine.originator_id, mine.originator_version, mine.topic) != (\n"
        "                    theirs.originator_id, theirs.originator_version, theirs.topic)",
        ("tests/test_transfer.py", "tests/test_cli_tools.py", "-k", "differ_only_in_content")),
    Bug("no-retry", "near_gov/persistence/register.py",
        "        for _ in range(RETRIES - 1):\n            try:\n                return command()\n"
        "            except ConcurrentChange:\n                continue\n        return command()",
        "        return command()",
        ("tests/test_concurrency.py",)),
    Bug("report-decision-unescaped", "near_gov/report.py",
        'esc(d["ref"]), esc(d["kind"]), esc(d["text"])', 'esc(d["ref"]), esc(d["kind"]), d["text"]',
        ("tests/test_report.py", "-k", "hostile")),
    Bug("change-before-status", "domain/region.py",
        "if self.timeline and since < self.timeline[-1].since:",
        "if False and self.timeline and since < self.timeline[-1].since:",
        ("tests/test_region.py", "tests/test_core.py", "tests/test_cli_region.py", "-k",
         "precede or before_the_current or before_the_membership")),
)


def pytest(copy: Path, tests: tuple[str, ...]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests],
                          cwd=copy, capture_output=True, text=True, env=os.environ | {"PYTHONDONTWRITEBYTECODE": "1"})


def last_line(done: subprocess.CompletedProcess[str]) -> str:
    lines = done.stdout.strip().splitlines()
    return lines[-1] if lines else done.stderr.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bugs", nargs="*", metavar="BUG", help=f"bugs to seed: {', '.join(b.name for b in BUGS)}")
    args = parser.parse_args()
    unknown = set(args.bugs) - {b.name for b in BUGS}
    if unknown:
        parser.error(f"no such bug: {', '.join(sorted(unknown))}")
    chosen = [b for b in BUGS if not args.bugs or b.name in args.bugs]
    survived = []
    with tempfile.TemporaryDirectory(prefix="near-gov-seeded-") as tmp:
        copy = Path(tmp) / "project"
        shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(
            ".git", ".venv*", "mutants", "__pycache__", ".hypothesis", ".pytest_cache", "*.egg-info"))
        for bug in chosen:
            target = copy / bug.path
            original = target.read_text()
            if original.count(bug.old) != 1:
                print(f"{bug.name}: the code it changes is no longer there ({bug.path}); update the bug")
                survived.append(bug.name)
                continue
            target.write_text(original.replace(bug.old, bug.new))
            seeded = pytest(copy, bug.tests)
            target.write_text(original)
            clean = pytest(copy, bug.tests)
            killed = seeded.returncode == 1 and clean.returncode == 0
            print(f"{bug.name}: {'killed' if killed else 'SURVIVED'} (with the bug: {last_line(seeded)}; "
                  f"without: {last_line(clean)})")
            if not killed:
                survived.append(bug.name)
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
