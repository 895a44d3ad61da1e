"""Two application instances over one store racing for the same decision."""

import threading

from domain.errors import ConcurrentChange, GovernanceError
from domain.values import Status
from near_gov.service import Governance
from tests.histories import given_rasun_city_scheduled_for_ga4


def test_second_approval_after_the_first_is_refused_and_admits_once(store_url):
    setup = Governance(store_url, actor="setup")
    ref = given_rasun_city_scheduled_for_ga4(setup)
    first, second = Governance(store_url, actor="one"), Governance(store_url, actor="two")
    # Both load the same state before either saves: the race the store must settle.
    cases = [w.application(ref) for w in (first, second)]
    assert all(c.state == "scheduled" for c in cases)

    outcomes = []
    for writer in (first, second):
        try:
            outcomes.append(writer.decide("GA-4", "approve", application=ref)["decision"])
        except GovernanceError as e:
            outcomes.append(type(e).__name__ + ": " + str(e))

    assert outcomes[0] == "GA-4/D1"
    assert outcomes[1].startswith("TransitionRefused") or outcomes[1].startswith("ConcurrentChange")
    fresh = Governance(store_url, actor="reader")
    admitted = [
        n for n in fresh.recorder.select_notifications(start=1, limit=1000)
        if n.topic.endswith("RegionalGovernment.Admitted")
    ]
    assert len(admitted) == 1
    assert fresh.region("Rasun City").status == Status.MEMBER
    for app in (setup, first, second, fresh):
        app.close()


def test_two_writers_racing_one_wins_and_the_other_gets_the_concurrency_error(store_url, monkeypatch):
    setup = Governance(store_url, actor="setup")
    ref = given_rasun_city_scheduled_for_ga4(setup)
    first, second = Governance(store_url, actor="one"), Governance(store_url, actor="two")
    barrier = threading.Barrier(2)
    real_commit = Governance._commit

    def committing_together(self, *aggregates):
        barrier.wait(timeout=10)  # both have loaded everything and decided
        return real_commit(self, *aggregates)

    results: dict[str, object] = {}

    def run(writer):
        try:
            results[writer.actor] = writer.decide("GA-4", "approve", application=ref)["decision"]
        except GovernanceError as e:
            results[writer.actor] = e

    monkeypatch.setattr(Governance, "_commit", committing_together)
    threads = [threading.Thread(target=run, args=(w,)) for w in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    errors = [r for r in results.values() if isinstance(r, GovernanceError)]
    wins = [r for r in results.values() if isinstance(r, str)]
    assert len(wins) == 1 and len(errors) == 1, results
    assert isinstance(errors[0], ConcurrentChange)
    assert str(errors[0]) == "the register was changed concurrently by another writer; retry"
    assert errors[0].exit_code == 3
    fresh = Governance(store_url, actor="reader")
    assert fresh.region("Rasun City").status == Status.MEMBER
    assert len(fresh.assembly("GA-4").decisions) == 1
    for app in (setup, first, second, fresh):
        app.close()
