#!/usr/bin/env python3
"""`kpmc list --all --format json`, field by field, against an independent
reading of the kpep folder with plistlib.

  test_list_json.py --kpmc KPMC --plists DIR

Exit 77 (skipped) when DIR or KPMC is missing.  Checked: the databases and
their order (natural: a7 < a10), every key of every database with null for an
absent optional key, `families` from the cpu_* links (file names and link
targets, read as test_gen_golden_check reads them), `aliases`, and every event with every key: the plist's
value, null when the plist does not give it, integers as JSON numbers.
"""
import argparse
import json
import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_gen_golden_check import fold, read_plists  # noqa: E402  (the plists, read the same way)

DB_KEYS = ["name", "marketing_name", "architecture", "version", "internal", "fixed_counters", "config_counters",
           "power_counters", "families", "aliases", "events"]
EVENT_KEYS = ["name", "description", "number", "umask", "other", "counters_mask", "fixed_counter", "fallback",
              "aliases"]
INT_KEYS = ["number", "umask", "other", "counters_mask", "fixed_counter"]


def natural_key(s):
    return [(0, int(t), "") if t.isdigit() else (1, 0, t) for t in re.findall(r"[0-9]+|[^0-9]+", s)]


def expected(folder):
    dbs, _, links = read_plists(folder)
    families = {f: [] for f in dbs}
    for l in links:
        families[l["target"]].append(l["family"])
    out = []
    for f, d in dbs.items():
        cpu = d["system"]["cpu"]
        aliases = cpu.get("aliases", {})
        events = []
        for name in sorted(cpu["events"], key=lambda n: (fold(n), n)):
            e = cpu["events"][name]
            rec = {"name": name}
            for k in EVENT_KEYS[1:-1]:
                rec[k] = e.get(k)
            rec["aliases"] = sorted((a for a, t in aliases.items() if fold(t) == fold(name)), key=lambda a: (fold(a), a))
            events.append(rec)
        out.append({"name": d["name"], "marketing_name": cpu["marketing_name"], "architecture": cpu["architecture"],
                    "version": list(d["version"]), "internal": d.get("internal"),
                    "fixed_counters": cpu["fixed_counters"], "config_counters": cpu["config_counters"],
                    "power_counters": cpu.get("power_counters"), "families": sorted(families[f]),
                    "aliases": dict(aliases), "events": events})
    out.sort(key=lambda db: natural_key(db["name"]))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kpmc", required=True)
    ap.add_argument("--plists", required=True)
    a = ap.parse_args()
    if not os.path.isdir(a.plists):
        print("skipped: %s is not a folder (no kpep plists to compare with)" % a.plists)
        return 77
    if not os.access(a.kpmc, os.X_OK):
        print("skipped: %s is not built" % a.kpmc)
        return 77
    env = dict(os.environ)
    env.pop("KPMC_DB", None)
    p = subprocess.run([a.kpmc, "list", "--all", "--format", "json"], capture_output=True, text=True, env=env)
    if p.returncode != 0:
        print("FAIL: kpmc list exited %d:\n%s" % (p.returncode, p.stderr))
        return 1
    got = json.loads(p.stdout)
    want = expected(a.plists)
    fails = []

    def eq(what, g, w):
        if g != w or type(g) is not type(w):
            fails.append("%s: %r, expected %r" % (what, g, w))

    eq("top-level keys", list(got), ["databases"])
    eq("databases", [d.get("name") for d in got["databases"]], [d["name"] for d in want])
    for g, w in zip(got["databases"], want):
        n = w["name"]
        eq("%s: keys" % n, list(g), DB_KEYS)
        for k in DB_KEYS[:-1]:
            eq("%s: %s" % (n, k), g.get(k), w[k])
        ge, we = g.get("events", []), w["events"]
        eq("%s: event names, in order" % n, [e.get("name") for e in ge], [e["name"] for e in we])
        for e, x in zip(ge, we):
            eq("%s %s: keys" % (n, x["name"]), list(e), EVENT_KEYS)
            for k in EVENT_KEYS[1:]:
                eq("%s %s: %s" % (n, x["name"], k), e.get(k), x[k])
            for k in INT_KEYS:
                if e.get(k) is not None and type(e.get(k)) is not int:
                    fails.append("%s %s: %s is not a JSON integer" % (n, x["name"], k))
    for f in fails[:100]:
        print("FAIL:", f)
    if fails:
        print("%d differences" % len(fails))
        return 1
    print("ok: %d databases, %d events agree with %s" % (len(want), sum(len(d["events"]) for d in want), a.plists))
    return 0


if __name__ == "__main__":
    sys.exit(main())
