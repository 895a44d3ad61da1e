"""Check a receipt: events of the register, each with its proof of inclusion in the
log, and the tree head the register's key signed (RFC 9162 hashing, Ed25519).

A member region checks its receipt with the register's public key alone, no log and
no store: `near-gov audit check RECEIPT --key PUBLIC`, or, without near-gov installed,
this module with near_gov/merkle.py and near_gov/keys.py (standard library and
`cryptography` only):

    python -m near_gov.receipt RECEIPT.json --key secretariat.key.pub

A receipt is one JSON document, exactly as `render` writes it (two-space indents,
keys in the order below, a final newline): every byte of it is checked, so a changed
byte anywhere fails the check, even where JSON would not care.

    {"receipt": "near-gov receipt 1",
     "tree_head": {"size", "head", "root", "time", "key_id", "signature"},
     "entries": [{"position", "topic", "originator_id", "originator_version", "state", "proof"}]}

`state` is the event's stored JSON as text, `proof` its inclusion proof (hex hashes).
What the check reports about each event is read from its state, which the proof binds
to the signed tree: nothing in a receipt is taken on trust.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from typing import Any, NoReturn

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from near_gov import keys
from near_gov.merkle import entry, leaf_hash, verify_consistency, verify_inclusion

FORMAT = "near-gov receipt 1"
GROWTH = "near-gov consistency 1"
TREE_HEAD = ("size", "head", "root", "time", "key_id", "signature")
ENTRY = ("position", "topic", "originator_id", "originator_version", "state", "proof")
_HEX = {digits: re.compile(f"[0-9a-f]{{{digits}}}") for digits in (64, 128, keys.KEY_ID_DIGITS)}
#: Fields of an event's state worth showing, in this order.
_SHOWN = ("name", "country", "status", "since", "on", "ref", "kind", "text", "cause", "decision", "source", "actor")


class ReceiptRefused(ValueError):
    """Raised when a receipt is malformed, or its signature or a proof does not hold."""


def render(receipt: dict[str, Any]) -> bytes:
    """A receipt's one written form."""
    return (json.dumps(receipt, indent=2, ensure_ascii=False) + "\n").encode()


def check(data: bytes, public: Ed25519PublicKey) -> dict[str, Any]:
    """Check every byte of a receipt against `public`; return what it proves.

    Raises ReceiptRefused saying what does not hold."""
    try:
        receipt = json.loads(data.decode())
    except (UnicodeDecodeError, ValueError) as e:
        _refuse(f"it is not a JSON document ({e})")
    if type(receipt) is not dict or list(receipt) != ["receipt", "tree_head", "entries"] \
            or receipt["receipt"] != FORMAT:
        _refuse(f"it is not a {FORMAT!r} document")
    if render(receipt) != data:
        _refuse("it is not in the form near-gov writes: a byte of it was changed (or it was reformatted)")
    head = _tree_head(receipt["tree_head"], public)
    entries = receipt["entries"]
    if type(entries) is not list or not entries:
        _refuse("it holds no entries")
    shown = [_entry(number, item, head) for number, item in enumerate(entries, start=1)]
    return {"tree_head": {name: head[name] for name in ("size", "head", "root", "time", "key_id")},
            "entries": shown}


def _tree_head(head: Any, public: Ed25519PublicKey) -> dict[str, Any]:
    if type(head) is not dict or tuple(head) != TREE_HEAD:
        _refuse(f"tree_head must hold exactly {', '.join(TREE_HEAD)}")
    if type(head["size"]) is not int or head["size"] < 1:
        _refuse("tree_head.size must be a positive integer")
    for name, digits in (("head", 64), ("root", 64), ("key_id", keys.KEY_ID_DIGITS), ("signature", 128)):
        if type(head[name]) is not str or not _HEX[digits].fullmatch(head[name]):
            _refuse(f"tree_head.{name} must be {digits} lowercase hexadecimal digits")
    if type(head["time"]) is not str:
        _refuse("tree_head.time must be text")
    mine = keys.key_id(public)
    if head["key_id"] != mine:
        _refuse(f"its tree head is signed by key {head['key_id']}, not by the given key {mine}")
    statement = keys.tree_head(head["size"], head["head"], head["root"], head["time"], head["key_id"])
    if not keys.signed_by(public, statement, head["signature"]):
        _refuse(f"the signature of its tree head was not made by key {mine}")
    return head


def check_growth(data: bytes, public: Ed25519PublicKey, receipt: dict[str, Any] | None = None) -> dict[str, Any]:
    """Check a consistency document (`audit prove --since SIZE`): two signed tree heads
    and the RFC 9162 proof that the later tree extends the earlier one. Given a checked
    receipt, its tree head must be the earlier one: its entries are then in the later
    tree too. Raises ReceiptRefused saying what does not hold.

    Written as a receipt is (see `render`):
    {"consistency": "near-gov consistency 1", "from": TREE_HEAD, "to": TREE_HEAD, "proof": [HEX...]}"""
    try:
        growth = json.loads(data.decode())
    except (UnicodeDecodeError, ValueError) as e:
        _refuse(f"the consistency proof is not a JSON document ({e})")
    if type(growth) is not dict or list(growth) != ["consistency", "from", "to", "proof"] \
            or growth["consistency"] != GROWTH:
        _refuse(f"the consistency proof is not a {GROWTH!r} document")
    if render(growth) != data:
        _refuse("the consistency proof is not in the form near-gov writes: a byte of it was changed")
    first, second = _tree_head(growth["from"], public), _tree_head(growth["to"], public)
    proof = growth["proof"]
    if type(proof) is not list or any(type(p) is not str or not _HEX[64].fullmatch(p) for p in proof):
        _refuse("the consistency proof must be a list of 64-digit lowercase hexadecimal hashes")
    if not verify_consistency(first["size"], second["size"], bytes.fromhex(first["root"]),
                              bytes.fromhex(second["root"]), [bytes.fromhex(p) for p in proof]):
        _refuse(f"the tree of {second['size']} events does not extend the tree of {first['size']}: "
                "the log was rewritten, or the proof was changed")
    if receipt is not None and receipt["tree_head"] != {n: first[n] for n in ("size", "head", "root", "time",
                                                                                "key_id")}:
        _refuse("the consistency proof starts from another tree head than the receipt's")
    return {"from": first["size"], "to": second["size"], "signed_at": second["time"], "key_id": second["key_id"]}


def _entry(number: int, item: Any, head: dict[str, Any]) -> dict[str, Any]:
    where = f"entry {number}"
    if type(item) is not dict or tuple(item) != ENTRY:
        _refuse(f"{where} must hold exactly {', '.join(ENTRY)}")
    position, version = item["position"], item["originator_version"]
    if type(position) is not int or not 1 <= position <= head["size"]:
        _refuse(f"{where}: position must be an integer from 1 to the tree's size {head['size']}")
    if type(version) is not int or version < 1:
        _refuse(f"{where}: originator_version must be a positive integer")
    if any(type(item[name]) is not str for name in ("topic", "originator_id", "state")):
        _refuse(f"{where}: topic, originator_id and state must be text")
    proof = item["proof"]
    if type(proof) is not list or any(type(p) is not str or not _HEX[64].fullmatch(p) for p in proof):
        _refuse(f"{where}: proof must be a list of 64-digit lowercase hexadecimal hashes")
    leaf = leaf_hash(entry(item["topic"], item["originator_id"], version, item["state"].encode()))
    if not verify_inclusion(position - 1, head["size"], leaf, [bytes.fromhex(p) for p in proof],
                            bytes.fromhex(head["root"])):
        _refuse(f"{where} (position {position}) is not in the signed tree: its event or its proof was changed")
    try:
        state = json.loads(item["state"])
    except ValueError:
        state = {}
    facts = {name: state[name] for name in _SHOWN if isinstance(state, dict) and state.get(name) is not None}
    return {"position": position, "event": item["topic"].rpartition(":")[2], "subject": item["originator_id"],
            "recorded_at": state.get("timestamp") if isinstance(state, dict) else None, "facts": facts}


def _refuse(why: str) -> NoReturn:
    raise ReceiptRefused(f"the receipt does not hold: {why}")


def _said(value: Any) -> Any:
    """A fact's value as a person reads it: a documentary date by its EDTF text."""
    return value["edtf"] if isinstance(value, dict) and "edtf" in value else value


def describe(checked: dict[str, Any], growth: dict[str, Any] | None = None) -> str:
    """What a checked receipt (and consistency proof) proves, for people."""
    head = checked["tree_head"]
    lines = [f"The receipt holds: key {head['key_id']} signed, at {head['time']}, the register's first "
             f"{head['size']} events (Merkle root {head['root']}), which include:"]
    for item in checked["entries"]:
        facts = ", ".join(f"{name} {_said(value)}" for name, value in item["facts"].items())
        lines.append(f"  {item['position']:>6}  {item['event']}  {facts}  (recorded {item['recorded_at']})")
    if growth is not None:
        lines.append(f"The log still holds them: key {growth['key_id']} signed, at {growth['signed_at']}, its first "
                     f"{growth['to']} events, which extend the first {growth['from']} (it only grew).")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """`python -m near_gov.receipt RECEIPT --key PUBLIC`: 0 if the receipt holds, 4 if
    not, 2 for a file or key that cannot be read."""
    parser = argparse.ArgumentParser(prog="python -m near_gov.receipt",
                                     description="Check a near-gov receipt with the register's public key.")
    parser.add_argument("receipt", help="the receipt file (`near-gov audit prove ... --out FILE`)")
    parser.add_argument("consistency", nargs="?", help="a consistency proof from the receipt's tree to a later one "
                                                           "(`near-gov audit prove --since SIZE --out FILE`)")
    parser.add_argument("--key", required=True, help="the register's public key (NAME.pub)")
    args = parser.parse_args(argv)
    try:
        public = keys.load_public(args.key)
        data = [_read(path) for path in (args.receipt, args.consistency) if path]
    except (keys.BadKey, OSError) as e:
        print(f"Error: {e}", file=sys.stderr)
        return 2
    try:
        checked = check(data[0], public)
        growth = check_growth(data[1], public, checked) if len(data) > 1 else None
    except ReceiptRefused as e:
        print(f"Error: {e}", file=sys.stderr)
        return 4
    print(describe(checked, growth))
    return 0


def _read(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


if __name__ == "__main__":
    sys.exit(main())
