"""NEAR's documented history (examples/near/history.yaml) loaded into an empty store
answers as the brochure says: its member and observer lists, Sub-Committees and
coordinators, General Assemblies and Working Committee meetings, the Secretariat."""

from pathlib import Path

import pytest
import yaml

from domain.secretariat import Secretariat
from near_gov.loader import load
from near_gov.reads import Reads
from near_gov.service import Governance
from tests.histories import given_rasun_city_admitted_at_ga4

HISTORY = Path(__file__).parent.parent / "examples" / "near" / "history.yaml"

# The brochure's lists ("70 member regional governments from 6 countries", "Observer").
MEMBERS = {
    "CN": {"Heilongjiang Province", "Henan Province", "Hubei Province", "Hunan Province",
           "Ningxia Hui Autonomous Region", "Shandong Province"},
    "JP": {"Aomori Prefecture", "Yamagata Prefecture", "Niigata Prefecture", "Toyama Prefecture",
           "Ishikawa Prefecture", "Fukui Prefecture", "Kyoto Prefecture", "Hyogo Prefecture",
           "Tottori Prefecture", "Shimane Prefecture"},
    "KR": {"Busan Metropolitan City", "Daegu Metropolitan City", "Incheon Metropolitan City",
           "Gwangju Metropolitan City", "Daejeon Metropolitan City", "Ulsan Metropolitan City",
           "Gyeonggi-do Province", "Gangwon-do Province", "Chungcheongbuk-do Province",
           "Chungcheongnam-do Province", "Jeollabuk-do Province", "Jeollanam-do Province",
           "Gyeongsangbuk-do Province", "Gyeongsangnam-do Province", "Jeju Special Self-Governing Province"},
    "KP": {"Hamgyeongbuk-do Province", "Rasun City"},
    "MN": {"Ulaanbaatar City", "Arkhangai Province", "Bayanulgii Province", "Bayankhongor Province",
           "Bulgan Province", "Govi-Altai Province", "Govisumber Province", "Darkhan-Uul Province",
           "Dornod Province", "Dorno-govi Province", "Dund-govi Province", "Zavkhan Province",
           "Orkhon Province", "Uvurkhangai Province", "Umnu-govi Province", "Sukhbaatar Province",
           "Selenge Province", "Tuv Province", "Uvs Province", "Khovd Province", "Khuvsgul Province",
           "Khentii Province"},
    "RU": {"Republic of Buryatia", "Republic of Sakha (Yakutia)", "Republic of Tyva", "Altai Territory",
           "Zabaikalsky Territory", "Krasnoyarsk Territory", "Primorsky Territory", "Khabarovsk Territory",
           "Amur Region", "Irkutsk Region", "Kamchatka Territory", "Magadan Region", "Sakhalin Region",
           "Tomsk Region", "Kemerovo Region"},
}
OBSERVERS = {("Tianjin City", "CN"), ("Shanxi Province", "CN"), ("Shaanxi Province", "CN"),
             ("Liaoning Province", "CN"), ("Yamaguchi Prefecture", "JP")}
COORDINATORS = {
    "Sub-Committee on Economy and Trade": "Gyeongsangbuk-do Province",
    "Sub-Committee on Environment": "Toyama Prefecture",
    "Sub-Committee on Educational and Cultural Exchange": "Shimane Prefecture",
    "Sub-Committee on Disaster Prevention": "Hyogo Prefecture",
    "Sub-Committee on Cross-border Cooperation": "Irkutsk Region",
    "Sub-Committee on Science and Technology": "Gyeonggi-do Province",
    "Sub-Committee on Tourism": "Henan Province",
    "Sub-Committee on Ocean and Fishery": "Shandong Province",
    "Sub-Committee on Mineral Resources Development and Coordination": "Magadan Region",
    "Sub-Committee on Women and Children": "Dornod Province",
    "Sub-Committee on Energy and Climate Change": "Daegu Metropolitan City",
}
# (host, month) of "The nth General Assembly" and "The nth Meeting" (of the Working Committee).
ASSEMBLIES = {
    "GA-1": ("Gyeongsangbuk-do Province", "1996-09"), "GA-2": ("Toyama Prefecture", "1998-10"),
    "GA-3": ("Hyogo Prefecture", "2000-09"), "GA-4": ("Khabarovsk Territory", "2002-09"),
    "GA-5": ("Heilongjiang Province", "2004-09"), "GA-6": ("Busan Metropolitan City", "2006-09"),
    "GA-7": ("Shandong Province", "2008-09"), "GA-8": ("Gyeonggi-do Province", "2010-10"),
    "WC-1": ("Gyeongsangbuk-do Province", "1997-08"), "WC-2": ("Toyama Prefecture", "1999-07"),
    "WC-3": ("Hyogo Prefecture", "2001-08"), "WC-4": ("Heilongjiang Province", "2004-01"),
    "WC-5": ("Busan Metropolitan City", "2005-11"), "WC-6": ("Shandong Province", "2007-09"),
    "WC-7": ("Gyeonggi-do Province", "2009-10"),
}


@pytest.fixture
def gov(store_url):
    app = Governance(store_url, actor="historian")
    load(app, HISTORY)
    yield app
    app.close()


@pytest.fixture
def reads(gov):
    r = Reads(gov)
    yield r
    r.close()


def test_roster_holds_the_brochures_70_members_by_country_and_5_observers(reads):
    entries = reads.roster()["entries"]

    members = {}
    for e in entries:
        if e["status"] == "member":
            members.setdefault(e["country"], set()).add(e["name"])
    observers = {(e["name"], e["country"]) for e in entries if e["status"] == "observer"}

    assert members == MEMBERS
    assert {cc: len(names) for cc, names in members.items()} == {
        "CN": 6, "JP": 10, "KR": 15, "KP": 2, "MN": 22, "RU": 15}
    assert observers == OBSERVERS
    assert all(e["source"].startswith("NEAR brochure, Members") for e in entries)


def test_eleven_sub_committees_with_their_coordinators(reads):
    committees = reads.committees()

    assert {c["name"]: c["coordinator"] for c in committees} == COORDINATORS
    women = reads.committee("Sub-Committee on Women and Children")
    assert women["coordinator"] == "Dornod Province"
    assert women["purpose"] == "To promote women′s participation and children′s welfare in Northeast Asia"


def test_science_and_technology_sub_committee_was_created_at_the_6th_general_assembly(reads):
    committee = reads.committee("Sub-Committee on Science and Technology")

    assert (committee["established"], committee["cause"]) == ("2006-09", "GA-6/D2")
    assert committee["purpose"] == (
        "To promote exchange and development of science and technology in the Northeast Asian region")


def test_general_assemblies_and_working_committee_meetings_with_host_and_month(reads):
    assemblies = reads.assemblies()

    assert {a["id"]: (a["host"], a["opened"]) for a in assemblies} == ASSEMBLIES
    assert all(a["closed"] == a["opened"] for a in assemblies)
    ga8 = reads.assembly("GA-8")
    assert [d["kind"] for d in ga8["decisions"]] == ["resolve", "resolve", "establish-committee"]


def test_charter_amendment_of_the_2nd_general_assembly_keeps_the_scope(reads):
    charter = reads.charter()

    assert (charter["version"], charter["on"], charter["cause"]) == (1, "1998-10", "GA-2/D1")
    assert charter["scope"] == ["CN", "JP", "KR", "KP", "MN", "RU"]
    assert [a["article"] for a in charter["articles"]] == ["Membership"]


def test_secretariat_opened_on_2_may_2005_in_pohang(gov):
    secretariat = gov.repository.get(Secretariat.create_id())

    assert str(secretariat.opened) == "2005-05-02"
    assert secretariat.seat == "Pohang City, Gyeongsangbuk-do Province"
    assert secretariat.source == "NEAR brochure, Secretariat"


def test_roster_of_january_2004_documents_only_the_regions_documented_by_then(reads):
    entries = reads.roster(as_of="2004-01")["entries"]

    assert {e["name"]: e["since"] for e in entries if e["documented"]} == {
        "Gyeongsangbuk-do Province": "1996-09", "Toyama Prefecture": "1996-09/1998-10",
        "Hyogo Prefecture": "1996-09/2000-09", "Khabarovsk Territory": "1996-09/2002-09",
        "Heilongjiang Province": "1996-09/2004-01",
    }
    assert len(entries) == 75


def test_membership_audit_names_its_documentary_source(reads):
    audit = reads.audit_membership("Dornod Province")

    assert [(p["status"], p["since"], p["cause"], p["source"], p["basis"]) for p in audit["timeline"]] == [
        ("member", "2002-09/2010-10", None, "NEAR brochure, Members: Mongolia (22)",
         "inferred from listed in the brochure's undated list of members (its latest event: the 8th General "
         "Assembly, 2010-10); DPRK and Mongolia's accession was approved at the 4th General Assembly (2002-09)")]


def test_every_record_of_the_history_cites_the_brochure():
    records = yaml.safe_load(HISTORY.read_text(encoding="utf-8"))["records"]

    assert len(records) == 104
    assert all(str(r["source"]).startswith("NEAR brochure") for r in records)


def test_the_cause_of_an_approval_or_rejection_is_the_decision_stored_with_it(tmp_path):
    gov = Governance(str(tmp_path / "register.db"), actor="clerk")
    approved = given_rasun_city_admitted_at_ga4(gov)
    rejected = gov.submit_application("Tumen City", "CN", "member", "2002-04")["reference"]
    gov.screen_application(rejected, eligible=True)
    gov.schedule_application(rejected, "GA-4")
    gov.decide("GA-4", "reject", application=rejected, reason="outside the region")

    rows = {(h["kind"], h["subject"]): h["cause"] for h in Reads(gov).history()}

    assert rows[("Application.Approved", approved)] == "GA-4/D1"
    assert rows[("Application.Rejected", rejected)] == "GA-4/D2"
    gov.close()
