#!/usr/bin/env python3
"""`kpmc check`: JSON and text output, errors (exit 1), usage errors (exit 2).

    test_check.py PATH-TO-kpmc

Expected values are worked out by hand from the plists in catalog/kpep and
docs/kpc.md (see tests/test_encode.c for the arithmetic of each word).
"""
import json
import os
import platform
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kpmctest  # noqa: E402

_, checks, run = kpmctest.command_test("check")
check = checks.expect


def expect_json(args, want, env=None):
    rc, out, err = run("--format", "json", *args, env=env)
    check(rc == 0, f"{args}: exit {rc}, stderr {err!r}")
    try:
        got = json.loads(out)
    except ValueError as e:
        check(False, f"{args}: not JSON ({e}): {out!r}")
        return
    check(got == want, f"{args}:\n got  {got}\n want {want}")
    check(err == "", f"{args}: stderr {err!r}")


def ev(name, resolved, counter, config, index):
    return {"name": name, "resolved": resolved, "counter": counter, "config": config, "index": index}


# a14: fixed counters 0-1, configurable 2-9; config = 8 words for PMC2..9.
# L1D_CACHE_MISS_LD 0xA3 = 163 on PMC2; BRANCH_MISPRED_NONSPEC 0xCB = 203,
# mask 224, on PMC5; buffer [PMC0, PMC1, PMC2..PMC9].
expect_json(["--db", "a14", "Cycles", "Instructions", "BRANCH_MISPRED_NONSPEC", "l1d_cache_miss_ld"],
            {"db": "a14", "mode": "all", "classes": 3,
             "config": [163, 0, 0, 203, 0, 0, 0, 0],
             "events": [ev("Cycles", "FIXED_CYCLES", 0, None, 0),
                        ev("Instructions", "FIXED_INSTRUCTIONS", 1, None, 1),
                        ev("BRANCH_MISPRED_NONSPEC", "BRANCH_MISPRED_NONSPEC", 5, 203, 5),
                        ev("l1d_cache_miss_ld", "L1D_CACHE_MISS_LD", 2, 163, 2)]})

# a14 user mode: Instructions -> INST_ALL (0x8C | 0x30000 = 196748) on PMC7;
# no fixed class, so buffer [PMC2..PMC9] and INST_ALL at 5.
expect_json(["--db=a14", "--user", "Instructions"],
            {"db": "a14", "mode": "user", "classes": 2,
             "config": [0, 0, 0, 0, 0, 196748, 0, 0],
             "events": [ev("Instructions", "INST_ALL", 7, 196748, 5)]})

# a14 fixed alone: no configuration word.
expect_json(["--db", "a14", "Cycles"],
            {"db": "a14", "mode": "all", "classes": 1, "config": [],
             "events": [ev("Cycles", "FIXED_CYCLES", 0, None, 0)]})

# haswell: INST_ALL -> INST_RETIRED.ANY on fixed 0; L1D_PEND_MISS.PENDING
# (0x48, umask 1, other 0x53, mask 0x20 = counter 5) = 0x430148 = 4391240;
# BR_INST_RETIRED.NEAR_CALL_R3 (other 0x51) = 0x4102C4 = 4260548 on GP0.
# config = [fixed word 0, GP0, GP1, GP2, GP3]; buffer [FIX0-2, GP0-3].
expect_json(["--db", "haswell", "INST_ALL", "L1D_PEND_MISS.PENDING", "BR_INST_RETIRED.NEAR_CALL_R3"],
            {"db": "haswell", "mode": "all", "classes": 3,
             "config": [0, 4260548, 0, 4391240, 0],
             "events": [ev("INST_ALL", "INST_RETIRED.ANY", 0, None, 0),
                        ev("L1D_PEND_MISS.PENDING", "L1D_PEND_MISS.PENDING", 5, 4391240, 5),
                        ev("BR_INST_RETIRED.NEAR_CALL_R3", "BR_INST_RETIRED.NEAR_CALL_R3", 3, 4260548, 3)]})

# haswell user mode: INST_ALL -> INST_RETIRED.ANY_P (0xC0 | 0x10000 |
# 0x400000 = 0x4100C0 = 4260032) on GP0.
expect_json(["--db", "haswell", "--user", "INST_ALL"],
            {"db": "haswell", "mode": "user", "classes": 2, "config": [4260032, 0, 0, 0],
             "events": [ev("INST_ALL", "INST_RETIRED.ANY_P", 3, 4260032, 0)]})

# the default database comes from $KPMC_DB
expect_json(["Cycles"], {"db": "as4", "mode": "all", "classes": 1, "config": [],
                         "events": [ev("Cycles", "FIXED_CYCLES", 0, None, 0)]}, env={"KPMC_DB": "as4"})
if platform.system() != "Darwin":
    # not on a Mac: a14
    rc, out, _ = run("--format", "json", "Cycles")
    check(rc == 0 and json.loads(out)["db"] == "a14", f"default database off macOS: {out!r}")

# text: a table with a row per event
rc, out, err = run("--db", "a14", "Cycles", "INST_ALL", "L1D_CACHE_MISS_LD")
check(rc == 0 and err == "", f"text: exit {rc} {err!r}")
lines = out.splitlines()
check(any(l.split() == ["Cycles", "FIXED_CYCLES", "0", "fixed", "-", "0"] for l in lines), f"text Cycles row: {out}")
check(any(l.split() == ["INST_ALL", "INST_ALL", "7", "0x8c", "7"] for l in lines), f"text INST_ALL row: {out}")
check(any(l.split() == ["L1D_CACHE_MISS_LD", "L1D_CACHE_MISS_LD", "2", "0xa3", "2"] for l in lines),
      f"text L1D row: {out}")
check("0xa3 0x0 0x0 0x0 0x0 0x8c 0x0 0x0" in out, f"text config words: {out}")
check("a14" in lines[0] and "user and kernel" in lines[0], f"text header: {lines[0]!r}")
rc, out, err = run("--db", "a14", "Cycles")
check(rc == 0 and "kpc_set_config is skipped" in out, f"text, fixed alone: {out}")
rc, out, err = run("--db", "skylake", "--user", "INST_ALL")
check(rc == 0 and "INST_RETIRED.ANY_P" in out and "user only" in out, f"text user: {out}")

# errors: exit 1, {"error", "events"} in JSON, the sentence on stderr in text
def expect_error(args, sentence):
    rc, out, err = run("--format", "json", *args)
    check(rc == 1, f"{args}: exit {rc}")
    try:
        got = json.loads(out)
    except ValueError:
        check(False, f"{args}: error output not JSON: {out!r}")
        return
    names = [a for a in args if not a.startswith("-") and a not in ("a14", "haswell", "icelake", "skylake")]
    check(got == {"error": sentence, "events": names}, f"{args}: {got}")
    rc, out, err = run(*args)
    check(rc == 1 and out == "" and err == f"kpmc check: {sentence}\n", f"{args} text: {rc} {out!r} {err!r}")


expect_error(["--db", "a14", "INST_ALL", "INST_INT_ALU"], "INST_ALL and INST_INT_ALU can only use counter 7")
expect_error(["--db", "a14", "Cycles", "NOPE"], "no event or alias 'NOPE' in database a14")
expect_error(["--db", "a14", "Cycles", "FIXED_CYCLES"], "'Cycles' and 'FIXED_CYCLES' both name FIXED_CYCLES")
expect_error(["--db", "icelake", "INST_RETIRED.ANY", "INST_RETIRED.PREC_DIST"],
             "INST_RETIRED.ANY and INST_RETIRED.PREC_DIST can only use fixed counter 0")
rc, out, err = run("--format", "json", "--db", "a14", "--user", "FIXED_CYCLES")
check(rc == 1 and "CORE_ACTIVE_CYCLE" in json.loads(out)["error"], f"user-mode FIXED_CYCLES: {out}")
# Cycles is also the generic event cycles, which wins over the alias: in user
# mode it is CORE_ACTIVE_CYCLE
rc, out, err = run("--format", "json", "--db", "a14", "--user", "Cycles")
check(rc == 0 and json.loads(out)["events"][0]["resolved"] == "CORE_ACTIVE_CYCLE", f"user-mode Cycles: {out}")
rc, out, err = run("--format", "json", "--db", "a14", *(["Cycles"] * 17))
check(rc == 1 and json.loads(out)["events"] == ["Cycles"] * 17 and "17 events" in json.loads(out)["error"],
      f"17 events: {out}")

# usage errors: exit 2, naming the culprit and the choices
def expect_usage(args, *words):
    rc, out, err = run(*args)
    check(rc == 2 and out == "", f"{args}: exit {rc}, stdout {out!r}")
    for w in words:
        check(w in err, f"{args}: {w!r} not in {err!r}")


expect_usage(["--format", "xml", "Cycles"], "'xml'", "text", "json")
expect_usage(["--db", "nosuch", "Cycles"], "'nosuch'", "a14", "skylake", "as4")
expect_usage(["--bogus", "Cycles"], "'--bogus'")
expect_usage(["--db"], "--db")
expect_usage([], "EVENT")
expect_usage(["--db", "a14"], "EVENT")

# --help tells the truth: every option it names is accepted
rc, out, err = run("--help")
check(rc == 0 and err == "", f"--help: {rc} {err!r}")
for opt in ("--db", "--user", "--format", "text", "json", "EVENT", "Exit status"):
    check(opt in out, f"--help lacks {opt}")

sys.exit(checks.finish("kpmc check"))
