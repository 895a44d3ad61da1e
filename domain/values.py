"""Value objects of the register: effective dates at their precision, countries,
references and bounded texts, with the checks that make them. Plain Python: the read
side shows them without pydantic; `domain.fields` makes event field types of the
checks, so an event that declares a field with one is validated when written and read
back with the same type (a `FuzzyDate` is one itself, through its pydantic hook)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache, total_ordering
from typing import TYPE_CHECKING, Any, TypeVar

from domain.errors import InvalidInput

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler
    from pydantic_core import CoreSchema

T = TypeVar("T")

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$", re.ASCII)


@total_ordering
class FuzzyDate:
    """A date in the world known to the year, the month or the day (`1996`, `1996-09`,
    `1996-09-15`). It stands for the period it names: it begins on `first` and ends on
    `last`, and orders by its beginning (then its end, so `1996-09` < `1996-09-30`)."""

    __slots__ = ("year", "month", "day")
    year: int
    month: int | None
    day: int | None

    def __init__(self, year: int, month: int | None = None, day: int | None = None):
        if day is not None and month is None:
            raise InvalidInput("a date with a day needs a month")
        try:
            date(year, 1 if month is None else month, 1 if day is None else day)
        except ValueError as e:
            raise InvalidInput(f"no such date: {self._format(year, month, day)} ({e})") from None
        if year < 1900:
            raise InvalidInput(f"date {self._format(year, month, day)} is before 1900")
        object.__setattr__(self, "year", year)
        object.__setattr__(self, "month", month)
        object.__setattr__(self, "day", day)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("FuzzyDate is immutable")

    def __reduce__(self) -> tuple[Any, ...]:
        return (FuzzyDate.parse, (str(self),))

    @classmethod
    def parse(cls, text: str | date | FuzzyDate | dict[str, Any]) -> FuzzyDate:
        if isinstance(text, FuzzyDate):
            return text
        if isinstance(text, date):
            return cls(text.year, text.month, text.day)
        if type(text) is str:
            return _parse_date(text)
        if isinstance(text, dict):
            return Dating.stored_as(text)
        return cls._from_text(text)

    def stored(self) -> str | dict[str, Any]:
        """Its stored (JSON) form: the text; a `Dating` keeps its bounds beside it."""
        return str(self)

    @classmethod
    def _from_text(cls, text: Any) -> FuzzyDate:
        m = _DATE.match(str(text).strip())
        if not m:
            raise InvalidInput(
                f"bad date {text!r}: use YYYY, YYYY-MM or YYYY-MM-DD (e.g. 1996-09)"
            )
        y, mo, d = m.groups()
        return cls(int(y), int(mo) if mo else None, int(d) if d else None)

    @staticmethod
    def _format(year: int, month: int | None, day: int | None) -> str:
        s = f"{year:04d}"
        if month is not None:
            s += f"-{month:02d}"
            if day is not None:
                s += f"-{day:02d}"
        return s

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    @property
    def first(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    @property
    def last(self) -> date:
        if self.day:
            return self.first
        return month_end(self.year, self.month or 12)

    def __str__(self) -> str:
        return self._format(self.year, self.month, self.day)

    def __repr__(self) -> str:
        return f"FuzzyDate({str(self)!r})"

    def _key(self) -> tuple[date, ...]:
        return (self.first, self.last)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FuzzyDate):
            return NotImplemented
        return self._key() == other._key()

    def __lt__(self, other: FuzzyDate) -> bool:
        if not isinstance(other, FuzzyDate):
            return NotImplemented
        return self._key() < other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        """As an event field: parsed from its text (or stored form), stored as `stored()`.
        Only pydantic calls this, while it builds an event class: its core is imported
        here, so that showing a date needs no pydantic."""
        from pydantic_core import core_schema  # noqa: PLC0415 - see above

        return core_schema.no_info_plain_validator_function(
            cls.parse,
            serialization=core_schema.plain_serializer_function_ser_schema(lambda d: d.stored()),
        )


class Dating(FuzzyDate):
    """A date as a document gives it where it is not exact at a precision: approximate
    (`2004~`), uncertain (`2004?`) or known by bounds (`[..2010-10]`, `2002-09/2010-10`),
    in EDTF (ISO 8601-2) text, with the first day it allows (`lower`, None: unbounded)
    and the day from which it is documented (`upper`: the first day of the latest period
    it allows, as the register reads any date at a precision from its first day). The
    text is parsed, and the bounds worked out, by the application (`near_gov.dating`);
    the domain keeps both.

    Rules read a fact dated so as certain from its upper bound: as a `FuzzyDate` it is
    that day (`first` = `last` = `upper`), so "a member by 2010-10" is a member for the
    rules from 2010-10-01 and no meeting before then rests on it. Queries read both
    bounds: between them the fact is possible, not documented."""

    __slots__ = ("text", "lower")
    text: str
    lower: date | None

    def __init__(self, text: str, lower: date | None, upper: date):
        if lower is not None and lower > upper:
            raise InvalidInput(f"date {text}: its earliest day {lower} is after its latest {upper}")
        super().__init__(upper.year, upper.month, upper.day)
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "lower", lower)

    @classmethod
    def stored_as(cls, data: dict[str, Any]) -> Dating:
        try:
            lower = data.get("lower")
            return cls(str(data["edtf"]), date.fromisoformat(lower) if lower else None,
                       date.fromisoformat(data["upper"]))
        except (KeyError, TypeError, ValueError) as e:
            raise InvalidInput(f"bad stored date {data!r} ({e})") from None

    def stored(self) -> dict[str, Any]:
        return {"edtf": self.text, "lower": self.lower.isoformat() if self.lower else None,
                "upper": self.first.isoformat()}

    def __reduce__(self) -> tuple[Any, ...]:
        return (Dating.stored_as, (self.stored(),))

    @property
    def precision(self) -> str:
        return "bounds"

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"Dating({self.text!r})"

    def _key(self) -> tuple[date, ...]:
        # Ordered as the rules read it (by the day it is certain), then by its earliest day;
        # two datings with the same bounds are equal whatever their text.
        return (self.first, self.last, self.lower or date.min)


def month_end(year: int, month: int) -> date:
    """The last day of a month (the `calendar` module would load `locale` for it)."""
    if month == 12:  # also of year 9999, whose next month `date` cannot hold
        return date(year, 12, 31)
    return date(year, month + 1, 1) - timedelta(days=1)


def earliest(day: FuzzyDate) -> date | None:
    """The first day a date allows: None if it has no lower bound."""
    return day.lower if isinstance(day, Dating) else day.first


# ISO 3166-1 alpha-2, officially assigned codes.
#: Dates given as text, parsed once each: a register names few distinct dates, and
#: every stored event read back parses its dates again (FuzzyDate is immutable).
_parse_date = lru_cache(maxsize=16384)(FuzzyDate._from_text)

ISO_COUNTRIES = frozenset(
    """AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN
    BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE
    DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN
    GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE
    KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK
    ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA
    PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK
    SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG
    UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW""".split()
)

#: The membership scope until a Charter version says otherwise (DESIGN.md).
DEFAULT_SCOPE = ("CN", "JP", "KR", "KP", "MN", "RU")


def country_code(value: str) -> str:
    code = str(value).strip().upper()
    if code not in ISO_COUNTRIES:
        raise InvalidInput(
            f"unknown country {value!r}: use an ISO 3166-1 alpha-2 code "
            f"such as {', '.join(DEFAULT_SCOPE)}"
        )
    return code


_CONTROL = {"Cc", "Cf", "Cs", "Co", "Cn"}


def _clean(value: Any, what: str, limit: int, multiline: bool) -> str:
    if not isinstance(value, str):
        raise InvalidInput(f"{what} must be text")
    text = value.strip() if multiline else " ".join(value.split())
    if not text:
        raise InvalidInput(f"{what} must not be empty")
    if len(text) > limit:
        raise InvalidInput(f"{what} is {len(text)} characters long; the limit is {limit}")
    if text.isprintable():  # no character of a category in _CONTROL: the common case
        return text
    allowed = "\n\t" if multiline else ""
    for ch in text:
        if ch not in allowed and unicodedata.category(ch) in _CONTROL:
            raise InvalidInput(
                f"{what} contains a control or unassigned character (U+{ord(ch):04X})"
            )
    return text


def clean_name(value: Any, what: str = "name") -> str:
    """An official name: spaces collapsed, at most 200 characters, printable."""
    return _clean(value, what, 200, multiline=False)


def clean_text(value: Any, what: str = "text") -> str:
    """A reason, source or decision text: at most 4000 characters, printable."""
    return _clean(value, what, 4000, multiline=True)


def normalise_name(name: str) -> str:
    """The key a name is looked up by: case and extra spaces ignored."""
    return " ".join(unicodedata.normalize("NFC", name).split()).casefold()


_ASSEMBLY = re.compile(r"^(GA|WC)-([1-9]\d{0,3})$", re.ASCII)
_DECISION = re.compile(r"^(GA|WC)-([1-9]\d{0,3})/D([1-9]\d{0,3})$", re.ASCII)
_APPLICATION = re.compile(r"^APP-(\d{4})-(\d{3,})$", re.ASCII)


def assembly_id(value: str) -> str:
    text = str(value).strip().upper()
    if not _ASSEMBLY.match(text):
        raise InvalidInput(f"bad assembly id {value!r}: use GA-n or WC-n (e.g. GA-4)")
    return text


def decision_ref(value: str) -> str:
    text = str(value).strip().upper()
    if not _DECISION.match(text):
        raise InvalidInput(f"bad decision reference {value!r}: use ID/Dn (e.g. GA-4/D2)")
    return text


def application_ref(value: str) -> str:
    text = str(value).strip().upper()
    if not _APPLICATION.match(text):
        raise InvalidInput(f"bad application reference {value!r}: use APP-YYYY-NNN")
    return text



class Status(StrEnum):
    NONE = "none"
    MEMBER = "member"
    OBSERVER = "observer"
    WITHDRAWN = "withdrawn"


#: The two assembly bodies, by the prefix of their references (GA-n, WC-n).
BODIES = {"GA": "General Assembly", "WC": "Working Committee"}


class Body(StrEnum):
    """Who takes a step of a governance process."""

    APPLICANT = "applicant"
    SECRETARIAT = "Secretariat"
    WORKING_COMMITTEE = "Working Committee"
    GENERAL_ASSEMBLY = "General Assembly"
    SUB_COMMITTEE = "Sub-Committee members"


def membership_kind(value: str) -> Status:
    try:
        status = Status(str(value).strip().lower())
    except ValueError:
        status = Status.NONE
    if status not in (Status.MEMBER, Status.OBSERVER):
        raise InvalidInput(f"bad status {value!r}: use member or observer")
    return status


def optional(check: Callable[..., T], value: Any, *args: Any) -> T | None:
    """An optional input: absent is None, but given empty is checked (and refused)."""
    return None if value is None else check(value, *args)


#: What an assembly's item may record other than a decision: no effects, not replayed.
RECORDS = ("discussion", "proposal", "report", "bid")


def item_of(kind: str) -> str:
    """What an item of `kind` is: "decision", or the nature of a record (`RECORDS`)."""
    return kind if kind in RECORDS else "decision"
