#!/usr/bin/env python3
"""No public struct layout depends on how many counters a chip has, and every
struct a caller hands the library to fill carries its size.

  test_abi_layout.py HEADER_DIR

In every `typedef struct NAME { ... } NAME;` of the headers:
 - no member is an array sized by KPMC_MAX_EVENTS or KPMC_GROUPS_MAX (a later
   chip with more counters would change the layout);
 - the first member is `size_t size` (<kpmc/catalog.h>), except in the
   results a measurement hands out through pointers (LIBRARY_OWNED), which a
   caller never allocates.
"""
import os
import pathlib
import re
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kpmctest import Checks, strip_comments  # noqa: E402

# Structs only the library allocates: kpmc_measure_result() and its arrays.
LIBRARY_OWNED = {"kpmc_result", "kpmc_measured_event", "kpmc_measured_metric", "kpmc_sample"}
COUNTER_LIMITS = ("KPMC_MAX_EVENTS", "KPMC_GROUPS_MAX")

checks = Checks()


def structs(header_dir):
    """(header, name, members): members as statements, nested braces kept."""
    for h in sorted(pathlib.Path(header_dir).glob("*.h")):
        text = strip_comments(h.read_text())
        for m in re.finditer(r"typedef\s+struct\s+(\w+)\s*\{", text):
            depth, i = 1, m.end()
            while depth:
                depth += {"{": 1, "}": -1}.get(text[i], 0)
                i += 1
            body = text[m.end():i - 1]
            members = [" ".join(s.split()) for s in body.split(";") if s.strip()]
            yield h.name, m.group(1), members


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    found = 0
    for header, name, members in structs(argv[1]):
        found += 1
        for member in members:
            for bound in re.findall(r"\[([^\]]*)\]", member):
                checks.expect(not any(limit in bound for limit in COUNTER_LIMITS),
                              "%s: %s.%s is sized by %s" % (header, name, member, bound))
        first = members[0] if members else ""
        if name not in LIBRARY_OWNED:
            checks.expect(first == "size_t size", "%s: %s begins with '%s', not 'size_t size'" % (header, name, first))
    checks.expect(found >= 15, "only %d structs found in %s" % (found, argv[1]))
    return checks.finish("abi.layout: %d public structs" % found)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
