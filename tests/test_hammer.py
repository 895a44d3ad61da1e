"""Eight processes hammer the same applications and assembly on one store, catching
up the read models as they go: no event is lost or duplicated, every admission
happens exactly once, and the read models equal a rebuild."""

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

from near_gov.reads import Reads
from near_gov.service import Governance

WORKERS = 8
APPLICATIONS = 6


def test_eight_processes_admit_each_region_once_and_lose_nothing(store_url):
    gov = Governance(store_url, actor="setup")
    gov.register_region("Gyeonggi-do Province", "KR")
    gov.record_status("Gyeonggi-do Province", "member", "2009-10", "NEAR brochure")
    gov.convene("GA", 9, "Gyeonggi-do Province", "2012-09")
    refs = []
    for i in range(APPLICATIONS):
        ref = gov.submit_application(f"Applicant {i}", "MN", "member", "2011-03")["reference"]
        gov.screen_application(ref, eligible=True)
        gov.schedule_application(ref, "GA-9")
        refs.append(ref)
    head = gov.recorder.max_notification_id()

    root = Path(__file__).parent.parent
    procs = [
        subprocess.Popen(
            [sys.executable, str(root / "tests" / "hammer_worker.py"), store_url, str(w), ",".join(refs)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=root, env={"PYTHONPATH": str(root), "PATH": ""},
        )
        for w in range(WORKERS)
    ]
    reports = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err.decode()
        reports.append(json.loads(out))

    approved = [ref for r in reports for ref, _ in r["approved"]]
    assert sorted(approved) == sorted(refs)  # each application approved by exactly one worker
    decisions = [d for r in reports for _, d in r["approved"]] + [d for r in reports for d in r["resolved"]]
    assert len(decisions) == len(set(decisions)) == APPLICATIONS + WORKERS * APPLICATIONS
    reader = Governance(store_url, actor="reader")
    recorded = [d.ref for d in reader.assembly("GA-9").decisions]
    assert sorted(recorded) == sorted(decisions)  # nothing lost, nothing extra
    assert recorded == [f"GA-9/D{i}" for i in range(1, len(recorded) + 1)]
    submitted = [ref for r in reports for ref in r["submitted"]]
    assert len(submitted) == len(set(submitted)) == WORKERS * APPLICATIONS
    topics = Counter(
        n.topic.rsplit(".", 1)[-1]
        for n in reader.recorder.select_notifications(start=head + 1, limit=100_000)
    )
    assert topics["Admitted"] == APPLICATIONS and topics["Approved"] == APPLICATIONS
    assert topics["DecisionTaken"] == len(decisions)
    assert topics["Submitted"] == len(submitted)
    for ref in refs:
        assert reader.application(ref).state == "approved"
    reads = Reads(reader)
    caught_up = (reads.roster(), reads.history(), reads.assembly("GA-9"), reads.applications())
    assert len(caught_up[0]["entries"]) == 1 + APPLICATIONS
    reads.rebuild()
    assert (reads.roster(), reads.history(), reads.assembly("GA-9"), reads.applications()) == caught_up
    reader.close()
    gov.close()
