#!/usr/bin/env python3
"""`kpmc list` as a command: help, usage errors, and the text listing.

  test_list_cli.py --kpmc KPMC [--plists DIR]

--help exits 0; an unknown option, database or format, or a missing value,
exits 2 with a message that names it and lists the valid choices; the text
listing of each database names every one of its events and aliases (read
from the plists in DIR with plistlib when DIR is there, else from the JSON
listing, which test_list_json checks against the plists).
"""
import argparse
import json
import os
import plistlib
import re
import subprocess
import sys

LINK_RE = re.compile(r"^cpu_[0-9a-fA-F]+_[0-9a-fA-F]+_[0-9a-fA-F]+\.plist$")
fails = []


def fail(msg):
    fails.append(msg)
    print("FAIL:", msg)


def kpmc(exe, *args):
    env = dict(os.environ)
    env.pop("KPMC_DB", None)
    return subprocess.run([exe, "list"] + list(args), capture_output=True, text=True, env=env, timeout=60)


def expect_usage_error(exe, args, names, choices):
    p = kpmc(exe, *args)
    what = "kpmc list " + " ".join(args)
    if p.returncode != 2:
        fail("%s: exit status %d, expected 2" % (what, p.returncode))
    if p.stdout:
        fail("%s: prints on stdout:\n%s" % (what, p.stdout))
    for text in [names] + choices:
        if text not in p.stderr:
            fail("%s: the message does not mention %r:\n%s" % (what, text, p.stderr))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kpmc", required=True)
    ap.add_argument("--plists")
    a = ap.parse_args()
    exe = a.kpmc

    h = kpmc(exe, "--help")
    if h.returncode != 0 or "usage: kpmc list" not in h.stdout:
        fail("kpmc list --help: exit %d, stdout:\n%s" % (h.returncode, h.stdout))
    for opt in ("--db", "--all", "--format", "--help"):
        if opt not in h.stdout:
            fail("kpmc list --help does not describe %s" % opt)

    # The databases, from the plists when they are here.
    if a.plists and os.path.isdir(a.plists):
        names = {}
        for f in sorted(os.listdir(a.plists)):
            if f.endswith(".plist") and not LINK_RE.match(f):
                with open(os.path.join(a.plists, f), "rb") as fh:
                    d = plistlib.load(fh)
                cpu = d["system"]["cpu"]
                names[d["name"]] = list(cpu["events"]) + list(cpu.get("aliases", {}))
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
        if missing:
            fail("kpmc list --db %s: the text does not name %s" % (db, missing[:10]))
        if not p.stdout.startswith(db + ":"):
            fail("kpmc list --db %s: the text does not start with the database's name" % db)
    upper = kpmc(exe, "--db", sorted(names)[0].upper())
    lower = kpmc(exe, "--db", sorted(names)[0])
    if upper.returncode != 0 or upper.stdout != lower.stdout:
        fail("kpmc list --db with the name in upper case differs")
    if fails:
        print("%d failure(s)" % len(fails))
        return 1
    print("ok: help, usage errors and the text of %d databases" % len(names))
    return 0


if __name__ == "__main__":
    sys.exit(main())
