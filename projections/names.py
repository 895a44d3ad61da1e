"""The name a region held on a date: answers about a past date name a region as it
was named then, with today's name beside it (DESIGN.md, "Names have periods").

A rename ends a name on its effective date: `read_former_names` keeps each former
name with the first day of that date (`until_first`). The register refuses a rename
dated before the region's last one, so a region's former names stop in log order,
and the name in force on a day is the first of them (by position) that stopped after
that day, or else the current name. Renames are few: one look-up per query."""

from __future__ import annotations

from collections.abc import Iterable

from projections.db import Cursor

#: Regions per look-up: well under the bound parameters either database allows.
_CHUNK = 500


def name_on(region_id: str, current: str) -> str:
    """SQL for the name that the region whose id is the column `region_id` (and whose
    current name is the column `current`) held on the day given as the next parameter
    (an ISO day): one indexed probe per row."""
    return (f"COALESCE((SELECT f.name FROM read_former_names f WHERE f.id = {region_id} "
            f"AND f.until_first > ? ORDER BY f.position LIMIT 1), {current})")


class Names:
    """The names over time of the regions `ids` (None and repeats are ignored)."""

    def __init__(self, c: Cursor, ids: Iterable[str | None]) -> None:
        self._current: dict[str, str] = {}
        self._former: dict[str, list[tuple[int, str, str]]] = {}
        wanted = sorted({i for i in ids if i})
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start:start + _CHUNK]
            marks = ", ".join("?" for _ in chunk)
            rows = c.run("SELECT g.id, g.name, f.position, f.name AS former, f.until_first FROM read_regions g "
                         f"LEFT JOIN read_former_names f ON f.id = g.id WHERE g.id IN ({marks})", chunk).all()
            for row in rows:
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
