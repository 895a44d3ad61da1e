"""The Merkle tree of RFC 9162 (near_gov/merkle.py): its hashes against known published
values and against a reference written here from the RFC's definitions, and its
inclusion and consistency proofs for every tree of up to 64 leaves."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from near_gov import merkle
from near_gov.merkle import (
    EMPTY_ROOT,
    Frontier,
    consistency_proof,
    entry,
    inclusion_proof,
    leaf_hash,
    root,
    verify_consistency,
    verify_inclusion,
)

# --- an independent reference: RFC 9162 2.1.1, 2.1.3.1 and 2.1.4.1 as written --------


def sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def k_of(n: int) -> int:
    """The largest power of two smaller than n, by counting up."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(data: list[bytes]) -> bytes:
    """MTH(D[n]) over the leaves' data (not their hashes)."""
    if not data:
        return sha(b"")
    if len(data) == 1:
        return sha(b"\x00" + data[0])
    k = k_of(len(data))
    return sha(b"\x01" + mth(data[:k]) + mth(data[k:]))


def path(m: int, data: list[bytes]) -> list[bytes]:
    if len(data) == 1:
        return []
    k = k_of(len(data))
    if m < k:
        return path(m, data[:k]) + [mth(data[k:])]
    return path(m - k, data[k:]) + [mth(data[:k])]


def proof(m: int, data: list[bytes]) -> list[bytes]:
    return subproof(m, data, True)


def subproof(m: int, data: list[bytes], b: bool) -> list[bytes]:
    n = len(data)
    if m == n:
        return [] if b else [mth(data)]
    k = k_of(n)
    if m <= k:
        return subproof(m, data[:k], b) + [mth(data[k:])]
    return subproof(m - k, data[k:], False) + [mth(data[:k])]


def leaves_of(data: list[bytes]) -> list[bytes]:
    return [leaf_hash(d) for d in data]


def flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1:]


# --- known values -----------------------------------------------------------------------

#: The leaf inputs and roots published with Certificate Transparency's reference
#: implementations (Trillian's RFC 6962 test data), the hashing RFC 9162 keeps.
CT_INPUTS = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"]
CT_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]


def test_the_empty_tree_hashes_as_the_empty_string():
    assert EMPTY_ROOT.hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert root([]) == EMPTY_ROOT
    assert Frontier().root() == EMPTY_ROOT


@pytest.mark.parametrize("size", range(1, 9))
def test_roots_of_the_published_leaves_are_the_published_roots(size):
    data = [bytes.fromhex(d) for d in CT_INPUTS[:size]]

    assert root(leaves_of(data)).hex() == CT_ROOTS[size - 1] == mth(data).hex()


def test_leaf_and_node_hashes_are_domain_separated():
    assert leaf_hash(b"").hex() == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
    assert merkle.node_hash(b"a" * 32, b"b" * 32) == sha(b"\x01" + b"a" * 32 + b"b" * 32)


def test_entry_is_the_chains_field_encoding():
    encoded = entry("domain.seal:Seal.Sealed", "6f2e1c1c-0000-5000-8000-000000000000", 12, b"{}")

    assert encoded == (b"\x00" * 7 + b"\x17" + b"domain.seal:Seal.Sealed" + b"\x00" * 7 + b"\x24"
                       + b"6f2e1c1c-0000-5000-8000-000000000000" + b"\x00" * 7 + b"\x02" + b"12"
                       + b"\x00" * 7 + b"\x02" + b"{}")


# --- every tree up to 64 leaves ----------------------------------------------------------

SIZES = st.integers(min_value=1, max_value=64)


def data_of(n: int, salt: int = 0) -> list[bytes]:
    return [f"event {i} {salt}".encode() for i in range(n)]


@pytest.mark.parametrize("n", range(65))
def test_root_and_frontier_agree_with_the_reference_at_every_size(n):
    data = data_of(n)
    frontier = Frontier()
    for leaf in leaves_of(data):
        frontier.append(leaf)

    assert root(leaves_of(data)) == frontier.root() == mth(data)


@pytest.mark.parametrize("n", range(1, 65))
def test_every_inclusion_proof_is_the_reference_path_and_verifies(n):
    data = data_of(n)
    leaves, tree = leaves_of(data), mth(data)

    for i in range(n):
        made = inclusion_proof(i, leaves)
        assert made == path(i, data)
        assert verify_inclusion(i, n, leaves[i], made, tree)


@pytest.mark.parametrize("n", range(1, 65))
def test_every_consistency_proof_is_the_reference_proof_and_verifies(n):
    data = data_of(n)
    leaves, tree = leaves_of(data), mth(data)

    for m in range(1, n + 1):
        made = consistency_proof(m, leaves)
        assert made == proof(m, data)
        assert verify_consistency(m, n, mth(data[:m]), tree, made)


@settings(max_examples=300, deadline=None)
@given(SIZES, st.data())
def test_an_inclusion_proof_fails_for_a_flipped_byte_or_another_leaf_or_index(n, draw):
    data = data_of(n, draw.draw(st.integers(0, 9)))
    leaves, tree = leaves_of(data), mth(data)
    i = draw.draw(st.integers(0, n - 1))
    made = inclusion_proof(i, leaves)

    assert verify_inclusion(i, n, leaves[i], made, tree)
    assert not verify_inclusion(i, n, leaf_hash(data[i] + b"!"), made, tree)
    assert not verify_inclusion(i, n, flip(leaves[i], draw.draw(st.integers(0, 31))), made, tree)
    assert not verify_inclusion(i, n, leaves[i], made, flip(tree, draw.draw(st.integers(0, 31))))
    if made:
        step = draw.draw(st.integers(0, len(made) - 1))
        bad = [*made[:step], flip(made[step], draw.draw(st.integers(0, 31))), *made[step + 1:]]
        assert not verify_inclusion(i, n, leaves[i], bad, tree)
        assert not verify_inclusion(i, n, leaves[i], made[:-1], tree)
    assert not verify_inclusion(i, n, leaves[i], [*made, tree], tree)
    other = draw.draw(st.integers(0, n))  # n itself is past the end
    if other != i:
        assert not verify_inclusion(other, n, leaves[i], made, tree)


@settings(max_examples=300, deadline=None)
@given(SIZES, st.data())
def test_a_consistency_proof_fails_for_a_flipped_byte_or_a_changed_leaf(n, draw):
    data = data_of(n)
    m = draw.draw(st.integers(1, n))
    leaves, first, second = leaves_of(data), mth(data[:m]), mth(data)
    made = consistency_proof(m, leaves)
    changed = draw.draw(st.integers(0, n - 1))
    altered = [*data[:changed], data[changed] + b"!", *data[changed + 1:]]

    assert verify_consistency(m, n, first, second, made)
    assert not verify_consistency(m, n, flip(first, draw.draw(st.integers(0, 31))), second, made)
    assert not verify_consistency(m, n, first, flip(second, draw.draw(st.integers(0, 31))), made)
    if changed < m:  # an earlier tree that the later one does not extend
        assert not verify_consistency(m, n, mth(altered[:m]), second, made)
    else:  # the same earlier tree, a later one with another leaf
        assert not verify_consistency(m, n, first, mth(altered), made)
    if made:
        step = draw.draw(st.integers(0, len(made) - 1))
        bad = [*made[:step], flip(made[step], draw.draw(st.integers(0, 31))), *made[step + 1:]]
        assert not verify_consistency(m, n, first, second, bad)
        assert not verify_consistency(m, n, first, second, made[:-1])
    assert not verify_consistency(m, n, first, second, [*made, second])


def test_proofs_refuse_positions_outside_the_tree():
    leaves = leaves_of(data_of(4))

    with pytest.raises(ValueError):
        inclusion_proof(4, leaves)
    with pytest.raises(ValueError):
        consistency_proof(0, leaves)
    with pytest.raises(ValueError):
        consistency_proof(5, leaves)
    assert not verify_inclusion(0, 0, leaves[0], [], leaves[0])
    assert not verify_consistency(0, 4, EMPTY_ROOT, root(leaves), [])
    assert not verify_consistency(5, 4, root(leaves), root(leaves), [])
