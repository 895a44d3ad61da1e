"""The read side dispatches on stored topics and never imports the domain's event
classes; these tests tie its topic table to the domain, so a renamed or upgraded event
class cannot silently fall out of the read models."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys

from eventsourcing.domain import Aggregate, DomainEvent
from eventsourcing.utils import get_topic, resolve_topic

from projections.describe import DESCRIBE
from projections.engine import BOOKKEEPING, CLASS_VERSIONS, READ_MODELS

DOMAIN = ["application", "assembly", "case", "charter", "committee", "count", "indexes", "region", "seal",
          "secretariat"]


def domain_events() -> dict[str, type]:
    found = {}
    for name in DOMAIN:
        module = importlib.import_module(f"domain.{name}")
        for aggregate in vars(module).values():
            if (inspect.isclass(aggregate) and issubclass(aggregate, Aggregate)
                    and aggregate.__module__ == module.__name__):
                for member in vars(aggregate).values():
                    if inspect.isclass(member) and issubclass(member, DomainEvent):
                        found[get_topic(member)] = member
    return found


def test_every_handled_or_described_topic_names_a_domain_event() -> None:
    events = domain_events()
    for topic in READ_MODELS.topics | DESCRIBE.keys():
        assert topic in events, topic
        assert resolve_topic(topic) is events[topic]


def test_every_event_the_domain_records_is_described_for_the_history() -> None:
    # An event without a describer would still appear in the history (by its reference
    # or name), but every event the domain records is told properly; only the library's
    # base classes (never stored as such) and bookkeeping are left out.
    events = domain_events()
    untold = [t for t in events if t not in DESCRIBE and not t.startswith(BOOKKEEPING)
              and not t.endswith((".Created", ".Snapshot", ".Event"))]
    assert untold == []


def test_every_event_a_read_model_handles_is_described_for_the_history() -> None:
    assert READ_MODELS.topics - DESCRIBE.keys() == set()


def test_class_versions_match_the_domain() -> None:
    upgraded = {t: cls.class_version for t, cls in domain_events().items()
                if getattr(cls, "class_version", 1) > 1 and not t.startswith(BOOKKEEPING)}  # never decoded
    assert upgraded == CLASS_VERSIONS


def test_the_read_side_does_not_import_the_domain_aggregates() -> None:
    code = ("import sys, projections.queries, near_gov.reads; print(sorted(m for m in sys.modules "
            "if m.startswith(('domain.', 'near_gov.service', 'near_gov.persistence.mapping'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = eval(out)  # noqa: S307 - a list literal printed by the child above
    assert loaded == ["domain.errors", "domain.values"], loaded


def test_reads_open_the_store_under_the_applications_name() -> None:
    from near_gov.reads import APPLICATION_NAME
    from near_gov.service import Governance

    assert Governance.name == APPLICATION_NAME
