"""The report's chart of membership over time, as inline SVG: what the record documents
and what it only allows are drawn apart, so the chart shows no more certainty than the
record has.

For each status (members, observers) a solid step line counts the regions the record
documents on each date of the axis, and a shaded band rises from it to the regions the
record allows (documented, or dated by bounds that take in the day: "a member between
1996-09 and 2010-10"). A region the record allows present is never drawn absent. Counts
the record states without names ("29 founding members, 1996-09") are marked points, each
with its source in its tooltip. The numbers come from the roster query (its `documented`
flag); this module only draws them."""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from domain.values import FuzzyDate

# The chart's geometry (SVG user units): plot area inside the margins, legend at the right.
WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 960, 400, 56, 250, 16, 56
#: Okabe-Ito blue and vermillion: told apart with colour-blindness and in grey print
#: (the band's edge is dashed as well as lighter).
COLOURS = {"member": "#0072b2", "observer": "#d55e00"}
NOUNS = {"member": "Members", "observer": "Observers"}


@dataclass(frozen=True)
class Sample:
    """The roster on one date of the axis (`label` as shown, from its first day `day`):
    per status, the regions the record documents and those it allows (documented or not)."""

    label: str
    day: date
    documented: Counter[str]
    possible: Counter[str]


@dataclass(frozen=True)
class Stated:
    """A count the record states without names: `count` regions of `status` on `on`
    (`text` as the record gives it, e.g. "29 founding members"), and its source."""

    on: FuzzyDate
    status: str
    count: int
    text: str
    source: str | None = None

    def describe(self) -> str:
        return f"{self.text}, {self.on}" + (f" (source: {self.source})" if self.source else "")


def esc(value: object) -> str:
    return html.escape(str(value))


def chart(samples: Sequence[Sample], points: Sequence[Stated], day: FuzzyDate) -> str:
    """The SVG of `samples` (oldest first, the last on `day`) with `points` marked."""
    statuses = [st for st in COLOURS if any(s.possible[st] for s in samples) or any(p.status == st for p in points)]
    ords = [s.day.toordinal() for s in samples]
    lo, hi = ords[0], max(ords[-1], ords[0] + 365)
    top = max([s.possible[st] for s in samples for st in statuses] + [p.count for p in points] + [1])
    step = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10**9) if top / s <= 8)
    ymax = -(-top // step) * step
    pw, ph = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(ordinal: int) -> float:
        return LEFT + (ordinal - lo) / (hi - lo) * pw

    def y(v: float) -> float:
        return TOP + ph - v / ymax * ph

    xs = [x(o) for o in ords]
    ends = xs[1:] + [xs[-1]]

    def steps(values: Sequence[int]) -> list[tuple[float, float]]:
        """The corners of a step line: each value holds from its date to the next."""
        return [(px, y(v)) for a, b, v in zip(xs, ends, values, strict=True) for px in (a, b)]

    last = samples[-1]
    said = "; ".join(f"{NOUNS[st].lower()}: {_range(last.documented[st], last.possible[st])}" for st in statuses)
    out = [f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="chart-title chart-desc" '
           f'xmlns="http://www.w3.org/2000/svg" font-size="13" font-family="system-ui,sans-serif">'
           f'<title id="chart-title">Membership of NEAR over time: documented and possible</title>'
           f'<desc id="chart-desc">Step chart from {esc(samples[0].label)} to {esc(day)}: a solid line counts '
           f"the regions the record documents, a shaded band rises to the regions it allows (documented or "
           f"possible), and marked points are counts the record states. On {esc(day)}, {esc(said or 'none')}"
           f"{'; stated: ' + esc('; '.join(p.describe() for p in points)) if points else ''}. "
           f"The same numbers are in the table below the chart.</desc>"]
    for v in range(0, ymax + 1, step):
        out.append(f'<line x1="{LEFT}" x2="{LEFT + pw}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#ddd"/>'
                   f'<text x="{LEFT - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{v}</text>')
    out += [f'<line x1="{p:.1f}" x2="{p:.1f}" y1="{TOP}" y2="{TOP + ph}" stroke="#bbb" stroke-dasharray="2 3"/>'
            for p in xs]
    first, final = samples[0].day.year, samples[-1].day.year
    every = next(s for s in (1, 2, 5, 10, 20, 50, 100) if (final - first) / s <= 12)
    for year in range(first + (-first % every), final + 1, every):
        xo = x(date(year, 1, 1).toordinal())
        if LEFT <= xo <= LEFT + pw:
            out.append(f'<line x1="{xo:.1f}" x2="{xo:.1f}" y1="{TOP + ph}" y2="{TOP + ph + 5}" stroke="#333"/>'
                       f'<text x="{xo:.1f}" y="{TOP + ph + 19}" text-anchor="middle">{year}</text>')
    layers = [_series(st, steps([s.documented[st] for s in samples]), steps([s.possible[st] for s in samples]))
              for st in statuses]
    out += [layer[i] for i in range(3) for layer in layers]  # every band under every line
    out += [f'<text x="{xs[-1] + 4:.1f}" y="{y(last.possible[st]) + 4:.1f}" font-weight="bold" '
            f'fill="{COLOURS[st]}">{_range(last.documented[st], last.possible[st])}</text>' for st in statuses]
    for p in points:
        px, py = x(p.on.first.toordinal()), y(p.count)
        out.append(f'<g class="stated"><title>{esc(p.describe())}</title>'
                   f'<path d="M{px:.1f} {py - 7:.1f}L{px + 7:.1f} {py:.1f}L{px:.1f} {py + 7:.1f}L{px - 7:.1f} '
                   f'{py:.1f}Z" fill="{COLOURS.get(p.status, "#000")}" stroke="#000" stroke-width="1.5"/>'
                   f'<text x="{px + 10:.1f}" y="{py + 4:.1f}" font-weight="bold">{p.count}</text></g>')
    out.append(f'<line x1="{LEFT}" x2="{LEFT + pw}" y1="{TOP + ph}" y2="{TOP + ph}" stroke="#333"/>'
               f'<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{TOP + ph}" stroke="#333"/>'
               f'<text x="{LEFT + pw / 2:.0f}" y="{HEIGHT - 8}" text-anchor="middle">'
               f"Date (dotted lines: the dates counted)</text>"
               f'<text transform="translate(14 {TOP + ph / 2:.0f}) rotate(-90)" text-anchor="middle">'
               f"Regional governments</text>")
    return "".join(out + _legend(statuses, bool(points))) + "</svg>"


def _series(status: str, documented: list[tuple[float, float]], possible: list[tuple[float, float]]) -> list[str]:
    """The band from the documented line up to the possible one, its dashed upper edge,
    and the solid documented line over both."""
    colour, noun = COLOURS[status], NOUNS[status]
    return [f'<polygon class="band" points="{_points(possible + documented[::-1])}" fill="{colour}" '
            f'fill-opacity="0.22" stroke="none"><title>{noun} the record allows (documented or possible)'
            f"</title></polygon>",
            f'<polyline class="possible" points="{_points(possible)}" fill="none" stroke="{colour}" '
            f'stroke-width="1.5" stroke-dasharray="5 3"/>',
            f'<polyline class="documented" points="{_points(documented)}" fill="none" stroke="{colour}" '
            f'stroke-width="3"><title>{noun} documented</title></polyline>']


def _points(corners: list[tuple[float, float]]) -> str:
    return " ".join(f"{px:.1f},{py:.1f}" for px, py in corners)


def _range(documented: int, possible: int) -> str:
    """`5`, or `1–46`: documented to possible."""
    return str(documented) if documented == possible else f"{documented}\u2013{possible}"


def _legend(statuses: list[str], stated: bool) -> list[str]:
    """Per status a solid line (documented) and a band (possible), then the marked point
    if a count is `stated`."""
    lx, out = WIDTH - RIGHT + 30, []
    rows = [TOP + 8 + i * 24 for i in range(2 * len(statuses) + 1)]
    for st, line, band in zip(statuses, rows[0::2], rows[1::2], strict=False):
        colour, noun = COLOURS[st], NOUNS[st]
        out.append(f'<line x1="{lx}" x2="{lx + 18}" y1="{line + 7}" y2="{line + 7}" stroke="{colour}" '
                   f'stroke-width="3"/><text x="{lx + 26}" y="{line + 12}">{noun} documented</text>'
                   f'<rect x="{lx}" y="{band}" width="18" height="14" fill="{colour}" fill-opacity="0.22"/>'
                   f'<line x1="{lx}" x2="{lx + 18}" y1="{band}" y2="{band}" stroke="{colour}" stroke-width="1.5" '
                   f'stroke-dasharray="5 3"/><text x="{lx + 26}" y="{band + 12}">{noun} possible (band)</text>')
    ly = rows[-1]
    if stated:
        out.append(f'<path d="M{lx + 9} {ly}L{lx + 16} {ly + 7}L{lx + 9} {ly + 14}L{lx + 2} {ly + 7}Z" '
                   f'fill="#777" stroke="#000" stroke-width="1.5"/>'
                   f'<text x="{lx + 26}" y="{ly + 12}">Count the record states</text>')
    return out
