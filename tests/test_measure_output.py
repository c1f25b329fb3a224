#!/usr/bin/env python3
"""The JSON and CSV writers of kpmc's measurement results.

    test_measure_output.py TEST_MEASURE WORK_DIR

Runs `TEST_MEASURE output` against the simulated kperf (KPMC_KPERF_PATH and
KPMC_SIM_KERNEL in the environment): a14, FIXED_CYCLES, FIXED_INSTRUCTIONS
and BRANCH_MISPRED_NONSPEC in KPMC_MODE_ALL, 5 repetitions after 1 warm-up,
4 iterations a sample, a callback whose call c makes (c % 7) + 1 reads of
the simulated counters.  Each read advances a counter by its base in user
mode and twice its base in kernel mode (tests/sim/kpmc_sim.h).  On kernels
whose configurable counters count kernel mode (pre14.4, 14.4) the fixed
counters count cycles (base 1000) and instructions (2000) and the branch
event its selector 0xcb = 203, all in both modes: 3 times each.  On 15 and
cpc (the default) they count user mode only, so kpmc counts the mixed set
in user mode on configurable counters (README "Kernel versions"):
CORE_ACTIVE_CYCLE (selector 2), INST_ALL (0x8c = 140) and 203.  Sample r
holds, per iteration, the sum of its calls' reads times the step over 4.
The expected statistics come from Python's `statistics` module; the files
must parse as JSON and CSV and agree with them.
"""
import csv
import json
import math
import os
import statistics
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kpmctest  # noqa: E402

checks = kpmctest.Checks()
check = checks.expect
prog, work = sys.argv[1:3]
os.makedirs(work, exist_ok=True)
base = os.path.join(work, "out")
env = dict(os.environ, KPMC_TEST_OUT=base)
p = subprocess.run([prog, "output"], env=env, capture_output=True, text=True)

check(p.returncode == 0, f"test_measure output: exit {p.returncode}: {p.stderr}")

R, W, N = 5, 1, 4
user_only = os.environ.get("KPMC_SIM_KERNEL", "cpc") in ("15", "cpc")
names = ["FIXED_CYCLES", "FIXED_INSTRUCTIONS", "BRANCH_MISPRED_NONSPEC"]
if user_only:
    counted = dict(zip(names, ["CORE_ACTIVE_CYCLE", "INST_ALL", "BRANCH_MISPRED_NONSPEC"]))
    steps = dict(zip(names, [2, 140, 203]))
    counts = "user"
else:
    counted = {n: n for n in names}
    steps = dict(zip(names, [3 * 1000, 3 * 2000, 3 * 203]))
    counts = "all"
reads = [sum((c % 7) + 1 for c in range((W + r) * N, (W + r + 1) * N)) for r in range(R)]


def expected(step):
    v = [k * step / N for k in reads]
    med = statistics.median(v)
    return {"n": R, "min": min(v), "median": med, "mean": statistics.mean(v),
            "stddev": statistics.stdev(v), "mad": statistics.median([abs(x - med) for x in v])}


def near(a, b):
    return a is not None and math.isclose(float(a), b, rel_tol=1e-12, abs_tol=1e-9)


with open(base + ".json") as f:
    text = f.read()
doc = json.loads(text)
check(text.endswith("}\n"), "JSON ends with a newline")
for key, want in [("db", "a14"), ("mode", "all"), ("iterations", N), ("repetitions", R), ("warmup", W),
                  ("groups", 1), ("calibrated", True), ("pinned", "no"), ("core_types", False), ("migrated", 0)]:
    check(doc.get(key) == want, f"{key}: {doc.get(key)!r}, want {want!r}")
check([e["name"] for e in doc["events"]] == list(steps), f"events {[e['name'] for e in doc['events']]}")
for e in doc["events"]:
    want = expected(steps[e["name"]])
    check(e["counted"] == counted[e["name"]] and e["counts"] == counts and e["anchor"] is False
          and e["group"] == 0, f"{e['name']}: {e}")
    for k, v in want.items():
        check(near(e[k], v), f"{e['name']} {k}: {e[k]}, want {v}")
    o = e["overhead"]
    check(o["n"] == R and o["median"] == steps[e["name"]] and o["min"] == steps[e["name"]] and o["mad"] == 0
          and o["stddev"] == 0, f"{e['name']} overhead {o}")
metrics = {m["name"]: m for m in doc["metrics"]}
check(sorted(metrics) == ["branch-mpki", "ipc"], f"metrics {sorted(metrics)}")
ipc = steps["FIXED_INSTRUCTIONS"] / steps["FIXED_CYCLES"]
mpki = 1000 * steps["BRANCH_MISPRED_NONSPEC"] / steps["FIXED_INSTRUCTIONS"]
check(near(metrics["ipc"]["value"], ipc) and metrics["ipc"]["numerator"] == "FIXED_INSTRUCTIONS"
      and metrics["ipc"]["denominator"] == "FIXED_CYCLES", f"ipc {metrics['ipc']}")
check(near(metrics["branch-mpki"]["value"], mpki), f"branch-mpki {metrics['branch-mpki']}")
check(all(m["description"] for m in doc["metrics"]), "metric descriptions")

with open(base + ".csv", newline="") as f:
    rows = list(csv.reader(f))
check(rows[0] == ["kind", "name", "counted", "counts", "group", "n", "min", "median", "mean", "stddev", "mad",
                  "overhead", "value"], f"CSV header {rows[0]}")
events = [r for r in rows[1:] if r[0] == "event"]
check([r[1] for r in events] == list(steps), "CSV events")
for r in events:
    want = expected(steps[r[1]])
    check(r[2] == counted[r[1]] and r[3] == counts and r[4] == "0" and r[5] == str(R) and r[12] == "",
          f"CSV row {r}")
    for k, col in [("min", 6), ("median", 7), ("mean", 8), ("stddev", 9), ("mad", 10)]:
        check(near(r[col], want[k]), f"CSV {r[1]} {k}: {r[col]}, want {want[k]}")
    check(float(r[11]) == steps[r[1]], f"CSV {r[1]} overhead {r[11]}")
mrows = {r[1]: r for r in rows[1:] if r[0] == "metric"}
check(sorted(mrows) == ["branch-mpki", "ipc"] and mrows["ipc"][2] == "FIXED_INSTRUCTIONS/FIXED_CYCLES"
      and near(mrows["ipc"][12], ipc) and all(c == "" for c in mrows["ipc"][3:12]), f"CSV metrics {mrows}")
check(len(rows) == 1 + 3 + 2, f"{len(rows)} CSV rows")

sys.exit(checks.finish("measurement results as JSON and CSV"))
