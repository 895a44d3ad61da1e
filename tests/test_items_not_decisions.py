"""An assembly's items: decisions (with effects) and records of a discussion, proposal,
report or bid (no effects, no cause of a later change), numbered alike, on the command
line, in a records file, on replay and in NEAR's loaded history."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.errors import GovernanceError
from domain.values import RECORDS, item_of
from near_gov import decisions
from near_gov.loader import load
from near_gov.reads import Reads
from near_gov.replay import replay
from near_gov.service import Governance

HISTORY = Path(__file__).parent.parent / "examples" / "near" / "history.yaml"


def test_the_record_kinds_are_declared_once_for_the_domain_and_the_decisions():
    assert tuple(k.name for k in decisions.RECORDS) == RECORDS
    assert all(k.record and k.loadable and not k.causes and k.body is None for k in decisions.RECORDS)
    assert not any(k.record for k in decisions.KINDS if k not in decisions.RECORDS)
    assert item_of("resolve") == "decision"
    assert item_of("bid") == "bid"


def test_a_discussion_is_numbered_with_the_decisions_and_has_no_effects(admitted):
    admitted.ok("assembly", "convene", "WC", "1", "--host", "Rasun City", "--on", "2011-03-01")
    assert admitted.json("assembly", "decide", "WC-1", "--discussion", "Fees were discussed",
                         )["decision"] == "WC-1/D1"
    assert admitted.json("assembly", "decide", "WC-1", "--resolve", "Fees are due in May",
                         )["decision"] == "WC-1/D2"

    shown = admitted.json("assembly", "show", "WC-1")["decisions"]
    assert [(d["ref"], d["kind"], d["item"], d["effects"]) for d in shown] == [
        ("WC-1/D1", "discussion", "discussion", []), ("WC-1/D2", "resolve", "decision", [])]
    replayed = admitted.json("assembly", "replay", "WC-1")
    assert replayed["matches"] is True
    assert [d["item"] for d in replayed["decisions"]] == ["discussion", "decision"]


def test_a_proposal_cannot_be_the_cause_of_a_later_change(admitted):
    admitted.ok("assembly", "convene", "WC", "1", "--host", "Rasun City", "--on", "2011-03-01")
    admitted.ok("assembly", "decide", "WC-1", "--proposal", "Rasun City proposed to withdraw")
    admitted.fails("region", "withdraw", "Rasun City", "--on", "2011-04-01", "--decision", "WC-1/D1",
                   error="WC-1/D1 is the record of a proposal, not a decision: it cannot cause a withdrawal; "
                   "cite a decision of kind resolve", code=1)


@pytest.fixture(scope="module")
def near(tmp_path_factory):
    app = Governance(str(tmp_path_factory.mktemp("near") / "near.db"), actor="historian")
    load(app, HISTORY)
    yield app
    app.close()


def test_in_near_history_ga3_and_wc4_record_a_discussion_and_a_bid(near):
    reads = Reads(near)
    try:
        ga3, wc4 = reads.assembly("GA-3")["decisions"], reads.assembly("WC-4")["decisions"]
    finally:
        reads.close()

    assert [(d["ref"], d["item"]) for d in ga3] == [("GA-3/D1", "discussion"), ("GA-3/D2", "decision")]
    assert [(d["ref"], d["item"], d["effects"]) for d in wc4] == [("WC-4/D1", "bid", [])]


def test_in_near_history_every_item_the_brochure_says_was_discussed_proposed_reported_or_bid_is_one(near):
    reads = Reads(near)
    try:
        items = [d for a in reads.assemblies() for d in a["decisions"]]
    finally:
        reads.close()
    records = {d["ref"]: d["item"] for d in items if d["item"] != "decision"}

    assert records == {"WC-1/D1": "proposal", "WC-2/D1": "report", "WC-2/D2": "discussion",
                       "GA-3/D1": "discussion", "WC-3/D1": "discussion", "WC-4/D1": "bid",
                       "WC-6/D1": "proposal", "WC-7/D1": "report", "WC-7/D2": "proposal"}
    assert not any(w in d["text"] for d in items if d["item"] == "decision"
                   for w in (" discussed", " proposed", " reported", " bid "))


def test_replaying_a_meeting_of_near_history_with_records_only_matches(near):
    done = replay(near, "WC-4")

    assert done["matches"] is True
    assert [(d["item"], d["effects"]) for d in done["decisions"]] == [("bid", [])]


def test_a_record_on_a_closed_assembly_is_refused(near):
    with pytest.raises(GovernanceError, match="closed"):
        near.decide("WC-4", "discussion", text="more")
