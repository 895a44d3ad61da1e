"""The register at a glance: one self-contained HTML file for people who would rather
look than read (auditors, the Working Committee).

Self-contained so it can be mailed, archived and opened offline years later: inline
CSS, the chart as inline SVG, no script, font, image or link outside the file. Every
text taken from the register goes through `html.escape`, since official names may hold
quotes, `<` or `&`. The chart has a text alternative (a table of the same numbers) and
the page prints on paper. The chain head is that of a full `verify`, so a report never
vouches for a log that fails its check (the report is refused, exit 4). A region is
named as it was at the date in question (the report's date, an assembly's, the start
of a coordinator's term), with today's name beside where it differs."""

from __future__ import annotations

import html
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from domain.phrasing import counted
from domain.values import FuzzyDate, earliest
from near_gov.chart import Sample, Stated, chart
from near_gov.dating import documentary
from near_gov.files import private_file
from near_gov.integrity import verify
from near_gov.naming import subject_with_now, with_now
from near_gov.reads import Reads
from near_gov.service import Governance
from projections.common import today_date

COUNTRIES = {"CN": "China", "JP": "Japan", "KR": "Republic of Korea", "KP": "DPRK", "MN": "Mongolia",
             "RU": "Russia"}
STATUSES = ("member", "observer")

CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK KR",sans-serif;
 color:#1b1b1b;background:#fff;margin:0 auto;max-width:1180px;padding:1.5rem 2rem}
h1{font-size:1.7rem;margin:.2rem 0}h2{font-size:1.3rem;border-bottom:2px solid #0072b2;margin-top:2rem}
h3{font-size:1.05rem;margin:1.2rem 0 .3rem}
nav ul{display:flex;flex-wrap:wrap;gap:.3rem 1.2rem;padding:0;list-style:none}
table{border-collapse:collapse;width:100%;margin:.4rem 0 1rem;font-size:.92rem}
caption{text-align:left;font-weight:600;padding:.2rem 0}
th,td{border:1px solid #c8c8c8;padding:.25rem .5rem;text-align:left;vertical-align:top}
thead th{background:#eef3f8}tbody tr:nth-child(even){background:#f8f8f8}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}td.n,.w{white-space:nowrap}
table.narrow{width:auto;min-width:32rem}
table.decisions{table-layout:fixed}.decisions th:nth-child(1){width:6.5rem}.decisions th:nth-child(2){width:10rem}
.decisions th:nth-child(4){width:30%}
code{font-size:.88em;word-break:break-all}.meta{color:#444}
svg{width:100%;height:auto;display:block}details{margin:.5rem 0 1rem}summary{cursor:pointer}
ul.plain{margin:0;padding-left:1.1rem}
@media print{body{font-size:10pt;max-width:none;padding:0}nav{display:none}
 h2{break-after:avoid}table,figure{break-inside:auto}tr,svg{break-inside:avoid}
 thead{display:table-header-group}*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 a{color:inherit;text-decoration:none}}
"""


def write_report(gov: Governance, path: str | os.PathLike[str], as_of: str | None = None) -> dict[str, Any]:
    """Write the HTML report of `gov` as of `as_of` (default today) to `path`, whole or
    not at all and readable by its owner only; return a summary."""
    page, done = render_report(gov, as_of)
    with private_file(path, "w", encoding="utf-8") as out:
        out.write(page)
    return {"path": str(path), **done}


def render_report(gov: Governance, as_of: str | None = None) -> tuple[str, dict[str, Any]]:
    """The HTML report of `gov` as of `as_of` (default today), and its summary."""
    day = today_date(as_of)  # a bad date is refused before any work
    chain = verify(gov)
    reads = Reads(gov)
    try:
        page, counts = _page(reads, day, chain)
    finally:
        reads.close()
    return page, {"as_of": str(day), "members": counts["member"], "observers": counts["observer"],
                  "head": chain["head"], "position": chain["position"]}


def esc(value: Any) -> str:
    return "—" if value is None or value == "" else html.escape(str(value))


def in_order(code: str) -> tuple[int, str]:
    """NEAR's countries in the order of DESIGN.md, then any other by code."""
    return (list(COUNTRIES).index(code) if code in COUNTRIES else len(COUNTRIES), code)


def country(code: str) -> str:
    return f"{COUNTRIES[code]} ({code})" if code in COUNTRIES else code


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def table(caption: str, headers: Sequence[str], rows: Iterable[Sequence[str]], numeric: Iterable[int] = (),
          nowrap: Iterable[int] = (), layout: str = "") -> str:
    """A table of already escaped cells; the first cell of each row heads it."""
    numbers, whole = set(numeric), set(nowrap)

    def style(i: int) -> str:
        return ' class="n"' if i in numbers else ' class="w"' if i in whole else ""

    head = "".join(f'<th scope="col"{style(i)}>{esc(h)}</th>' for i, h in enumerate(headers))
    body = "".join(
        "<tr>" + "".join((f'<th scope="row"{style(i)}>{c}</th>' if i == 0 else f"<td{style(i)}>{c}</td>")
                         for i, c in enumerate(row)) + "</tr>"
        for row in rows)
    kind = f' class="{layout}"' if layout else ""
    return f"<table{kind}><caption>{caption}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _page(reads: Reads, day: FuzzyDate, chain: dict[str, Any]) -> tuple[str, Counter[str]]:
    roster = reads.roster(as_of=day)["entries"]
    counts = Counter(e["status"] for e in roster)
    assemblies = reads.assemblies()
    made = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    sections = [
        ("roster", f"Roster on {esc(day)}", _roster(roster, day)),
        ("membership", "Membership over time", _membership(reads, assemblies, day)),
        ("regions", "Regions by country", _regions(roster, day)),
        ("assemblies", "Assemblies and their decisions", _assemblies(reads, assemblies)),
        ("committees", "Sub-Committees", _committees(reads)),
        ("charter", "The Charter", _charter(reads, day)),
        ("integrity", "Integrity", _integrity(chain)),
    ]
    nav = "".join(f'<li><a href="#{ident}">{title}</a></li>' for ident, title, _ in sections)
    body = "".join(f'<section id="{ident}" aria-labelledby="{ident}-h"><h2 id="{ident}-h">{title}</h2>{part}</section>'
                   for ident, title, part in sections)
    title = f"NEAR register as of {esc(day)}"
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>'
            f"<style>{CSS}</style></head><body><header><h1>{title}</h1>"
            f'<p class="meta">The Association of North East Asia Regional Governments: '
            f'{plural(counts["member"], "member")} and {plural(counts["observer"], "observer")} on {esc(day)}. '
            f"Report made {made}; hash chain verified through event {chain['position']}.</p>"
            f'<nav aria-label="Sections"><ul>{nav}</ul></nav></header><main>{body}</main></body></html>\n',
            counts)


def _by_country(entries: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for e in sorted(entries, key=lambda e: in_order(e["country"])):
        grouped.setdefault(e["country"], []).append(e)
    return grouped


def _tally(rows: list[dict[str, Any]]) -> str:
    counts = Counter(e["status"] for e in rows)
    return f"{plural(counts['member'], 'member')}, {plural(counts['observer'], 'observer')}"


def _roster(entries: list[dict[str, Any]], day: FuzzyDate) -> str:
    tally = {cc: Counter(e["status"] for e in rows) for cc, rows in _by_country(entries).items()}
    total = Counter(e["status"] for e in entries)
    rows = [[esc(country(cc)), str(t["member"]), str(t["observer"]), str(t.total())] for cc, t in tally.items()]
    rows.append(["All countries", str(total["member"]), str(total["observer"]), str(total.total())])
    return (f"<p><strong>{plural(total['member'], 'member')}</strong> and <strong>"
            f"{plural(total['observer'], 'observer')}</strong> from {len(tally)} "
            f"{'country' if len(tally) == 1 else 'countries'} on {esc(day)}.{_undocumented(entries, day)}</p>"
            + table(f"Members and observers by country on {esc(day)}", ["Country", "Members", "Observers", "Total"],
                    rows, numeric=(1, 2, 3), layout="narrow"))


def _undocumented(entries: list[dict[str, Any]], day: FuzzyDate) -> str:
    """What the record documents of the roster, where it only allows some of it."""
    if all(e["documented"] for e in entries):
        return ""
    sure = Counter(e["status"] for e in entries if e["documented"])
    return (f" Of these, the record documents {plural(sure['member'], 'member')} and "
            f"{plural(sure['observer'], 'observer')} on {esc(day)}; the others are possible: their dates, "
            "given by bounds, take in the day (marked &ldquo;possible&rdquo; below).")


def _regions(entries: list[dict[str, Any]], day: FuzzyDate) -> str:
    """The roster in full: each region with the cause and source of its status."""
    parts = []
    for cc, rows in _by_country(entries).items():
        parts.append(f"<h3>{esc(country(cc))}: {_tally(rows)}</h3>" + table(
            f"Regions of {esc(country(cc))} on {esc(day)}", ["Region", "Status", "Since", "Cause", "Source"],
            [[esc(with_now(e["name"], e["current_name"])),
              esc(e["status"] + ("" if e["documented"] else " (possible)")),
              esc(e["since"]), esc(e["cause"]), esc(e["source"])] for e in rows],
            nowrap=(1, 2, 3)))
    return "".join(parts) or "<p>No region is a member or observer on this date.</p>"


def _membership(reads: Reads, assemblies: list[dict[str, Any]], day: FuzzyDate) -> str:
    """Members and observers, documented and possible, at each date of the axis up to
    `day`, and the counts the record states."""
    samples, held, points = _samples(reads, assemblies, day)
    rows = [[esc(s.label), esc(", ".join(held.get(s.day, [])))]
            + [str(n[st]) for st in STATUSES for n in (s.documented, s.possible)]
            + [esc("; ".join(p.describe() for p in points if p.on.first == s.day))] for s in samples]
    headers = ["Date", "Assemblies"] + [f"{st.capitalize()}s {which}" for st in STATUSES
                                        for which in ("documented", "possible")] + ["Counts stated"]
    data = table("Members and observers at each date: documented, and possible (documented or allowed by the "
                 "record's dates)", headers, rows, numeric=range(2, 6), nowrap=(0,))
    return (f"<figure>{chart(samples, points, day)}<figcaption>Solid lines: regions the record documents as "
            "members (blue) or observers (orange) on each date. Shaded bands rise to the regions the record "
            "allows: documented, or dated by bounds that take in the day (a member &ldquo;between 1996-09 and "
            "2010-10&rdquo; is possible, not documented, in between)."
            + (" Diamonds: counts the record states without naming the regions, at their date (hover for "
               "the source)." if points else "")
            + " The lines step at each assembly date and each date a status may begin or is documented from, "
            f"and end on {esc(day)}.</figcaption></figure>"
            f"<details><summary>The chart's numbers as a table</summary>{data}</details>")


def _samples(reads: Reads, assemblies: list[dict[str, Any]],
             day: FuzzyDate) -> tuple[list[Sample], dict[date, list[str]], list[Stated]]:
    """The roster, read by the roster query, on each date the chart counts (assembly dates,
    `day`, and the days each status or count on those rosters may begin and is documented
    from); the assemblies (and "report date") held on each; and the counts those rosters
    report, each once."""
    labels: dict[date, str] = {}
    held: dict[date, list[str]] = {}
    for a in assemblies:
        opened = FuzzyDate.parse(a["opened"])
        if opened.first <= day.first:
            labels.setdefault(opened.first, a["opened"])
            held.setdefault(opened.first, []).append(a["id"])
    labels.setdefault(day.first, str(day))
    held.setdefault(day.first, []).append("report date")
    rosters = {d: reads.roster(as_of=text) for d, text in labels.items()}
    found = {c["since"] for r in rosters.values() for c in r["counts"]}
    for since in found | {e["since"] for r in rosters.values() for e in r["entries"]}:
        dated = documentary(since)
        for d in (earliest(dated), dated.first):
            if d is not None and d < day.first and d not in labels:
                labels[d] = str(dated) if d == dated.first and dated.precision != "bounds" else d.isoformat()
                rosters[d] = reads.roster(as_of=labels[d])
    stated = {(c["status"], c["since"]): c for d in sorted(rosters) for c in rosters[d]["counts"]}
    points = [Stated(documentary(c["since"]), c["status"], c["count"],
                     f"{counted(c['count'], c['status'], c['countries'])} ({c['named'] or 'none'} named)",
                     c["source"]) for c in stated.values()]
    return [Sample(labels[d], d, Counter(e["status"] for e in rosters[d]["entries"] if e["documented"]),
                   Counter(e["status"] for e in rosters[d]["entries"])) for d in sorted(labels)], held, points


def _assemblies(reads: Reads, assemblies: list[dict[str, Any]]) -> str:
    if not assemblies:
        return "<p>No assembly is recorded.</p>"
    parts = []
    for a in assemblies:
        full = reads.assembly(a["id"])
        heading = (f"{esc(a['id'])}: {esc(a['body'])} {a['number']}, {esc(a['opened'])}, "
                   f"hosted by {esc(with_now(a['host'], a['current_host']))}")
        attendees = ", ".join(with_now(r["name"], r["current_name"]) for r in full["attendees"])
        attended = f"<p>Attended by {esc(attendees)}.</p>" if attendees else ""
        rows = [[esc(d["ref"]), esc(d["kind"]), esc(d["text"]), _effects(d["effects"])] for d in full["decisions"]]
        parts.append(f"<h3>{heading}</h3>{attended}" + (table(
            f"Decisions of {esc(a['id'])}", ["Decision", "Kind", "Text", "Effects on the register"], rows,
            nowrap=(0,), layout="decisions")
            if rows else "<p>No decision is recorded.</p>"))
    return "".join(parts)


def _effects(effects: list[dict[str, Any]]) -> str:
    if not effects:
        return "none"
    items = "".join(f"<li>{esc(subject_with_now(e))}: {esc(e.get('summary') or e['kind'])}"
                    + (f" ({esc(e['effective'])})" if e.get("effective") else "") + "</li>" for e in effects)
    return f'<ul class="plain">{items}</ul>'


def _committees(reads: Reads) -> str:
    rows = []
    for summary in reads.committees():
        c = reads.committee(summary["name"])
        history = "".join(f"<li>{esc(with_now(k['region'], k['current_name']))}: since {esc(k['since'])}"
                          f"{', until ' + esc(k['until']) if k['until'] else ''}"
                          f"{' (' + esc(k['cause']) + ')' if k['cause'] else ''}</li>" for k in c["coordinators"])
        established = esc(c["established"]) + (f" ({esc(c['cause'])})" if c["cause"] else "")
        rows.append([esc(c["name"]), established, esc(c["dissolved"]), esc(c["purpose"]),
                     f'<ul class="plain">{history}</ul>' if history else "none recorded"])
    if not rows:
        return "<p>No Sub-Committee is recorded.</p>"
    return table(f"{plural(len(rows), 'Sub-Committee')} and their coordinators",
                 ["Sub-Committee", "Established", "Dissolved", "Purpose", "Coordinators"], rows, nowrap=(2,))


def _charter(reads: Reads, day: FuzzyDate) -> str:
    versions = table("Versions of the Charter", ["Version", "On", "Decision", "Change", "Membership scope"], [
        [str(v["version"]), esc(v["on"]), esc(v["cause"]), esc(v["change"]), esc(", ".join(v["scope"]))]
        for v in reads.charter_history()])
    now = reads.charter(as_of=day)
    articles = table(f"Articles of version {now['version']}, in force on {esc(day)}", ["Article", "Text"],
                     [[esc(a["article"]), esc(a["text"])] for a in now["articles"]]) if now["articles"] else (
        "<p>No article is recorded.</p>")
    return (f"<p>Version {now['version']} is in force on {esc(day)}; membership scope: "
            f"{esc(', '.join(now['scope']))}.</p>{versions}<h3>In force on {esc(day)}</h3>{articles}")


def _integrity(chain: dict[str, Any]) -> str:
    rows = [["Head", f"<code>{esc(chain['head'])}</code>"], ["Position", str(chain["position"])],
            ["Seals checked", str(chain.get("seals_checked", 0))]]
    return (table("The hash chain over the whole log, verified when this report was made", ["Property", "Value"],
                  rows, layout="narrow")
            + f"<p>Check later that nothing up to here changed: <code>near-gov audit verify --head "
              f"{esc(chain['head'])}</code></p>")
