"""Two application instances over one store racing for the same decision, and
writers racing for a counter or an index, which the service's retry settles."""

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from domain.errors import AlreadyRegistered, ConcurrentChange, GovernanceError
from domain.values import Status
from near_gov.service import Governance
from tests.histories import given_member, given_rasun_city_scheduled_for_ga4


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
    real_commit = Governance.commit

    def committing_together(self, *aggregates):
        barrier.wait(timeout=10)  # both have loaded everything and decided
        return real_commit(self, *aggregates)

    results: dict[str, object] = {}

    def run(writer):
        try:
            results[writer.actor] = writer.decide("GA-4", "approve", application=ref)["decision"]
        except GovernanceError as e:
            results[writer.actor] = e

    monkeypatch.setattr(Governance, "commit", committing_together)
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


# Races for a counter or an index, which the service settles by redoing the command
# from fresh state. The interleaving is forced, not left to chance: the second writer
# has loaded everything and decided, and just before it commits, another writer (an
# instance of its own, or another process) takes the same counter or index entry.


def losing_the_race_to(writer, other_command):
    """Make `writer`'s first commit come just after `other_command` has committed;
    return the list of `writer`'s commit attempts (one per attempt)."""
    attempts = []
    real_commit = writer.commit

    def commit(*aggregates):
        attempts.append(len(attempts) + 1)
        if len(attempts) == 1:
            other_command()
        return real_commit(*aggregates)

    writer.commit = commit
    return attempts


def applications(app):
    return [app.mapper.to_domain_event(n).reference
            for n in app.recorder.select_notifications(start=1, limit=1000)
            if n.topic.endswith("Application.Submitted")]


def test_two_writers_taking_the_next_application_reference_both_succeed_with_distinct_references(store_url):
    setup = Governance(store_url, actor="setup")
    setup.submit_application("Dornod Province", "MN", "member", "2011-03")
    first, second = Governance(store_url, actor="one"), Governance(store_url, actor="two")
    taken = {}
    attempts = losing_the_race_to(
        second, lambda: taken.update(first.submit_application("Jilin Province", "CN", "member", "2011-04")))

    result = second.submit_application("Tianjin City", "CN", "member", "2011-05")

    assert attempts == [1, 2], "the second writer's first commit lost the race and was redone"
    assert (taken, result) == ({"reference": "APP-2011-002"}, {"reference": "APP-2011-003"})
    assert sorted(applications(setup)) == ["APP-2011-001", "APP-2011-002", "APP-2011-003"]
    assert second.application("APP-2011-003").region == "Tianjin City"
    assert first.application("APP-2011-002").region == "Jilin Province"
    for app in (setup, first, second):
        app.close()


def test_a_writer_racing_another_process_for_the_next_reference_redoes_its_command(store_url):
    setup = Governance(store_url, actor="setup")
    setup.submit_application("Dornod Province", "MN", "member", "2011-03")
    writer = Governance(store_url, actor="two")
    root = Path(__file__).parent.parent
    taken = []

    def other_process():
        run = subprocess.run(
            [sys.executable, "-m", "near_gov.cli", "--store", store_url, "--actor", "one",
             "application", "submit", "Jilin Province", "--country", "CN", "--on", "2011-04"],
            capture_output=True, text=True, cwd=root, timeout=120, check=False)
        assert (run.returncode, run.stderr) == (0, ""), run.stderr
        taken.append(run.stdout)

    attempts = losing_the_race_to(writer, other_process)

    result = writer.submit_application("Tianjin City", "CN", "member", "2011-05")

    assert attempts == [1, 2]
    assert (taken, result) == (["APP-2011-002\n"], {"reference": "APP-2011-003"})
    assert sorted(applications(setup)) == ["APP-2011-001", "APP-2011-002", "APP-2011-003"]
    setup.close()
    writer.close()


def test_two_writers_registering_one_name_in_two_countries_one_wins_the_other_is_refused(store_url):
    first, second = Governance(store_url, actor="one"), Governance(store_url, actor="two")
    attempts = losing_the_race_to(second, lambda: first.register_region("Rasun City", "CN"))

    with pytest.raises(AlreadyRegistered) as refused:
        second.register_region("Rasun City", "KP")

    assert attempts == [1]  # the lost race is redone from fresh state, which refuses before committing
    assert str(refused.value) == "Rasun City (CN) already holds that name: no two regions hold one name at once"
    reader = Governance(store_url, actor="reader")
    assert reader.region("Rasun City").country == "CN"
    for app in (first, second, reader):
        app.close()


def test_two_writers_opening_cases_of_one_process_both_succeed_with_distinct_references(store_url):
    first, second = Governance(store_url, actor="one"), Governance(store_url, actor="two")
    taken = {}
    attempts = losing_the_race_to(
        second, lambda: taken.update(first.propose_amendment("2013-01", article="5", text="Meet every year.")))

    result = second.propose_amendment("2013-02", article="6", text="Keep minutes.")

    assert attempts == [1, 2]
    assert (taken, result) == ({"reference": "AMD-2013-001"}, {"reference": "AMD-2013-002"})
    reader = Governance(store_url, actor="reader")
    assert reader.case("AMD-2013-001").subject == {"article": "5", "text": "Meet every year."}
    assert reader.case("AMD-2013-002").subject == {"article": "6", "text": "Keep minutes."}
    for app in (first, second, reader):
        app.close()


def _eight_at_once(store_url: str, command) -> tuple[list[str], list[GovernanceError]]:
    """Run `command(writer)` in eight writers released at once; return the references
    made and the refusals."""
    writers = [Governance(store_url, actor=f"clerk{i}") for i in range(8)]
    barrier = threading.Barrier(len(writers))
    results: list[object] = []

    def run(writer: Governance) -> None:
        barrier.wait(timeout=10)
        try:
            results.append(command(writer)["reference"])
        except GovernanceError as e:
            results.append(e)

    threads = [threading.Thread(target=run, args=(w,)) for w in writers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    for app in writers:
        app.close()
    references = [r for r in results if isinstance(r, str)]
    refusals = [r for r in results if isinstance(r, GovernanceError)]
    assert len(references) == 1 and len(refusals) == 7, results
    assert {type(r).__name__ for r in refusals} <= {"CaseOpen", "ConcurrentChange"}
    return references, refusals


def test_eight_writers_submitting_for_one_region_at_once_open_exactly_one_application(store_url):
    setup = Governance(store_url, actor="setup")
    given_member(setup, "Khabarovsk Territory", "RU")
    setup.register_region("Rasun City", "KP")

    references, _ = _eight_at_once(store_url, lambda w: w.submit_application("Rasun City", "KP", "member", "2002-03"))

    assert applications(setup) == references
    setup.close()


def test_eight_writers_nominating_one_region_at_once_open_exactly_one_nomination(store_url):
    setup = Governance(store_url, actor="setup")
    given_member(setup, "Khabarovsk Territory", "RU")
    setup.convene("GA", 1, "Khabarovsk Territory", "1996-09")
    setup.decide("GA-1", "establish-committee", name="Sub-Committee on Environment")

    references, _ = _eight_at_once(store_url, lambda w: w.nominate_coordinator(
        "Sub-Committee on Environment", "Khabarovsk Territory", "1997-01"))

    opened = [setup.mapper.to_domain_event(n).reference
              for n in setup.recorder.select_notifications(start=1, limit=1000) if n.topic.endswith("Case.Opened")]
    assert opened == references
    setup.close()


def test_eight_writers_notifying_one_regions_withdrawal_at_once_open_exactly_one_notice(store_url):
    setup = Governance(store_url, actor="setup")
    given_member(setup, "Khabarovsk Territory", "RU")

    references, _ = _eight_at_once(store_url, lambda w: w.notify_withdrawal("Khabarovsk Territory", "2008-01"))

    opened = [setup.mapper.to_domain_event(n).reference
              for n in setup.recorder.select_notifications(start=1, limit=1000) if n.topic.endswith("Case.Opened")]
    assert opened == references
    setup.close()
