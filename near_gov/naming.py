"""How a region named as it was at a past date is shown to people: with today's name
beside it where the two differ, `Primorsky Territory (now Primorsky Krai)`. One
presentation for every table of the command line and for the HTML report."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def with_now(name: Any, current: Any) -> Any:
    """`name` (held then), with `current` (today's) beside it where they differ."""
    return name if not current or current == name else f"{name} (now {current})"


def subject_with_now(row: Mapping[str, Any]) -> Any:
    """A history row's subject; where it is the region the row concerns, with today's
    name beside (`region` is the name then, `current_name` today's)."""
    if row.get("region") is not None and row["subject"] == row["region"]:
        return with_now(row["subject"], row.get("current_name"))
    return row["subject"]
