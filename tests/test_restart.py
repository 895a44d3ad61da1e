"""Events read back by another process equal the events written, field types included."""

import pickle
import subprocess
import sys
from pathlib import Path

from domain.values import FuzzyDate
from near_gov.service import Governance

READER = """
import pickle, sys
from near_gov.service import Governance
app = Governance(sys.argv[1], actor="reader")
events = [app.mapper.to_domain_event(n) for n in app.recorder.select_notifications(start=1, limit=10000)]
sys.stdout.buffer.write(pickle.dumps(events))
"""


def test_events_read_after_a_process_restart_equal_the_originals(store_url):
    app = Governance(store_url, actor="clerk")
    written = []
    original_save = app.save

    def keeping(*aggregates):
        for aggregate in aggregates:
            written.extend(aggregate.pending_events)
        return original_save(*aggregates)

    app.save = keeping
    app.register_region("Khabarovsk Territory", "RU")
    app.record_status("Khabarovsk Territory", "member", "1996-09", "NEAR brochure, Members: Russia (15)")
    app.convene("GA", 4, "Khabarovsk Territory", "2002-09")
    ref = app.submit_application("경상북도 Rasun City", "KP", "member", "2002-03-05")["reference"]
    app.screen_application(ref, eligible=True)
    app.schedule_application(ref, "GA-4")
    app.decide("GA-4", "approve", application=ref)
    app.close()

    out = subprocess.run(
        [sys.executable, "-c", READER, store_url],
        capture_output=True, check=True, cwd=Path(__file__).parent.parent,
    )
    read = pickle.loads(out.stdout)

    assert len(read) == len(written) > 0
    for before, after in zip(sorted(written, key=_key), sorted(read, key=_key), strict=True):
        assert after == before
        assert {k: type(v) for k, v in vars(after).items()} == {k: type(v) for k, v in vars(before).items()}
    admitted = next(e for e in read if type(e).__name__ == "Admitted")
    assert admitted.since == FuzzyDate.parse("2002-09") and str(admitted.since) == "2002-09"
    assert admitted.cause == "GA-4/D1" and admitted.actor == "clerk"


def _key(event):
    return (str(event.originator_id), event.originator_version)
