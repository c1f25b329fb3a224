#!/usr/bin/env python3
"""Plist strings cannot inject code into the generated C.

  test_gen_inject.py --gen KPMC_GEN --cc CC --source DIR --work DIR

A database whose every free-form string (marketing name, descriptions, event
and alias names, the file name) tries to end a comment or a string literal,
start a preprocessor line, splice lines or form a trigraph is generated.
Then:
  - every generated file compiles alone with warnings as errors (an injected
    #error or stray declaration would not), and after the preprocessor has
    removed the comments, and string literals are taken out as well, no
    injected word is left anywhere;
  - tests/test_gen_golden_check.py, a second reading of the generated C,
    finds every string exactly as plistlib reads it from the plist.
"""
import os
import plistlib
import re
import shutil
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kpmctest  # noqa: E402

MARK = "kpmc_injected"

# Each one tries another way out of a comment or a string literal.
HOSTILE = [
    "*/ int " + MARK + "_1 = 1; /*",
    "Apple */\n#error " + MARK + "_2\n/*",
    "\"; int " + MARK + "_3; static const char *s = \"",
    "??/\n" + MARK + "_4 ??= ??' ??( ??) ??! ??< ??> ??-",
    "ends in a backslash \\\n" + MARK + "_5",
    "// " + MARK + "_6\r\n*/ " + MARK + "_7 /* \t tab",
    "*/*/*/ " + MARK + "_8 /*/*/*",
    "caf\u00e9 \u2014 \u65e5\u672c */ " + MARK + "_9",
]
# Names are printable ASCII without spaces (kpmc-gen refuses others).
NAMES = ["A*/B", "C/*D", "E\"F\\G", "H??/", "J//K"]


def hostile_plist():
    events = {
        "FIXED_CYCLES": {"fixed_counter": 0, "counters_mask": 1, "description": HOSTILE[0]},
        "INST_ALL": {"number": 140, "description": HOSTILE[1]},
    }
    for i, name in enumerate(NAMES):
        events[name] = {"number": 0x100 + i, "description": HOSTILE[(i + 2) % len(HOSTILE)]}
    aliases = {"Cycles": "FIXED_CYCLES", "Z*/Y": "INST_ALL", "W/*V": NAMES[0]}
    return {
        "name": "evil",
        "version": [1, 0],
        "system": {"cpu": {
            "marketing_name": " ".join(HOSTILE),
            "architecture": "arm64",
            "fixed_counters": 3,
            "config_counters": 252,
            "aliases": aliases,
            "events": events,
        }},
    }


STRING_RE = re.compile(r'"(?:[^"\\\n]|\\.)*"' + r"|'(?:[^'\\\n]|\\.)*'")


def main():
    a = kpmctest.parser("--gen", "--cc", "--source", "--work").parse_args()
    work = os.path.abspath(a.work)
    shutil.rmtree(work, ignore_errors=True)
    inputs = os.path.join(work, "in")
    out = os.path.join(work, "out")
    os.makedirs(inputs)
    F = kpmctest.Checks()
    # The file name reaches the banner comments and the string pool.
    plist = os.path.join(inputs, "ev*il \"x\\\n#error " + MARK + "_11.plist")
    with open(plist, "wb") as f:
        plistlib.dump(hostile_plist(), f, fmt=plistlib.FMT_XML)
    p = subprocess.run([a.gen, "--quiet", "--out", out, inputs], capture_output=True, text=True, errors="replace")
    if p.returncode != 0:
        return F.fail("kpmc-gen exited %d:\n%s" % (p.returncode, p.stderr)) or F.finish("kpmc-gen failed")

    includes = ["-I", os.path.join(out, "include"), "-I", os.path.join(a.source, "include"),
                "-I", os.path.join(a.source, "internal")]
    flags = ["-std=c11", "-Wall", "-Wextra", "-Wpedantic", "-Werror", "-trigraphs"]
    generated = sorted(os.path.join(d, n) for d, _, ns in os.walk(out) for n in ns)
    for path in generated:
        rel = os.path.relpath(path, out)
        c = subprocess.run([a.cc] + flags + includes + ["-fsyntax-only", "-x", "c", path],
                           capture_output=True, text=True, errors="replace")
        if c.returncode != 0:
            F.fail("%s does not compile:\n%s" % (rel, c.stderr))
        e = subprocess.run([a.cc] + flags + includes + ["-E", "-P", "-x", "c", path],
                           capture_output=True, text=True, errors="replace")
        if e.returncode != 0:
            F.fail("%s: the preprocessor fails:\n%s" % (rel, e.stderr))
            continue
        code = STRING_RE.sub('""', e.stdout)
        for line in code.splitlines():
            if MARK in line.lower():
                F.fail("%s: injected code outside comments and strings: %s" % (rel, line.strip()))

    check = subprocess.run([sys.executable, os.path.join(a.source, "tests", "test_gen_golden_check.py"),
                            "--plists", inputs, "--catalog", out,
                            "--format", os.path.join(a.source, "internal", "catalog_format.h")],
                           capture_output=True, text=True, errors="replace")
    if check.returncode != 0:
        F.fail("the generated catalog does not read back as the plist says:\n" + check.stdout + check.stderr)

    return F.finish("%d generated files compiled alone, searched for injected code, read back" % len(generated))


if __name__ == "__main__":
    sys.exit(main())
