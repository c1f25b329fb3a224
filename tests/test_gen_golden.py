#!/usr/bin/env python3
"""kpmc-gen on the golden fixture set (tests/data/gen/ok).

  test_gen_golden.py MODE --gen KPMC_GEN --data DIR --golden DIR --work DIR

Every run also reads the fixtures' tables, DIR/tables/generic.tsv and
chips.tsv (--data), which the golden catalog holds.

MODE
  golden    the fixtures use every key kpmc-gen knows, and unknown ones;
            regenerate and compare byte for byte with the golden output;
            --check agrees, and finds a changed file; the warnings are
            exactly those the fixtures call for (lines counted by hand), and
            --quiet silences them
  variants  the same bytes whatever the form of the inputs: a cpu_* link
            as a symbolic link or as a copy of its database, files listed in
            any order instead of the folder, another working folder, two runs
  output    writing into a folder that already holds files: a stale
            generated header goes, everything else of ours stays, no *.tmp*
            file is left; when a file cannot be written nothing changes
"""
import filecmp
import os
import shutil
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kpmctest  # noqa: E402
from kpmctest import Checks, read_kpep  # noqa: E402

# Warnings the fixtures must raise: (file, line, text in the message).
WARNINGS = [
    ("fixture.plist", 10, "unknown key 'x-system-extra' in system"),
    ("fixture.plist", 46, "unknown key 'x-event-note' in event Mixed.Case-Name"),
    ("fixture.plist", 112, "unknown key 'x-cpu-future' in system.cpu"),
    ("fixture.plist", 122, "unknown key 'x-top-unknown' in the top-level dict"),
    ("fixturex.plist", 34, "CPU_CLK_UNHALTED.REF_TSC (line 34) and CPU_CLK_UNHALTED.THREAD (line 45) claim fixed counter 1"),
    ("fixturex.plist", 70, "FIXED_MASK_ODD: counters_mask 0x6 disagrees with fixed_counter 2"),
    ("fixturex.plist", 118, "TOPDOWN.SLOTS: fixed_counter 3 is not one of the database's fixed counters"),
]

checks = Checks()
fail = checks.fail


def run(gen, args, cwd=None, rc=0):
    return kpmctest.run([gen] + args, checks, rc=rc, cwd=cwd, timeout=120)


def files_under(root):
    return sorted(os.path.relpath(os.path.join(d, f), root) for d, _, fs in os.walk(root) for f in fs)


def same_tree(what, got, want):
    a, b = files_under(got), files_under(want)
    if a != b:
        fail("%s: files %s, expected %s" % (what, a, b))
        return
    for rel in a:
        if not filecmp.cmp(os.path.join(got, rel), os.path.join(want, rel), shallow=False):
            fail("%s: %s differs from the golden file" % (what, rel))


# Every key kpmc-gen understands; the golden fixtures must use each one.
KEYS = {
    "top": {"name", "version", "internal", "system"},
    "cpu": {"marketing_name", "architecture", "fixed_counters", "config_counters", "power_counters", "aliases",
            "events"},
    "event": {"number", "description", "umask", "other", "counters_mask", "fixed_counter", "fallback"},
}


def check_coverage(ok):
    used = {"top": set(), "cpu": set(), "event": set()}
    for database in read_kpep(ok).databases.values():
        used["top"] |= set(database.plist)
        used["cpu"] |= set(database.cpu)
        for e in database.cpu["events"].values():
            used["event"] |= set(e)
    for where, keys in KEYS.items():
        if keys - used[where]:
            fail("the golden fixtures do not use the %s keys %s" % (where, sorted(keys - used[where])))
        if not used[where] - keys:
            fail("the golden fixtures have no unknown %s key" % where)


def mode_golden(a):
    ok = os.path.join(a.data, "ok")
    check_coverage(ok)
    out = os.path.join(kpmctest.fresh(a.work), "out")
    p = run(a.gen, a.tables + ["--out", out, ok])
    same_tree("regenerated", out, a.golden)
    warnings = [l for l in p.stderr.splitlines() if ": warning: " in l]
    for file, line, text in WARNINGS:
        prefix = "%s:%d: warning: " % (os.path.join(ok, file), line)
        if not any(l.startswith(prefix) and text in l for l in warnings):
            fail("no warning %r ... %r in:\n%s" % (prefix, text, p.stderr))
    if len(warnings) != len(WARNINGS):
        fail("%d warnings, expected %d:\n%s" % (len(warnings), len(WARNINGS), p.stderr))
    if any(": error: " in l for l in p.stderr.splitlines()):
        fail("errors on the golden fixtures:\n" + p.stderr)
    notes = [l for l in p.stderr.splitlines() if ": note: " in l]
    tables = os.path.join(a.data, "tables")
    for want in (os.path.join(tables, "generic.tsv") + ": note: database fixture10 has no row for 4 generic events",
                 os.path.join(tables, "chips.tsv") + ":8: note: CPU family 0xdead (Not Linked) has no cpu_* link"):
        if not any(l.startswith(want) for l in notes):
            fail("no note %r in:\n%s" % (want, p.stderr))
    if len(notes) != 2:
        fail("%d notes, expected 2:\n%s" % (len(notes), p.stderr))
    q = run(a.gen, a.tables + ["--quiet", "--out", out, ok])
    if q.stderr:
        fail("--quiet still prints:\n" + q.stderr)
    run(a.gen, a.tables + ["--quiet", "--check", "--out", a.golden, ok])
    # --check finds a changed header, and changes nothing.
    changed = os.path.join(out, "include", "kpmc", "db", "fixture2.h")
    with open(changed, "a") as f:
        f.write("/* edited */\n")
    c = run(a.gen, a.tables + ["--quiet", "--check", "--out", out, ok], rc=1)
    if changed not in c.stderr or "differs" not in c.stderr:
        fail("--check does not name %s:\n%s" % (changed, c.stderr))
    with open(changed) as f:
        if not f.read().endswith("/* edited */\n"):
            fail("--check rewrote " + changed)


def mode_variants(a):
    ok = os.path.join(a.data, "ok")
    work = kpmctest.fresh(a.work)
    names = sorted(os.listdir(ok))

    def copy_inputs(where):
        d = kpmctest.fresh(os.path.join(work, where))
        for n in names:
            shutil.copyfile(os.path.join(ok, n), os.path.join(d, n))
        return d

    link = "cpu_7_8_5eed.plist"
    d = copy_inputs("symlink")
    os.remove(os.path.join(d, link))
    os.symlink("fixturex.plist", os.path.join(d, link))
    run(a.gen, a.tables + ["--quiet", "--out", os.path.join(work, "out-symlink"), d])
    same_tree("a cpu_* symbolic link", os.path.join(work, "out-symlink"), a.golden)

    d = copy_inputs("copy")
    shutil.copyfile(os.path.join(ok, "fixturex.plist"), os.path.join(d, link))
    run(a.gen, a.tables + ["--quiet", "--out", os.path.join(work, "out-copy"), d])
    same_tree("a cpu_* copy of its database", os.path.join(work, "out-copy"), a.golden)

    for label, order in (("reversed", names[::-1]), ("links first", sorted(names, key=lambda n: not n.startswith("cpu_"))),
                         ("interleaved", names[1::2] + names[0::2])):
        out = os.path.join(work, "out-" + label.replace(" ", "-"))
        run(a.gen, a.tables + ["--quiet", "--out", out] + [os.path.join(ok, n) for n in order])
        same_tree("files listed %s" % label, out, a.golden)

    # Relative inputs from another working folder; then a second run.
    rel = os.path.relpath(ok, work)
    run(a.gen, a.tables + ["--quiet", "--out", "out-relative", rel], cwd=work)
    same_tree("relative paths", os.path.join(work, "out-relative"), a.golden)
    shutil.rmtree(os.path.join(work, "out-relative"))
    run(a.gen, a.tables + ["--quiet", "--out", "out-relative", rel], cwd=work)
    same_tree("a second run", os.path.join(work, "out-relative"), a.golden)


def mode_output(a):
    ok, work, out = kpmctest.golden_copy(a)
    db_dir = os.path.join(out, "include", "kpmc", "db")
    stale = os.path.join(db_dir, "gone.h")
    with open(stale, "w") as f:
        f.write("/* kpmc catalog: event ids of database gone (Gone).\n * DO NOT EDIT. */\n")
    ours = os.path.join(db_dir, "local.h")
    with open(ours, "w") as f:
        f.write("/* a header of the user's, not generated */\n")
    notes = os.path.join(out, "NOTES.txt")
    with open(notes, "w") as f:
        f.write("kept\n")
    with open(os.path.join(out, "catalog_data.c"), "w") as f:
        f.write("/* old */\n")
    c = run(a.gen, a.tables + ["--quiet", "--check", "--out", out, ok], rc=1)
    for name in (stale, os.path.join(out, "catalog_data.c")):
        if name not in c.stderr:
            fail("--check does not name %s:\n%s" % (name, c.stderr))
    run(a.gen, a.tables + ["--quiet", "--out", out, ok])
    if os.path.exists(stale):
        fail("the stale generated header %s was kept" % stale)
    for keep in (ours, notes):
        if not os.path.exists(keep):
            fail("%s, not generated, was removed" % keep)
    os.remove(ours)
    os.remove(notes)
    same_tree("rewritten over an old catalog", out, a.golden)

    # include/ is a file: nothing can be written below it, so nothing is.
    out = os.path.join(work, "blocked")
    os.makedirs(out)
    with open(os.path.join(out, "catalog_data.c"), "w") as f:
        f.write("/* old */\n")
    with open(os.path.join(out, "include"), "w") as f:
        f.write("in the way\n")
    b = run(a.gen, a.tables + ["--quiet", "--out", out, ok], rc=1)
    if os.path.join(out, "include") not in b.stderr or ": error: " not in b.stderr:
        fail("no error naming %s:\n%s" % (os.path.join(out, "include"), b.stderr))
    if sorted(os.listdir(out)) != ["catalog_data.c", "include"]:
        fail("files left behind after a failed write: %s" % sorted(os.listdir(out)))
    with open(os.path.join(out, "catalog_data.c")) as f:
        if f.read() != "/* old */\n":
            fail("catalog_data.c was changed by a failed write")


def main():
    ap = kpmctest.parser("--gen", "--data", "--golden", "--work")
    ap.add_argument("mode", choices=["golden", "variants", "output"])
    a = ap.parse_args()
    a.gen, a.data, a.golden, a.work = (os.path.abspath(x) for x in (a.gen, a.data, a.golden, a.work))
    a.tables = ["--generic", os.path.join(a.data, "tables", "generic.tsv"),
                "--chips", os.path.join(a.data, "tables", "chips.tsv")]
    {"golden": mode_golden, "variants": mode_variants, "output": mode_output}[a.mode](a)
    return checks.finish(a.mode)


if __name__ == "__main__":
    sys.exit(main())
