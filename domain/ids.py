"""Repeatable aggregate ids from natural keys, so a record is found by its key
without a scan, and two writers creating the same record collide in the store."""

from functools import lru_cache
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.values import normalise_name

_NS = uuid5(NAMESPACE_URL, "https://www.neargov.org/register")


@lru_cache(maxsize=65536)  # commands look the same keys up again and again
def key_id(kind: str, *parts: str) -> UUID:
    return uuid5(_NS, "/".join((kind, *(normalise_name(p) for p in parts))))
