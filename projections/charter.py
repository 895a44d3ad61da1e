"""The Charter version by version. Each amendment makes a new version; an article's
text is stored once per span of versions it stayed the same, so showing any version
or diffing two is an indexed look-up however many versions there are. Version 0 is
the Charter before any amendment: no articles, the default membership scope."""

from __future__ import annotations

import re
from typing import Any

from domain.values import DEFAULT_SCOPE, FuzzyDate
from projections import shapes
from projections.batch import Batch
from projections.common import dates, natural, not_found
from projections.db import Cursor
from projections.registry import ReadModel
from projections.schema import CHARTER_ARTICLES, CHARTER_VERSIONS

_DEFAULT = {"number": 0, "on_date": None, "cause": None, "scope": ",".join(DEFAULT_SCOPE),
            "change": "default membership scope", "article": None, "recorded_at": None}

MODEL = ReadModel("charter")

# Handlers.


@MODEL.handles("domain.charter:Charter.ArticleAmended")
def article_amended(b: Batch, e: Any, pos: int, at: str) -> None:
    latest = current(b)
    number = latest["number"] + 1
    _version(b, e, pos, at, number, latest["scope"], f"article {e.article} amended", e.article)
    old = b.lookup(("article", e.article), lambda c: c.run(
        "SELECT * FROM read_charter_articles WHERE article = ? AND version_to IS NULL", (e.article,)).one())
    if old is not None:
        b.put(CHARTER_ARTICLES, {**old, "version_to": number})
    new = {"article": e.article, "version_from": number, "version_to": None, "text": e.text}
    b.put(CHARTER_ARTICLES, new)
    b.remember(("article", e.article), new)


@MODEL.handles("domain.charter:Charter.ScopeSet")
def scope_set(b: Batch, e: Any, pos: int, at: str) -> None:
    number = current(b)["number"] + 1
    scope = ",".join(e.countries)
    _version(b, e, pos, at, number, scope, f"membership scope set to {', '.join(e.countries)}", None)


def current(b: Batch) -> dict[str, Any]:
    """The number and membership scope of the Charter's latest version, as this batch has left it."""
    return b.lookup("charter", lambda c: c.run(
        "SELECT number, scope FROM read_charter_versions ORDER BY number DESC LIMIT 1").one() or _DEFAULT)


def _version(b: Batch, e: Any, pos: int, at: str, number: int, scope: str, change: str,
             article: str | None) -> None:
    on, first, _ = dates(e.on)
    b.put(CHARTER_VERSIONS, {"number": number, "on_date": on, "on_first": first,
                             "cause": e.cause, "scope": scope, "change": change, "article": article,
                             "position": pos, "recorded_at": at})
    b.remember("charter", {"number": number, "scope": scope})


# Queries.

_VERSION = re.compile(r"^v?(\d{1,3})$", re.IGNORECASE)


def version_number(c: Cursor, which: int | str | FuzzyDate | None) -> int:
    """A version by number (`3`, `v3`), or the version in force on a date."""
    latest = c.run("SELECT MAX(number) AS n FROM read_charter_versions").scalar() or 0
    if which is None:
        return latest
    match = _VERSION.match(str(which).strip())
    if isinstance(which, int) or match:
        number = int(which) if isinstance(which, int) else int(match.group(1))  # type: ignore[union-attr]
        if not 0 <= number <= latest:
            raise not_found("Charter version", str(number), [str(n) for n in range(latest + 1)],
                            "see `near-gov charter history`")
        return number
    day = FuzzyDate.parse(which)
    found = c.run("SELECT MAX(number) AS n FROM read_charter_versions WHERE on_first <= ?",
                  (day.first.isoformat(),)).scalar()
    return found or 0


def _row(c: Cursor, number: int) -> dict[str, Any]:
    row = c.run("SELECT * FROM read_charter_versions WHERE number = ?", (number,)).one()
    return row or _DEFAULT


def _articles(c: Cursor, number: int) -> dict[str, str]:
    return {r["article"]: r["text"] for r in c.run(
        "SELECT article, text FROM read_charter_articles WHERE version_from <= ? "
        "AND (version_to IS NULL OR version_to > ?)", (number, number)).all()}


def charter(c: Cursor, as_of: str | FuzzyDate | None) -> dict[str, Any]:
    day = None if as_of is None else FuzzyDate.parse(as_of)
    number = version_number(c, day)
    row = _row(c, number)
    return shapes.charter(number, row["on_date"], row["cause"], row["scope"].split(","),
                          _articles(c, number).items(), None if day is None else str(day))


def charter_history(c: Cursor) -> list[dict[str, Any]]:
    rows = [_DEFAULT] + c.run("SELECT * FROM read_charter_versions ORDER BY number").all()
    return [{"version": r["number"], "on": r["on_date"], "cause": r["cause"], "change": r["change"],
             "article": r["article"], "scope": r["scope"].split(","), "recorded_at": r["recorded_at"]}
            for r in rows]


def charter_diff(c: Cursor, a: int | str, b: int | str) -> dict[str, Any]:
    first, second = version_number(c, a), version_number(c, b)
    before, after = _articles(c, first), _articles(c, second)
    changes = [{"article": name, "before": before.get(name), "after": after.get(name)}
               for name in sorted(before.keys() | after.keys(), key=natural)
               if before.get(name) != after.get(name)]
    scope_before, scope_after = _row(c, first)["scope"].split(","), _row(c, second)["scope"].split(",")
    return {"from": first, "to": second, "articles": changes,
            "scope": None if scope_before == scope_after else {"before": scope_before, "after": scope_after}}

