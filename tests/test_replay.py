"""Replaying an assembly re-runs its decisions on the register as it stood before it
and checks that they make exactly the effects recorded with them."""

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from domain.errors import IntegrityFailure, NotFound
from near_gov.cli import main
from near_gov.loader import load
from near_gov.replay import read_log, replay
from tests.histories import given_rasun_city_scheduled_for_ga4

HISTORY = Path(__file__).parent.parent / "examples" / "near" / "history.yaml"
ASSEMBLIES = [f"GA-{n}" for n in range(1, 9)] + [f"WC-{n}" for n in range(1, 8)]


@pytest.fixture
def history(gov):
    load(gov, HISTORY)
    return gov


def rewrite_stored_event(gov, topic, old, new=None):
    """Alter (or, without `new`, delete) the stored event of type `topic` whose bytes hold
    `old`, directly in the database, behind the application's back."""
    table, store = gov.recorder.events_table_name, gov.store
    if store.kind == "sqlite":
        with sqlite3.connect(store.path) as db:
            rows = db.execute(f"SELECT rowid, state FROM {table} WHERE topic LIKE ?", (f"%{topic}",)).fetchall()
            (rowid, state), = [r for r in rows if old.encode() in r[1]]
            if new is None:
                db.execute(f"DELETE FROM {table} WHERE rowid = ?", (rowid,))
            else:
                db.execute(f"UPDATE {table} SET state = ? WHERE rowid = ?",
                           (state.replace(old.encode(), new.encode()), rowid))
        return
    import psycopg
    from psycopg.sql import SQL, Identifier

    name = SQL("{0}.{1}").format(Identifier(store.schema), Identifier(table))
    with psycopg.connect(f"postgresql://{store.user}@{store.host}:{store.port}/{store.dbname}", autocommit=True) as db:
        rows = db.execute(SQL("SELECT notification_id, state FROM {0} WHERE topic LIKE %s").format(name),
                          (f"%{topic}",)).fetchall()
        (position, state), = [r for r in rows if old.encode() in bytes(r[1])]
        if new is None:
            db.execute(SQL("DELETE FROM {0} WHERE notification_id = %s").format(name), (position,))
        else:
            db.execute(SQL("UPDATE {0} SET state = %s WHERE notification_id = %s").format(name),
                       (bytes(state).replace(old.encode(), new.encode()), position))


def test_replay_of_every_loaded_assembly_matches_the_record(history):
    head = history.recorder.max_notification_id()

    results = [replay(history, ident) for ident in ASSEMBLIES]

    assert all(r["matches"] for r in results)
    assert [r["assembly"] for r in results] == ASSEMBLIES
    assert history.recorder.max_notification_id() == head


def test_replay_shows_what_the_6th_general_assembly_changed(history):
    result = replay(history, "GA-6")

    assert [(d["ref"], d["kind"]) for d in result["decisions"]] == [("GA-6/D1", "resolve"),
                                                                     ("GA-6/D2", "establish-committee")]
    assert result["decisions"][1]["effects"] == [{"event": "Committee.Established",
                                                  "subject": "Sub-Committee on Science and Technology",
                                                  "effective": "2006-09", "cause": "GA-6/D2"}]
    assert result["changes"] == {"roster": [], "charter": [], "committees": [{
        "name": "Sub-Committee on Science and Technology", "before": None,
        "after": {"coordinator": None, "since": None, "established": "2006-09", "cause": "GA-6/D2"}}]}
    assert "Sub-Committee on Science and Technology" not in result["before"]["committees"]
    assert "Sub-Committee on Science and Technology" in result["after"]["committees"]


def test_replay_of_the_2nd_general_assembly_shows_the_charter_amendment(history):
    result = replay(history, "GA-2")

    assert result["changes"]["charter"] == [{
        "article": "Membership", "before": None,
        "after": "NEAR Charter was amended to expand the scope of membership (the amended wording is not documented)",
        "version": 1, "on": "1998-10", "cause": "GA-2/D1"}]
    assert result["before"]["charter"]["version"] == 0
    assert result["after"]["charter"]["scope"] == ["CN", "JP", "KR", "KP", "MN", "RU"]


def test_tampered_effect_makes_replay_fail_naming_the_decision(history):
    rewrite_stored_event(history, "Committee.Established", '"on":"2006-09"', '"on":"2005-09"')

    with pytest.raises(IntegrityFailure) as failed:
        replay(history, "GA-6")

    assert str(failed.value) == ("GA-6/D2: recorded effect Committee.Established of Sub-Committee on Science and "
                                 "Technology differs from replay: on '2005-09' recorded, '2006-09' replayed")
    assert failed.value.exit_code == 4
    assert replay(history, "GA-5")["matches"]


def test_admission_is_replayed_with_the_application_scheduled_after_convening(gov):
    ref = given_rasun_city_scheduled_for_ga4(gov)
    gov.decide("GA-4", "approve", application=ref)
    gov.close_assembly("GA-4")

    result = replay(gov, "GA-4")

    assert [e["event"] for e in result["decisions"][0]["effects"]] == ["Application.Approved",
                                                                       "RegionalGovernment.Admitted"]
    assert result["changes"]["roster"] == [{
        "name": "Rasun City", "country": "KP", "before": {"status": "none"},
        "after": {"status": "member", "since": "2002-09", "cause": "GA-4/D1", "source": None}}]


def test_effect_attributed_to_another_decision_makes_replay_fail(gov):
    ref = given_rasun_city_scheduled_for_ga4(gov)
    gov.decide("GA-4", "approve", application=ref)
    rewrite_stored_event(gov, "RegionalGovernment.Admitted", '"cause":"GA-4/D1"', '"cause":"GA-4/D9"')

    with pytest.raises(IntegrityFailure,
                       match=r"^GA-4/D1: recorded effect RegionalGovernment\.Admitted of Rasun City differs from "
                             r"replay: cause 'GA-4/D9' recorded, 'GA-4/D1' replayed$"):
        replay(gov, "GA-4")


def test_deleted_effect_makes_replay_fail(gov):
    ref = given_rasun_city_scheduled_for_ga4(gov)
    gov.decide("GA-4", "approve", application=ref)
    rewrite_stored_event(gov, "RegionalGovernment.Admitted", '"cause":"GA-4/D1"')

    with pytest.raises(IntegrityFailure, match=r"^GA-4/D1: recorded effect OpenCases\.Closed of OpenCases differs "
                                               r"from replay RegionalGovernment\.Admitted of Rasun City$"):
        replay(gov, "GA-4")


def test_later_event_citing_a_decision_is_listed_not_compared(gov):
    gov.register_region("Dornod Province", "MN")
    gov.record_status("Dornod Province", "member", "2010-10", "NEAR brochure")
    gov.record_committee("Sub-Committee on Women and Children", "NEAR brochure")
    gov.convene("GA", 8, "Dornod Province", "2010-10")
    gov.decide("GA-8", "resolve",
               text="Dornod Province was elected coordinator of the Sub-Committee on Women and Children")
    gov.close_assembly("GA-8")
    gov.elect_coordinator("Sub-Committee on Women and Children", "Dornod Province", "2010-10", decision="GA-8/D1")

    result = replay(gov, "GA-8")

    decision = result["decisions"][0]
    assert decision["effects"] == []
    assert decision["cited_later"] == [{"event": "Committee.CoordinatorElected",
                                        "subject": "Sub-Committee on Women and Children",
                                        "effective": "2010-10", "cause": "GA-8/D1"}]


def test_replay_of_an_unknown_assembly_is_refused(gov):
    with pytest.raises(NotFound, match="no assembly GA-9"):
        replay(gov, "GA-9")

    assert read_log(gov) == []


def test_command_line_replay_of_a_tampered_assembly_exits_4_naming_the_difference(history):
    rewrite_stored_event(history, "Committee.Established", '"on":"2006-09"', '"on":"2005-09"')

    result = CliRunner().invoke(main, ["--store", history.store.url, "assembly", "replay", "GA-6"])

    assert result.exit_code == 4, result.output
    assert result.stderr == ("Error: GA-6/D2: recorded effect Committee.Established of Sub-Committee on Science and "
                             "Technology differs from replay: on '2005-09' recorded, '2006-09' replayed\n")


def test_assembly_convened_before_it_had_a_source_reads_back_and_replays(gov):
    gov.register_region("Khabarovsk Territory", "RU")
    gov.record_status("Khabarovsk Territory", "member", "1996-09", "NEAR brochure")
    gov.convene("GA", 4, "Khabarovsk Territory", "2002-09")
    rewrite_stored_event(gov, "Assembly.Convened", ',"source":null,"class_version":2', "")

    assert gov.assembly("GA-4").source is None
    assert replay(gov, "GA-4")["matches"]


def test_amendment_reviewed_by_the_working_committee_and_adopted_by_the_assembly_replays(gov):
    gov.register_region("Toyama Prefecture", "JP")
    gov.record_status("Toyama Prefecture", "member", "1996-09", "NEAR brochure")
    gov.convene("WC", 1, "Toyama Prefecture", "1997-08")
    gov.convene("GA", 2, "Toyama Prefecture", "1998-10")
    ref = gov.propose_amendment("1997-06", article="Article 4", text="Members meet every two years.")["reference"]
    gov.decide("WC-1", "review-amendment", amendment=ref)
    gov.decide("GA-2", "adopt-amendment", amendment=ref)

    reviewed, adopted = replay(gov, "WC-1"), replay(gov, "GA-2")

    assert reviewed["matches"] and adopted["matches"]
    assert [d["ref"] for d in reviewed["decisions"]] == ["WC-1/D1"]
    assert adopted["changes"]["charter"] != []
