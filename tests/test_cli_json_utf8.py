#!/usr/bin/env python3
"""Every JSON the kpmc command writes is valid UTF-8 JSON whatever the input:
event names that are not UTF-8, that are cut in the middle of a character,
that hold control characters, go through `kpmc check --format json` (whose
answer echoes them, in "events" and in the "error" sentence), and the output
must decode as strict UTF-8 and parse as JSON, each name reading back as
Python's own decoder reads it (every ill-formed sequence one U+FFFD,
well-formed text unchanged).

    test_cli_json_utf8.py PATH-TO-kpmc
"""
import json
import os
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kpmctest  # noqa: E402

KPMC = sys.argv[1]
checks = kpmctest.Checks()
check = checks.expect

NAMES = [
    b"\xff",                       # never in UTF-8
    b"\xfe\xff",
    b"caf\xc3\xa9",                # well-formed: unchanged
    b"\xf0\x9f\x98\x80",           # U+1F600
    b"\xef\xbf\xbf",               # U+FFFF is well-formed
    b"\xc3",                       # cut after the first byte
    b"\xe2\x82",                   # cut after two of three
    b"\xf0\x9f\x98",               # cut after three of four
    b"\xed\xa0\x80",               # a surrogate
    b"\xc0\xaf",                   # overlong '/'
    b"\xe0\x80\xaf",               # overlong, three bytes
    b"\xf4\x90\x80\x80",           # above U+10FFFF
    b"\xf8\x88\x80\x80\x80",       # five-byte form
    b"\x80\xbf",                   # continuation bytes alone
    b"a\x01b\x1fc\x7fd\te\nf\"g\\h",  # control characters, quote, backslash
    b"INST_\xa0ALL",
    # The error sentence is cut to 1 KiB: with one of these three it is cut
    # inside a character.
    b"\xe2\x82\xac" * 400,
    b"x" + b"\xe2\x82\xac" * 400,
    b"xx" + b"\xe2\x82\xac" * 400,
]


def run(args):
    env = dict(os.environ)
    env.pop("KPMC_DB", None)
    p = subprocess.run([KPMC.encode()] + args, capture_output=True, env=env)
    try:
        text = p.stdout.decode("utf-8", errors="strict")
    except UnicodeDecodeError as e:
        check(False, "%r: the output is not UTF-8 (%s): %r" % (args, e, p.stdout[:200]))
        return p.returncode, None
    try:
        return p.returncode, json.loads(text)
    except ValueError as e:
        check(False, "%r: the output is not JSON (%s): %r" % (args, e, text[:200]))
        return p.returncode, None


for name in NAMES:
    want = name.decode("utf-8", errors="replace")
    rc, doc = run([b"check", b"--format", b"json", b"--db", b"a14", name])
    check(rc == 1, "%r: exit status %d, expected 1 (no such event)" % (name[:40], rc))
    if doc is None:
        continue
    check(doc.get("events") == [want], "%r: events %r, expected [%r]" % (name[:40], doc.get("events"), want))
    err = doc.get("error", "")
    head = want[:40]
    check(isinstance(err, str) and head in err, "%r: the error %r does not name %r" % (name[:40], err[:80], head))

# Several at once, with a name that exists: still one valid document.
rc, doc = run([b"check", b"--format", b"json", b"--db", b"a14", b"INST_ALL", b"\xff\xfe", b"caf\xc3\xa9"])
check(doc is not None and doc.get("events") == ["INST_ALL", "\ufffd\ufffd", "caf\u00e9"], "three names: %r" % doc)

sys.exit(checks.finish("%d names, ill-formed and well-formed, through kpmc check --format json" % len(NAMES)))
