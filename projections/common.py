"""Small shared pieces: the time formats of the read models, parsing of the time
arguments of queries, and the wording of NotFound errors (which say what exists)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any, NamedTuple
from uuid import UUID

from domain.errors import InvalidInput, NotFound
from domain.values import FuzzyDate

#: Handlers get events decoded without validation (see `engine`): a field declared as a
#: FuzzyDate, UUID or datetime arrives as its JSON text (a documentary `Dating` as its
#: stored mapping: its EDTF text and bounds). The helpers below take either.
Day = FuzzyDate | str | dict[str, Any]

#: The first day of an open lower bound, as stored: text order is date order.
OPEN_START = "0001-01-01"


class Note(NamedTuple):
    """What the history says about an event (told by `projections.describe`). `names`
    are (region id, name) of the regions that the subject and summary name, as they
    name them: a query names each as it was named on the event's date."""

    subject: str | None
    effective: Day | None = None
    summary: str | None = None
    region_id: str | None = None
    assembly: str | None = None
    names: tuple[tuple[str, str], ...] = ()


def stamp(moment: datetime | str) -> str:
    """Fixed-width UTC ISO text (text order is time order): 2024-03-01T09:30:00.000000+00:00."""
    if isinstance(moment, str):
        if len(moment) == 27 and moment[-1] == "Z":  # as stored: 2024-03-01T09:30:00.000000Z
            return moment[:-1] + "+00:00"
        moment = datetime.fromisoformat(moment)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


_DATES: dict[str, tuple[str, str, str]] = {}


def dates(day: Day) -> tuple[str, str, str]:
    """(`1996-09`, `1996-09-01`, `1996-09-30`): the date as given, its first and last day.
    For a documentary date (`2002-09/2010-10`), the first and last day it allows (an open
    lower bound is `OPEN_START`). Cached: a register names few distinct dates, and these
    are needed per event."""
    if isinstance(day, dict) or isinstance(day, FuzzyDate) and day.precision == "bounds":
        stored = day if isinstance(day, dict) else day.stored()
        assert isinstance(stored, dict)
        return stored["edtf"], stored.get("lower") or OPEN_START, stored["upper"]
    text = day if isinstance(day, str) else str(day)
    try:
        return _DATES[text]
    except KeyError:
        parsed = FuzzyDate.parse(text)
        found = _DATES[text] = (str(parsed), parsed.first.isoformat(), parsed.last.isoformat())
        return found


def date_text(day: Day | None) -> str | None:
    return None if day is None else dates(day)[0]


def certain(day: Day) -> str:
    """The first day from which a fact so dated is documented: an exact date's first day
    (as the register has always read it), a documentary date's upper bound."""
    text, first, last = dates(day)
    return last if is_bounded(text) else first


def is_bounded(text: str) -> bool:
    """Whether stored date text is a documentary date (EDTF beyond a plain date)."""
    return not text.replace("-", "").isdigit()


def phrase(text: str, word: str = "since") -> str:
    """How an answer words a date: `since 1996-09`, `by 2010-10` (on or before),
    `between 1996-09 and 2010-10`, `since about 2004`, `since 2004 (uncertain)`."""
    if not is_bounded(text):
        return f"{word} {text}"
    inner = text.strip("[]")
    if inner.startswith(".."):
        return f"by {inner.lstrip('./')}"
    if "/" in inner:
        first, last = inner.split("/", 1)
        return f"by {last}" if first == ".." else f"between {first} and {last}"
    if inner.endswith("%"):
        return f"{word} about {inner[:-1]} (uncertain)"
    if inner.endswith("~"):
        return f"{word} about {inner[:-1]}"
    if inner.endswith("?"):
        return f"{word} {inner[:-1]} (uncertain)"
    return f"{word} {text}"


def key(uuid: UUID | str) -> str:
    """The stored form of an aggregate id: 32 hex digits."""
    return uuid.hex if isinstance(uuid, UUID) else uuid.replace("-", "").lower()


def fuzzy(value: str | date | FuzzyDate | None) -> FuzzyDate | None:
    return None if value is None else FuzzyDate.parse(value)


def today_date(value: str | date | FuzzyDate | None = None) -> FuzzyDate:
    return fuzzy(value) or FuzzyDate.parse(datetime.now(UTC).date())


def known_at_stamp(value: str | datetime | None) -> str | None:
    """An ISO timestamp of recorded time as stored text. Without a zone it is UTC;
    a bare date means the start of that day (as dates do throughout the register)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        moment = value
    else:
        text = str(value).strip().replace("Z", "+00:00")
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise InvalidInput(
                f"bad timestamp {value!r}: use ISO 8601, e.g. 2024-03-01T09:30:00Z or 2024-03-01"
            ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return stamp(moment)


_NUMBERS = re.compile(r"(\d+)")


def natural(value: str) -> tuple[Any, ...]:
    """Sort key that puts article 2 before article 10."""
    return tuple(int(p) if p.isdigit() else p.casefold() for p in _NUMBERS.split(value))


def span(items: list[str]) -> str:
    """`GA-1 ... GA-9` for a long list, all of it for a short one, `none` for none."""
    if not items:
        return "none"
    if len(items) <= 6:
        return ", ".join(items)
    return f"{items[0]}, {items[1]} ... {items[-1]} ({len(items)} in all)"


def not_found(what: str, asked: str, known: Iterable[str], hint: str = "", names: bool = False) -> NotFound:
    """NotFound saying what exists: for names, close matches if there are any."""
    import difflib  # noqa: PLC0415 - only for a name not found

    known = list(known)
    close = difflib.get_close_matches(asked, known, n=3, cutoff=0.6) if names else []
    listing = ("did you mean " + " or ".join(close) + "?") if close else f"known: {span(known)}"
    shown = repr(asked) if names else asked
    return NotFound(f"no {what} {shown}; {listing}" + (f" ({hint})" if hint else ""))


def known_rows(columns: str, where: str, params: list[Any], known_at: str) -> tuple[str, list[Any]]:
    """SQL of a derived table of `columns` of the roster rows the register held at
    `known_at` that meet `where` (of `read_roster`'s columns, with `params`), and all its
    parameters: the rows still current that were recorded by then and the rows superseded
    since then, each read from a partial index of those rows (`schema.ROSTER`), not by
    a scan of the table."""
    sql = (f"(SELECT {columns} FROM read_roster WHERE recorded_until IS NULL AND recorded_from <= ? AND {where} "
           f"UNION ALL SELECT {columns} FROM read_roster WHERE recorded_until IS NOT NULL "
           f"AND recorded_until > ? AND recorded_from <= ? AND {where})")
    return sql, [known_at, *params, known_at, known_at, *params]
