#!/usr/bin/env python3
"""`kpmc list --all --format json`, field by field, against an independent
reading of the kpep folder with plistlib.

  test_list_json.py --kpmc KPMC --plists DIR

Checked: the databases and their order (natural: a7 < a10), every key of
every database with null for an absent optional key, `families` from the
cpu_* links (file names and link targets, in any of their forms),
`aliases`, and every event with every key: the plist's value, null when the
plist does not give it, integers as JSON numbers.
"""
import json
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kpmctest  # noqa: E402
from kpmctest import Checks, KpepError, fold, read_kpep  # noqa: E402

DB_KEYS = ["name", "marketing_name", "architecture", "version", "internal", "fixed_counters", "config_counters",
           "power_counters", "families", "aliases", "events"]
EVENT_KEYS = ["name", "description", "number", "umask", "other", "counters_mask", "fixed_counter", "fallback",
              "aliases"]
INT_KEYS = ["number", "umask", "other", "counters_mask", "fixed_counter"]


def expected(folder):
    kpep = read_kpep(folder)
    out = []
    for database in kpep.ordered():
        d, cpu = database.plist, database.cpu
        aliases = database.aliases()
        events = []
        for name in database.event_names():
            e = cpu["events"][name]
            rec = {"name": name}
            for k in EVENT_KEYS[1:-1]:
                rec[k] = e.get(k)
            rec["aliases"] = [a for a, t in aliases if fold(t) == fold(name)]
            events.append(rec)
        out.append({"name": d["name"], "marketing_name": cpu["marketing_name"], "architecture": cpu["architecture"],
                    "version": list(d["version"]), "internal": d.get("internal"),
                    "fixed_counters": cpu["fixed_counters"], "config_counters": cpu["config_counters"],
                    "power_counters": cpu.get("power_counters"),
                    "families": sorted(fam for fam, _, _ in kpep.families(database.file)),
                    "aliases": cpu.get("aliases", {}), "events": events})
    return out


def main():
    a = kpmctest.parser("--kpmc", "--plists").parse_args()
    c = Checks(limit=100)
    try:
        want = expected(a.plists)
    except KpepError as e:
        return c.fail(str(e)) or c.finish(a.plists)
    rc, out, err = kpmctest.command(a.kpmc, c, "list")("--all", "--format", "json")
    if rc != 0:
        return c.fail("kpmc list exited %d:\n%s" % (rc, err)) or c.finish(a.plists)
    got = json.loads(out)

    def eq(what, g, w):
        c.eq(what, g, w, same_type=True)

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
                c.expect(e.get(k) is None or type(e.get(k)) is int,
                         "%s %s: %s is not a JSON integer" % (n, x["name"], k))
    return c.finish("%d databases, %d events agree with %s" % (len(want), sum(len(d["events"]) for d in want),
                                                                a.plists))


if __name__ == "__main__":
    sys.exit(main())
