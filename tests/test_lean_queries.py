"""A query whose read models are at the log's head reads them through a plain connection
(`near_gov.persistence.direct`): the process never imports pydantic or eventsourcing
(nor psycopg, on SQLite), and answers exactly what the library's way answers. Where the
read models are behind the log or of an older VERSION, the query goes the library's
way, which catches them up, and answers with every event.

Each command runs as a user runs it, in a process of its own (`near_gov.cli.run`),
which writes the names of the modules it imported to a file as it exits."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest

from tests.conftest import POSTGRES_URL

ROOT = Path(__file__).resolve().parent.parent
HISTORY = ROOT / "examples/near/history.yaml"

#: Imports the process, then runs the command line; at exit, writes sys.modules to argv[1].
CHILD = """
import atexit, sys
out = sys.argv.pop(1)
atexit.register(lambda: open(out, "w").write("\\n".join(sorted(sys.modules))))
from near_gov.cli import run
run()
"""

#: What the write side and the library load (psycopg: on SQLite).
WRITE_SIDE = ("pydantic", "pydantic_core", "eventsourcing")

#: Every read-only command that goes through `Reads(store=...)`, in each of its formats.
QUERIES = [
    ("roster",), ("roster", "--format", "json"), ("roster", "--format", "csv"),
    ("roster", "--as-of", "2004-01-01", "--country", "KR", "--format", "json"),
    ("roster", "--as-of", "1996-12-31", "--documented-only"),
    ("roster", "--known-at", "2000-01-01T00:00:00Z", "--format", "json"),
    ("history",), ("history", "--format", "json"), ("history", "--region", "Rasun City", "--format", "csv"),
    ("history", "--assembly", "GA-4", "--format", "json"),
    ("region", "list"), ("region", "list", "--format", "json"), ("region", "show", "Rasun City"),
    ("region", "show", "rasun  city", "--format", "json"),
    ("audit", "membership", "Rasun City"), ("audit", "membership", "Rasun City", "--format", "json"),
    ("assembly", "list"), ("assembly", "list", "--format", "csv"), ("assembly", "show", "GA-4"),
    ("assembly", "show", "GA-4", "--format", "json"),
    ("committee", "list"), ("committee", "list", "--format", "json"),
    ("committee", "show", "Sub-Committee on Disaster Prevention", "--format", "json"),
    ("charter", "show"), ("charter", "show", "--as-of", "2000", "--format", "json"), ("charter", "history"),
    ("charter", "diff", "0", "1", "--format", "json"),
    ("tasks",), ("tasks", "--format", "json"),
    ("application", "list"), ("application", "list", "--status", "submitted", "--format", "json"),
    ("application", "show", "APP-2012-001"), ("application", "show", "APP-2012-001", "--format", "json"),
    ("case", "list"), ("case", "show", "WDR-2020-001", "--format", "json"),
]

#: Queries that fail on what they are asked, after reading the read models.
REFUSALS = [("region", "show", "Nowhere"), ("assembly", "show", "GA-99"), ("history", "--assembly", "GA-99")]


class Run:
    def __init__(self, done: subprocess.CompletedProcess[str], modules: set[str]):
        self.code, self.stdout, self.stderr, self.modules = done.returncode, done.stdout, done.stderr, modules

    def loaded(self, *packages: str) -> list[str]:
        return sorted(m for m in self.modules if m.split(".")[0] in packages)


def near_gov(url: str, *args: str, tmp: Path, env: dict[str, str] | None = None) -> Run:
    """`near-gov --store URL --actor clerk ARGS` in a process of its own. Settings of the
    library's own are left out of its environment unless given (`env`): with them the
    store is read through the library."""
    modules = tmp / f"modules-{uuid4().hex}.txt"
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("POSTGRES_", "SQLITE_", "PERSISTENCE_"))}
    done = subprocess.run([sys.executable, "-c", CHILD, str(modules), "--store", url, "--actor", "clerk", *args],
                          capture_output=True, text=True, env={**clean, **(env or {})}, cwd=ROOT)
    return Run(done, set(modules.read_text().split()))


def given_near(url: str, tmp: Path) -> None:
    """NEAR's documented history, an application and a withdrawal case, read once (so at the head)."""
    for args in (("load", str(HISTORY)),
                 ("application", "submit", "Fujian Province", "--country", "CN", "--on", "2012-03-05"),
                 ("case", "notify-withdrawal", "Rasun City", "--on", "2020-01-01", "--source", "a letter"),
                 ("roster", "--format", "json")):
        run = near_gov(url, *args, tmp=tmp)
        assert run.code == 0, run.stderr


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def near(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A store holding NEAR's history with its read models at the head, and a folder."""
    tmp = tmp_path_factory.mktemp("lean")
    if request.param == "sqlite":
        url = str(tmp / "near.db")
        given_near(url, tmp)
        yield url, tmp
        return
    if not os.environ.get("NEAR_GOV_TEST_POSTGRES"):
        pytest.skip("set NEAR_GOV_TEST_POSTGRES=1 to run against PostgreSQL at 127.0.0.1:5432")
    import psycopg
    from psycopg.sql import SQL, Identifier

    schema = f"t_{uuid4().hex}"
    url = f"{POSTGRES_URL}?schema={schema}"
    given_near(url, tmp)
    yield url, tmp
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute(SQL("DROP SCHEMA IF EXISTS {0} CASCADE").format(Identifier(schema)))


def library_settings(url: str) -> dict[str, str]:
    """A setting of the library's own, the same value the store gives it: the query then
    reads through the library, and is the reference an answer read directly must equal."""
    return {"POSTGRES_CONNECT_TIMEOUT": "5"} if url.startswith("postgresql") else {"SQLITE_LOCK_TIMEOUT": "10"}


def without_write_side(url: str) -> tuple[str, ...]:
    return WRITE_SIDE if url.startswith("postgresql") else (*WRITE_SIDE, "psycopg", "psycopg_pool")


@pytest.mark.parametrize("args", QUERIES, ids=" ".join)
def test_a_query_at_the_head_loads_neither_the_library_nor_pydantic_and_answers_as_the_library(
        near: tuple[str, Path], args: tuple[str, ...]):
    url, tmp = near

    lean = near_gov(url, *args, tmp=tmp)
    through_library = near_gov(url, *args, tmp=tmp, env=library_settings(url))

    assert lean.code == 0, lean.stderr
    assert lean.loaded(*without_write_side(url)) == []
    assert through_library.loaded("eventsourcing") != []
    assert (lean.stdout, lean.stderr) == (through_library.stdout, through_library.stderr)
    assert lean.stdout.strip()


@pytest.mark.parametrize("args", REFUSALS, ids=" ".join)
def test_a_query_refused_at_the_head_says_what_the_library_way_says(near: tuple[str, Path], args: tuple[str, ...]):
    url, tmp = near

    lean = near_gov(url, *args, tmp=tmp)
    through_library = near_gov(url, *args, tmp=tmp, env=library_settings(url))

    assert lean.loaded(*without_write_side(url)) == []
    assert (lean.code, lean.stdout, lean.stderr) == (through_library.code, through_library.stdout,
                                                     through_library.stderr)
    assert lean.code == 1 and lean.stderr.startswith("Error: no ")


def applications(run: Run) -> list[str]:
    assert run.code == 0, run.stderr
    return [a["reference"] for a in json.loads(run.stdout)]


def test_a_query_behind_the_log_catches_up_through_the_library_then_reads_directly(tmp_path: Path):
    url = str(tmp_path / "near.db")
    given_near(url, tmp_path)
    submitted = near_gov(url, "application", "submit", "Jilin Province", "--country", "CN", "--on", "2013-01-10",
                         tmp=tmp_path)
    assert submitted.code == 0, submitted.stderr

    behind = near_gov(url, "application", "list", "--format", "json", tmp=tmp_path)
    at_head = near_gov(url, "application", "list", "--format", "json", tmp=tmp_path)

    assert applications(behind) == ["APP-2012-001", "APP-2013-001"]
    assert behind.loaded("eventsourcing") != []
    assert applications(at_head) == applications(behind)
    assert at_head.loaded(*without_write_side(url)) == []


def tracking(path: Path, statement: str = "SELECT version, position FROM read_tracking WHERE name = 'register'",
             ) -> Any:
    with sqlite3.connect(path) as connection:
        return connection.execute(statement).fetchone()


def test_read_models_of_an_older_version_are_rebuilt_through_the_library(tmp_path: Path):
    path = tmp_path / "near.db"
    given_near(str(path), tmp_path)
    before = near_gov(str(path), "roster", "--format", "json", tmp=tmp_path)
    version, position = tracking(path)
    tracking(path, f"UPDATE read_tracking SET version = {version - 1} WHERE name = 'register'")

    rebuilt = near_gov(str(path), "roster", "--format", "json", tmp=tmp_path)

    assert rebuilt.loaded("eventsourcing") != []
    assert (rebuilt.code, rebuilt.stdout) == (0, before.stdout)
    assert tracking(path) == (version, position)


def test_a_store_without_read_models_answers_through_the_library(tmp_path: Path):
    path = tmp_path / "near.db"
    given_near(str(path), tmp_path)
    before = near_gov(str(path), "history", "--region", "Rasun City", "--format", "json", tmp=tmp_path)
    tracking(path, "DROP TABLE read_tracking")

    again = near_gov(str(path), "history", "--region", "Rasun City", "--format", "json", tmp=tmp_path)

    assert again.loaded("eventsourcing") != []
    assert (again.code, again.stdout) == (0, before.stdout)
