"""Keys and signed seals: `audit keygen`, `audit seal --key`, `audit verify --key
[--require-attested]` on SQLite and PostgreSQL, and `audit verify --from EXPORT` with no
store at all. A forged append after a signed seal, a seal signed by another key, a
forged signature and an edited event inside the attested range each exit 4."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat, load_pem_public_key
from eventsourcing.persistence import StoredEvent
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.seal import Seal
from near_gov.attested import SEALED
from near_gov.integrity import index_chain, verify
from tests.cli_support import Cli
from tests.histories import given_rasun_city_admitted_at_ga4
from tests.test_integrity import RawStore


@pytest.fixture
def keys(tmp_path: Path) -> dict[str, Any]:
    """Two key pairs: the Secretariat's, and somebody else's."""
    made = {}
    for name in ("secretariat", "other"):
        out = str(tmp_path / f"{name}.key")
        made[name] = Cli("memory").json("audit", "keygen", "--out", out) | {"path": out}
    return made


@pytest.fixture
def sealed(store_url: str, keys: dict[str, Any]) -> Cli:
    """A register where GA-4 admitted Rasun City, sealed with the Secretariat's key."""
    cli = Cli(store_url).given(given_rasun_city_admitted_at_ga4)
    cli.ok("audit", "seal", "--key", keys["secretariat"]["path"])
    return cli


def pub(keys: dict[str, Any], who: str = "secretariat") -> str:
    return keys[who]["public"]


# --- keys --------------------------------------------------------------------------------


def test_keygen_writes_a_private_key_only_its_owner_reads_and_a_public_key_named_by_its_fingerprint(keys):
    made = keys["secretariat"]
    public = load_pem_public_key(Path(made["public"]).read_bytes())
    raw = public.public_bytes(Encoding.Raw, PublicFormat.Raw)

    assert stat.S_IMODE(os.stat(made["private"]).st_mode) == 0o600
    assert made["public"] == made["private"] + ".pub"
    assert made["key_id"] == hashlib.sha256(raw).hexdigest()[:16]
    assert keys["other"]["key_id"] != made["key_id"]
    assert b"PRIVATE KEY" in Path(made["private"]).read_bytes()


def test_keygen_refuses_to_replace_a_key_and_changes_nothing(keys):
    path = keys["secretariat"]["path"]
    before = Path(path).read_bytes(), Path(path + ".pub").read_bytes()

    result = Cli("memory")("audit", "keygen", "--out", path)

    assert (result.exit_code, result.stderr) == (
        2, f"Error: {path} already exists: keep that key, or give another name with --out\n")
    assert (Path(path).read_bytes(), Path(path + ".pub").read_bytes()) == before


def test_a_public_key_is_needed_to_verify_and_a_private_one_to_sign(sealed, keys):
    private = keys["secretariat"]["path"]

    sealed.fails("audit", "verify", "--key", private, code=2,
                 error=f"{private} is a private key: give the public key (the .pub file), which is all a check needs")
    result = sealed("audit", "seal", "--key", pub(keys))
    assert result.exit_code == 2 and result.stderr.startswith(f"Error: {pub(keys)} is not an unencrypted PEM"), \
        result.output


# --- signed seals in the store -------------------------------------------------------------


def test_a_signed_seal_attests_every_event_before_it(sealed, keys):
    done = sealed.json("audit", "verify", "--key", pub(keys), "--require-attested")

    assert done["signed_seals"] == 1 and done["key_id"] == keys["secretariat"]["key_id"]
    assert done["attested"] == done["position"] - 1  # all but the seal itself
    assert done["unattested"] == 0


def test_a_signed_seal_records_its_root_key_time_and_signature(sealed, keys):
    with sealed.gov() as gov:
        (notification,) = gov.recorder.select_notifications(start=1, limit=10**6, topics=[SEALED])
        event = gov.mapper.to_domain_event(notification)

    assert isinstance(event, Seal.Sealed)
    assert event.key_id == keys["secretariat"]["key_id"]
    assert len(event.root or "") == 64 and len(event.signature or "") == 128
    assert event.signed_at is not None and event.signed_at.endswith("Z")


def test_a_forged_append_after_the_signed_seal_is_caught_by_require_attested(sealed, keys):
    with sealed.gov() as gov:  # somebody with write access to the store, not the key
        gov.register_region("Forged Town", "KR")
    plain = sealed.json("audit", "verify", "--key", pub(keys))

    result = sealed("audit", "verify", "--key", pub(keys), "--require-attested")

    assert (plain["unattested"], plain["first_unattested"]) == (3, plain["attested"] + 2)
    assert (result.exit_code, result.stderr) == (4, (
        f"Error: 3 events are not attested by a signed seal, from position {plain['attested'] + 2} on "
        f"(the last signed seal covers the first {plain['attested']}): if they are genuine, seal the register "
        "with the key (`near-gov audit seal --key PRIVATE`)\n")), result.output


def test_an_unsigned_seal_after_a_forged_append_attests_nothing(sealed, keys):
    with sealed.gov() as gov:
        gov.register_region("Forged Town", "KR")
    sealed.ok("audit", "seal")

    result = sealed("audit", "verify", "--key", pub(keys), "--require-attested")

    assert result.exit_code == 4 and "3 events are not attested" in result.stderr, result.output


def test_a_seal_signed_with_another_key_is_refused_naming_it(sealed, keys):
    with sealed.gov() as gov:
        gov.register_region("Forged Town", "KR")
        position = gov.recorder.max_notification_id()
    sealed.ok("audit", "seal", "--key", keys["other"]["path"])
    seal_at = sealed.json("audit", "verify")["position"]

    result = sealed("audit", "verify", "--key", pub(keys))

    assert position and seal_at > position
    assert (result.exit_code, result.stderr) == (4, (
        f"Error: the seal at position {seal_at} is signed by key {keys['other']['key_id']}, not by the given key "
        f"{keys['secretariat']['key_id']}; check that you gave the register's public key; if you did, the seal "
        "was not made by its holder\n")), result.output
    assert "is signed by key" in sealed("audit", "verify", "--key", pub(keys, "other")).stderr  # the first seal


def test_a_forged_signature_is_refused(sealed, keys, store_url):
    with sealed.gov() as gov:  # the first seal's claim, its signature replayed for a later tree
        (notification,) = gov.recorder.select_notifications(start=1, limit=10**6, topics=[SEALED])
        first = gov.mapper.to_domain_event(notification)
        gov.register_region("Forged Town", "KR")
        result = verify(gov)
        tree = index_chain(gov)
        gov.save(Seal(head=tree["head"], position=tree["position"], actor="clerk", root=tree["root"],
                      key_id=first.key_id, signed_at=first.signed_at, signature=first.signature))

    failed = sealed("audit", "verify", "--key", pub(keys))

    assert (failed.exit_code, failed.stderr) == (4, (
        f"Error: the seal at position {result['position'] + 1} has a signature that key "
        f"{keys['secretariat']['key_id']} did not make: the seal was forged or altered; restore the register "
        "from a backup or an export taken before the change\n")), failed.output


def test_an_event_edited_inside_the_attested_range_is_caught_naming_it(sealed, keys, store_url):
    raw = RawStore(store_url)
    try:  # Rasun City's admission (position 19), backdated
        admitted = raw.state(19)
        raw.edit(19, admitted.replace(b'"since":"2002-09"', b'"since":"1996-09"'))
        assert raw.state(19) != admitted
    finally:
        raw.close()

    result = sealed("audit", "verify", "--key", pub(keys))

    assert result.exit_code == 4 and result.stderr.startswith("Error: chain differs at position 19: "), result.output


def test_require_attested_needs_a_key(sealed):
    result = sealed("audit", "verify", "--require-attested")

    assert result.exit_code == 2
    assert result.stderr.startswith("Error: --require-attested needs --key PUBLIC"), result.output


def test_a_version_1_seal_reads_back_with_no_root_or_signature_and_still_verifies(gov):
    given_rasun_city_admitted_at_ga4(gov)
    head = verify(gov)
    old = StoredEvent(originator_id=Seal.create_id(head["position"]), originator_version=1, topic=SEALED,
                      state=json.dumps({"timestamp": "2020-01-01T00:00:00.000000Z",
                                        "originator_topic": "domain.seal:Seal", "head": head["head"],
                                        "position": head["position"], "actor": "clerk"},
                                       separators=(",", ":")).encode())
    gov.recorder.insert_events([old])

    (event,) = [e for e in gov.events.get(old.originator_id)]

    assert (event.root, event.key_id, event.signed_at, event.signature) == (None, None, None, None)
    assert verify(gov)["seals_checked"] == 1


# --- an export, offline ----------------------------------------------------------------------


@pytest.fixture
def export(sealed: Cli, tmp_path: Path) -> Path:
    path = tmp_path / "near-events.jsonl"
    sealed.ok("export", str(path))
    return path


def offline(*args: str) -> Any:
    """`near-gov` told to use a store that does not exist: --from must not open one."""
    return Cli(str(Path(os.environ.get("TMPDIR", "/tmp")) / "no-such-dir" / "register.db"))(*args)


def test_an_export_verifies_offline_with_only_the_public_key(export, keys, sealed):
    in_store = sealed.json("audit", "verify", "--key", pub(keys))

    result = offline("audit", "verify", "--from", str(export), "--key", pub(keys), "--require-attested",
                     "--format", "json")

    assert result.exit_code == 0, result.output
    done = json.loads(result.stdout)
    assert {k: done[k] for k in ("head", "position", "attested", "signed_seals")} == \
        {k: in_store[k] for k in ("head", "position", "attested", "signed_seals")}
    assert not (Path(os.environ.get("TMPDIR", "/tmp")) / "no-such-dir").exists()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_an_export_with_any_byte_changed_fails_offline_with_exit_4(export, keys, tmp_path, data):
    original = export.read_bytes()
    at = data.draw(st.integers(0, len(original) - 1))
    byte = data.draw(st.integers(0, 255).filter(lambda b: b != original[at]))
    changed = tmp_path / "changed.jsonl"
    changed.write_bytes(original[:at] + bytes([byte]) + original[at + 1:])

    result = offline("audit", "verify", "--from", str(changed), "--key", pub(keys))

    assert result.exit_code == 4, (at, bytes([byte]), result.output)
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1


def test_an_export_forged_after_its_signed_seal_fails_require_attested_offline(sealed, keys, tmp_path):
    with sealed.gov() as gov:
        gov.register_region("Forged Town", "KR")
    path = tmp_path / "forged.jsonl"
    sealed.ok("export", str(path))

    result = offline("audit", "verify", "--from", str(path), "--key", pub(keys), "--require-attested")

    assert result.exit_code == 4 and "3 events are not attested" in result.stderr, result.output


def test_history_shows_who_signed_a_seal_and_reads_a_version_1_seal(sealed, keys):
    with sealed.gov() as gov:
        head = verify(gov)
        gov.recorder.insert_events([StoredEvent(
            originator_id=Seal.create_id(head["position"]), originator_version=1, topic=SEALED,
            state=json.dumps({"timestamp": "2020-01-01T00:00:00.000000Z", "originator_topic": "domain.seal:Seal",
                              "head": head["head"], "position": head["position"], "actor": "clerk"},
                             separators=(",", ":")).encode())])

    rows = [row for row in sealed.json("history") if row["kind"] == "Seal.Sealed"]

    assert len(rows) == 2
    assert f"signed by key {keys['secretariat']['key_id']}" in json.dumps(rows[0])
    assert "signed by key" not in json.dumps(rows[1])
