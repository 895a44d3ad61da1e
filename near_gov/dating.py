"""Dates as documents give them: EDTF (ISO 8601-2) text read with the `edtf` library
(ixc/python-edtf), turned into the domain's `FuzzyDate` (exact at a precision) or
`Dating` (approximate, uncertain or bounded, with its bounds).

The library parses every form the register takes (`1996-09`, `2004~`, `2004?`,
`2002-09/2010-10`, `[..2010-10]`, `../2010-10`, `2010-10/..`, `[1996-09..]`) and gives
their strict bounds (`lower_strict`/`upper_strict`; ±infinity for an open end). Its
fuzzy bounds are not used: they pad a month-precise `2004-06~` by a year and a month,
and fail on open ends. Here an approximate or uncertain date allows one unit of its
precision either side (`2004~`: 2003 to 2005; `2004-06~`: 2004-05 to 2004-07).

Only records taken from documents (`region record --since`, the loader's records) are
read this way; commands that record new facts keep exact dates (`commands.unit.effective`)."""

from __future__ import annotations

import calendar
import math
import re
import time
from datetime import date
from typing import Any

from edtf import parse_edtf
from edtf.parser.edtf_exceptions import EDTFParseException

from domain.errors import InvalidInput
from domain.values import Dating, FuzzyDate

_PLAIN = re.compile(r"^\d{4}(?:-\d{1,2}(?:-\d{1,2})?)?$", re.ASCII)
HINT = "use EDTF, e.g. 1996-09, 2004~, 2004?, 2002-09/2010-10 or [..2010-10]"


def bounds(text: str) -> tuple[date | None, date | None]:
    """The first and last day an EDTF date allows; None for an open end."""
    try:
        parsed = parse_edtf(text)
        lower, upper = parsed.lower_strict(), parsed.upper_strict()
    except (EDTFParseException, ValueError, TypeError, AttributeError):
        raise InvalidInput(f"bad date {text!r}: {HINT}") from None
    first, last = _day(lower), _day(upper)
    if "~" in text or "?" in text or "%" in text:
        first, last = _pad(first, text, -1), _pad(last, text, +1)
    return first, last


def documentary(value: str | FuzzyDate, what: str = "date") -> FuzzyDate:
    """A date from a document: a `FuzzyDate` if exact at a precision, else a `Dating`.
    A document dates what it records, so the date needs an upper bound."""
    if isinstance(value, FuzzyDate):
        return value
    text = str(value).strip()
    if _PLAIN.match(text):  # exact at a precision: the register's own reading and errors
        return FuzzyDate.parse(text)
    lower, upper = bounds(text)
    if upper is None:
        raise InvalidInput(f"{what} {text}: a document dates what it records by a latest day; "
                           "give an upper bound (e.g. 2002-09/2010-10)")
    if (lower or upper).year < 1900:
        raise InvalidInput(f"{what} {text} is before 1900")
    return Dating(text, lower, latest_start(text, upper))


def latest_start(text: str, upper: date) -> date:
    """The first day of the latest period a date allows (`[..2010-10]`: 2010-10-01), the
    day from which it is documented: the register reads a date at a precision from its
    first day (a month's decision takes effect on its first), and so the upper end of a
    documentary date, so that "a member by 2010-10" may host a meeting of 2010-10."""
    digits = _digits(text, -1)
    if digits >= 8:
        return upper
    return date(upper.year, upper.month, 1) if digits >= 6 else date(upper.year, 1, 1)


def _digits(text: str, end: int) -> int:
    """How many digits the date at one end (0: lower, -1: upper) of EDTF text has."""
    return sum(c.isdigit() for c in text.strip("[]").replace("..", "/").split("/")[end] or text)


def documentary_text(value: Any) -> str:
    """A documentary date of a records file (quoted text), as it will be stored."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise InvalidInput(f"bad date {value!r}: {HINT}, quoted")
    return str(documentary(str(value)))


def _day(moment: time.struct_time | float) -> date | None:
    if isinstance(moment, float):
        if math.isinf(moment):
            return None
        raise InvalidInput(f"bad date bound {moment!r}")
    return date(moment.tm_year, moment.tm_mon, moment.tm_mday)


def _pad(day: date | None, text: str, sign: int) -> date | None:
    """`day` moved one unit of the text's precision outward (to the unit's edge)."""
    if day is None:
        return None
    digits = _digits(text, 0 if sign < 0 else -1)
    if digits >= 8:  # a day
        return date.fromordinal(day.toordinal() + sign)
    if digits >= 6:  # a month
        month = day.year * 12 + day.month - 1 + sign
        y, m = divmod(month, 12)
        return date(y, m + 1, 1 if sign < 0 else calendar.monthrange(y, m + 1)[1])
    return date(day.year + sign, 1, 1) if sign < 0 else date(day.year + sign, 12, 31)
