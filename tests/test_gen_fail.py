#!/usr/bin/env python3
"""One kpmc-gen failure: run the generator on bad input and check that it
fails the way it must.

  test_gen_fail.py --gen KPMC_GEN --data DIR --work DIR --golden DIR
                   --where LOC --message TEXT [--rc N] [--errors N]
                   [--copy SRC=DEST] [--symlink DEST=TARGET] [--fifo DEST]
                   [--sparse DEST=BYTES] -- INPUT...

kpmc-gen runs in DIR (--data), so INPUTs and LOC are relative to it; "{work}"
in an INPUT or in LOC stands for the work folder (--work), where --copy and
--symlink prepare inputs at test time.  --fifo makes a named pipe
and --sparse a file of BYTES zero bytes.  LOC is "FILE:LINE" (the error must
name that file and line), "FILE" (that file, no line), "-" (no file) or
"usage" (a usage error: TEXT anywhere in stderr).

Checks: the exit status is --rc (default 1); stderr has --errors error lines
(default 1), one of them "LOC: error: ...TEXT..." (with --alone, stderr has
no other line); no sanitizer report; and
the output folder, filled beforehand with a catalog (the golden one), a stale
generated header and a file of ours, is exactly as it was: no file changed,
added (no *.tmp*) or removed.
"""
import os
import shutil
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kpmctest  # noqa: E402
from kpmctest import Checks  # noqa: E402

STALE_HEADER = "/* kpmc catalog: event ids of database gone (Gone).\n * DO NOT EDIT. */\n"


def snapshot(root):
    """Every file and folder under root: relative path -> (bytes or None, mtime_ns)."""
    snap = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for d in dirnames:
            p = os.path.join(dirpath, d)
            snap[os.path.relpath(p, root) + "/"] = (None, None)
        for f in filenames:
            p = os.path.join(dirpath, f)
            with open(p, "rb") as fh:
                snap[os.path.relpath(p, root)] = (fh.read(), os.stat(p).st_mtime_ns)
    return snap


def prepare_out(out, golden):
    shutil.copytree(golden, out)
    with open(os.path.join(out, "include", "kpmc", "db", "gone.h"), "w") as f:
        f.write(STALE_HEADER)
    with open(os.path.join(out, "NOTES.txt"), "w") as f:
        f.write("not generated; must survive every run\n")
    # A fixed, old time stamp, so that a rewrite with equal bytes shows too.
    for dirpath, _, filenames in os.walk(out):
        for name in filenames:
            os.utime(os.path.join(dirpath, name), ns=(1_000_000_000, 1_000_000_000))


def main():
    ap = kpmctest.parser("--gen", "--data", "--work", "--golden", "--where", "--message")
    ap.add_argument("--rc", type=int, default=1)
    ap.add_argument("--errors", type=int, default=1)
    ap.add_argument("--copy", action="append", default=[])
    ap.add_argument("--symlink", action="append", default=[])
    ap.add_argument("--alone", action="store_true")
    ap.add_argument("--fifo", action="append", default=[])
    ap.add_argument("--sparse", action="append", default=[])
    ap.add_argument("inputs", nargs="*")
    a = ap.parse_args()

    work = os.path.abspath(a.work)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    sub = lambda s: s.replace("{work}", work)
    for spec in a.copy:
        src, dest = spec.split("=", 1)
        dest = sub(dest)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        shutil.copyfile(os.path.join(a.data, src), dest)
    for spec in a.symlink:
        dest, target = spec.split("=", 1)
        dest = sub(dest)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        os.symlink(target, dest)
    for dest in a.fifo:
        dest = sub(dest)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        os.mkfifo(dest)
    for spec in a.sparse:
        dest, size = spec.split("=", 1)
        dest = sub(dest)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with open(dest, "wb") as f:
            f.truncate(int(size))

    out = os.path.join(work, "out")
    prepare_out(out, a.golden)
    before = snapshot(out)

    cmd = [a.gen, "--out", out] + [sub(i) for i in a.inputs]
    print("command:", " ".join(cmd))
    c = Checks()
    try:
        p = subprocess.run(cmd, cwd=a.data, capture_output=True, text=True, errors="replace", timeout=60)
    except subprocess.TimeoutExpired:
        return c.fail("kpmc-gen ran for more than 60 s") or c.finish("kpmc-gen timed out")
    print("stderr:\n" + p.stderr)
    c.eq("exit status", p.returncode, a.rc)
    for bad in ("Sanitizer", "runtime error:", "Segmentation", "Aborted"):
        c.expect(bad not in p.stderr, "stderr reports a crash or sanitizer finding (%r)" % bad)
    errors = [l for l in p.stderr.splitlines() if ": error: " in l]
    c.eq("error lines", len(errors), a.errors)
    if a.alone:
        c.eq("stderr lines besides the error lines", len(p.stderr.splitlines()) - len(errors), 0)
    where = sub(a.where)
    if where == "usage":
        c.expect(a.message in p.stderr, "stderr does not contain %r" % a.message)
    else:
        prefix = "kpmc-gen: error: " if where == "-" else where + ": error: "
        c.expect(any(l.startswith(prefix) and a.message in l for l in errors),
                 "no error line starts with %r and contains %r" % (prefix, a.message))
    after = snapshot(out)
    for rel in sorted(set(before) | set(after)):
        c.expect(rel in after, "output folder: %s was removed" % rel)
        c.expect(rel in before, "output folder: %s appeared" % rel)
        c.expect(rel not in before or rel not in after or before[rel] == after[rel],
                 "output folder: %s was changed" % rel)
    return c.finish(errors[0] if errors else p.stderr.strip())


if __name__ == "__main__":
    sys.exit(main())
