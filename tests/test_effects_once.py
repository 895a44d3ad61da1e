"""A decision and its effects commit together: a failure while the store writes
the effects leaves neither the decision nor any effect, and retrying applies them once."""

import sqlite3

import pytest
from eventsourcing.persistence import ProgrammingError

from domain.errors import ConcurrentChange
from domain.values import Status
from near_gov.persistence.stores import parse_store
from near_gov.service import Governance
from tests.histories import given_rasun_city_scheduled_for_ga4

#: What the trigger's failure surfaces as. SQLite reports RAISE(ABORT) as a constraint
#: failure (IntegrityError), which the service reads as a lost race; PostgreSQL's
#: RAISE EXCEPTION (SQLSTATE P0001) the library passes on as a ProgrammingError.
WRITE_FAILURE = {"sqlite": ConcurrentChange, "postgres": ProgrammingError}
FAILURE_TEXT = {"sqlite": "the register was changed concurrently by another writer; retry",
                "postgres": "disk failure\n"}


def fail_inserts_of(gov, topic_suffix):
    """Install a trigger in the real store that aborts any insert of that event type."""
    table = gov.recorder.events_table_name
    store = parse_store(gov.store.url)
    if store.kind == "sqlite":
        with sqlite3.connect(store.path) as db:
            db.execute(
                f"CREATE TRIGGER fail_effect BEFORE INSERT ON {table} "
                f"WHEN NEW.topic LIKE '%{topic_suffix}' BEGIN SELECT RAISE(ABORT, 'disk failure'); END"
            )
        return lambda: sqlite3.connect(store.path).execute("DROP TRIGGER fail_effect").connection.commit()
    import psycopg

    dsn = f"postgresql://{store.user}@{store.host}:{store.port}/{store.dbname}"
    with psycopg.connect(dsn, autocommit=True) as db:
        db.execute(f"SET search_path TO {store.schema}")
        db.execute(
            "CREATE FUNCTION fail_effect() RETURNS trigger AS $$ BEGIN "
            f"IF NEW.topic LIKE '%{topic_suffix}' THEN RAISE EXCEPTION 'disk failure'; END IF; "
            "RETURN NEW; END $$ LANGUAGE plpgsql"
        )
        db.execute(f"CREATE TRIGGER fail_effect BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION fail_effect()")

    def remove():
        with psycopg.connect(dsn, autocommit=True) as db:
            db.execute(f"DROP TRIGGER fail_effect ON {store.schema}.{table}")

    return remove


def test_failure_while_writing_effects_leaves_neither_decision_nor_effect(store_url):
    gov = Governance(store_url, actor="clerk")
    ref = given_rasun_city_scheduled_for_ga4(gov)
    head = gov.recorder.max_notification_id()
    remove_trigger = fail_inserts_of(gov, "RegionalGovernment.Admitted")

    with pytest.raises(WRITE_FAILURE[gov.store.kind]) as failed:
        gov.decide("GA-4", "approve", application=ref)

    assert type(failed.value) is WRITE_FAILURE[gov.store.kind]
    assert str(failed.value).startswith(FAILURE_TEXT[gov.store.kind])
    assert gov.recorder.max_notification_id() == head
    assert gov.assembly("GA-4").decisions == []
    assert gov.application(ref).state == "scheduled"
    assert gov.region("Rasun City").status == Status.NONE

    remove_trigger()
    assert gov.decide("GA-4", "approve", application=ref) == {"decision": "GA-4/D1"}
    topics = [n.topic for n in gov.recorder.select_notifications(start=head + 1, limit=100)]
    assert sum(t.endswith("Admitted") for t in topics) == 1
    assert sum(t.endswith("DecisionTaken") for t in topics) == 1
    gov.close()
