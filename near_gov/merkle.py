"""A Merkle tree over the event log, hashed as RFC 9162 (Certificate Transparency 2.0)
section 2.1 defines it, with its inclusion and consistency proofs and their checks.

The leaves are the events in log order; a leaf's data is the event's encoding in the
hash chain (`entry`: near_gov/integrity.py hashes the same bytes after the previous
link), so the chain and the tree speak of the same bytes. Where the chain shows that
nothing before a known head changed, the tree lets one event be shown to be in the log
with O(log n) hashes, and a later tree shown to extend an earlier one.

Pure (hashlib only) and free of the rest of near-gov: a member region checking a
receipt needs this module, near_gov/keys.py and near_gov/receipt.py, nothing else.

Notation of RFC 9162: D[n] the first n leaves, MTH(D[n]) their tree's hash, k the
largest power of two smaller than n.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from hashlib import sha256

#: MTH({}): the hash of an empty tree is the hash of the empty string.
EMPTY_ROOT = sha256(b"").digest()


def entry(topic: str, originator_id: str, originator_version: int, state: bytes) -> bytes:
    """An event's bytes as the chain and the tree hash them (see `fields`). The id is
    its canonical text, the version its decimal digits, text is UTF-8."""
    return fields((topic.encode(), originator_id.encode(), str(originator_version).encode(), state))


def fields(values: Iterable[bytes]) -> bytes:
    """Each value as its length (8 bytes, big-endian) then its bytes, so that no two
    different sequences of values encode alike."""
    out = bytearray()
    for value in values:
        out += len(value).to_bytes(8, "big")
        out += value
    return bytes(out)


def leaf_hash(data: bytes) -> bytes:
    """MTH({d}) = SHA-256(0x00 || d)."""
    return sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 || left || right)."""
    return sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """k: the largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def root(leaves: Sequence[bytes]) -> bytes:
    """MTH of the leaves whose leaf hashes are given."""
    if not leaves:
        return EMPTY_ROOT
    if len(leaves) == 1:
        return leaves[0]
    k = _split(len(leaves))
    return node_hash(root(leaves[:k]), root(leaves[k:]))


class Frontier:
    """The tree's hash after each appended leaf, in O(log n) memory and time per leaf:
    the hashes of the perfect subtrees the leaves so far make, left to right."""

    def __init__(self) -> None:
        self.size = 0
        self._subtrees: list[bytes] = []

    def append(self, leaf: bytes) -> None:
        """Add a leaf hash, merging the perfect subtrees it completes."""
        self._subtrees.append(leaf)
        self.size += 1
        size = self.size
        while size % 2 == 0:
            right = self._subtrees.pop()
            self._subtrees[-1] = node_hash(self._subtrees[-1], right)
            size //= 2

    def root(self) -> bytes:
        """MTH of the leaves so far: the subtrees folded from the right."""
        if not self._subtrees:
            return EMPTY_ROOT
        result = self._subtrees[-1]
        for subtree in reversed(self._subtrees[:-1]):
            result = node_hash(subtree, result)
        return result


def inclusion_proof(index: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PATH(m, D[n]) (RFC 9162 2.1.3.1): the audit path of leaf `index` (from 0)."""
    if not 0 <= index < len(leaves):
        raise ValueError(f"no leaf {index} in a tree of {len(leaves)}")
    if len(leaves) == 1:
        return []
    k = _split(len(leaves))
    if index < k:
        return [*inclusion_proof(index, leaves[:k]), root(leaves[k:])]
    return [*inclusion_proof(index - k, leaves[k:]), root(leaves[:k])]


def verify_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes], tree_root: bytes) -> bool:
    """Whether `proof` shows leaf hash `leaf` at `index` of the tree of `size` leaves
    whose hash is `tree_root` (RFC 9162 2.1.3.2, step by step)."""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == tree_root


def consistency_proof(m: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PROOF(m, D[n]) (RFC 9162 2.1.4.1): that the tree of the first `m` leaves is a
    prefix of the tree of all of them (0 < m <= n; empty when m == n)."""
    if not 0 < m <= len(leaves):
        raise ValueError(f"no consistency proof from size {m} to {len(leaves)}")
    return _subproof(m, leaves, True)


def _subproof(m: int, leaves: Sequence[bytes], whole: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if whole else [root(leaves)]
    k = _split(n)
    if m <= k:
        return [*_subproof(m, leaves[:k], whole), root(leaves[k:])]
    return [*_subproof(m - k, leaves[k:], False), root(leaves[:k])]


def verify_consistency(m: int, n: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]) -> bool:
    """Whether `proof` shows the tree of size `m` with hash `first_root` to be a prefix
    of the tree of size `n` with hash `second_root` (RFC 9162 2.1.4.2, step by step)."""
    if not 0 < m <= n:
        return False
    if m == n:  # the proof of a tree's consistency with itself is empty (2.1.4.1)
        return not proof and first_root == second_root
    if not proof:
        return False
    path = list(proof)
    if m & (m - 1) == 0:  # m is an exact power of two: the first tree is a node of the second
        path.insert(0, first_root)
    fn, sn = m - 1, n - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == first_root and sr == second_root and sn == 0
