"""The name a region held on a date: answers about a past date name a region as it
was named then, with today's name beside it (DESIGN.md, "Names have periods").

A rename ends a name on its effective date: `read_former_names` keeps each former
name with the first day of that date (`until_first`). The register refuses a rename
dated before the region's last one, so a region's former names stop in log order,
and the name in force on a day is the first of them (by position) that stopped after
that day, or else the current name. `read_regions.named_from` (the first day of the
current name) tells without a look-up that a region held its current name on a day.
The roster joins the former name in its query; other queries read the names of the
regions they name in one look-up (`Names`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from projections.db import Cursor

#: Regions per look-up: well under the bound parameters either database allows.
_CHUNK = 500


def former_name_on(region: str, alias: str) -> str:
    """SQL that joins, as `alias`, the former name the region `region` (an alias of
    `read_regions`) held on the day given as the next two parameters (an ISO day, twice);
    no row where it held its current name then. Only a region renamed after that day
    costs a look-up: the first entry of the index (id, until_first, position) past the
    day, which is the earliest by position too (former names stop in log order; a MIN
    of positions would read every later rename's entry)."""
    return (f"LEFT JOIN read_former_names {alias} ON {alias}.position = CASE WHEN {region}.named_from > ? "
            f"THEN (SELECT p.position FROM read_former_names p WHERE p.id = {region}.id "
            "AND p.until_first > ? ORDER BY p.until_first, p.position LIMIT 1) END")


class Names:
    """The names over time of the regions `ids` (None and repeats are ignored), in one
    look-up (of a few hundred regions at a time).
    `known`: current names the caller has already read, of regions whose former names
    do not matter to it (they stopped before any day it asks about, or there are none)."""

    def __init__(self, c: Cursor, ids: Iterable[str | None], known: dict[str, str] | None = None) -> None:
        self._current: dict[str, str] = dict(known or {})
        self._former: dict[str, list[tuple[int, str, str]]] = {}
        for chunk in _chunks(sorted({i for i in ids if i})):
            marks = ", ".join("?" for _ in chunk)
            for row in c.run("SELECT g.id, g.name, f.position, f.name AS former, f.until_first FROM read_regions g "
                             "LEFT JOIN read_former_names f ON g.named_from IS NOT NULL AND f.id = g.id "
                             f"WHERE g.id IN ({marks})", chunk).all():
                self._current[row["id"]] = row["name"]
                if row["former"] is not None:
                    self._former.setdefault(row["id"], []).append(
                        (row["position"], row["until_first"], row["former"]))
        for periods in self._former.values():
            periods.sort()

    def current(self, region_id: str | None) -> str | None:
        """Today's name (None for no region, or one the register does not know)."""
        return self._current.get(region_id) if region_id else None

    def on(self, region_id: str | None, day: str) -> str | None:
        """The name held on `day` (an ISO day, `1996-09-01`)."""
        for _, until, name in self._former.get(region_id, ()) if region_id else ():
            if until > day:
                return name
        return self.current(region_id)


def _chunks(ids: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start:start + _CHUNK]
