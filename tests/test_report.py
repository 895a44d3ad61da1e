"""The HTML report: self-contained, escaped, accessible, and rendered by a real browser.

The browser test runs Debian's `chromium` headless (CI installs it); it skips, saying
so, where chromium is not installed."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterator
from datetime import date
from html import escape as html_escape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from domain.errors import InvalidInput
from domain.values import FuzzyDate
from near_gov import chart
from near_gov.loader import load
from near_gov.reads import Reads
from near_gov.report import write_report
from near_gov.service import Governance

HISTORY = Path(__file__).parent.parent / "examples" / "near" / "history.yaml"
CHROMIUM = shutil.which("chromium")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
FOUNDING = ("29 regions from CN, JP, KR, RU became members (1 named), 1996-09 (source: NEAR brochure, "
            'introduction: "NEAR is an international organization founded by 29 regional governments')
HOSTILE = 'Gyeongsangbuk-do "경상북도" <script>alert(1)</script> & Sons'


class Page(HTMLParser):
    """The parts of a page the tests look at: its elements, its text, and nesting errors."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.words: list[str] = []
        self.open: list[str] = []
        self.errors: list[str] = []
        self.headings: list[tuple[str, str]] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.open.append(tag)
        if tag in ("h1", "h2", "h3"):
            self.headings.append((tag, ""))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.errors.append(f"unexpected </{tag}>")

    def handle_data(self, data: str) -> None:
        self.words.append(data)
        if self.open and self.open[-1] in ("h1", "h2", "h3"):
            self.headings[-1] = (self.open[-1], self.headings[-1][1] + data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.words).split())

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for t, attrs in self.tags if t == tag]


@pytest.fixture(scope="module")
def near(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """NEAR's documented history in a SQLite store, and its report as of today."""
    folder = tmp_path_factory.mktemp("near")
    gov = Governance(f"sqlite://{folder / 'register.db'}", actor="clerk")
    load(gov, HISTORY)
    path = folder / "report.html"
    done = write_report(gov, path)
    yield {"gov": gov, "path": path, "done": done, "html": path.read_text(encoding="utf-8")}
    gov.close()


def chromium(tmp_path: Path, *args: str) -> str:
    command = [CHROMIUM or "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", f"--user-data-dir={tmp_path / 'chromium-profile'}", *args]
    run = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    assert run.returncode == 0, run.stderr
    return run.stdout


def test_report_of_near_history_counts_its_members_and_observers(near: dict[str, Any]):
    done = near["done"]

    assert (done["members"], done["observers"]) == (70, 5)
    assert done["path"] == str(near["path"])
    assert len(done["head"]) == 64 and done["position"] > 0
    text = Page(near["html"]).text
    assert "70 members and 5 observers from 6 countries" in text
    for heading in ("China (CN): 6 members, 4 observers", "Japan (JP): 10 members, 1 observer",
                    "Republic of Korea (KR): 15 members, 0 observers", "DPRK (KP): 2 members, 0 observers",
                    "Mongolia (MN): 22 members, 0 observers", "Russia (RU): 15 members, 0 observers"):
        assert heading in text
    assert f"Head {done['head']} Position {done['position']}" in text


def test_report_is_well_formed_and_refers_to_nothing_outside_itself(near: dict[str, Any]):
    page = Page(near["html"])

    assert page.errors == [] and page.open == []
    assert not {"script", "link", "img", "iframe", "object", "embed", "base"} & {t for t, _ in page.tags}
    for tag, attrs in page.tags:
        for name in ("src", "href", "xlink:href", "action"):
            assert not (attrs.get(name) or "").startswith(("http:", "https:", "//", "data:")), (tag, attrs)
    assert "@import" not in near["html"] and "url(http" not in near["html"] and "url(//" not in near["html"]
    assert all(href.startswith("#") for href in (a["href"] or "" for a in page.all("a")))


def test_report_has_real_headings_tables_and_a_described_chart(near: dict[str, Any]):
    page = Page(near["html"])

    assert [text for tag, text in page.headings if tag == "h1"] == [f"NEAR register as of {near['done']['as_of']}"]
    assert [text for tag, text in page.headings if tag == "h2"] == [
        f"Roster on {near['done']['as_of']}", "Membership over time", "Regions by country",
        "Assemblies and their decisions", "Sub-Committees", "The Charter", "Integrity"]
    assert ("h3", "GA-4: General Assembly 4, 2002-09, hosted by Khabarovsk Territory") in page.headings
    assert all(th.get("scope") in ("col", "row") for th in page.all("th"))
    assert len(page.all("caption")) == len(page.all("table"))
    svg = page.all("svg")
    assert len(svg) == 1 and svg[0]["role"] == "img"
    assert svg[0]["aria-labelledby"] == "chart-title chart-desc"
    assert {"title", "desc"} <= {t for t, _ in page.tags}
    assert "The chart's numbers as a table" in page.text
    assert "@media print" in near["html"]


def test_report_chart_table_gives_documented_and_possible_at_each_assembly_date(near: dict[str, Any]):
    reads = Reads(near["gov"])
    at_ga4 = reads.roster(as_of="2002-09")["entries"]
    reads.close()
    documented = Counter(e["status"] for e in at_ga4 if e["documented"])
    possible = Counter(e["status"] for e in at_ga4)

    text = Page(near["html"]).text

    assert "Date Assemblies Members documented Members possible Observers documented Observers possible " \
           "Counts stated" in text
    ga4 = f"{documented['member']} {possible['member']} {documented['observer']} {possible['observer']}"
    assert f"2002-09 GA-4 {ga4} —" in text and ga4 == "4 70 0 5"
    assert "2010-10 GA-8 70 70 5 5 1 region became a member (none named), 2010-10 (source: NEAR brochure, " \
           "Operation and Activities: The 8th General Assembly (Gyeonggi-do Province, October 2010): " \
           '"New members were admitted (1 region)")' in text
    assert f"{near['done']['as_of']} report date 70 70 5 5 —" in text


def test_report_chart_counts_documented_members_apart_from_possible_ones(near: dict[str, Any], tmp_path: Path):
    reads = Reads(near["gov"])
    roster = reads.roster(as_of="1996-12-31")["entries"]
    reads.close()

    write_report(near["gov"], tmp_path / "report.html", as_of="1996-12-31")

    page = Page((tmp_path / "report.html").read_text(encoding="utf-8"))
    assert f"1996-09 GA-1 1 46 0 5 {FOUNDING}" in page.text
    assert "1996-12-31 report date 1 46 0 5 —" in page.text
    assert [e["name"] for e in roster if e["documented"]] == ["Gyeongsangbuk-do Province"]
    assert Counter(e["status"] for e in roster) == {"member": 46, "observer": 5}
    assert f"On 1996-12-31, members: 1\u201346; observers: 0\u20135; stated: {FOUNDING}" in page.text


def band_heights(page: Page) -> list[tuple[float, float]]:
    """Per band of the chart (members, observers), the heights of its lower and upper edge
    above the axis at the first date, as a share of the highest: (documented, possible)."""
    floor = chart.HEIGHT - chart.BOTTOM
    heights = []
    for band in [a for a in page.all("polygon") if a.get("class") == "band"]:
        corners = [tuple(float(v) for v in p.split(",")) for p in (band["points"] or "").split()]
        heights.append((floor - corners[-1][1], floor - corners[0][1]))
    return heights


def test_report_chart_draws_a_band_from_documented_up_to_possible(near: dict[str, Any], tmp_path: Path):
    write_report(near["gov"], tmp_path / "report.html", as_of="1996-12-31")

    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    page = Page(html)
    (members_low, members_high), (observers_low, observers_high) = band_heights(page)
    assert members_high / members_low == pytest.approx(46, rel=0.02)  # the SVG keeps one decimal
    assert observers_low == 0 and observers_high / members_high == pytest.approx(5 / 46, rel=0.02)
    assert [a.get("class") for a in page.all("polyline")] == ["possible", "possible", "documented", "documented"]
    for label in ("Members documented", "Members possible (band)", "Observers documented",
                  "Observers possible (band)"):
        assert f">{label}</text>" in html
    assert "Solid lines: regions the record documents as members" in page.text
    assert "Count the record states" in page.text and "Diamonds: counts the record states" in page.text
    assert [a.get("class") for a in page.all("g")] == ["stated"]  # the founding count, in force then
    assert f"<title>{html_escape(FOUNDING)}" in html


def test_report_draws_no_count_before_its_date(near: dict[str, Any], tmp_path: Path):
    write_report(near["gov"], tmp_path / "report.html", as_of="1996-08")

    page = Page((tmp_path / "report.html").read_text(encoding="utf-8"))
    assert page.all("g") == [] and "Count the record states" not in page.text and "Diamonds" not in page.text
    assert "1996-08 report date 0 0 0 0 —" in page.text


def test_report_chart_draws_no_band_where_everything_is_documented(near: dict[str, Any]):
    page = Page(near["html"])

    last = [float(p.split(",")[1]) for p in (page.all("polyline")[0]["points"] or "").split()][-1]
    documented = [float(p.split(",")[1]) for p in (page.all("polyline")[2]["points"] or "").split()][-1]

    assert last == documented
    assert f"On {near['done']['as_of']}, members: 70; observers: 5; stated: {FOUNDING}" in page.text


def test_report_chart_steps_where_a_status_begins_between_assemblies(tmp_path: Path):
    gov = Governance(f"sqlite://{tmp_path / 'register.db'}", actor="clerk")
    gov.register_region("Tottori Prefecture", "JP")
    gov.record_status("Tottori Prefecture", "member", "1996-09", "NEAR brochure")
    gov.register_region("Toyama Prefecture", "JP")
    gov.record_status("Toyama Prefecture", "member", "1998-03/2000-05", "NEAR brochure")

    write_report(gov, tmp_path / "report.html", as_of="2001")
    gov.close()

    text = Page((tmp_path / "report.html").read_text(encoding="utf-8")).text
    assert "1996-09 — 1 1 0 0 — 1998-03-01 — 1 2 0 0 — 2000-05-01 — 2 2 0 0 — 2001 report date 2 2 0 0 —" in text


def test_report_escapes_every_text_from_the_register(tmp_path: Path):
    gov = Governance(f"sqlite://{tmp_path / 'register.db'}", actor="clerk")
    gov.register_region(HOSTILE, "KR")
    gov.record_status(HOSTILE, "member", "2001-05", 'minutes <p onclick="x()"> & annex')

    write_report(gov, tmp_path / "report.html", as_of="2002")
    gov.close()

    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    page = Page(html)
    assert "<script>" not in html and "<p onclick" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Sons" in html
    assert HOSTILE in page.text and 'minutes <p onclick="x()"> & annex' in page.text
    assert "1 member and 0 observers from 1 country on 2002" in page.text
    assert page.errors == [] and page.open == []


def hostile(slot: str) -> str:
    """A text that breaks the page if written unescaped: markup, an attribute break-out, and a
    character reference that must show as typed; `slot` tells the texts apart."""
    return f'<script>alert("{slot}")</script> "><img src=x onerror=alert(1)> &amp; & {slot}'


SLOTS = ["host", "decision text", "reason", "committee", "purpose", "article", "article text", "count source"]


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The report of a register whose every text shown in the page is hostile (see SLOTS)."""
    folder = tmp_path_factory.mktemp("hostile")
    gov = Governance(f"sqlite://{folder / 'register.db'}", actor="clerk")
    host = hostile("host")
    gov.register_region(host, "KR")
    gov.record_status(host, "member", "2001-05", "NEAR brochure")
    gov.convene("GA", 4, host, "2002-09")
    gov.attend("GA-4", [host])
    gov.decide("GA-4", "resolve", text=hostile("decision text"))
    ref = gov.submit_application("Rasun City", "KP", "member", "2002-03")["reference"]
    gov.screen_application(ref, eligible=True)
    gov.schedule_application(ref, "GA-4")
    gov.decide("GA-4", "reject", application=ref, reason=hostile("reason"))
    gov.decide("GA-4", "establish-committee", name=hostile("committee"), coordinator=host,
               purpose=hostile("purpose"))
    gov.decide("GA-4", "amend-charter", article=hostile("article"), text=hostile("article text"))
    gov.record_count(3, "member", "2001-05", hostile("count source"))

    write_report(gov, folder / "report.html", as_of="2003")
    gov.close()
    return (folder / "report.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("slot", SLOTS)
def test_report_escapes_hostile_text_wherever_the_register_holds_it(hostile_report: str, slot: str):
    text = Page(hostile_report).text

    assert hostile(slot) not in hostile_report
    assert f'<script>alert("{slot}")' not in hostile_report
    assert f"&lt;script&gt;alert(&quot;{slot}&quot;)&lt;/script&gt; &quot;&gt;&lt;img src=x onerror=alert(1)&gt; " \
           f"&amp;amp; &amp; {slot}" in hostile_report
    assert hostile(slot) in text


def test_report_of_a_hostile_register_holds_no_markup_of_its_texts(hostile_report: str):
    page = Page(hostile_report)

    assert not {"script", "img"} & {t for t, _ in page.tags}
    assert "onerror" not in {name for _, attrs in page.tags for name in attrs}
    assert page.errors == [] and page.open == []


def test_report_of_an_empty_register_says_there_is_nothing_yet(tmp_path: Path):
    gov = Governance(f"sqlite://{tmp_path / 'register.db'}", actor="clerk")

    done = write_report(gov, tmp_path / "report.html", as_of="2024-03-01")
    gov.close()

    assert {k: done[k] for k in ("as_of", "members", "observers", "position")} == {
        "as_of": "2024-03-01", "members": 0, "observers": 0, "position": 0}
    page = Page((tmp_path / "report.html").read_text(encoding="utf-8"))
    assert "0 members and 0 observers from 0 countries on 2024-03-01" in page.text
    assert "No assembly is recorded." in page.text and "No Sub-Committee is recorded." in page.text
    assert len(page.all("svg")) == 1 and page.errors == []


def test_report_as_of_an_earlier_date_shows_the_roster_then(near: dict[str, Any], tmp_path: Path):
    reads = Reads(near["gov"])
    then = Counter(e["status"] for e in reads.roster(as_of="2004-01")["entries"])
    reads.close()

    done = write_report(near["gov"], tmp_path / "report.html", as_of="2004-01")

    assert (done["as_of"], done["members"], done["observers"]) == ("2004-01", then["member"], then["observer"])
    text = Page((tmp_path / "report.html").read_text(encoding="utf-8")).text
    assert "2004-01 WC-4, report date" in text and "GA-5, report date" not in text


def test_report_with_a_bad_date_writes_nothing(near: dict[str, Any], tmp_path: Path):
    with pytest.raises(InvalidInput, match="no such date: 2003-13"):
        write_report(near["gov"], tmp_path / "report.html", as_of="2003-13")

    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium; CI does)")
def test_report_renders_in_headless_chromium(near: dict[str, Any], tmp_path: Path):
    url = near["path"].as_uri()
    shot = tmp_path / "report.png"

    chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,2400", url)
    dom = chromium(tmp_path, "--dump-dom", url)

    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    page = Page(dom)
    assert "70 members and 5 observers from 6 countries" in page.text
    assert "Mongolia (MN): 22 members, 0 observers" in page.text
    assert "Republic of Korea (KR): 15 members, 0 observers" in page.text
    svg = page.all("svg")
    assert len(svg) == 1 and svg[0]["role"] == "img"
    assert [a.get("class") for a in page.all("polygon")] == ["band", "band"]  # members, observers
    assert [a.get("class") for a in page.all("polyline")] == ["possible", "possible", "documented", "documented"]
    assert [a.get("class") for a in page.all("g")] == ["stated", "stated"]  # 29 founders (1996-09), 1 (2010-10)


def test_report_chart_marks_each_stated_count_with_its_source():
    samples = [chart.Sample("1996-09", date(1996, 9, 1), Counter(member=1), Counter(member=46)),
               chart.Sample("1997", date(1997, 1, 1), Counter(member=1), Counter(member=46))]
    founding = chart.Stated(FuzzyDate.parse("1996-09"), "member", 29, "29 founding members",
                            'NEAR brochure <History> & "Members"')

    svg = chart.chart(samples, [founding], FuzzyDate.parse("1997"))

    page = Page(svg)
    assert page.errors == [] and page.open == []
    assert '<g class="stated"><title>29 founding members, 1996-09 (source: NEAR brochure &lt;History&gt; &amp; ' \
           '&quot;Members&quot;)</title>' in svg
    assert "Count the record states" in page.text and "stated: 29 founding members, 1996-09" in page.text
    centre = float(re.findall(r"[\d.]+", page.all("path")[0]["d"] or "")[3])  # M x,y-7 L x+7,y ...
    plot = chart.HEIGHT - chart.TOP - chart.BOTTOM
    assert (chart.HEIGHT - chart.BOTTOM - centre) / plot == pytest.approx(29 / 50, rel=0.01)  # axis to 50


def test_report_roster_says_what_the_record_documents_where_it_only_allows_more(near: dict[str, Any],
                                                                                tmp_path: Path):
    write_report(near["gov"], tmp_path / "report.html", as_of="1996-12-31")

    text = Page((tmp_path / "report.html").read_text(encoding="utf-8")).text
    assert "46 members and 5 observers from 4 countries on 1996-12-31. Of these, the record documents 1 member " \
           "and 0 observers on 1996-12-31; the others are possible" in text
    assert "Gyeongsangbuk-do Province member 1996-09" in text
    assert "Gangwon-do Province member (possible) 1996-09/2010-10" in text
    assert "Of these" not in Page(near["html"]).text
