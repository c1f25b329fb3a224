#!/usr/bin/env python3
"""`kpmc list` as a command: help, usage errors, and the text listing.

  test_list_cli.py --kpmc KPMC [--plists DIR]

--help exits 0; an unknown option, database or format, or a missing value,
exits 2 with a message that names it and lists the valid choices; the text
listing of each database names every one of its events and aliases (read
from the kpep folder DIR when given, else from the JSON listing, which
test_list_json checks against the plists).
"""
import json
import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kpmctest  # noqa: E402
from kpmctest import Checks, KpepError, read_kpep  # noqa: E402

c = Checks()
fail = c.fail


def kpmc(exe, *args):
    env = dict(os.environ)
    env.pop("KPMC_DB", None)
    return subprocess.run([exe, "list"] + list(args), capture_output=True, text=True, env=env, timeout=60)


def expect_usage_error(exe, args, names, choices):
    p = kpmc(exe, *args)
    what = "kpmc list " + " ".join(args)
    c.expect(p.returncode == 2, "%s: exit status %d, expected 2" % (what, p.returncode))
    c.expect(not p.stdout, "%s: prints on stdout:\n%s" % (what, p.stdout))
    for text in [names] + choices:
        c.expect(text in p.stderr, "%s: the message does not mention %r:\n%s" % (what, text, p.stderr))


def main():
    ap = kpmctest.parser("--kpmc")
    ap.add_argument("--plists")
    a = ap.parse_args()
    exe = a.kpmc

    h = kpmc(exe, "--help")
    c.expect(h.returncode == 0 and "usage: kpmc list" in h.stdout,
             "kpmc list --help: exit %d, stdout:\n%s" % (h.returncode, h.stdout))
    for opt in ("--db", "--all", "--format", "--help"):
        c.expect(opt in h.stdout, "kpmc list --help does not describe %s" % opt)

    # The databases, from the plists when they are given.
    if a.plists:
        try:
            kpep = read_kpep(a.plists)
        except KpepError as e:
            return fail(str(e)) or c.finish(a.plists)
        names = {d.name: list(d.cpu["events"]) + list(d.cpu.get("aliases", {})) for d in kpep.databases.values()}
    else:
        j = json.loads(kpmc(exe, "--all", "--format", "json").stdout)
        names = {d["name"]: [e["name"] for e in d["events"]] + list(d["aliases"]) for d in j["databases"]}

    options = ["--db", "--all", "--format"]
    expect_usage_error(exe, ["--bogus"], "--bogus", options)
    expect_usage_error(exe, ["--db", "a14", "-x"], "-x", options)
    expect_usage_error(exe, ["--db", "no-such-db"], "no-such-db", sorted(names))
    expect_usage_error(exe, ["--db", "a14x"], "a14x", sorted(names))
    expect_usage_error(exe, ["--format", "xml"], "xml", ["text", "json"])
    expect_usage_error(exe, ["--format", "JSON"], "JSON", ["text", "json"])
    expect_usage_error(exe, ["--db"], "--db", [])
    expect_usage_error(exe, ["--format"], "--format", [])
    expect_usage_error(exe, ["--all", "--db", "a14"], "--db", ["--all"])

    for db, want in sorted(names.items()):
        p = kpmc(exe, "--db", db)
        if p.returncode != 0:
            fail("kpmc list --db %s: exit status %d\n%s" % (db, p.returncode, p.stderr))
            continue
        words = set(re.split(r"\s+", p.stdout))
        missing = [n for n in want if n not in words]
        c.expect(not missing, "kpmc list --db %s: the text does not name %s" % (db, missing[:10]))
        c.expect(p.stdout.startswith(db + ":"),
                 "kpmc list --db %s: the text does not start with the database's name" % db)
    upper = kpmc(exe, "--db", sorted(names)[0].upper())
    lower = kpmc(exe, "--db", sorted(names)[0])
    c.expect(upper.returncode == 0 and upper.stdout == lower.stdout,
             "kpmc list --db with the name in upper case differs")
    return c.finish("help, usage errors and the text of %d databases" % len(names))


if __name__ == "__main__":
    sys.exit(main())
