"""Receipts: `audit prove NAME|DECISION_REF --out RECEIPT` and `audit check RECEIPT --key
PUBLIC`. A receipt for Rasun City's membership on NEAR's documented history is checked
in a fresh virtual environment holding only `cryptography` and three modules of
near-gov (no store, no log, no eventsourcing), and fails when any byte of it changes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from near_gov import keys, receipt
from tests.cli_support import Cli
from tests.histories import given_rasun_city_admitted_at_ga4

ROOT = Path(__file__).resolve().parent.parent
HISTORY = ROOT / "examples" / "near" / "history.yaml"
#: All a member region needs of near-gov to check a receipt.
CHECKER = ("merkle.py", "keys.py", "receipt.py")


@pytest.fixture(scope="module")
def checked_history(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """NEAR's documented history loaded, sealed with the Secretariat's key, and Rasun
    City's receipt written; another key beside it."""
    folder = tmp_path_factory.mktemp("history")
    cli = Cli(str(folder / "register.db"))
    cli.ok("load", str(HISTORY))
    for name in ("secretariat", "other"):
        cli.ok("audit", "keygen", "--out", str(folder / f"{name}.key"))
    cli.ok("audit", "seal", "--key", str(folder / "secretariat.key"))
    cli.ok("audit", "prove", "Rasun City", "--out", str(folder / "rasun-city.json"))
    return {"cli": cli, "receipt": folder / "rasun-city.json", "public": str(folder / "secretariat.key.pub"),
            "other": str(folder / "other.key.pub")}


@pytest.fixture(scope="module")
def fresh_venv(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A new virtual environment with only `cryptography` installed, and a folder
    holding a `near_gov` package of just the checker's modules."""
    folder = tmp_path_factory.mktemp("member-region")
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    pip = subprocess.run([str(python), "-m", "pip", "install", "-q", "cryptography"], capture_output=True, text=True)
    assert pip.returncode == 0, pip.stderr
    package = folder / "checker" / "near_gov"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    for name in CHECKER:
        shutil.copyfile(ROOT / "near_gov" / name, package / name)
    return {"python": python, "cwd": folder / "checker"}


def run_checker(venv: dict[str, Path], receipt_path: Path, public: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(venv["python"]), "-m", "near_gov.receipt", str(receipt_path), "--key", public],
                          cwd=venv["cwd"], capture_output=True, text=True)


def test_a_receipt_for_rasun_city_verifies_in_a_fresh_environment_with_only_the_public_key(checked_history,
                                                                                           fresh_venv):
    done = run_checker(fresh_venv, checked_history["receipt"], checked_history["public"])

    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("The receipt holds: key ")
    assert "RegionalGovernment.Registered  name Rasun City, country KP" in done.stdout
    assert "RegionalGovernment.StatusRecorded  status member, since 2002-09/2010-10" in done.stdout


def test_the_fresh_environment_has_no_near_gov_dependency_but_cryptography(fresh_venv):
    probe = "import importlib.util as u; print([m for m in ('eventsourcing', 'pydantic', 'click', 'yaml', " \
            "'cryptography') if u.find_spec(m)])"

    done = subprocess.run([str(fresh_venv["python"]), "-c", probe], cwd=fresh_venv["cwd"], capture_output=True,
                          text=True)

    assert done.stdout.strip() == "['cryptography']", done.stderr


@pytest.mark.parametrize("where", ["signature", "root", "state", "proof", "position", "final newline"])
def test_a_receipt_with_a_byte_changed_fails_in_the_fresh_environment_with_exit_4(checked_history, fresh_venv,
                                                                                    tmp_path, where):
    data = checked_history["receipt"].read_bytes()
    at = {"signature": data.index(b'"signature": "') + 20, "root": data.index(b'"root": "') + 15,
          "state": data.index(b"Rasun City"), "proof": data.index(b'"proof": [') + 20,
          "position": data.index(b'"position": ') + 12, "final newline": len(data) - 1}[where]
    changed = tmp_path / "changed.json"
    changed.write_bytes(data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1:])

    done = run_checker(fresh_venv, changed, checked_history["public"])

    assert done.returncode == 4, (where, done.stdout, done.stderr)
    assert done.stderr.startswith("Error: the receipt does not hold: ") and done.stdout == ""


def test_every_single_byte_change_of_the_receipt_fails_the_check(checked_history):
    data = checked_history["receipt"].read_bytes()
    public = keys.load_public(checked_history["public"])
    assert receipt.check(data, public)["entries"]

    for at in range(len(data)):
        with pytest.raises(receipt.ReceiptRefused):
            receipt.check(data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1:], public)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_any_changed_byte_of_the_receipt_fails_the_check(checked_history, data):
    original = checked_history["receipt"].read_bytes()
    at = data.draw(st.integers(0, len(original) - 1))
    byte = data.draw(st.integers(0, 255).filter(lambda b: b != original[at]))

    with pytest.raises(receipt.ReceiptRefused):
        receipt.check(original[:at] + bytes([byte]) + original[at + 1:], keys.load_public(checked_history["public"]))


def test_audit_check_shows_what_the_receipt_proves_and_refuses_another_key(checked_history):
    cli = checked_history["cli"]
    shown = cli.json("audit", "check", str(checked_history["receipt"]), "--key", checked_history["public"])
    other = keys.key_id(keys.load_public(checked_history["other"]))
    mine = shown["tree_head"]["key_id"]

    refused = cli("audit", "check", str(checked_history["receipt"]), "--key", checked_history["other"])

    assert [e["facts"].get("name") for e in shown["entries"]][0] == "Rasun City"
    assert (refused.exit_code, refused.stderr) == (
        4, f"Error: the receipt does not hold: its tree head is signed by key {mine}, not by the given key {other}\n")


def test_a_decision_receipt_holds_the_decision_and_its_effects(store_url, tmp_path):
    cli = Cli(store_url).given(given_rasun_city_admitted_at_ga4)
    cli.ok("audit", "keygen", "--out", str(tmp_path / "k"))
    cli.ok("audit", "seal", "--key", str(tmp_path / "k"))

    cli.ok("audit", "prove", "ga-4/d1", "--out", str(tmp_path / "d1.json"))

    shown = cli.json("audit", "check", str(tmp_path / "d1.json"), "--key", str(tmp_path / "k.pub"))
    assert [e["event"] for e in shown["entries"]] == ["Assembly.DecisionTaken", "Application.Approved",
                                                      "RegionalGovernment.Admitted"]
    assert {e["facts"].get("ref") or e["facts"].get("cause") or e["facts"].get("decision")
            for e in shown["entries"]} == {"GA-4/D1"}


def test_a_region_receipt_holds_the_decision_its_record_cites(store_url, tmp_path):
    cli = Cli(store_url).given(given_rasun_city_admitted_at_ga4)
    cli.ok("audit", "keygen", "--out", str(tmp_path / "k"))
    cli.ok("audit", "seal", "--key", str(tmp_path / "k"))

    cli.ok("audit", "prove", "rasun  city", "--out", str(tmp_path / "r.json"))

    shown = cli.json("audit", "check", str(tmp_path / "r.json"), "--key", str(tmp_path / "k.pub"))
    assert [e["event"] for e in shown["entries"]] == ["RegionalGovernment.Registered", "Assembly.DecisionTaken",
                                                      "RegionalGovernment.Admitted"]


def test_prove_without_a_signed_seal_is_refused_and_writes_no_file(tmp_path):
    cli = Cli(str(tmp_path / "register.db")).given(given_rasun_city_admitted_at_ga4)
    cli.ok("audit", "seal")
    out = tmp_path / "r.json"

    cli.fails("audit", "prove", "Rasun City", "--out", str(out), code=1,
              error="the register has no signed seal over its events: seal it with the key first "
                    "(`near-gov audit seal --key PRIVATE`)")
    assert not out.exists()


def test_prove_of_events_recorded_after_the_signed_seal_is_refused(tmp_path):
    cli = Cli(str(tmp_path / "register.db")).given(given_rasun_city_admitted_at_ga4)
    cli.ok("audit", "keygen", "--out", str(tmp_path / "k"))
    cli.ok("audit", "seal", "--key", str(tmp_path / "k"))
    cli.ok("region", "register", "Tottori Prefecture", "--country", "JP")
    out = tmp_path / "r.json"

    cli.fails("audit", "prove", "Tottori Prefecture", "--out", str(out), code=1,
              error=f"no event about Tottori Prefecture is attested by the last signed seal (the first "
                    f"{json.loads(cli.ok('audit', 'verify', '--format', 'json').stdout)['position'] - 4} events): "
                    "seal the register with the key first (`near-gov audit seal --key PRIVATE`)")
    assert not out.exists()


# --- the log only grew: consistency proofs -------------------------------------------------


@pytest.fixture
def grown(tmp_path: Path) -> dict[str, Any]:
    """A receipt for Rasun City, then more events, a second signed seal, and the proof
    that the second tree extends the receipt's."""
    cli = Cli(str(tmp_path / "register.db")).given(given_rasun_city_admitted_at_ga4)
    cli.ok("audit", "keygen", "--out", str(tmp_path / "k"))
    cli.ok("audit", "seal", "--key", str(tmp_path / "k"))
    cli.ok("audit", "prove", "Rasun City", "--out", str(tmp_path / "r.json"))
    size = json.loads((tmp_path / "r.json").read_bytes())["tree_head"]["size"]
    cli.ok("region", "register", "Tottori Prefecture", "--country", "JP")
    cli.ok("audit", "seal", "--key", str(tmp_path / "k"))
    cli.ok("audit", "prove", "--since", str(size), "--out", str(tmp_path / "grown.json"))
    return {"cli": cli, "receipt": tmp_path / "r.json", "grown": tmp_path / "grown.json", "size": size,
            "public": str(tmp_path / "k.pub"), "folder": tmp_path}


def test_a_later_signed_tree_shows_the_log_still_holds_the_receipts_events(grown, fresh_venv):
    shown = grown["cli"].json("audit", "check", str(grown["receipt"]), str(grown["grown"]), "--key", grown["public"])
    done = subprocess.run([str(fresh_venv["python"]), "-m", "near_gov.receipt", str(grown["receipt"]),
                           str(grown["grown"]), "--key", grown["public"]], cwd=fresh_venv["cwd"], capture_output=True,
                          text=True)

    assert shown["consistency"]["from"] == grown["size"]
    assert shown["consistency"]["to"] == grown["size"] + 4  # the receipt's seal, and Tottori's three events
    assert done.returncode == 0, done.stderr
    assert f"which extend the first {grown['size']} (it only grew)" in done.stdout


def test_every_single_byte_change_of_a_consistency_proof_fails_the_check(grown):
    public = keys.load_public(grown["public"])
    checked = receipt.check(grown["receipt"].read_bytes(), public)
    data = grown["grown"].read_bytes()
    assert receipt.check_growth(data, public, checked)["to"] > grown["size"]

    for at in range(len(data)):
        with pytest.raises(receipt.ReceiptRefused):
            receipt.check_growth(data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1:], public, checked)


def test_a_consistency_proof_from_another_tree_than_the_receipts_is_refused(grown):
    cli = grown["cli"]
    cli.ok("audit", "seal", "--key", str(grown["folder"] / "k"))
    later = json.loads(grown["grown"].read_bytes())["to"]["size"]
    cli.ok("audit", "prove", "--since", str(later), "--out", str(grown["folder"] / "later.json"))

    refused = cli("audit", "check", str(grown["receipt"]), str(grown["folder"] / "later.json"), "--key",
                  grown["public"])

    assert (refused.exit_code, refused.stderr) == (
        4, "Error: the receipt does not hold: the consistency proof starts from another tree head than the receipt's\n")


def test_prove_since_a_size_no_signed_seal_covers_is_refused_and_writes_no_file(grown):
    out = grown["folder"] / "none.json"

    grown["cli"].fails("audit", "prove", "--since", str(grown["size"] - 1), "--out", str(out), code=1,
                       error=f"no signed seal covers exactly the first {grown['size'] - 1} events: give the size a "
                             "receipt's tree_head states")
    assert not out.exists()
