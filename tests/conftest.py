"""Shared fixtures: the stores every persistence-touching test runs against."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest

POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty store: a SQLite file, or a new schema of the test PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite://{tmp_path / 'register.db'}"
        return
    if not os.environ.get("NEAR_GOV_TEST_POSTGRES"):
        pytest.skip("set NEAR_GOV_TEST_POSTGRES=1 to run against PostgreSQL at 127.0.0.1:5432")
    import psycopg  # only when PostgreSQL tests run
    from psycopg.sql import SQL, Identifier

    schema = f"t_{uuid4().hex}"
    yield f"{POSTGRES_URL}?schema={schema}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute(SQL("DROP SCHEMA IF EXISTS {0} CASCADE").format(Identifier(schema)))


@pytest.fixture
def memory_url() -> str:
    return "memory"


@pytest.fixture
def gov(store_url: str) -> Iterator[Any]:
    """The Governance service on a fresh store, recording as `clerk`."""
    from near_gov.service import Governance

    app = Governance(store_url, actor="clerk")
    yield app
    app.close()


@pytest.fixture
def cli(tmp_path: Path) -> Any:
    """`near-gov` run in-process on a fresh SQLite file."""
    from tests.cli_support import cli_on

    return cli_on(tmp_path)


@pytest.fixture
def scheduled(cli: Any) -> Any:
    """The command line on a register where Rasun City's application awaits GA-4."""
    from tests.histories import given_rasun_city_scheduled_for_ga4

    return cli.given(given_rasun_city_scheduled_for_ga4)


@pytest.fixture
def admitted(cli: Any) -> Any:
    """The command line on a register where GA-4 admitted Rasun City and closed."""
    from tests.cli_support import given_admitted

    return cli.given(given_admitted)
