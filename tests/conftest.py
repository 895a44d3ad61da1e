"""Shared fixtures: the stores every persistence-touching test runs against."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
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
    import psycopg  # noqa: PLC0415  (only when PostgreSQL tests run)
    from psycopg.sql import SQL, Identifier  # noqa: PLC0415

    schema = f"t_{uuid4().hex}"
    yield f"{POSTGRES_URL}?schema={schema}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute(SQL("DROP SCHEMA IF EXISTS {0} CASCADE").format(Identifier(schema)))


@pytest.fixture
def memory_url() -> str:
    return "memory"
