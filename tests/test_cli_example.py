"""examples/admission.sh runs as documented, with the installed `near-gov`, against a
fresh store: a SQLite file, and PostgreSQL when NEAR_GOV_TEST_POSTGRES is set."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).parent.parent / "examples" / "admission.sh"
BIN = Path(sys.executable).parent


def test_admission_walkthrough_runs_from_letter_to_roster(store_url, tmp_path):
    assert (BIN / "near-gov").exists(), f"install the package first (pip install -e .): no near-gov in {BIN}"
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "NEAR_GOV_STORE": store_url}

    run = subprocess.run(["bash", str(SCRIPT)], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)

    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stderr == ""
    assert run.stdout.rstrip().endswith("== Rasun City is a member since 2002-09-10 by decision GA-4/D1.")
