"""Read models through `Reads`, on every store (SQLite file and, in CI, PostgreSQL):
time semantics of the roster, history filters, assemblies with effects, committees,
Charter versions, cases and tasks, incremental catch-up and rebuild."""

import time
from contextlib import ExitStack
from datetime import UTC, datetime

import pytest

from domain.errors import InvalidInput, NotFound
from near_gov.reads import Reads
from near_gov.service import Governance
from projections import engine
from tests.histories import given_member, given_rasun_city_admitted_at_ga4


@pytest.fixture
def reads(gov):
    r = Reads(gov)
    yield r
    r.close()


def names(roster):
    return [e["name"] for e in roster["entries"]]


def now():
    moment = datetime.now(UTC)
    time.sleep(0.002)  # events recorded after this are strictly later
    return moment.isoformat()


# The roster in effective time.


def test_member_admitted_at_month_precision_is_on_the_roster_from_its_first_day(gov, reads):
    given_rasun_city_admitted_at_ga4(gov)

    on_last_day = reads.roster(as_of="2002-09-30")
    day_before = reads.roster(as_of="2002-08-31")

    assert "Rasun City" in names(on_last_day)
    assert "Rasun City" not in names(day_before)
    assert names(reads.roster(as_of="2002-09-01")) == ["Rasun City", "Khabarovsk Territory"]
    assert on_last_day["as_of"] == "2002-09-30"
    assert on_last_day["entries"][0] == {
        "name": "Rasun City", "current_name": "Rasun City", "country": "KP", "status": "member", "since": "2002-09",
        "cause": "GA-4/D1", "source": None, "documented": True, "basis": None,
    }


def test_year_precision_status_starts_on_the_first_of_january(gov, reads):
    given_member(gov, "Toyama Prefecture", "JP", since="1996")

    assert names(reads.roster(as_of="1996-01-01")) == ["Toyama Prefecture"]
    assert names(reads.roster(as_of="1995-12-31")) == []
    assert names(reads.roster(as_of="1996")) == ["Toyama Prefecture"]


def test_withdrawal_ends_the_membership_interval(gov, reads):
    given_member(gov, "Toyama Prefecture", "JP", since="1998-10")

    gov.withdraw_region("Toyama Prefecture", "2006-05", source="letter of 2006-04-02")

    assert names(reads.roster(as_of="2006-04-30")) == ["Toyama Prefecture"]
    assert names(reads.roster(as_of="2006-05-01")) == []
    assert names(reads.roster()) == []


def test_roster_defaults_to_today_and_filters_by_country_and_status(gov, reads):
    given_member(gov, "Toyama Prefecture", "JP")
    given_member(gov, "Khabarovsk Territory", "RU")
    gov.register_region("Tianjin City", "CN")
    gov.record_status("Tianjin City", "observer", "2010-10", "NEAR brochure, Observers")

    roster = reads.roster()

    assert roster["as_of"] == datetime.now(UTC).date().isoformat()
    assert names(roster) == ["Tianjin City", "Toyama Prefecture", "Khabarovsk Territory"]
    assert names(reads.roster(country="jp")) == ["Toyama Prefecture"]
    assert names(reads.roster(status="observer")) == ["Tianjin City"]
    with pytest.raises(InvalidInput):
        reads.roster(status="withdrawn")


# The roster in recorded time.


def test_back_dated_correction_changes_as_of_but_not_known_at_before_it(gov, reads):
    given_member(gov, "Toyama Prefecture", "JP", since="2004-01", source="annual report 2004")
    before_correction = now()

    gov.record_status("Toyama Prefecture", "member", "2002-05", "minutes of GA-4")

    assert names(reads.roster(as_of="2003-01-01")) == ["Toyama Prefecture"]
    assert names(reads.roster(as_of="2003-01-01", known_at=before_correction)) == []
    then = reads.roster(as_of="2004-02-01", known_at=before_correction)
    assert then["entries"][0]["since"] == "2004-01"
    assert then["entries"][0]["source"] == "annual report 2004"
    assert then["known_at"].startswith(before_correction[:19])
    assert reads.roster(as_of="2004-02-01")["entries"][0]["since"] == "2002-05"
    assert names(reads.roster(as_of="2003-01-01", known_at=now())) == ["Toyama Prefecture"]


def test_known_at_before_a_later_status_still_shows_the_earlier_one(gov, reads):
    gov.register_region("Tianjin City", "CN")
    gov.record_status("Tianjin City", "observer", "2010-10", "NEAR brochure")
    before = now()

    gov.record_status("Tianjin City", "member", "2012-09", "GA-9 minutes")

    assert reads.roster(as_of="2013-01-01")["entries"][0]["status"] == "member"
    assert reads.roster(as_of="2013-01-01", known_at=before)["entries"][0]["status"] == "observer"


def test_known_at_must_be_a_timestamp(reads):
    with pytest.raises(InvalidInput, match="bad timestamp 'last march'"):
        reads.roster(known_at="last march")


def test_audit_shows_each_change_with_cause_source_and_correction(gov, reads):
    given_rasun_city_admitted_at_ga4(gov)
    gov.record_status("Khabarovsk Territory", "member", "1997-01", "corrected from the 1997 report")

    audit = reads.audit_membership("  rasun   CITY ")
    khabarovsk = reads.audit_membership("Khabarovsk Territory")

    assert audit["region"] == "Rasun City" and audit["country"] == "KP"
    assert [(p["status"], p["since"], p["cause"]) for p in audit["timeline"]] == [("member", "2002-09", "GA-4/D1")]
    assert [(p["since"], p["source"], p["corrects"]) for p in khabarovsk["timeline"]] == [
        ("1997-01", "corrected from the 1997 report", "1996-09")
    ]


def test_audit_known_at_before_a_correction_answers_as_the_register_then_stood(gov, reads):
    gov.register_region("Khabarovsk Territory", "RU")
    gov.record_status("Khabarovsk Territory", "observer", "1996-09", "NEAR brochure")
    gov.record_status("Khabarovsk Territory", "member", "2002-09", "GA-4 minutes")
    answered_then = reads.audit_membership("Khabarovsk Territory")
    before_correction = now()

    gov.record_status("Khabarovsk Territory", "member", "2003-01", "corrected from the 2003 report")

    then = reads.audit_membership("khabarovsk territory", known_at=before_correction)
    current = reads.audit_membership("Khabarovsk Territory")
    assert then == answered_then
    assert [{k: v for k, v in p.items() if k not in ("recorded_at", "db_role")} for p in then["timeline"]] == [
        {"status": "observer", "since": "1996-09", "cause": None, "source": "NEAR brochure", "corrects": None,
         "name": "Khabarovsk Territory", "basis": "stated", "actor": "clerk"},
        {"status": "member", "since": "2002-09", "cause": None, "source": "GA-4 minutes", "corrects": None,
         "name": "Khabarovsk Territory", "basis": "stated", "actor": "clerk"},
    ]
    assert current["timeline"][0] == then["timeline"][0]
    assert {k: v for k, v in current["timeline"][1].items() if k not in ("recorded_at", "db_role")} == {
        "status": "member", "since": "2003-01", "cause": None, "source": "corrected from the 2003 report",
        "corrects": "2002-09", "name": "Khabarovsk Territory", "basis": "stated", "actor": "clerk"}


def test_unknown_region_suggests_close_names(gov, reads):
    given_member(gov, "Toyama Prefecture", "JP")

    with pytest.raises(NotFound) as unknown:
        reads.audit_membership("Toyama Prefectur")
    assert str(unknown.value) == ("no region named 'Toyama Prefectur'; did you mean Toyama Prefecture? "
                                  "(see `near-gov region list`)")


def test_a_name_held_in_two_countries_in_turn_finds_its_holder_and_the_country_finds_the_other(gov, reads):
    given_member(gov, "Amur Region", "RU")
    gov.rename_region("Amur Region", "Amur Oblast", "2002-01")
    gov.register_region("Amur Region", "CN")
    gov.record_status("Amur Region", "observer", "2002-09", "GA-4 minutes", country="CN")

    assert (reads.region("amur  REGION")["country"], reads.region("amur  REGION")["status"]) == ("CN", "observer")
    assert reads.region("amur region", country="CN")["status"] == "observer"
    assert (reads.region("amur region", country="RU")["name"], reads.region("amur region", country="RU")["status"]) \
        == ("Amur Oblast", "member")


def test_region_shows_former_names_and_is_found_by_them(gov, reads):
    given_member(gov, "Jeju Province", "KR")

    gov.rename_region("Jeju Province", "Jeju Special Self-Governing Province", "2006-07")

    region = reads.region("jeju province")
    assert region["name"] == "Jeju Special Self-Governing Province"
    assert region["former_names"] == ["Jeju Province"]
    assert [r["name"] for r in reads.regions()] == ["Jeju Special Self-Governing Province"]


# History.


def test_history_lists_governance_events_in_log_order_with_filters_and_paging(gov, reads):
    ref = given_rasun_city_admitted_at_ga4(gov)

    everything = reads.history()
    rasun = reads.history(region="Rasun City")
    ga4 = reads.history(assembly="ga-4")

    positions = [h["position"] for h in everything]
    assert positions == sorted(positions)
    assert not any(h["kind"].startswith(("RegionName", "ReferenceCounter")) for h in everything)
    assert set(everything[0]) >= {"position", "recorded_at", "effective", "kind", "subject", "actor", "cause", "source"}
    assert [h["kind"] for h in rasun] == [
        "Application.Submitted", "RegionalGovernment.Registered", "Application.Screened",
        "Application.Scheduled", "Application.Approved", "RegionalGovernment.Admitted",
    ]
    assert {h["subject"] for h in ga4} == {"GA-4", "GA-4/D1", ref, "Rasun City"}
    assert reads.history(limit=2, offset=1) == everything[1:3]
    assert reads.history(offset=len(everything) - 1) == everything[-1:]


def test_history_date_range_uses_effective_dates(gov, reads):
    given_rasun_city_admitted_at_ga4(gov)

    in_2002 = reads.history(since="2002", until="2002")
    in_1996 = reads.history(since="1996-09-15", until="1996-12")

    assert {h["effective"] for h in in_2002} == {"2002-09", "2002-03"}
    assert [(h["kind"], h["effective"]) for h in in_1996] == [("RegionalGovernment.StatusRecorded", "1996-09")]


def test_history_of_an_unknown_assembly_says_which_exist(gov, reads):
    given_rasun_city_admitted_at_ga4(gov)

    with pytest.raises(NotFound) as refused:
        reads.history(assembly="GA-12")

    assert str(refused.value) == "no assembly GA-12; known: GA-4 (see `near-gov assembly list`)"


# Assemblies, committees, Charter.


def test_assembly_shows_decisions_with_their_effects_and_attendance(gov, reads):
    given_rasun_city_admitted_at_ga4(gov)
    gov.attend("GA-4", ["Khabarovsk Territory", "Rasun City"])
    gov.close_assembly("GA-4")

    listed = reads.assemblies()
    shown = reads.assembly("GA-4")

    assert listed == [{
        "id": "GA-4", "body": "General Assembly", "number": 4, "host": "Khabarovsk Territory",
        "opened": "2002-09", "closed": "2002-09",
        "decisions": [{"ref": "GA-4/D1", "kind": "approve",
                       "text": "Admit Rasun City (KP) as member on application APP-2002-001", "item": "decision"}],
        "current_host": "Khabarovsk Territory",
    }]
    (decision,) = shown["decisions"]
    assert [(e["kind"], e["subject"]) for e in decision["effects"]] == [
        ("Application.Approved", "APP-2002-001"), ("RegionalGovernment.Admitted", "Rasun City"),
    ]
    assert shown["attendance"] == ["Khabarovsk Territory", "Rasun City"]


def test_unknown_assembly_lists_the_known_ones(gov, reads):
    given_member(gov, "Khabarovsk Territory", "RU")
    for n, on in enumerate(["1996-09", "1998-10", "2000-09", "2002-09", "2004-09", "2006-09", "2008-09"], 1):
        gov.convene("GA", n, "Khabarovsk Territory", on)

    with pytest.raises(NotFound) as unknown:
        reads.assembly("GA-12")
    assert str(unknown.value) == ("no assembly GA-12; known: GA-1, GA-2 ... GA-7 (7 in all) "
                                  "(see `near-gov assembly list`)")


def test_committee_shows_coordinators_in_order_with_until(gov, reads):
    given_member(gov, "Toyama Prefecture", "JP")
    given_member(gov, "Gyeongsangbuk-do Province", "KR")
    gov.convene("GA", 8, "Toyama Prefecture", "2010-10")
    gov.decide("GA-8", "establish-committee", name="Sub-Committee on Tourism", coordinator="Toyama Prefecture")

    gov.elect_coordinator("Sub-Committee on Tourism", "Gyeongsangbuk-do Province", "2012-09")

    assert reads.committees() == [{"name": "Sub-Committee on Tourism", "coordinator": "Gyeongsangbuk-do Province",
                                   "established": "2010-10", "purpose": None, "dissolved": None}]
    shown = reads.committee("sub-committee on TOURISM")
    assert shown["coordinator"] == "Gyeongsangbuk-do Province"
    assert shown["coordinators"] == [
        {"region": "Toyama Prefecture", "current_name": "Toyama Prefecture", "since": "2010-10", "until": "2012-09",
         "cause": "GA-8/D1", "source": None, "ended_by": None},
        {"region": "Gyeongsangbuk-do Province", "current_name": "Gyeongsangbuk-do Province", "since": "2012-09",
         "until": None, "cause": None, "source": None, "ended_by": None},
    ]


def test_unknown_committee_suggests_close_names_or_lists_the_known_ones(gov, reads):
    given_member(gov, "Toyama Prefecture", "JP")
    gov.convene("GA", 8, "Toyama Prefecture", "2010-10")
    gov.decide("GA-8", "establish-committee", name="Sub-Committee on Tourism")
    gov.decide("GA-8", "establish-committee", name="Sub-Committee on Environment")

    with pytest.raises(NotFound) as refused:
        reads.committee("Sub-Committee  on Tourims")

    with pytest.raises(NotFound) as unlike:
        reads.committee("Culture")

    assert str(refused.value) == ("no committee named 'Sub-Committee on Tourims'; did you mean Sub-Committee on "
                                  "Tourism or Sub-Committee on Environment? (see `near-gov committee list`)")
    assert str(unlike.value) == ("no committee named 'Culture'; known: Sub-Committee on Environment, "
                                 "Sub-Committee on Tourism (see `near-gov committee list`)")


def test_charter_diff_between_versions_of_one_scope_shows_no_scope_change(gov, reads):
    given_member(gov, "Toyama Prefecture", "JP")
    gov.convene("GA", 4, "Toyama Prefecture", "2002-09")
    gov.decide("GA-4", "set-scope", countries="CN,JP,KR,KP,MN,RU,US")
    gov.decide("GA-4", "amend-charter", article="2", text="Members are regional governments.")

    diff = reads.charter_diff(1, 2)

    assert diff == {"from": 1, "to": 2, "scope": None,
                    "articles": [{"article": "2", "before": None, "after": "Members are regional governments."}]}


def test_charter_versions_show_as_of_and_diff(gov, reads):
    given_member(gov, "Toyama Prefecture", "JP")
    gov.convene("GA", 3, "Toyama Prefecture", "2000-09")
    gov.decide("GA-3", "amend-charter", article="10", text="The Secretariat is in Pohang.")
    gov.convene("GA", 4, "Toyama Prefecture", "2002-09")
    gov.decide("GA-4", "amend-charter", article="2", text="Members are regional governments.")
    gov.decide("GA-4", "amend-charter", article="10", text="The Secretariat is in Pohang City.")
    gov.decide("GA-4", "set-scope", countries="CN,JP,KR,KP,MN,RU,US")

    current = reads.charter()
    in_2001 = reads.charter(as_of="2001-06")
    diff = reads.charter_diff(1, "v4")

    assert current["version"] == 4 and current["scope"][-1] == "US"
    assert [a["article"] for a in current["articles"]] == ["2", "10"]
    assert in_2001["version"] == 1
    assert in_2001["articles"] == [{"article": "10", "text": "The Secretariat is in Pohang."}]
    assert reads.charter(as_of="1999")["version"] == 0
    assert [v["version"] for v in reads.charter_history()] == [0, 1, 2, 3, 4]
    assert diff["articles"] == [
        {"article": "2", "before": None, "after": "Members are regional governments."},
        {"article": "10", "before": "The Secretariat is in Pohang.", "after": "The Secretariat is in Pohang City."},
    ]
    assert diff["scope"] == {"before": ["CN", "JP", "KR", "KP", "MN", "RU"],
                             "after": ["CN", "JP", "KR", "KP", "MN", "RU", "US"]}
    with pytest.raises(NotFound) as unknown:
        reads.charter_diff(0, 9)
    assert str(unknown.value) == "no Charter version 9; known: 0, 1, 2, 3, 4 (see `near-gov charter history`)"


# Cases and tasks.


def test_application_shows_history_and_next_steps_from_the_declaration(gov, reads):
    given_member(gov, "Khabarovsk Territory", "RU")
    gov.convene("GA", 4, "Khabarovsk Territory", "2002-09")
    ref = gov.submit_application("Rasun City", "KP", "member", "2002-03")["reference"]
    gov.screen_application(ref, eligible=True)

    shown = reads.application(ref.lower())

    assert (shown["reference"], shown["region"], shown["country"], shown["state"]) == \
        (ref, "Rasun City", "KP", "screened")
    assert [h["step"] for h in shown["history"]] == ["submit", "screen"]
    assert shown["next"] == [{"step": "schedule", "by": "Secretariat"}, {"step": "withdraw", "by": "applicant"}]
    assert [a["reference"] for a in reads.applications(status="screened")] == [ref]
    assert reads.applications(status="approved") == []
    with pytest.raises(NotFound) as unknown:
        reads.application("APP-2002-009")
    assert str(unknown.value) == "no application APP-2002-009; known: APP-2002-001 (see `near-gov application list`)"


def test_tasks_list_open_steps_by_due_date_with_the_assembly_that_decides(gov, reads):
    given_member(gov, "Khabarovsk Territory", "RU")
    gov.convene("GA", 4, "Khabarovsk Territory", "2002-09")
    first = gov.submit_application("Rasun City", "KP", "member", "2002-03")["reference"]
    gov.screen_application(first, eligible=True)
    gov.schedule_application(first, "GA-4")
    second = gov.submit_application("Dornod Province", "MN", "member", "2002-04")["reference"]

    tasks = reads.tasks(today="2003-01-01")

    assert [(t["case"], t["state"], t["step"], t["by"], t["due"]) for t in tasks] == [
        (second, "submitted", "screen", "Secretariat", "2002-04"),
        (first, "scheduled", "approve or reject at GA-4", "General Assembly", "2002-09"),
    ]
    assert tasks[1]["waiting_since"] < tasks[0]["waiting_since"]


def test_general_assembly_two_years_after_the_last_is_an_overdue_task(gov, reads):
    given_member(gov, "Khabarovsk Territory", "RU")
    gov.convene("GA", 8, "Khabarovsk Territory", "2010-10")

    due = reads.tasks(today="2012-11-01")

    assert reads.tasks(today="2012-10-31") == []
    convened = next(e["recorded_at"] for e in reads.history(assembly="GA-8") if e["kind"] == "Assembly.Convened")
    assert due == [{"case": "GA-9", "process": "general-assembly", "state": "overdue",
                    "step": "convene GA-9 (due 2012-10)", "by": "Secretariat", "due": "2012-10",
                    "waiting_since": convened,
                    "subject": "General Assembly, held every two years; GA-8 met 2010-10"}]
    gov.convene("GA", 9, "Khabarovsk Territory", "2012-11")
    assert reads.tasks(today="2012-11-01") == []


# Catch-up, status, rebuild.


def test_a_read_after_one_command_handles_only_that_commands_events(gov, reads):
    given_rasun_city_admitted_at_ga4(gov)
    reads.roster()
    head = gov.recorder.max_notification_id()

    gov.record_status("Khabarovsk Territory", "member", "1997-02", "corrected")
    handled = reads.catch_up()
    gov.register_region("Toyama Prefecture", "JP")  # the region and its name index

    assert handled == gov.recorder.max_notification_id() - 3 - head == 1
    assert reads.catch_up() == 3
    assert reads.catch_up() == 0


def test_status_shows_position_against_head_without_catching_up(gov, reads):
    given_member(gov, "Toyama Prefecture", "JP")
    reads.catch_up()
    gov.record_status("Toyama Prefecture", "member", "1997", "corrected")

    (status,) = reads.status()

    assert (status["name"], status["head"] - status["position"]) == ("register", 1)


@pytest.mark.parametrize("keep", [engine.KEEP, 0], ids=["kept", "forgotten"])
def test_rebuild_streams_in_batches_and_gives_the_same_answers(gov, reads, monkeypatch, keep):
    """Also when each batch forgets what the one before read (`keep` 0): every row
    is then read back from the tables being rebuilt."""
    given_rasun_city_admitted_at_ga4(gov)
    gov.record_status("Khabarovsk Territory", "member", "1997-02", "corrected")
    gov.record_status("Khabarovsk Territory", "member", "1997-03", "corrected again")
    gov.register_region("Tottori Prefecture", "JP")
    gov.record_status("Tottori Prefecture", "observer", "1996-09", "NEAR brochure")
    gov.record_status("Tottori Prefecture", "member", "2000", "minutes")
    given_member(gov, "Shimane Prefecture", "JP")  # the correction comes in a later batch
    gov.record_status("Tottori Prefecture", "member", "2001", "corrected")
    before = (reads.roster(as_of="2003"), reads.history(), reads.assembly("GA-4"), reads.tasks(),
              reads.audit_membership("Khabarovsk Territory"), reads.roster(known_at="2999-01-01"),
              reads.audit_membership("Tottori Prefecture"))
    assert [(p["status"], p["since"]) for p in before[-1]["timeline"]] == [("observer", "1996-09"), ("member", "2001")]
    monkeypatch.setattr(engine, "REBUILD_BATCH", 4)
    monkeypatch.setattr(engine, "KEEP", keep)
    seen = []

    handled = reads.rebuild(progress=lambda position, head: seen.append((position, head)))

    head = gov.recorder.max_notification_id()
    assert handled == head
    assert len(seen) == -(-head // 4) and seen[-1] == (head, head)
    assert [p for p, _ in seen] == sorted(p for p, _ in seen)
    assert (reads.roster(as_of="2003"), reads.history(), reads.assembly("GA-4"), reads.tasks(),
            reads.audit_membership("Khabarovsk Territory"), reads.roster(known_at="2999-01-01"),
            reads.audit_membership("Tottori Prefecture")) == before


def test_rebuild_leaves_the_stores_durability_settings_as_they_were(gov, reads, store_url):
    if not store_url.startswith("sqlite"):
        pytest.skip("connection settings (PRAGMA) are SQLite's")
    given_rasun_city_admitted_at_ga4(gov)

    reads.rebuild()

    with ExitStack() as stack:
        connections = [stack.enter_context(gov.recorder.datastore.get_connection(commit=w)) for w in (True, False)]
        for connection in connections:
            cursor = connection.cursor()
            cursor.execute("PRAGMA synchronous")
            assert cursor.fetchone()[0] == 2  # FULL, as the store set it for the events
            cursor.execute("PRAGMA wal_autocheckpoint")
            assert cursor.fetchone()[0] == 1000


def test_read_models_of_an_older_version_are_rebuilt_on_first_read(gov, reads, store_url):
    given_member(gov, "Toyama Prefecture", "JP")
    expected = reads.roster()
    with reads.projector.db.write() as c:
        c.run("UPDATE read_tracking SET version = version - 1")

    again = Reads(Governance(store_url, actor="clerk"))

    assert again.roster() == expected
    assert again.status()[0]["position"] == gov.recorder.max_notification_id()


def test_memory_store_keeps_read_models_in_memory(memory_url):
    gov = Governance(memory_url, actor="clerk")
    given_rasun_city_admitted_at_ga4(gov)

    assert names(Reads(gov).roster(as_of="2002-09-30")) == ["Rasun City", "Khabarovsk Territory"]


def test_roster_is_ordered_by_country_then_name_in_code_point_order_on_every_store(gov, reads):
    # The database orders the answer; a locale's collation (PostgreSQL's default)
    # would put "Émile" and "alpha" elsewhere than the domain's normalised order.
    from domain.values import normalise_name

    names_in = ["Zeta Region", "alpha Region", "Émile Region", "Beta Region", "Ödön Region", "_Under Region"]
    for name in names_in:
        given_member(gov, name, "JP", "1996-09")
    given_member(gov, "Amur Region", "RU", "1996-09")
    entries = reads.roster()["entries"]
    assert [(e["country"], e["name"]) for e in entries] == sorted(
        [("JP", n) for n in names_in] + [("RU", "Amur Region")], key=lambda e: (e[0], normalise_name(e[1])))


# Filters and pages of the lists.


def test_history_filtered_by_since_alone_or_until_alone_keeps_the_events_of_that_period(gov, reads):
    given_member(gov, "Toyama Prefecture", "JP", "1996-09")
    given_member(gov, "Hyogo Prefecture", "JP", "2004-09")

    since = reads.history(since="2000-01")
    until = reads.history(until="2000-01")

    assert [(e["subject"], e["effective"]) for e in since if e["effective"]] == [("Hyogo Prefecture", "2004-09")]
    assert [(e["subject"], e["effective"]) for e in until if e["effective"]] == [("Toyama Prefecture", "1996-09")]


def test_history_page_with_a_limit_alone_or_an_offset_alone_is_that_slice_of_the_filtered_list(gov, reads):
    for n, name in enumerate(["Toyama Prefecture", "Hyogo Prefecture", "Tottori Prefecture"]):
        given_member(gov, name, "JP", f"{1996 + n}-09")
    whole = reads.history(since="1990-01")

    assert reads.history(since="1990-01", limit=2) == whole[:2]
    assert reads.history(since="1990-01", offset=2) == whole[2:]
    assert reads.history(since="1990-01", limit=2, offset=1) == whole[1:3]


def test_cases_filtered_by_state_list_only_the_cases_in_that_state(gov, reads):
    given_member(gov, "Toyama Prefecture", "JP", "1996-09")
    gov.convene("WC", 1, "Toyama Prefecture", "1997-08")
    reviewed = gov.propose_amendment("1997-06", article="Article 4", text="Members meet every two years.")
    proposed = gov.propose_amendment("1997-07", scope="CN,JP,KR,RU")
    gov.decide("WC-1", "review-amendment", amendment=reviewed["reference"])

    assert [c["reference"] for c in reads.cases(state="proposed")] == [proposed["reference"]]
    assert [c["reference"] for c in reads.cases(state="reviewed")] == [reviewed["reference"]]
    assert len(reads.cases()) == 2


def test_assembly_without_decisions_lists_an_empty_list_of_decisions(gov, reads):
    given_member(gov, "Toyama Prefecture", "JP", "1996-09")
    gov.convene("GA", 1, "Toyama Prefecture", "1996-09")

    assert [a["decisions"] for a in reads.assemblies()] == [[]]


def test_the_read_models_read_the_events_table_directly_on_both_stores(gov):
    """Not through the library's `select_notifications`, which makes a UUID and an
    object of each event (five times slower on SQLite): the stores near-gov opens
    subclass the library's datastores, and are still recognised as theirs."""
    from projections import access

    select = access.row_reader(gov.recorder)

    expected = "_sqlite_reader" if gov.store.kind == "sqlite" else "_postgres_reader"
    assert select.__qualname__.startswith(expected + ".")
