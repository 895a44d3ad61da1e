"""Counts the record states without naming the regions (`domain.count`): recorded, or
corrected, from a document."""

from __future__ import annotations

from typing import Any

from domain.count import StatedCount, check_countries, count_of
from domain.errors import InvalidInput
from domain.values import clean_text, country_code, membership_kind, optional
from near_gov.commands.unit import Unit, effective
from near_gov.dating import documentary
from near_gov.persistence.register import Register


def country_codes(text: str) -> tuple[str, ...]:
    """Comma-separated country codes, in the order given (a repeated one is refused later)."""
    codes = tuple(country_code(c) for c in str(text).split(",") if c.strip())
    if not codes:
        raise InvalidInput("countries: give country codes, e.g. CN,JP,KR,RU, or leave them out "
                           "where the document names none")
    return codes


def record_count(reg: Register, count: int | str, status: str, since: str, source: str,
                 countries: str | None = None, inferred: str | None = None) -> dict[str, Any]:
    """`count` regions took `status` on `since` (EDTF, as the document dates it), from
    `countries` (comma-separated codes; None: the document names none). The same status
    and date recorded again with other values corrects the record."""
    number, kind = count_of(count), membership_kind(status)
    codes = country_codes(countries) if countries is not None else ()
    check_countries(number, codes)
    day = effective(documentary(since, "--since"), "--since")
    text, why = clean_text(source, "source"), optional(clean_text, inferred, "inferred")
    u = Unit(reg)
    stated = u.find(StatedCount, StatedCount.create_id(kind, day))
    if stated is None:
        stated = u.add(StatedCount(status=kind, count=number, countries=codes, on=day, source=text,
                                   inferred=why, actor=u.actor))
    else:
        stated.correct(number, codes, text, why, u.actor)
    u.commit(stated)
    return {"status": str(kind), "count": number, "countries": list(codes), "since": str(day), "source": text}
