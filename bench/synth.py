"""A synthetic register that obeys the rules: a seeded random mix of the write
commands of `Governance`, walked through the years from 1990 to today.

Time advances monotonically. Each cycle of about two years ends with a General
Assembly (GA-k) that admits or rejects the applications screened during the cycle,
adopts the Charter amendments its Working Committee meetings reviewed, establishes
Sub-Committees and elects coordinators. Between Assemblies: applications are
submitted and screened, statuses are recorded (and corrected) from documents,
Working Committee meetings are convened, attended and take resolutions, Charter
amendments are proposed, coordinators nominated and elected, regions withdraw
and are renamed. The last Assembly is convened today and stays open, so that more
commands can be issued on top of the generated register (`Simulation.step`).

The simulation keeps its own account of what it did (who is a member since when)
so that every command it issues is one the register accepts: a refusal is a bug
in the generator and stops it.
"""

from __future__ import annotations

import hashlib
import random
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib.metadata import version
from pathlib import Path
from typing import Any

from near_gov.service import Governance

START = date(1990, 1, 1)
#: Days between General Assemblies ("one GA every ~2 years").
GA_EVERY = 730
#: Assemblies of a body, and decisions of an assembly, are numbered up to 9999.
MAX_NUMBER = 9999
COUNTRIES = ("CN", "JP", "KR", "KP", "MN", "RU")
SUFFIX = {"CN": "Province", "JP": "Prefecture", "KR": "Province", "KP": "Province",
          "MN": "Aimag", "RU": "Oblast"}
SYLLABLES = ("a", "ka", "to", "mi", "ri", "sa", "na", "yo", "gu", "ji", "bo", "chu", "an",
             "shan", "hai", "do", "ne", "ul", "bat", "kha", "ro", "se", "vla", "zan", "kyo")

#: Weights of the things that happen between Assemblies (events per action in comments).
ACTIONS = {
    "apply": 30,        # submit (registers a new region): ~5
    "screen": 30,       # 1
    "correct": 12,      # a documentary record corrects a status date: 1
    "wc": 3,            # a Working Committee meeting: convene, attend, resolve, review, close
    "propose": 2,       # a Charter amendment proposal: 2
    "nominate": 4,      # a coordinator nomination: 2
    "elect": 4,         # electing a nominee: 2
    "notify": 2,        # a withdrawal notice: 2
    "confirm": 2,       # confirming a withdrawal: 2
    "observer_up": 2,   # an observer applies to become a member: 2
    "rename": 1,        # a region is renamed: 3-4
    "found": 2,         # a region recorded as a member from a document: ~4
}

#: The files that decide which events the simulation generates and how they are
#: stored (relative to the project's root): a generated register is cached per their
#: contents (`code_version`).
CODE = ("bench/synth.py", "domain/**/*.py", "near_gov/commands/**/*.py", "near_gov/persistence/**/*.py",
        "near_gov/service.py")
ROOT = Path(__file__).resolve().parent.parent


def code_version() -> str:
    """A short hash of the contents of the `CODE` files, of the project's version (in
    pyproject.toml) and of the eventsourcing library's: read from the files, not from
    git, which a shallow clone may lack or a working tree may not match."""
    digest = hashlib.sha256()
    for pattern in CODE:
        for path in sorted(ROOT.glob(pattern)):
            digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    digest.update(f"near-gov {project}\0eventsourcing {version('eventsourcing')}".encode())
    return digest.hexdigest()[:12]


@dataclass
class Region:
    name: str
    country: str
    status: str = "none"
    since: date | None = None
    previous_since: date | None = None  # since of the period before the current one
    busy: bool = False  # an open application or withdrawal case
    decided: bool = False  # its current status was caused by a decision (documents do not correct it)
    met: date | None = None  # the last meeting it hosted or attended (its withdrawal comes after)


@dataclass
class Simulation:
    seed: int
    until: date = field(default_factory=date.today)
    rng: random.Random = field(init=False)
    regions: dict[str, Region] = field(default_factory=dict)
    members: list[str] = field(default_factory=list)
    observers: list[str] = field(default_factory=list)
    submitted: list[tuple[str, str, str]] = field(default_factory=list)  # (ref, region, kind)
    screened: list[tuple[str, str, str]] = field(default_factory=list)
    committees: dict[str, str | None] = field(default_factory=dict)  # name -> coordinator
    nominations: list[tuple[str, str, str]] = field(default_factory=list)  # (ref, committee, region)
    withdrawals: list[tuple[str, str]] = field(default_factory=list)  # (ref, region)
    proposals: list[str] = field(default_factory=list)
    reviewed: list[str] = field(default_factory=list)
    articles: int = 0
    ga: int = 0
    wc: int = 0
    clock: date = START
    names: set[str] = field(default_factory=set)
    commands: int = 0
    open_ga: str = ""
    #: Regions stop growing here: a register of many records, not of ever more regions.
    region_cap: int = 10**9

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    # Driving.

    def cycles(self) -> list[date]:
        """The dates of the General Assemblies: about every two years, the last today."""
        days = []
        day = START + timedelta(days=GA_EVERY)
        while day < self.until:
            days.append(day)
            day += timedelta(days=GA_EVERY + self.rng.randint(-60, 60))
        days.append(self.until)
        return days

    def generate(self, gov: Governance, events: int, count: Callable[[], int],
                 progress: Callable[[int], None] | None = None) -> None:
        """Issue commands until the register holds about `events` events.

        The number of regions grows with the square root of the size (about 200 at
        10,000 events, 1,900 at 1,000,000): a large register is mostly a long history
        of meetings, decisions, records and elections, not ever more regions."""
        self.region_cap = 12 + int(60 * (events / 1000) ** 0.5)
        self.bootstrap(gov)
        assemblies = self.cycles()
        for k, ga_day in enumerate(assemblies, start=1):
            target = events * k // len(assemblies)
            start, begun = self.clock, count()
            span = (ga_day - start).days - 1
            while (done := count()) < target - self._assembly_cost():
                share = (done - begun) / max(1, target - self._assembly_cost() - begun)
                self.clock = max(self.clock, start + timedelta(days=int(span * min(1.0, share))))
                self.between(gov, ga_day)
                if progress:
                    progress(done)
            self.clock = ga_day
            self.assembly(gov, ga_day, close=k < len(assemblies))

    def _assembly_cost(self) -> int:
        return 4 * len(self.screened) + (len(self.members) + len(self.observers)) // 10 + 20

    def _run(self, method: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        self.commands += 1
        return method(*args, **kwargs)

    def _day(self, day: date | None = None) -> str:
        return (day or self.clock).isoformat()

    # The founding members, recorded from documents.

    def bootstrap(self, gov: Governance) -> None:
        self.clock = START
        for i in range(12):
            country = COUNTRIES[i % len(COUNTRIES)]
            self._document(gov, country, START)
        self.clock = START + timedelta(days=1)

    def _new_name(self, country: str) -> str:
        while True:
            word = "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(2, 4))).capitalize()
            name = f"{word} {SUFFIX[country]}"
            if name.casefold() not in self.names:
                self.names.add(name.casefold())
                return name

    def _document(self, gov: Governance, country: str, day: date) -> None:
        name = self._new_name(country)
        self._run(gov.register_region, name, country)
        self._run(gov.record_status, name, "member", self._day(day), f"Founding document {len(self.regions) + 1}")
        self.regions[name] = Region(name, country, "member", day)
        self.members.append(name)

    # Between Assemblies.

    def between(self, gov: Governance, ga_day: date) -> None:
        action = self.rng.choices(list(ACTIONS), weights=list(ACTIONS.values()))[0]
        getattr(self, f"_{action}")(gov, ga_day)

    def _member(self, day: date | None = None, exclude: str | None = None) -> Region | None:
        day = day or self.clock
        for _ in range(20):
            region = self.regions[self.rng.choice(self.members)]
            if region.status == "member" and region.since <= day and region.name != exclude:
                return region
        return None

    def _apply(self, gov: Governance, ga_day: date) -> None:
        if len(self.regions) >= self.region_cap:
            return (self._correct if self.rng.random() < 0.7 else self._wc)(gov, ga_day)
        country = self.rng.choice(COUNTRIES)
        name = self._new_name(country)
        kind = "observer" if self.rng.random() < 0.2 else "member"
        ref = self._run(gov.submit_application, name, country, kind, self._day())["reference"]
        self.regions[name] = Region(name, country, busy=True)
        self.submitted.append((ref, name, kind))

    def _observer_up(self, gov: Governance, ga_day: date) -> None:
        candidates = [n for n in self.observers[-50:] if not self.regions[n].busy]
        if not candidates:
            return self._apply(gov, ga_day)
        region = self.regions[self.rng.choice(candidates)]
        ref = self._run(gov.submit_application, region.name, region.country, "member", self._day())["reference"]
        region.busy = True
        self.submitted.append((ref, region.name, "member"))

    def _screen(self, gov: Governance, ga_day: date) -> None:
        if not self.submitted:
            return self._apply(gov, ga_day)
        ref, name, kind = self.submitted.pop(0)
        if self.rng.random() < 0.08:
            self._run(gov.screen_application, ref, False, "no council resolution attached")
            self.regions[name].busy = False
        else:
            self._run(gov.screen_application, ref, True)
            self.screened.append((ref, name, kind))

    def _correct(self, gov: Governance, ga_day: date) -> None:
        """A document gives an earlier date for a region's current status, where a
        document recorded it (a decision's record is not corrected by a document; a
        later date could leave a meeting it attended or a term it held without ground,
        which the register refuses)."""
        pool = self.members if self.rng.random() < 0.8 or not self.observers else self.observers
        region = None
        for _ in range(20):
            candidate = self.regions[self.rng.choice(pool)]
            if not candidate.decided:
                region = candidate
                break
        if region is None or region.status not in ("member", "observer"):
            return
        low = region.previous_since or max(START, region.since - timedelta(days=400))
        day = region.since - timedelta(days=abs(self.rng.randint(-90, 90)))
        day = max(low, min(day, self.clock))
        if day == region.since:
            return
        self._run(gov.record_status, region.name, region.status, self._day(day),
                  f"Gazette {day.year}/{self.rng.randint(1, 999)}")
        region.since = day

    def _wc(self, gov: Governance, ga_day: date) -> None:
        host = self._member()
        if host is None or self.wc >= MAX_NUMBER:
            return self._correct(gov, ga_day)
        self.wc += 1
        ident = f"WC-{self.wc}"
        self._run(gov.convene, "WC", self.wc, host.name, self._day())
        present = {host.name} | {r.name for r in (self._member() for _ in range(8)) if r}
        self._run(gov.attend, ident, sorted(present))
        self._met(present, self.clock)
        for _ in range(self.rng.randint(1, 8)):
            self._run(gov.decide, ident, "resolve", text=f"Resolution on cooperation item {self.rng.randint(1, 9999)}")
        while self.proposals:
            ref = self.proposals.pop(0)
            self._run(gov.decide, ident, "review-amendment", amendment=ref)
            self.reviewed.append(ref)
        self._run(gov.close_assembly, ident)

    def _propose(self, gov: Governance, ga_day: date) -> None:
        if len(self.proposals) + len(self.reviewed) >= 3:  # a few amendments per Assembly
            return self._correct(gov, ga_day)
        self.articles += 1
        article = f"Article {self.rng.randint(1, 30)}"
        ref = self._run(gov.propose_amendment, self._day(), article=article,
                        text=f"Text of {article}, version {self.articles}")["reference"]
        self.proposals.append(ref)

    def _nominate(self, gov: Governance, ga_day: date) -> None:
        if not self.committees:
            return
        committee = self.rng.choice(list(self.committees))
        if any(c == committee for _, c, _ in self.nominations):
            return
        region = self._member(exclude=self.committees[committee])
        if region is None:
            return
        ref = self._run(gov.nominate_coordinator, committee, region.name, self._day())["reference"]
        self.nominations.append((ref, committee, region.name))

    def _elect(self, gov: Governance, ga_day: date) -> None:
        if not self.nominations:
            return self._nominate(gov, ga_day)
        ref, committee, name = self.nominations.pop(0)
        region = self.regions[name]
        if region.status != "member" or self.committees[committee] == name:
            self._run(gov.decline_nomination, ref, self._day(), "nominee no longer available")
            return
        self._run(gov.elect_nominee, ref, self._day())
        self.committees[committee] = name

    def _notify(self, gov: Governance, ga_day: date) -> None:
        region = self._member()
        if len(self.members) < max(20, self.region_cap // 2):  # membership stays large
            return self._correct(gov, ga_day)
        if region is None or region.busy or region.name in self.committees.values():
            return
        ref = self._run(gov.notify_withdrawal, region.name, self._day())["reference"]
        region.busy = True
        self.withdrawals.append((ref, region.name))

    def _confirm(self, gov: Governance, ga_day: date) -> None:
        if not self.withdrawals:
            return self._notify(gov, ga_day)
        ref, name = self.withdrawals.pop(0)
        if name in self.committees.values():  # elected coordinator since its notice: it stays for now
            self.withdrawals.append((ref, name))
            return None
        region = self.regions[name]
        day = self.clock if region.met is None else max(self.clock, region.met + timedelta(days=1))
        self._run(gov.confirm_withdrawal, ref, self._day(day))
        region.previous_since, region.since, region.status = region.since, day, "withdrawn"
        region.busy = False
        self.members.remove(name)

    def _met(self, names: Iterable[str], day: date) -> None:
        for name in names:
            self.regions[name].met = day

    def nominations_regions(self) -> set[str]:
        return {r for _, _, r in self.nominations}

    def _rename(self, gov: Governance, ga_day: date) -> None:
        region = self._member()
        if region is None or region.busy or region.name in self.committees.values() \
                or region.name in self.nominations_regions():
            return
        new = self._new_name(region.country)
        self._run(gov.rename_region, region.name, new, self._day())
        del self.regions[region.name]
        self.members[self.members.index(region.name)] = new
        region.name = new
        self.regions[new] = region

    def _found(self, gov: Governance, ga_day: date) -> None:
        if len(self.regions) >= self.region_cap:
            return self._correct(gov, ga_day)
        self._document(gov, self.rng.choice(COUNTRIES), self.clock)

    # The General Assembly that ends a cycle.

    def assembly(self, gov: Governance, day: date, close: bool) -> None:
        host = self._member(day)
        self.ga += 1
        ident = f"GA-{self.ga}"
        self._run(gov.convene, "GA", self.ga, host.name, self._day(day))
        present = [n for n in self.members + self.observers
                   if self.regions[n].since <= day and self.regions[n].status in ("member", "observer")]
        self.rng.shuffle(present)
        present = present[: min(300, self.rng.randint(len(present) // 2, len(present)))]
        for i in range(0, len(present), 10):
            self._run(gov.attend, ident, present[i:i + 10])
        self._met([host.name, *present], day)
        screened, self.screened = self.screened, []
        for ref, _, _ in screened:
            self._run(gov.schedule_application, ref, ident)
        for ref, name, kind in screened:
            region = self.regions[name]
            if self.rng.random() < 0.1:
                self._run(gov.decide, ident, "reject", application=ref, reason="not yet eligible")
            else:
                self._run(gov.decide, ident, "approve", application=ref)
                self._admit(region, kind, day)
            region.busy = False
        reviewed, self.reviewed = self.reviewed, []
        for ref in reviewed:
            self._run(gov.decide, ident, "adopt-amendment", amendment=ref)
        if self.ga % 2 == 1:
            name = f"Sub-Committee on Topic {len(self.committees) + 1}"
            coordinator = self._member(day)
            self._run(gov.decide, ident, "establish-committee", name=name, coordinator=coordinator.name)
            self.committees[name] = coordinator.name
        for committee in self.rng.sample(list(self.committees), min(2, len(self.committees))):
            if any(c == committee for _, c, _ in self.nominations):
                continue
            region = self._member(day, exclude=self.committees[committee])
            if region:
                self._run(gov.decide, ident, "elect-coordinator", committee=committee, region=region.name)
                self.committees[committee] = region.name
        for _ in range(self.rng.randint(2, 6)):
            self._run(gov.decide, ident, "resolve", text=f"Declaration of {ident} on item {self.rng.randint(1, 99)}")
        if close:
            self._run(gov.close_assembly, ident)
        self.open_ga = ident

    def _admit(self, region: Region, kind: str, day: date) -> None:
        if region.status == "observer":
            self.observers.remove(region.name)
        region.previous_since, region.since, region.status = region.since, day, kind
        region.decided = True
        (self.members if kind == "member" else self.observers).append(region.name)

    # Commands on top of a generated register (the measured sample).

    def step(self, gov: Governance) -> None:
        """Issue one or two commands in the open Assembly's cycle, dated today."""
        self.clock = self.until
        roll = self.rng.random()
        if roll < 0.3:
            self._apply(gov, self.until + timedelta(days=2))
        elif roll < 0.55 and self.submitted:
            self._screen(gov, self.until)
        elif roll < 0.7 and self.screened:
            ref, name, kind = self.screened.pop(0)
            self._run(gov.schedule_application, ref, self.open_ga)
            self._run(gov.decide, self.open_ga, "approve", application=ref)
            self._admit(self.regions[name], kind, self.until)
            self.regions[name].busy = False
        elif roll < 0.8:
            self._correct(gov, self.until)
        elif roll < 0.9:
            self._run(gov.decide, self.open_ga, "resolve", text=f"Resolution {self.rng.randint(1, 9999)}")
        else:
            self._elect(gov, self.until)

    def one(self, gov: Governance) -> None:
        """Issue exactly one command, dated today (a step that finds nothing to do, a
        correction of a date it cannot move, say, is drawn again)."""
        before = self.commands
        while self.commands == before:
            self._one(gov)

    def _one(self, gov: Governance) -> None:
        self.clock = self.until
        roll = self.rng.random()
        if roll < 0.3:
            self._apply(gov, self.until + timedelta(days=2))
        elif roll < 0.5 and self.submitted:
            self._screen(gov, self.until)
        elif roll < 0.75:
            self._correct(gov, self.until)
        else:
            self._run(gov.decide, self.open_ga, "resolve", text=f"Resolution {self.rng.randint(1, 9999)}")
