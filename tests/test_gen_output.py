#!/usr/bin/env python3
"""kpmc-gen's output folder under attack and under failure.

  test_gen_output.py MODE --gen KPMC_GEN [--faults KPMC_GEN_FAULTS]
                     --data DIR --golden DIR --work DIR

--golden is the output for the fixtures tests/data/gen/ok; the output for
template.plist alone (the "other" catalog) is made by a run of kpmc-gen of its
own in a fresh folder.  MODE

  planted      symbolic links planted at every name kpmc-gen's process would
               use for a temporary or a kept file (<file>.tmp<PID>,
               <file>.old<PID>, PID known before exec) point outside the
               output folder, at a file and at nothing: neither is written or
               made, the links stay as they were, the output is the golden one
  subfolder    include/ is a symbolic link to a folder outside: exit 1 naming
               it, nothing written there
  special      a FIFO and a link to /dev/zero among the outputs' and the
               stale headers' names: no blocking, no endless read; the FIFO in
               place of catalog_data.c is replaced, the others are not ours
  in_the_way   a folder where a header goes: exit 1 naming it, nothing changed
  rollback     (KPMC_GEN_FAULTS) a rename fails part-way, a second name for a
               file cannot be made, a stale header cannot be removed: exit 1
               naming the file, and every file is back as it was (bytes and
               time stamps), nothing left behind; the same where no hard link
               can be made (the previous versions are copies: bytes only)
  concurrent   (KPMC_GEN_FAULTS) two runs with different inputs into one
               folder, renames slowed so that they overlap: both exit 0, the
               second says it waits, the folder holds exactly the second
               run's catalog
  interrupted  (KPMC_GEN_FAULTS) SIGTERM while renames are slowed, part-way
               through replacing the files: the run ends by the signal once
               the folder holds exactly the new catalog, nothing left behind
"""
import os
import shutil
import signal
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kpmctest  # noqa: E402
from kpmctest import Checks  # noqa: E402

checks = Checks()
fail = checks.fail


def snapshot(root):
    """Every entry under root: relative path -> (kind, bytes or link target, mtime_ns)."""
    snap = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = os.path.join(dirpath, name)
            rel = os.path.relpath(p, root)
            st = os.lstat(p)
            if os.path.islink(p):
                snap[rel] = ("link", os.readlink(p), None)
            elif os.path.isdir(p):
                snap[rel] = ("dir", None, None)
            elif os.path.isfile(p):
                with open(p, "rb") as f:
                    snap[rel] = ("file", f.read(), st.st_mtime_ns)
            else:
                snap[rel] = ("other", st.st_mode, None)
    return snap


def compare_snapshots(what, before, after):
    for rel in sorted(set(before) | set(after)):
        if rel not in after:
            fail("%s: %s was removed" % (what, rel))
        elif rel not in before:
            fail("%s: %s appeared" % (what, rel))
        elif before[rel] != after[rel]:
            fail("%s: %s was changed" % (what, rel))


def regular_tree(root):
    """Regular files under root (links not followed): relative path -> bytes."""
    out = {}
    for k, (kind, data, _) in snapshot(root).items():
        if kind == "file":
            out[k] = data
    return out


def same_as(what, got, want):
    g, w = regular_tree(got), regular_tree(want)
    if g != w:
        extra = sorted(set(g) - set(w))
        missing = sorted(set(w) - set(g))
        differ = sorted(k for k in set(g) & set(w) if g[k] != w[k])
        fail("%s: not the expected catalog (extra %s, missing %s, different %s)" % (what, extra, missing, differ))


def tables(a):
    """The fixture tables the golden catalog was generated with."""
    return ["--generic", os.path.join(a.data, "tables", "generic.tsv"),
            "--chips", os.path.join(a.data, "tables", "chips.tsv")]


def run(cmd, **kw):
    return kpmctest.run(cmd, checks, **kw)


def output_names(golden):
    return sorted(os.path.relpath(os.path.join(d, f), golden) for d, _, fs in os.walk(golden) for f in fs)


def other_catalog(a):
    """The catalog of template.plist alone, by a run of its own."""
    d = os.path.join(a.work, "other-golden")
    shutil.rmtree(d, ignore_errors=True)
    run([a.gen, "--quiet", "--out", d, os.path.join(a.data, "template.plist")])
    return d


def mode_planted(a):
    ok = os.path.join(a.data, "ok")
    work = kpmctest.fresh(a.work)
    out = os.path.join(work, "out")
    outside = kpmctest.fresh(os.path.join(work, "outside"))
    victim = os.path.join(outside, "victim.txt")
    with open(victim, "w") as f:
        f.write("not kpmc-gen's\n")
    names = output_names(a.golden)
    for rel in names:
        os.makedirs(os.path.dirname(os.path.join(out, rel)), exist_ok=True)
    # Half of the names start as an older catalog (to be replaced), half are
    # new, so that both temporaries and kept files are named.
    for i, rel in enumerate(names):
        if i % 2 == 0:
            with open(os.path.join(out, rel), "w") as f:
                f.write("/* an older catalog */\n")
    planted = {}

    def plant():
        pid = os.getpid()  # kpmc-gen's, after exec
        for i, rel in enumerate(names):
            for what in ("tmp", "old"):
                for suffix in ("", ".1"):
                    link = os.path.join(out, "%s.%s%d%s" % (rel, what, pid, suffix))
                    target = victim if i % 2 else os.path.join(outside, "made-%d-%s%s" % (i, what, suffix))
                    os.symlink(target, link)

    p = run([a.gen, "--quiet", "--out", out] + tables(a) + [ok], preexec=plant)
    with open(victim) as f:
        if f.read() != "not kpmc-gen's\n":
            fail("the file outside the output folder was written through a planted link")
    if sorted(os.listdir(outside)) != ["victim.txt"]:
        fail("files appeared outside the output folder: %s" % sorted(os.listdir(outside)))
    for rel in names:
        path = os.path.join(out, rel)
        if os.path.islink(path) or not os.path.isfile(path):
            fail("%s is not a regular file after the run" % rel)
    links = [k for k, v in snapshot(out).items() if v[0] == "link"]
    if len(links) != 4 * len(names):
        fail("%d planted links remain, expected %d (they are not kpmc-gen's to remove or use)" %
             (len(links), 4 * len(names)))
    for k in links:
        os.remove(os.path.join(out, k))
    same_as("output with planted links", out, a.golden)
    if p is not None and p.returncode == 0 and p.stderr:
        fail("unexpected messages:\n" + p.stderr)


def mode_subfolder(a):
    ok = os.path.join(a.data, "ok")
    work = kpmctest.fresh(a.work)
    out = kpmctest.fresh(os.path.join(work, "out"))
    elsewhere = kpmctest.fresh(os.path.join(work, "elsewhere"))
    os.symlink(elsewhere, os.path.join(out, "include"))
    before = snapshot(work)
    p = run([a.gen, "--quiet", "--out", out] + tables(a) + [ok], rc=1)
    if p is not None:
        want = os.path.join(out, "include") + ": error: is a symbolic link, not a folder"
        if want not in p.stderr:
            fail("no error %r in:\n%s" % (want, p.stderr))
    compare_snapshots("a symbolic link as include/", before, snapshot(work))


def mode_special(a):
    ok, work, out = kpmctest.golden_copy(a)
    db = os.path.join(out, "include", "kpmc", "db")
    os.mkfifo(os.path.join(db, "fifo.h"))
    os.symlink("/dev/zero", os.path.join(db, "zero.h"))
    os.remove(os.path.join(out, "catalog_data.c"))
    os.mkfifo(os.path.join(out, "catalog_data.c"))
    os.remove(os.path.join(db, "fixture.h"))
    os.symlink("/dev/zero", os.path.join(db, "fixture.h"))
    for check in (True, False):
        args = [a.gen, "--quiet"] + (["--check"] if check else []) + ["--out", out] + tables(a) + [ok]
        p = run(args, rc=1 if check else 0, timeout=30)
        if check and p is not None:
            for rel in ("catalog_data.c", "include/kpmc/db/fixture.h"):
                if os.path.join(out, rel) + ": differs" not in p.stderr:
                    fail("--check does not report %s:\n%s" % (rel, p.stderr))
    for name in ("fifo.h", "zero.h"):
        if not os.path.lexists(os.path.join(db, name)):
            fail("%s, not generated, was removed" % name)
    os.remove(os.path.join(db, "fifo.h"))
    os.remove(os.path.join(db, "zero.h"))
    same_as("output over special files", out, a.golden)


def prepare_other(a, out):
    """out: the golden catalog plus a stale header and a file of the user's."""
    shutil.copytree(a.golden, out)
    with open(os.path.join(out, "include", "kpmc", "db", "gone.h"), "w") as f:
        f.write("/* kpmc catalog: event ids of database gone (Gone).\n * DO NOT EDIT. */\n")
    with open(os.path.join(out, "NOTES.txt"), "w") as f:
        f.write("kept\n")
    for dirpath, _, filenames in os.walk(out):
        for name in filenames:
            os.utime(os.path.join(dirpath, name), ns=(1_000_000_000, 1_000_000_000))


def mode_in_the_way(a):
    work = kpmctest.fresh(a.work)
    out = os.path.join(work, "out")
    prepare_other(a, out)
    # template.plist makes include/kpmc/db/bad.h: a folder is there.
    os.makedirs(os.path.join(out, "include", "kpmc", "db", "bad.h", "inside"))
    before = snapshot(out)
    p = run([a.gen, "--quiet", "--out", out, os.path.join(a.data, "template.plist")], rc=1)
    if p is not None and os.path.join(out, "include/kpmc/db/bad.h") + ": error: is a folder" not in p.stderr:
        fail("no error naming the folder in the way:\n" + p.stderr)
    compare_snapshots("a folder in the way", before, snapshot(out))


def mode_rollback(a):
    if not a.faults:
        print("skipped: no kpmc-gen-faults")
        sys.exit(77)
    work = kpmctest.fresh(a.work)
    template = os.path.join(a.data, "template.plist")
    cases = [
        # (variable, name, error text): the files are replaced in the order
        # catalog_data.c, events.h, db/bad.h, all.h, then gone.h and the
        # fixtures' headers are removed.
        ("KPMC_GEN_FAULT_RENAME", "catalog_data.c", "catalog_data.c: error: cannot replace"),
        ("KPMC_GEN_FAULT_RENAME", "bad.h", "include/kpmc/db/bad.h: error: cannot replace"),
        ("KPMC_GEN_FAULT_RENAME", "all.h", "include/kpmc/db/all.h: error: cannot replace"),
        ("KPMC_GEN_FAULT_UNLINK", "fixturex.h", "include/kpmc/db/fixturex.h: error: cannot remove stale header"),
        ("KPMC_GEN_FAULT_LINK", "events.h", "include/kpmc/events.h: error: cannot keep the previous version"),
    ]
    cases += [("KPMC_GEN_FAULT_RENAME", "all.h", "include/kpmc/db/all.h: error: cannot replace", "nolink"),
              ("KPMC_GEN_FAULT_UNLINK", "fixture2.h", "include/kpmc/db/fixture2.h: error: cannot remove", "nolink")]
    for case in cases:
        var, name, text = case[:3]
        nolink = len(case) > 3
        label = "%s=%s%s" % (var, name, " without hard links" if nolink else "")
        out = os.path.join(work, "out-%s-%s%s" % (var[16:].lower(), name, "-nolink" if nolink else ""))
        prepare_other(a, out)
        before = snapshot(out)
        env = dict(os.environ)
        env[var] = name
        if nolink:
            env["KPMC_GEN_FAULT_NOLINK"] = "1"
        p = run([a.faults, "--quiet", "--out", out, template], rc=1, env=env)
        if p is not None:
            errors = [l for l in p.stderr.splitlines() if ": error: " in l]
            if len(errors) != 1 or (out + "/" + text) not in errors[0]:
                fail("%s: expected one error %r, got:\n%s" % (label, out + "/" + text, p.stderr))
        after = snapshot(out)
        if nolink:  # copies put back: the same bytes, new time stamps
            before = {k: v[:2] for k, v in before.items()}
            after = {k: v[:2] for k, v in after.items()}
        compare_snapshots(label, before, after)
        # Without the fault the same run goes through.
        env.pop(var)
        run([a.faults, "--quiet", "--out", out, template], env=env)
        os.remove(os.path.join(out, "NOTES.txt"))
        same_as("%s, then without the fault" % label, out, other_catalog(a))


def mode_concurrent(a):
    if not a.faults:
        print("skipped: no kpmc-gen-faults")
        sys.exit(77)
    ok = os.path.join(a.data, "ok")
    template = os.path.join(a.data, "template.plist")
    work = kpmctest.fresh(a.work)
    other = other_catalog(a)
    env = dict(os.environ)
    env["KPMC_GEN_FAULT_DELAY_MS"] = "100"
    for round_ in range(3):
        out = os.path.join(work, "out%d" % round_)
        first = subprocess.Popen([a.faults, "--quiet", "--out", out] + tables(a) + [ok], env=env, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
        # The second starts once the first holds the folder (its lock file is
        # there; the first then takes at least 0.7 s more to rename its 7
        # files), or after 30 s.
        lock = os.path.join(out, ".kpmc-gen.lock")
        for _ in range(3000):
            if os.path.exists(lock):
                time.sleep(0.05)
                break
            time.sleep(0.01)
        second = subprocess.Popen([a.faults, "--quiet", "--out", out, template], env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        _, err1 = first.communicate(timeout=120)
        _, err2 = second.communicate(timeout=120)
        for name, proc, err in (("first", first, err1), ("second", second, err2)):
            if proc.returncode != 0:
                fail("round %d: the %s run exited %d:\n%s" % (round_, name, proc.returncode, err))
            if "Sanitizer" in err or "runtime error:" in err:
                fail("round %d: sanitizer report in the %s run:\n%s" % (round_, name, err))
        if "waiting for kpmc-gen (process %d)" % first.pid not in err2:
            fail("round %d: the second run does not say it waits for the first (%d):\n%s" % (round_, first.pid, err2))
        same_as("round %d: two runs into one folder" % round_, out, other)


def mode_interrupted(a):
    if not a.faults:
        print("skipped: no kpmc-gen-faults")
        sys.exit(77)
    template = os.path.join(a.data, "template.plist")
    work = kpmctest.fresh(a.work)
    other = other_catalog(a)
    env = dict(os.environ)
    env["KPMC_GEN_FAULT_DELAY_MS"] = "100"
    out = os.path.join(work, "out")
    prepare_other(a, out)
    p = subprocess.Popen([a.faults, "--quiet", "--out", out, template], env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    # Once it holds the folder (its lock file is there), its renames take
    # 100 ms each: the signal comes after the first and before the last.
    lock = os.path.join(out, ".kpmc-gen.lock")
    for _ in range(3000):
        if os.path.exists(lock):
            break
        time.sleep(0.01)
    time.sleep(0.15)
    p.send_signal(signal.SIGTERM)
    _, err = p.communicate(timeout=120)
    if p.returncode != -signal.SIGTERM:
        fail("the run exited %d, not by SIGTERM:\n%s" % (p.returncode, err))
    if "Sanitizer" in err or "runtime error:" in err:
        fail("sanitizer report:\n" + err)
    # Every regular file compared: a temporary, kept or lock file is extra.
    os.remove(os.path.join(out, "NOTES.txt"))
    same_as("interrupted part-way", out, other)


def main():
    ap = kpmctest.parser("--gen", "--data", "--golden", "--work")
    ap.add_argument("mode", choices=["planted", "subfolder", "special", "in_the_way", "rollback", "concurrent",
                                     "interrupted"])
    ap.add_argument("--faults", default="")
    a = ap.parse_args()
    a.gen, a.data, a.golden, a.work = (os.path.abspath(x) for x in (a.gen, a.data, a.golden, a.work))
    if a.faults:
        a.faults = os.path.abspath(a.faults)
    globals()["mode_" + a.mode](a)
    return checks.finish(a.mode)


if __name__ == "__main__":
    sys.exit(main())
