"""The JSON shapes of DESIGN.md, built in one place for the database queries and for
the test oracle (tests/oracle.py), so the property test compares like with like (same
keys, same order)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from domain.values import FuzzyDate, normalise_name
from projections.common import natural

View = dict[str, Any]


def roster(as_of: FuzzyDate, known_at: str | None, entries: Iterable[View], ordered: bool = False,
           counts: Iterable[View] = (), at_least: Iterable[View] = ()) -> View:
    """By country, then name (today's name settles a name two regions held on one day);
    `ordered`: the entries already come in that order. `counts`: those in force on the
    day (`count`), which the record states without naming every region; `at_least`:
    for each status they count, at least how many regions held it, `named` of them
    (`projections.counts.at_least`)."""
    if not ordered:
        entries = sorted(entries, key=lambda e: (e["country"], normalise_name(e["name"]),
                                                 normalise_name(e["current_name"])))
    return {"as_of": str(as_of), "known_at": known_at, "entries": list(entries), "counts": list(counts),
            "at_least": list(at_least)}


def count(status: str, stated: int, named: int, countries: Sequence[str], since: str, source: str,
          inferred: str | None) -> View:
    """A count the record states (`projections.counts`): `count` regions took `status`
    `since` (EDTF), from `countries` (empty: not stated); `named`: how many of them the
    record names."""
    return {"status": status, "count": stated, "named": named, "countries": list(countries), "since": since,
            "source": source, "basis": basis(None, source, inferred)}


def roster_entry(name: str, current_name: str, country: str, status: str, since: str, cause: str | None,
                 source: str | None, documented: bool = True, inferred: str | None = None) -> View:
    """`name`: the name held on the roster's date; `current_name`: today's. `documented`:
    the record documents the status on that date (else it only allows it); `basis`:
    how its date is known."""
    return {"name": name, "current_name": current_name, "country": country, "status": status,
            "since": since, "cause": cause, "source": source, "documented": documented,
            "basis": basis(cause, source, inferred)}


def basis(cause: str | None, source: str | None, inferred: str | None) -> str | None:
    """How a status's date is known: decided (None: its cause says it), stated by its
    source, or inferred, and from what."""
    if inferred:
        return f"inferred from {inferred}"
    return "stated" if source and not cause else None


def period(status: str, since: str, cause: str | None, source: str | None,
           recorded_at: str, corrects: str | None, name: str | None, inferred: str | None = None,
           actor: str | None = None, db_role: str | None = None) -> View:
    """One entry of a region's status timeline; `corrects` is the date it replaced,
    `name` the region's name when the period began; `actor` who recorded it and
    `db_role` the database role that wrote it (None where the store records none)."""
    return {"status": status, "since": since, "cause": cause, "source": source,
            "recorded_at": recorded_at, "corrects": corrects, "name": name,
            "basis": basis(cause, source, inferred), "actor": actor, "db_role": db_role}


def region(name: str, country: str, status: str, since: str | None, cause: str | None,
           source: str | None, former_names: Sequence[str]) -> View:
    return {"name": name, "country": country, "status": status, "since": since,
            "cause": cause, "source": source, "former_names": list(former_names)}


def regions(items: Iterable[View]) -> list[View]:
    return sorted(items, key=lambda r: (r["country"], normalise_name(r["name"])))


def audit(name: str, country: str, status: str, timeline: list[View]) -> View:
    return {"region": name, "country": country, "status": status, "timeline": timeline}


def committee_summary(name: str, coordinator: str | None, established: str | None,
                      purpose: str | None, dissolved: str | None) -> View:
    return {"name": name, "coordinator": coordinator, "established": established,
            "purpose": purpose, "dissolved": dissolved}


def committees(items: Iterable[View]) -> list[View]:
    return sorted(items, key=lambda c: normalise_name(c["name"]))


def committee(name: str, purpose: str | None, established: str | None, cause: str | None,
              source: str | None, dissolved: str | None,
              coordinations: Sequence[tuple[str | None, str | None, str, str | None, str | None]]) -> View:
    """`coordinations` are (region, current name, since, cause, source) in order of
    election, the region named as it was when its term began, and vacancies (region
    None: a term ended, its cause the withdrawal's); each term lasts until the next
    election or vacancy, the last until the committee was dissolved. `ended_by` is
    the cause of a term's end where it ended without a successor. The coordinator in
    office is named by today's name."""
    following = [*coordinations[1:], None][:len(coordinations)]
    coordinators = [
        {"region": r, "current_name": now, "since": since, "until": nxt[2] if nxt else dissolved, "cause": cause,
         "source": src, "ended_by": nxt[3] if nxt and nxt[0] is None else None}
        for (r, now, since, cause, src), nxt in zip(coordinations, following, strict=True) if r is not None
    ]
    vacant = bool(coordinations) and coordinations[-1][0] is None
    current = coordinators[-1]["current_name"] if coordinators and dissolved is None and not vacant else None
    return {"name": name, "purpose": purpose, "established": established, "cause": cause,
            "source": source, "dissolved": dissolved, "coordinator": current,
            "coordinators": coordinators}


def charter(version: int, on: str | None, cause: str | None, scope: Sequence[str],
            articles: Iterable[tuple[str, str]], as_of: str | None) -> View:
    return {"version": version, "on": on, "cause": cause, "as_of": as_of, "scope": list(scope),
            "articles": [{"article": a, "text": t} for a, t in sorted(articles, key=lambda x: natural(x[0]))]}
