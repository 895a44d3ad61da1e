"""Replay's `before` and `after` read the register by effective date: `before` is the
register as of the assembly's date from everything recorded up to the replay, without
what the assembly made; `after` adds its decisions. The proof (re-running the assembly
on the register as it stood in log order) is unchanged."""

from pathlib import Path

import pytest

from domain.charter import SCOPE_ARTICLE
from near_gov.loader import load
from near_gov.reads import Reads
from near_gov.replay import replay
from tests.histories import given_member, given_rasun_city_admitted_at_ga4

HISTORY = Path(__file__).parent.parent / "examples" / "near" / "history.yaml"
ASSEMBLIES = [f"GA-{n}" for n in range(1, 9)] + [f"WC-{n}" for n in range(1, 8)]
DEFAULT_SCOPE = ["CN", "JP", "KR", "KP", "MN", "RU"]


def admit(gov, name, country, assembly, submitted, kind="member"):
    ref = gov.submit_application(name, country, kind, submitted)["reference"]
    gov.screen_application(ref, eligible=True)
    gov.schedule_application(ref, assembly)
    return gov.decide(assembly, "approve", application=ref)["decision"]


def with_changes(view, changes):
    """`view` with the replay's `changes` applied: roster counts, coordinators, Charter."""
    roster = {country: dict(counts) for country, counts in view["roster"].items()}
    for change in changes["roster"]:
        counts = roster.setdefault(change["country"], {})
        for side, step in (("before", -1), ("after", 1)):
            status = change[side]["status"]
            if status in ("member", "observer"):
                counts[status] = counts.get(status, 0) + step
                if counts[status] == 0:
                    del counts[status]
        if not counts:
            del roster[change["country"]]
    committees = dict(view["committees"])
    for change in changes["committees"]:
        committees[change["name"]] = change["after"]["coordinator"]
    charter = {"version": view["charter"]["version"], "scope": list(view["charter"]["scope"]),
               "articles": {a["article"]: a["text"] for a in view["charter"]["articles"]}}
    for change in changes["charter"]:
        charter["version"] = change["version"]
        if change["article"] == SCOPE_ARTICLE:
            charter["scope"] = change["after"].split(",")
        else:
            charter["articles"][change["article"]] = change["after"]
    return {"as_of": view["as_of"], "roster": roster, "committees": committees, "charter": charter}


def brief(view):
    """A view with the Charter's articles as a mapping, as `with_changes` gives them."""
    charter = view["charter"]
    return {**view, "charter": {"version": charter["version"], "scope": charter["scope"],
                                "articles": {a["article"]: a["text"] for a in charter["articles"]}}}


@pytest.fixture
def ga4_admitted_rasun_city(gov):
    """Khabarovsk Territory (RU, member since 1996-09) hosted GA-4 (2002-09), which
    admitted Rasun City (KP) and closed."""
    given_rasun_city_admitted_at_ga4(gov)
    gov.close_assembly("GA-4")
    return gov


def test_status_recorded_after_the_assembly_but_effective_before_it_shows_before_and_after(
        ga4_admitted_rasun_city):
    gov = ga4_admitted_rasun_city
    given_member(gov, "Toyama Prefecture", "JP", since="1998-10", source="NEAR brochure")

    result = replay(gov, "GA-4")

    assert result["matches"]
    assert result["before"]["roster"] == {"JP": {"member": 1}, "RU": {"member": 1}}
    assert result["after"]["roster"] == {"JP": {"member": 1}, "KP": {"member": 1}, "RU": {"member": 1}}


def test_admission_recorded_after_the_assembly_but_effective_before_it_shows_before_and_after(
        ga4_admitted_rasun_city):
    gov = ga4_admitted_rasun_city
    gov.convene("GA", 3, "Khabarovsk Territory", "2000-09")
    admit(gov, "Tottori Prefecture", "JP", "GA-3", "2000-03")
    gov.close_assembly("GA-3")

    result = replay(gov, "GA-4")

    assert result["matches"]
    assert result["before"]["roster"] == {"JP": {"member": 1}, "RU": {"member": 1}}
    assert result["after"]["roster"] == {"JP": {"member": 1}, "KP": {"member": 1}, "RU": {"member": 1}}
    assert replay(gov, "GA-3")["before"]["roster"] == {"RU": {"member": 1}}


def test_facts_effective_after_the_assembly_show_in_neither_view(ga4_admitted_rasun_city):
    gov = ga4_admitted_rasun_city
    given_member(gov, "Niigata Prefecture", "JP", since="2004-01", source="NEAR brochure")
    gov.convene("GA", 5, "Khabarovsk Territory", "2004-09")
    gov.decide("GA-5", "establish-committee", name="Sub-Committee on Tourism", coordinator="Rasun City")
    gov.decide("GA-5", "set-scope", countries="CN,JP,KR,KP,MN")
    gov.decide("GA-5", "amend-charter", article="Article 4", text="Members meet every two years.")
    gov.withdraw_region("Khabarovsk Territory", "2006-01", source="a letter of withdrawal")

    result = replay(gov, "GA-4")

    assert result["matches"]
    for view in (result["before"], result["after"]):
        assert view["committees"] == {}
        assert view["charter"] == {"version": 0, "scope": DEFAULT_SCOPE, "articles": []}
    assert result["before"]["roster"] == {"RU": {"member": 1}}
    assert result["after"]["roster"] == {"KP": {"member": 1}, "RU": {"member": 1}}


def test_same_day_fact_from_another_cause_shows_before_and_after(ga4_admitted_rasun_city):
    gov = ga4_admitted_rasun_city
    given_member(gov, "Niigata Prefecture", "JP", since="2002-09", source="NEAR brochure")

    result = replay(gov, "GA-4")

    assert result["before"]["roster"] == {"JP": {"member": 1}, "RU": {"member": 1}}
    assert result["after"]["roster"] == {"JP": {"member": 1}, "KP": {"member": 1}, "RU": {"member": 1}}


def test_after_is_before_with_the_effects_of_the_decisions(gov):
    given_member(gov, "Khabarovsk Territory", "RU")
    given_member(gov, "Toyama Prefecture", "JP", since="1998-10")
    gov.register_region("Rasun City", "KP")
    gov.record_status("Rasun City", "observer", "1999-01", "NEAR brochure")
    gov.convene("GA", 3, "Khabarovsk Territory", "2000-09")
    gov.decide("GA-3", "establish-committee", name="Sub-Committee on Tourism", coordinator="Khabarovsk Territory")
    gov.close_assembly("GA-3")
    gov.convene("GA", 4, "Toyama Prefecture", "2002-09")
    admit(gov, "Rasun City", "KP", "GA-4", "2002-03")
    gov.decide("GA-4", "elect-coordinator", committee="Sub-Committee on Tourism", region="Toyama Prefecture")
    gov.decide("GA-4", "set-scope", countries="CN,JP,KR,KP,MN")
    gov.close_assembly("GA-4")

    result = replay(gov, "GA-4")

    before, after = result["before"], result["after"]
    assert before["roster"] == {"JP": {"member": 1}, "KP": {"observer": 1}, "RU": {"member": 1}}
    assert after["roster"] == {"JP": {"member": 1}, "KP": {"member": 1}, "RU": {"member": 1}}
    assert before["committees"] == {"Sub-Committee on Tourism": "Khabarovsk Territory"}
    assert after["committees"] == {"Sub-Committee on Tourism": "Toyama Prefecture"}
    assert before["charter"] == {"version": 0, "scope": DEFAULT_SCOPE, "articles": []}
    assert after["charter"] == {"version": 1, "scope": ["CN", "JP", "KR", "KP", "MN"], "articles": []}
    assert with_changes(before, result["changes"]) == brief(after)


def test_region_admitted_at_the_assembly_then_renamed_and_withdrawn_replays(ga4_admitted_rasun_city):
    gov = ga4_admitted_rasun_city
    gov.rename_region("Rasun City", "Rason Special City", "2010-01")
    gov.withdraw_region("Rason Special City", "2011-01", source="a letter of withdrawal")

    result = replay(gov, "GA-4")

    assert result["matches"]
    assert result["before"]["roster"] == {"RU": {"member": 1}}
    assert result["after"]["roster"] == {"KP": {"member": 1}, "RU": {"member": 1}}
    assert with_changes(result["before"], result["changes"]) == brief(result["after"])


def test_committee_established_at_the_assembly_then_coordinated_and_dissolved_replays(gov):
    given_member(gov, "Khabarovsk Territory", "RU")
    gov.convene("GA", 4, "Khabarovsk Territory", "2002-09")
    gov.decide("GA-4", "establish-committee", name="Sub-Committee on Tourism")
    gov.close_assembly("GA-4")
    gov.elect_coordinator("Sub-Committee on Tourism", "Khabarovsk Territory", "2003-01", source="NEAR brochure")
    gov.convene("GA", 5, "Khabarovsk Territory", "2004-09")
    gov.decide("GA-5", "dissolve-committee", committee="Sub-Committee on Tourism")

    result = replay(gov, "GA-4")

    assert result["matches"]
    assert result["before"]["committees"] == {}
    assert result["after"]["committees"] == {"Sub-Committee on Tourism": None}
    assert with_changes(result["before"], result["changes"]) == brief(result["after"])
    fifth = replay(gov, "GA-5")
    assert fifth["before"]["committees"] == {"Sub-Committee on Tourism": "Khabarovsk Territory"}
    assert fifth["after"]["committees"] == {"Sub-Committee on Tourism": None}


def test_fact_recorded_later_citing_a_decision_shows_after_only(gov):
    given_member(gov, "Dornod Province", "MN", since="2010-10")
    gov.convene("GA", 8, "Dornod Province", "2010-10")
    gov.decide("GA-8", "establish-committee", name="Sub-Committee on Women and Children")
    gov.decide("GA-8", "resolve", text="Dornod Province was elected coordinator of the Sub-Committee on Women "
                                        "and Children")
    gov.close_assembly("GA-8")
    given_member(gov, "Tuv Province", "MN", since="2010-10")
    gov.elect_coordinator("Sub-Committee on Women and Children", "Dornod Province", "2010-10", decision="GA-8/D2")

    result = replay(gov, "GA-8")

    assert [len(d["cited_later"]) for d in result["decisions"]] == [0, 1]
    assert result["before"]["committees"] == {}
    assert result["after"]["committees"] == {"Sub-Committee on Women and Children": "Dornod Province"}
    assert result["before"]["roster"] == result["after"]["roster"] == {"MN": {"member": 2}}


def test_every_assembly_of_near_history_replays_and_after_is_the_register_on_its_date(gov):
    load(gov, HISTORY)
    reads = Reads(gov)
    try:
        for ident in ASSEMBLIES:
            result = replay(gov, ident)

            assert result["matches"], ident
            on = result["on"]
            after, before = result["after"], result["before"]
            assert before["as_of"] == after["as_of"] == on
            counts: dict[str, dict[str, int]] = {}
            for entry in reads.roster(as_of=on)["entries"]:
                by_status = counts.setdefault(entry["country"], {})
                by_status[entry["status"]] = by_status.get(entry["status"], 0) + 1
            assert after["roster"] == counts, ident
            assert after["committees"] == {c["name"]: c["coordinator"] for c in reads.committees(as_of=on)}, ident
            charter = reads.charter(as_of=on)
            assert after["charter"] == {k: charter[k] for k in ("version", "scope", "articles")}, ident
            assert with_changes(before, result["changes"])["roster"] == after["roster"], ident
    finally:
        reads.close()


def test_committees_as_of_a_date_are_those_documented_then_with_the_coordinator_then_in_office(gov):
    given_member(gov, "Khabarovsk Territory", "RU")
    given_member(gov, "Toyama Prefecture", "JP", since="1998-10")
    gov.convene("GA", 3, "Khabarovsk Territory", "2000-09")
    gov.decide("GA-3", "establish-committee", name="Sub-Committee on Tourism", coordinator="Khabarovsk Territory")
    gov.convene("GA", 4, "Toyama Prefecture", "2002-09")
    gov.decide("GA-4", "elect-coordinator", committee="Sub-Committee on Tourism", region="Toyama Prefecture")
    gov.record_committee("Sub-Committee on Environment", "NEAR brochure")
    gov.elect_coordinator("Sub-Committee on Environment", "Toyama Prefecture", "2010-10", source="NEAR brochure")
    reads = Reads(gov)

    try:
        on = {day: {c["name"]: c["coordinator"] for c in reads.committees(as_of=day)}
              for day in ("2000-08", "2000-09", "2002-08-31", "2002-09", "2010-10")}
        now = {c["name"]: c["coordinator"] for c in reads.committees()}
    finally:
        reads.close()

    assert on == {"2000-08": {},
                  "2000-09": {"Sub-Committee on Tourism": "Khabarovsk Territory"},
                  "2002-08-31": {"Sub-Committee on Tourism": "Khabarovsk Territory"},
                  "2002-09": {"Sub-Committee on Tourism": "Toyama Prefecture"},
                  "2010-10": {"Sub-Committee on Environment": "Toyama Prefecture",
                              "Sub-Committee on Tourism": "Toyama Prefecture"}}
    assert now == on["2010-10"]
