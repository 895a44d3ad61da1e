"""One of several processes writing the same store at once (used by test_hammer.py).
It races the others for the same applications and assemblies, retrying when a
concurrent change wins, and prints what it did as JSON."""

import json
import sys

from domain.errors import ConcurrentChange, GovernanceError
from near_gov.reads import Reads
from near_gov.service import Governance


def attempt(command, *args, **kwargs):
    for _ in range(50):
        try:
            return command(*args, **kwargs)
        except ConcurrentChange:
            continue
        except GovernanceError as e:
            return {"refused": str(e)}
    return {"gave_up": True}


def main() -> None:
    store, worker, refs = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(",")
    gov = Governance(store, actor=f"worker-{worker}")
    reads = Reads(gov)
    done = {"approved": [], "resolved": [], "submitted": [], "refused": 0}
    order = refs[worker % len(refs):] + refs[: worker % len(refs)]
    for i, ref in enumerate(order):
        result = attempt(gov.decide, "GA-9", "approve", application=ref)
        if "decision" in result:
            done["approved"].append([ref, result["decision"]])
        else:
            done["refused"] += 1
        result = attempt(gov.decide, "GA-9", "resolve", text=f"worker {worker} motion {i}")
        if "decision" in result:
            done["resolved"].append(result["decision"])
        reads.roster()  # catching up while the others write
        result = attempt(gov.submit_application, f"Region {worker}-{i}", "MN", "member", "2012-01")
        if "reference" in result:
            done["submitted"].append(result["reference"])
    print(json.dumps(done))
    gov.close()


if __name__ == "__main__":
    main()
