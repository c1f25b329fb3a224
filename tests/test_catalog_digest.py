#!/usr/bin/env python3
"""Run test_catalog_digest with the digests of the two catalogs it mixes,
computed here from their headers (tests/kpmctest.py), not by kpmc-gen.

  test_catalog_digest.py PROGRAM HEADERS_INCLUDE LIBRARY_INCLUDE

HEADERS_INCLUDE holds the kpmc/*.h the program was compiled against,
LIBRARY_INCLUDE those generated with the catalog of the library it links.
"""
import os
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kpmctest  # noqa: E402


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    program, headers, library = sys.argv[1:]
    digests = ["0x%016x" % kpmctest.catalog_digest(kpmctest.header_enumerators(inc)) for inc in (headers, library)]
    print("headers %s, library %s" % tuple(digests), flush=True)
    return subprocess.run([program] + digests).returncode


if __name__ == "__main__":
    sys.exit(main())
