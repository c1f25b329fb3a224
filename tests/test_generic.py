#!/usr/bin/env python3
"""Generic events, chip names and did-you-mean through the kpmc command,
against an independent reading: the kpep plists with plistlib and the tables
(catalog/tables/*.tsv) with tests/kpmctest.py, never the catalog's C.

  test_generic.py --kpmc KPMC --plists DIR --generic TSV --chips TSV

Checked:
  * the table is faithful as the plists describe it: every mapped event is an
    event of its database; in user mode one a configurable counter counts
    (a `number`, no `fixed_counter`); a configurable all-mode event is also
    the user-mode one; an Intel event's `other` bits count the modes asked;
  * `kpmc list --generic --format json` is exactly
    {"generic":[{"name","description","databases":{DB:{"all","user"}}}]}:
    every generic event in the table's order, every database in the
    catalog's order, the event names the table gives and null where none;
    `--db X` the same for X alone;
  * every generic name is accepted by `kpmc check` on every database in both
    modes and counts the mapped event (in all mode a fixed event may be
    counted as its fallback, as for any fixed event), and one without an
    event in that mode is refused with the table's note;
  * every chip of the chip table whose family has a link names that link's
    database in `kpmc list --db` (any case, spaces or not) and in $KPMC_DB;
    `kpmc list --db M2 --format json` is `kpmc list --db a15 --format json`;
  * did you mean: misspelled events, databases and chips, events of the
    other architecture and of other databases of the same one.
"""
import json
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kpmctest  # noqa: E402
from kpmctest import Checks, KpepError, natural_key, read_kpep  # noqa: E402

F = Checks()
check = F.expect


def run(kpmc, *args, env=None):
    return kpmctest.run([kpmc] + list(args), F, rc=None, env=env)


def main():
    a = kpmctest.parser("--kpmc", "--plists", "--generic", "--chips").parse_args()
    try:
        kpep = read_kpep(a.plists)
    except KpepError as e:
        return F.fail(str(e)) or F.finish(a.plists)
    dbs = {d.name: d.cpu for d in kpep.databases.values()}
    arch = {name: cpu["architecture"] for name, cpu in dbs.items()}
    order = sorted(dbs, key=natural_key)
    generic = kpmctest.read_generic(a.generic)

    # 1. The table as the plists describe its events.
    want = {}
    for g in generic:
        want[g["name"]] = {}
        for db in order:
            row = g["rows"].get(db)
            m = {"all": row["all"] if row else None, "user": row["user"] if row else None}
            want[g["name"]][db] = m
            events = dbs[db]["events"]
            where = "%s:%d %s %s" % (a.generic, row["line"] if row else 0, g["name"], db)
            for mode in ("all", "user"):
                e = events.get(m[mode]) if m[mode] else None
                check(m[mode] is None or e is not None, "%s: %s is no event of %s" % (where, m[mode], db))
                if e is None:
                    continue
                if mode == "user":
                    check("number" in e and "fixed_counter" not in e,
                          "%s: %s is not one a configurable counter counts" % (where, m[mode]))
                if "other" in e:
                    check(e["other"] & 1 and (mode == "user" or e["other"] & 2),
                          "%s: %s (other 0x%x) does not count %s mode" % (where, m[mode], e["other"], mode))
            if m["all"] and m["user"] and "fixed_counter" not in events.get(m["all"], {}):
                check(m["all"] == m["user"], "%s: %s counts user mode too, yet user is %s" % (where, m["all"], m["user"]))

    # 2. kpmc list --generic --format json, exactly.
    p = run(a.kpmc, "list", "--generic", "--format", "json")
    check(p.returncode == 0, "list --generic: exit %d %s" % (p.returncode, p.stderr))
    got = json.loads(p.stdout, object_pairs_hook=lambda kv: kv)  # pairs keep the order
    expect = [("generic", [[("name", g["name"]), ("description", g["description"]),
                            ("databases", [(db, [("all", want[g["name"]][db]["all"]),
                                                 ("user", want[g["name"]][db]["user"])]) for db in order])]
                           for g in generic])]
    check(got == expect, "list --generic --format json differs from the table:\n%s" % p.stdout[:2000])
    for db in (order[0], order[-1], "a14") if "a14" in dbs else (order[0],):
        p = run(a.kpmc, "list", "--generic", "--db", db, "--format", "json")
        one = json.loads(p.stdout)["generic"]
        check([x["databases"] for x in one] == [{db: want[g["name"]][db]} for g in generic],
              "list --generic --db %s: %s" % (db, p.stdout[:400]))
    for fmt in ("md", "csv"):
        p = run(a.kpmc, "list", "--generic", "--format", fmt)
        check(p.returncode == 2 and "--generic lists as text or json" in p.stderr, "list --generic --format %s: %d %r"
              % (fmt, p.returncode, p.stderr))
    text = run(a.kpmc, "list", "--generic").stdout
    for g in generic:
        check(("\n%s: %s\n" % (g["name"], g["description"])) in text, "list --generic text lacks %s" % g["name"])

    # 3. Every generic name in a set, both modes, every database.
    for db in order:
        events = dbs[db]["events"]
        for mode in ("all", "user"):
            for g in generic:
                m = want[g["name"]][db][mode]
                args = ["check", "--db", db, "--format", "json"] + (["--user"] if mode == "user" else [])
                p = run(a.kpmc, *(args + [g["name"].upper() if len(g["name"]) % 2 else g["name"]]))
                out = json.loads(p.stdout) if p.stdout else {}
                if m is None:
                    note = g["rows"].get(db, {}).get("note")
                    check(p.returncode == 1 and "error" in out and (note is None or note in out["error"]),
                          "check %s %s %s: should be refused with the note: %s" % (db, mode, g["name"], p.stdout))
                    continue
                ok = {m}
                if mode == "all" and "fixed_counter" in events[m] and "fallback" in events[m]:
                    ok.add(events[m]["fallback"])
                got = out.get("events", [{}])[0].get("resolved") if p.returncode == 0 else None
                check(got in ok, "check --db %s (%s) %s: counted %s, expected %s (%s)"
                      % (db, mode, g["name"], got, " or ".join(sorted(ok)), p.stdout or p.stderr))

    # 4. Chips.
    fam_db = {l.family: kpep.databases[l.target].name for l in kpep.links}
    for row in kpmctest.read_chips(a.chips):
        db = fam_db.get(row["family"])
        for chip in row["chips"]:
            forms = [chip, chip.lower().replace(" ", ""), chip.upper().replace(" ", "-")]
            for form in forms:
                p = run(a.kpmc, "list", "--db", form, "--format", "json")
                if db is None:
                    check(p.returncode == 2, "--db %r: family 0x%x has no link, yet: %d" % (form, row["family"],
                                                                                           p.returncode))
                    continue
                got = json.loads(p.stdout)["databases"][0]["name"] if p.returncode == 0 else p.stderr
                check(got == db, "--db %r: %s, expected %s" % (form, got, db))
            if db:
                env = dict(os.environ, KPMC_DB=chip)
                p = run(a.kpmc, "list", "--format", "json", env=env)
                check(p.returncode == 0 and json.loads(p.stdout)["databases"][0]["name"] == db,
                      "KPMC_DB=%r: %s" % (chip, p.stdout[:80] or p.stderr))
                for bad in (" " + chip, chip + "x"):
                    p = run(a.kpmc, "list", "--db", bad, "--format", "json")
                    check(p.returncode == 2, "--db %r is not a chip, yet exit %d" % (bad, p.returncode))
    if "a15" in dbs and any(db == "a15" for db in fam_db.values()):
        m2 = run(a.kpmc, "list", "--db", "M2", "--format", "json")
        a15 = run(a.kpmc, "list", "--db", "a15", "--format", "json")
        check(m2.returncode == 0 and m2.stdout == a15.stdout, "--db M2 is not the a15 database")

    # 5. Did you mean (on the kpep snapshot's databases).
    if "a14" in dbs and "skylake" in dbs:
        instr = want.get("instructions")
        for mode, flag in (("all", []), ("user", ["--user"])):
            p = run(a.kpmc, "check", "--db", "a14", *flag, "INST_RETIRED.ANY")
            sentence = "INST_RETIRED.ANY is an Intel event; on a14: instructions (%s)" % instr["a14"][mode]
            check(p.returncode == 1 and sentence in p.stderr, "%s mode: %r lacks %r" % (mode, p.stderr, sentence))
        p = run(a.kpmc, "check", "--db", "skylake", "--user", "FIXED_CYCLES")
        sentence = "FIXED_CYCLES is an Apple event; on skylake: cycles (%s)" % want["cycles"]["skylake"]["user"]
        check(sentence in p.stderr, "%r lacks %r" % (p.stderr, sentence))
        # no generic event: skylake's alias INST_BRANCH_COND names it, and a14 has that event
        p = run(a.kpmc, "check", "--db", "a14", "BR_INST_RETIRED.CONDITIONAL")
        sentence = "BR_INST_RETIRED.CONDITIONAL is an Intel event; on a14: INST_BRANCH_COND"
        check(sentence in p.stderr, "%r lacks %r" % (p.stderr, sentence))
        p = run(a.kpmc, "check", "--db", "a14", "MAP_UOP")
        have = [db for db in order if "MAP_UOP" in dbs[db]["events"]]
        sentence = "MAP_UOP is an event of %s and %s, not of a14" % (", ".join(have[:-1]), have[-1])
        check(sentence in p.stderr, "%r lacks %r" % (p.stderr, sentence))
        for typo, meant in (("INST_AL", "INST_ALL"), ("branch_misses", "branch-misses"), ("Cycels", "Cycles"),
                            ("L1D_CACHE_MIS_LD", "L1D_CACHE_MISS_LD")):
            p = run(a.kpmc, "check", "--db", "a14", typo)
            check(p.returncode == 1 and "did you mean" in p.stderr and meant in p.stderr,
                  "check %s: %r should suggest %s" % (typo, p.stderr, meant))
        p = run(a.kpmc, "check", "--db", "a14", "ZZZZ_NOTHING_LIKE_IT")
        check(p.returncode == 1 and "did you mean" not in p.stderr, "nothing to suggest: %r" % p.stderr)
        for typo, meant in (("skylak", "skylake"), ("a144", "a14"), ("M1 Prp", "M1 Pro (a14)"),
                            ("Cofee Lake", "Coffee Lake (kabylake)")):
            p = run(a.kpmc, "list", "--db", typo)
            check(p.returncode == 2 and ("did you mean %s" % meant) in p.stderr,
                  "--db %s: %r should suggest %s" % (typo, p.stderr, meant))

    return F.finish("generic events, chips and suggestions against %s" % a.plists)


if __name__ == "__main__":
    sys.exit(main())
