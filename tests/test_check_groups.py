#!/usr/bin/env python3
"""`kpmc check --groups`: each group is exactly what `kpmc check` prints for
its events, every event is in one group (or counted by an anchor), anchors
come first, and the number of groups is the least (hand-counted cases, and
for small sets the least partition found by asking `kpmc check` about every
subset); errors and usage errors.

    test_check_groups.py PATH-TO-kpmc
"""
import json
import os
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kpmctest  # noqa: E402

KPMC, checks, run = kpmctest.command_test("check")
check = checks.expect


def fits(db, mode, names):
    rc, _, _ = run("--db", db, *(["--user"] if mode == "user" else []), *names)
    return rc == 0


def least(db, mode, anchors, events):
    """The least number of blocks of events that each fit with the anchors."""
    n = len(events)
    ok = {}
    for mask in range(1, 1 << n):
        ok[mask] = fits(db, mode, anchors + [events[i] for i in range(n) if mask >> i & 1])
    best = {0: 0}
    for mask in range(1, 1 << n):
        low = mask & -mask
        rest = mask & ~low
        b = None
        sub = rest
        while True:
            block = low | sub
            if ok[block] and (b is None or best[mask & ~block] + 1 < b):
                b = best[mask & ~block] + 1
            if sub == 0:
                break
            sub = (sub - 1) & rest
        best[mask] = b
    return best[(1 << n) - 1]


def groups(db, events, anchors=(), mode="all", want=None, merged=()):
    args = ["--db", db, "--groups", "--format", "json"]
    if mode == "user":
        args.append("--user")
    if anchors:
        args += ["--anchors", ",".join(anchors)]
    rc, out, err = run(*args, *events)
    what = f"{db} {mode} {events} anchors {list(anchors)}"
    check(rc == 0 and err == "", f"{what}: exit {rc}, {err!r}")
    if rc:
        return
    doc = json.loads(out)
    check(doc["db"] == db and doc["mode"] == mode and list(doc) == ["db", "mode", "groups"], f"{what}: {list(doc)}")
    lines = out.splitlines()
    check(lines[0] == '{"db":"%s","mode":"%s","groups":[' % (db, mode) and len(lines) == 1 + len(doc["groups"]),
          f"{what}: layout {lines[:1]}")
    seen = []
    for k, g in enumerate(doc["groups"]):
        names = [e["name"] for e in g["events"]]
        check(names[:len(anchors)] == list(anchors), f"{what}: group {k} starts {names}")
        members = names[len(anchors):]
        check(members and members == [e for e in events if e in members], f"{what}: group {k} order {members}")
        seen += members
        rc, single, _ = run("--db", db, "--format", "json", *(["--user"] if mode == "user" else []), *names)
        text = lines[1 + k][1:].rstrip(",")
        if k == len(doc["groups"]) - 1:
            text = text[:-2]
        check(rc == 0 and single == text + "\n", f"{what}: group {k} is not `kpmc check {' '.join(names)}`:\n"
              f" {text}\n {single}")
    check(sorted(seen) == sorted(e for e in events if e not in merged), f"{what}: events placed {seen}")
    if want is not None:
        check(len(doc["groups"]) == want, f"{what}: {len(doc['groups'])} groups, want {want}")
    if len(events) <= 5:
        best = least(db, mode, list(anchors), [e for e in events if e not in merged])
        check(len(doc["groups"]) == best, f"{what}: {len(doc['groups'])} groups, the least is {best}")


# a14: INST_ALL, INST_INT_ALU and INST_LDST may use counter 7 only.
groups("a14", ["INST_ALL", "INST_INT_ALU", "BRANCH_MISPRED_NONSPEC", "L1D_CACHE_MISS_LD", "INST_LDST"],
       ["Cycles", "Instructions"], want=3)
groups("a14", ["INST_BRANCH", "FIXED_CYCLES", "INST_ALL"], ["Cycles"], want=1, merged=["FIXED_CYCLES"])
# user mode: FIXED_INSTRUCTIONS is counted as INST_ALL (counter 7)
groups("a14", ["FIXED_INSTRUCTIONS", "INST_INT_ALU", "INST_BRANCH"], ["CORE_ACTIVE_CYCLE"], mode="user", want=2)
groups("a14", ["INST_ALL", "INST_BRANCH"], ["FIXED_INSTRUCTIONS"], mode="user", want=1, merged=["INST_ALL"])
groups("as4", ["INST_ALL", "INST_INT_ALU", "INST_SIMD_ALU", "BRANCH_MISPRED_NONSPEC", "L1D_CACHE_MISS_LD"])
# skylake: four configurable counters; 9 events any of them may count
sky = ["BR_INST_RETIRED.ALL_BRANCHES", "BR_MISP_RETIRED.ALL_BRANCHES", "MEM_LOAD_RETIRED.L1_MISS",
       "MEM_LOAD_RETIRED.L2_MISS", "MEM_LOAD_RETIRED.L3_MISS", "UOPS_ISSUED.ANY", "UOPS_RETIRED.RETIRE_SLOTS",
       "DTLB_LOAD_MISSES.MISS_CAUSES_A_WALK", "ITLB_MISSES.MISS_CAUSES_A_WALK"]
groups("skylake", sky, want=3)
groups("skylake", sky, ["INST_RETIRED.ANY"], want=3)
groups("skylake", sky[:5], ["CPU_CLK_UNHALTED.THREAD_P"])

# text: a header line, then each group as `kpmc check` prints it
rc, out, _ = run("--db", "a14", "--groups", "--anchors", "Cycles", "INST_ALL", "INST_INT_ALU")
_, single, _ = run("--db", "a14", "Cycles", "INST_INT_ALU")
check(rc == 0 and out.startswith("2 events in 2 groups, each with the anchors Cycles\n\ngroup 1 of 2: Cycles INST_ALL\n")
      and out.endswith("\ngroup 2 of 2: Cycles INST_INT_ALU\n" + single), f"text:\n{out}")

# errors: exit 1, the reason (json: {"error", "events"})
rc, out, _ = run("--db", "a14", "--groups", "--format", "json", "INST_ALL", "NO_SUCH")
check(rc == 1 and json.loads(out) == {"error": "no event or alias 'NO_SUCH' in database a14",
                                      "events": ["INST_ALL", "NO_SUCH"]}, f"unknown event: {rc} {out}")
rc, out, err = run("--db", "a14", "--groups", "--anchors", "INST_ALL", "INST_INT_ALU")
check(rc == 1 and "'INST_INT_ALU' does not fit with the anchors" in err and "counter 7" in err, f"anchors: {err}")
rc, out, err = run("--db", "a14", "--groups", "Cycles", "FIXED_CYCLES")
check(rc == 1 and "'Cycles' and 'FIXED_CYCLES' both count FIXED_CYCLES" in err, f"duplicate: {err}")
many = [l.split(",")[1] for l in subprocess.run([KPMC, "list", "--db", "skylake", "--format", "csv"],
                                                capture_output=True, text=True).stdout.splitlines()[1:66]]
rc, out, err = run("--db", "skylake", "--groups", *many)
check(rc == 1 and "65 events given; groups are built from at most 64" in err, f"65 events: {err}")
rc, out, err = run("--db", "a14", "--groups", "--anchors", ",".join(["INST_ALL"] * 17), "INST_BRANCH")
check(rc == 1 and "--anchors names 17 events; at most 16" in err, f"17 anchors: {err}")
# usage errors: exit 2
rc, out, err = run("--db", "a14", "--anchors", "Cycles", "INST_ALL")
check(rc == 2 and "--anchors needs --groups" in err, f"--anchors alone: {rc} {err}")
rc, out, err = run("--db", "a14", "--groups", "--anchors", ",", "INST_ALL")
check(rc == 2 and "--anchors names no event" in err, f"empty --anchors: {rc} {err}")

sys.exit(checks.finish("kpmc check --groups"))
