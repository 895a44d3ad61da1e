"""The read commands: roster, history, audit membership, tasks, projections."""

from __future__ import annotations

from tests.cli_support import Cli

UNKNOWN_COUNTRY = "unknown country 'XX': use an ISO 3166-1 alpha-2 code such as CN, JP, KR, KP, MN, RU"


def test_roster_shows_each_member_with_its_cause(admitted: Cli):
    out = admitted.ok("roster", "--as-of", "2003-01-01").stdout.splitlines()

    assert out[0] == "NEAR roster as of 2003-01-01"
    assert out[2].split() == ["Name", "Country", "Status", "Since", "Cause", "/", "source"]
    assert [line.split() for line in out[4:]] == [
        ["Rasun", "City", "KP", "member", "2002-09", "GA-4/D1"],
        ["Khabarovsk", "Territory", "RU", "member", "1996-09", "NEAR", "brochure"]]


def test_roster_json(admitted: Cli):
    roster = admitted.json("roster", "--as-of", "2003-01-01", "--country", "kp")

    assert roster["as_of"] == "2003-01-01"
    assert roster["entries"] == [{"name": "Rasun City", "current_name": "Rasun City", "country": "KP",
                                  "status": "member", "since": "2002-09", "cause": "GA-4/D1", "source": None,
                                  "documented": True, "basis": None}]


def test_roster_csv_has_a_header_row(admitted: Cli):
    assert admitted.ok("roster", "--as-of", "2002-01", "--format", "csv").stdout == (
        "name,country,status,since,cause,source,current_name,documented,basis,"
        "counts.status,counts.count,counts.named,counts.countries,counts.since,counts.source,counts.basis\n"
        "Khabarovsk Territory,RU,member,1996-09,,NEAR brochure,Khabarovsk Territory,yes,stated,,,,,,,\n")


def test_roster_as_known_before_anything_was_recorded_is_empty(admitted: Cli):
    out = admitted.ok("roster", "--known-at", "2000-01-01T00:00:00Z").stdout

    assert out.endswith(", as known at 2000-01-01T00:00:00Z\n\n(none)\n")


def test_roster_of_an_unknown_country_is_bad_input(admitted: Cli):
    admitted.fails("roster", "--country", "XX", error=UNKNOWN_COUNTRY, code=2)


def test_roster_on_a_bad_date_is_bad_input(admitted: Cli):
    admitted.fails("roster", "--as-of", "2003-13", error="no such date: 2003-13 (month must be in 1..12)", code=2)


def test_history_lists_events_oldest_first(admitted: Cli):
    out = admitted.ok("history", "--region", "Rasun City").stdout.splitlines()

    assert out[0].split()[:3] == ["#", "Recorded", "at"]
    assert "GA-4/D1" in out[-1]


def test_history_json(admitted: Cli):
    events = admitted.json("history")

    assert list(events[0])[:9] == ["position", "recorded_at", "effective", "kind", "subject", "actor", "db_role",
                                   "cause", "source"]
    assert {e["db_role"] for e in events} == {None}  # SQLite records no database role
    assert [e["position"] for e in events] == sorted(e["position"] for e in events)
    assert {e["actor"] for e in events} == {"clerk"}


def test_history_of_an_assembly_as_csv(admitted: Cli):
    csv = admitted.ok("history", "--assembly", "GA-4", "--format", "csv").stdout.splitlines()

    assert csv[0] == ("position,recorded_at,effective,kind,subject,actor,db_role,cause,source,summary,region,"
                      "current_name")
    assert any(",GA-4/D1," in line for line in csv[1:])


def test_history_with_limit_and_offset(admitted: Cli):
    everything = admitted.json("history")

    assert admitted.json("history", "--limit", "2", "--offset", "1") == everything[1:3]


def test_history_between_effective_dates(admitted: Cli):
    events = admitted.json("history", "--since", "2002-09", "--until", "2002-09")

    assert events and {e["effective"] for e in events} <= {"2002-09", "2002-09-13"}


def test_roster_known_at_a_bad_timestamp_is_bad_input(admitted: Cli):
    admitted.fails("roster", "--known-at", "garbage",
                   error="bad timestamp 'garbage': use ISO 8601, e.g. 2024-03-01T09:30:00Z or 2024-03-01", code=2)


def test_history_of_an_unknown_region_is_refused(admitted: Cli):
    admitted.fails("history", "--region", "Nowhere",
                   error="no region named 'Nowhere'; known: Khabarovsk Territory, Rasun City "
                         "(see `near-gov region list`)", code=1)


def test_history_of_a_malformed_assembly_is_bad_input(admitted: Cli):
    admitted.fails("history", "--assembly", "GA4", error="bad assembly id 'GA4': use GA-n or WC-n (e.g. GA-4)",
                   code=2)


def test_audit_membership_shows_each_change_with_its_cause(admitted: Cli):
    out = admitted.ok("audit", "membership", "rasun city").stdout.splitlines()

    assert out[0] == "Rasun City (KP)"
    assert out[4].split()[:3] == ["member", "2002-09", "GA-4/D1"]


def test_audit_membership_json(admitted: Cli):
    with admitted.gov() as app:
        app.withdraw_region("Rasun City", "2008-01", source="letter of 2008-01-10")

    audit = admitted.json("audit", "membership", "Rasun City")

    assert (audit["region"], audit["country"]) == ("Rasun City", "KP")
    assert [{k: p[k] for k in ("status", "since", "cause", "source")} for p in audit["timeline"]] == [
        {"status": "member", "since": "2002-09", "cause": "GA-4/D1", "source": None},
        {"status": "withdrawn", "since": "2008-01", "cause": None, "source": "letter of 2008-01-10"}]


def test_audit_membership_of_an_unknown_region_is_refused(admitted: Cli):
    admitted.fails("audit", "membership", "Rason",
                   error="no region named 'Rason'; known: Khabarovsk Territory, Rasun City "
                         "(see `near-gov region list`)",
                   code=1)


def test_audit_membership_in_an_unknown_country_is_bad_input(admitted: Cli):
    admitted.fails("audit", "membership", "Rasun City", "--country", "XX", error=UNKNOWN_COUNTRY, code=2)


def test_tasks_lists_what_awaits_action(scheduled: Cli):
    out = scheduled.ok("tasks").stdout

    assert "APP-2002-001" in out and "General Assembly" in out


def test_tasks_json_and_csv(scheduled: Cli):
    tasks = scheduled.json("tasks")
    csv = scheduled.ok("tasks", "--format", "csv").stdout.splitlines()

    (task,) = [t for t in tasks if t["case"] == "APP-2002-001"]
    assert (task["state"], task["by"]) == ("scheduled", "General Assembly")
    assert csv[0] == "case,process,state,step,by,due,waiting_since,subject"


def test_tasks_in_an_unknown_format_is_bad_usage(scheduled: Cli):
    scheduled.fails("tasks", "--format", "tsv",
                    error="Invalid value for '--format': 'tsv' is not one of 'table', 'json', 'csv'. "
                          "Try 'near-gov tasks -h' for help.", code=2)


def test_projections_status_after_a_read_is_at_the_head(admitted: Cli):
    admitted.ok("roster")

    (status, *_) = admitted.json("projections", "status")

    assert status["position"] == status["head"] == admitted.events()
    csv = admitted.ok("projections", "status", "--format", "csv").stdout
    assert csv.startswith("name,position,head,behind,stale,error,rebuild.position,rebuild.error,read_models\n")


def test_projections_rebuild_replays_the_whole_log(admitted: Cli):
    before = admitted.json("roster", "--as-of", "2003-01-01")

    rebuilt = admitted.json("projections", "rebuild")

    assert rebuilt["events"] == admitted.events() and rebuilt["rebuilt"]
    assert admitted.json("roster", "--as-of", "2003-01-01") == before
    assert admitted.ok("projections", "rebuild").stdout.startswith("Rebuilt:")


def test_projections_rebuild_in_csv_is_bad_usage(admitted: Cli):
    admitted.fails("projections", "rebuild", "--format", "csv",
                   error="Invalid value for '--format': 'csv' is not one of 'table', 'json'. "
                         "Try 'near-gov projections rebuild -h' for help.", code=2)
