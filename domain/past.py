"""`Past`: an append-only list of an aggregate's past facts (an assembly's decisions)
that its rules rarely read beyond the last item.

Loaded from a snapshot, the items stay in their stored form and each is decoded the
first time it is read: an assembly with many decisions then loads without building
objects its rules never look at (and a version-1 `Committee` snapshot, whose list of
every coordinator is upcast to its last, decodes that one only). The stored form is
the plain list the snapshot held (see near_gov/mapping.py), so snapshots written
before and after `Past` existed read the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, Generic, TypeVar, overload

T = TypeVar("T")

_PENDING: Any = object()  # an item not decoded yet


class Past(Generic[T]):
    """A list-like sequence of immutable items that only grows (`append`)."""

    __slots__ = ("_decode", "_items", "_stored")

    def __init__(self, items: Iterable[T] = ()) -> None:
        self._items: list[T] = list(items)
        self._stored: list[Any] = []  # stored forms of the first len(_stored) items
        self._decode: Callable[[Any], T] | None = None

    @classmethod
    def stored(cls, stored: list[Any], decode: Callable[[Any], T]) -> Past[T]:
        """Items in their stored form, each decoded by `decode` when first read."""
        past: Past[T] = cls()
        past._items = [_PENDING] * len(stored)
        past._stored = stored
        past._decode = decode
        return past

    def stored_form(self, encode: Callable[[T], Any]) -> list[Any]:
        """The items in stored form: those loaded as such are reused (items never
        change), the others encoded by `encode`."""
        done = len(self._stored)
        return [*self._stored, *(encode(item) for item in self._items[done:])]

    def append(self, item: T) -> None:
        self._items.append(item)

    def copy(self) -> Past[T]:
        past: Past[T] = Past.__new__(Past)
        past._items = self._items.copy()
        past._stored = self._stored
        past._decode = self._decode
        return past

    def __len__(self) -> int:
        return len(self._items)

    def __bool__(self) -> bool:
        return bool(self._items)

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self._items)))]
        item = self._items[index]
        if item is _PENDING:
            i = index if index >= 0 else index + len(self._items)
            assert self._decode is not None
            item = self._items[i] = self._decode(self._stored[i])
        return item

    def __iter__(self) -> Iterator[T]:
        for i in range(len(self._items)):
            yield self[i]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (Past, list)):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # unhashable: mutable, as a list is

    def __repr__(self) -> str:
        return f"Past({list(self)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Past, (list(self),))
