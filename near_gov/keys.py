"""Ed25519 keys of the register's attester, and the tree heads they sign.

The Secretariat keeps the private key (it signs seals: `near-gov audit seal --key`);
the public key is published, so that anyone can check a seal or a receipt. A key is
named by its id: the first 16 hexadecimal digits of SHA-256 over the 32 raw bytes of
the public key, short enough to read out, long enough that two keys do not share one
by chance (64 bits).

A signed tree head is the statement "the first `size` events of the log have chain
head `head` and Merkle root `root`", with the time it was signed and the key's id,
written as these lines of UTF-8 text (each ending in a newline):

    near-gov signed tree head 1
    size N
    head HEX
    root HEX
    time YYYY-MM-DDTHH:MM:SSZ
    key KEY_ID

Only the standard library and `cryptography`: receipts are checked with this module,
near_gov/merkle.py and near_gov/receipt.py alone.
"""

from __future__ import annotations

import os
from hashlib import sha256
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
    load_pem_private_key,
    load_pem_public_key,
)

#: Hexadecimal digits of a key id.
KEY_ID_DIGITS = 16
TREE_HEAD = "near-gov signed tree head 1"


class BadKey(ValueError):
    """Raised when a key file is missing, unreadable, or not an Ed25519 key of the right kind."""


def key_id(public: Ed25519PublicKey) -> str:
    """The key's fingerprint: SHA-256 of its raw 32 bytes, first 16 hex digits."""
    return sha256(public.public_bytes(Encoding.Raw, PublicFormat.Raw)).hexdigest()[:KEY_ID_DIGITS]


def generate(out: str) -> dict[str, Any]:
    """Write a new key pair: `out` (the private key, PEM, readable by its owner only)
    and `out.pub` (the public key, PEM). Refuses to replace either file."""
    private_path, public_path = Path(out), Path(out + ".pub")
    for path in (private_path, public_path):
        if path.exists():
            raise BadKey(f"{path} already exists: keep that key, or give another name with --out")
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    public_pem = key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    _write_new(private_path, private_pem, 0o600)
    try:
        _write_new(public_path, public_pem, 0o644)
    except BaseException:
        private_path.unlink()
        raise
    return {"private": str(private_path), "public": str(public_path), "key_id": key_id(key.public_key())}


def _write_new(path: Path, data: bytes, mode: int) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.chmod(path, mode)  # whatever the umask


def load_private(path: str) -> Ed25519PrivateKey:
    """The private key in the PEM file `path`, written by `generate`."""
    try:
        key = load_pem_private_key(_read(path), password=None)
    except (ValueError, TypeError) as e:
        raise BadKey(f"{path} is not an unencrypted PEM private key ({e}); give the file "
                     "`near-gov audit keygen` wrote") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise BadKey(f"{path} is not an Ed25519 key; give the file `near-gov audit keygen` wrote")
    return key


def load_public(path: str) -> Ed25519PublicKey:
    """The public key in the PEM file `path` (NAME.pub, written by `generate`)."""
    data = _read(path)
    if b"PRIVATE KEY" in data:
        raise BadKey(f"{path} is a private key: give the public key (the .pub file), which is all a check needs")
    try:
        key = load_pem_public_key(data)
    except (ValueError, TypeError) as e:
        raise BadKey(f"{path} is not a PEM public key ({e}); give the .pub file `near-gov audit keygen` wrote") \
            from None
    if not isinstance(key, Ed25519PublicKey):
        raise BadKey(f"{path} is not an Ed25519 key; give the .pub file `near-gov audit keygen` wrote")
    return key


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as e:
        raise BadKey(f"cannot read the key file {path}: {e.strerror or e}") from None


def tree_head(size: int, head: str, root: str, time: str, key: str) -> bytes:
    """The statement a seal's signature signs (see the module's docstring)."""
    return f"{TREE_HEAD}\nsize {size}\nhead {head}\nroot {root}\ntime {time}\nkey {key}\n".encode()


def sign(private: Ed25519PrivateKey, message: bytes) -> str:
    """The signature of `message`, in hexadecimal."""
    return private.sign(message).hex()


def signed_by(public: Ed25519PublicKey, message: bytes, signature: str) -> bool:
    """Whether `signature` (hexadecimal) is `public`'s signature of `message`."""
    try:
        public.verify(bytes.fromhex(signature), message)
    except (InvalidSignature, ValueError):
        return False
    return True
