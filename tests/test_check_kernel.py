#!/usr/bin/env python3
"""`kpmc check --kernel NAME`: plans for a kernel's limits.

    test_check_kernel.py PATH-TO-kpmc

Expected words worked out by hand from the plists (a14: CORE_ACTIVE_CYCLE
0x2 on any of PMC2-9, BRANCH_MISPRED_NONSPEC 0xcb on PMC5-7, INST_ALL 0x8c on
PMC7 only; user mode adds EL0A32EN|EL0A64EN 0x30000) and README "Kernel
versions".
"""
import json
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kpmctest  # noqa: E402

_, checks, run = kpmctest.command_test("check")
check = checks.expect


def json_of(args):
    rc, out, err = run("--format", "json", *args)
    try:
        return rc, json.loads(out), err
    except ValueError:
        check(False, f"{args}: not JSON: {out!r} {err!r}")
        return rc, {}, err


def ev(name, resolved, counter, config, index, counts):
    return {"name": name, "resolved": resolved, "counter": counter, "config": config, "index": index,
            "counts": counts}


SET = ["Cycles", "Instructions", "BRANCH_MISPRED_NONSPEC"]

# 15: configurable counters count user mode only, so the mixed set counts in
# user mode on configurable counters; buffer [PMC2..PMC9].
rc, got, err = json_of(["--db", "a14", "--kernel", "15", *SET])
want = {"db": "a14", "kernel": "15", "mode": "all", "classes": 2,
        "config": [0x30002, 0, 0, 0x300cb, 0, 0x3008c, 0, 0],
        "events": [ev("Cycles", "CORE_ACTIVE_CYCLE", 2, 0x30002, 0, "user"),
                   ev("Instructions", "INST_ALL", 7, 0x3008c, 5, "user"),
                   ev("BRANCH_MISPRED_NONSPEC", "BRANCH_MISPRED_NONSPEC", 5, 0xcb | 0x30000, 3, "user")]}
check(rc == 0 and got == want, f"15:\n got  {got}\n want {want}")

# cpc: the same on arm64.
rc, got, err = json_of(["--db", "a14", "--kernel", "cpc", *SET])
check(rc == 0 and got.get("kernel") == "cpc" and got.get("events") == want["events"], f"cpc: {got}")

# Before 15: fixed counters, all modes; the words are those without --kernel.
rc, got, err = json_of(["--db", "a14", "--kernel", "14.4", *SET])
want = {"db": "a14", "kernel": "14.4", "mode": "all", "classes": 3,
        "config": [0, 0, 0, 0xcb, 0, 0, 0, 0],
        "events": [ev("Cycles", "FIXED_CYCLES", 0, None, 0, "all"),
                   ev("Instructions", "FIXED_INSTRUCTIONS", 1, None, 1, "all"),
                   ev("BRANCH_MISPRED_NONSPEC", "BRANCH_MISPRED_NONSPEC", 5, 0xcb, 5, "all")]}
check(rc == 0 and got == want, f"14.4:\n got  {got}\n want {want}")
rc, plain, err = json_of(["--db", "a14", *SET])
check(rc == 0 and "kernel" not in plain and all("counts" not in e for e in plain["events"]) and
      plain["config"] == want["config"], f"no --kernel: {plain}")

# cpc x86_64: two of skylake's four general-purpose counters (3 and 4) and
# one FIXED word; USR|OS|EN 0x430000 for BR_INST_RETIRED.ALL_BRANCHES
# (0xc4), user only for the _R3 event (its `other` clears OS).
rc, got, err = json_of(["--db", "ivybridge", "--kernel", "cpc", "INST_RETIRED.ANY",
                        "BR_INST_RETIRED.ALL_BRANCHES", "BR_INST_RETIRED.NEAR_CALL_R3"])
check(rc == 0 and got.get("config") == [0, 0x4300c4, 0x4102c4] and
      [e["counts"] for e in got.get("events", [])] == ["all", "all", "user"] and
      [e["counter"] for e in got.get("events", [])] == [0, 3, 4], f"cpc x86: {got}")
rc, got, err = json_of(["--db", "ivybridge", "--kernel", "cpc", "UOPS_ISSUED.STALL_CYCLES"])
check(rc == 1 and "CMASK" in got.get("error", "") and "CPC-era" in got.get("error", ""), f"CMASK on cpc: {got}")
rc, got, err = json_of(["--db", "ivybridge", "--kernel", "15", "UOPS_ISSUED.STALL_CYCLES"])
check(rc == 0 and got["config"][0] & 0xFF800000 == 0x01800000, f"CMASK on 15: {got}")

# Text: the kernel line and the COUNTS column.
rc, out, err = run("--db", "a14", "--kernel", "15", *SET)
lines = out.splitlines()
check(rc == 0 and lines[1] == "kernel 15: selectors outside the kernel's list are refused (EPERM); "
      "configurable counters count user mode only." and lines[4].split() ==
      ["EVENT", "COUNTED", "COUNTER", "CONFIG", "INDEX", "COUNTS"] and
      lines[5].split() == ["Cycles", "CORE_ACTIVE_CYCLE", "2", "0x30002", "0", "user"], f"text:\n{out}")
rc, out, err = run("--db", "skylake", "--kernel", "cpc", "INST_RETIRED.ANY")
check(rc == 0 and "kernel cpc: 2 of the 4 general-purpose counters; CMASK, INV and EDGE are dropped." in out,
      f"text x86:\n{out}")

# A mixed set that no longer fits on a user-only kernel says why.
rc, out, err = run("--db", "a14", "--kernel", "cpc", "Instructions", "INST_LDST", "Cycles")
check(rc == 1 and "count user mode only" in err and "can only use counter 7" in err, f"no fit: {err}")

# Usage errors.
rc, out, err = run("--db", "a14", "--kernel", "16", "Cycles")
check(rc == 2 and "unknown kernel '16'" in err and "pre14.4 14.4 15 cpc" in err, f"--kernel 16: {rc} {err}")
rc, out, err = run("--help")
check(rc == 0 and "--kernel NAME" in out, "--help")

sys.exit(checks.finish("kpmc check --kernel"))
