"""Every `Example:` in every command's help runs on NEAR's loaded history: each command's
examples, in help order, on a fresh copy of a store that loaded `examples/near/history.yaml`,
each line run as a user would type it (a shell, `near-gov` on the PATH), exiting 0 and
printing something (or writing the file it redirects to). Examples that need an earlier
step show it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from near_gov.cli import main

ROOT = Path(__file__).resolve().parent.parent


def _commands(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[tuple[str, click.Command]]:
    """Every command and group below `group`, the group first, in help order."""
    yield " ".join(path) or "near-gov", group
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))
        else:
            yield " ".join((*path, name)), command


def examples(command: click.Command) -> list[str]:
    """The command lines under `Example:` in a command's help, continuation lines joined."""
    lines, joined = (command.help or "").splitlines(), []
    started = False
    for line in lines:
        text = line.strip()
        if re.fullmatch(r"Examples?:", text):
            started = True
            continue
        if not started:
            continue
        if joined and joined[-1].endswith("\\"):
            joined[-1] = joined[-1][:-1].rstrip() + " " + text
        elif text.startswith("near-gov "):
            joined.append(text)
    return joined


COMMANDS = list(_commands(main))


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("loaded") / "near.db"
    subprocess.run([_near_gov(), "--store", str(store), "load", str(ROOT / "examples/near/history.yaml")],
                   check=True, capture_output=True)
    return store


def _near_gov() -> str:
    return str(Path(sys.executable).with_name("near-gov"))


def test_every_command_has_an_example():
    assert [name for name, command in COMMANDS if not examples(command)] == []


#: Commands whose examples need a PostgreSQL server and its roles (tests/test_db_roles.py runs them).
NEEDS_POSTGRES = {"store grant"}


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[name for name, _ in COMMANDS])
def test_every_example_runs_on_the_loaded_history(name, command, loaded, tmp_path):
    if name in NEEDS_POSTGRES:
        pytest.skip("needs a PostgreSQL server and roles: tests/test_db_roles.py runs it")
    store = tmp_path / "near.db"
    shutil.copy(loaded, store)
    (tmp_path / "examples/near").mkdir(parents=True)
    shutil.copy(ROOT / "examples/near/history.yaml", tmp_path / "examples/near/history.yaml")
    env = {**os.environ, "NEAR_GOV_STORE": str(store), "NEAR_GOV_ACTOR": "clerk",
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    for line in examples(command):
        done = subprocess.run(["bash", "-o", "pipefail", "-c", line], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"{line}\n{done.stderr}"
        written = re.search(r"(?:>|--out)\s+(\S+)\s*$", line)
        if written:
            assert (tmp_path / written.group(1)).stat().st_size > 0, line
        else:
            assert done.stdout.strip(), f"{line} printed nothing"
