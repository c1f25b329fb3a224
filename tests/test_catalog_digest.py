#!/usr/bin/env python3
"""Run test_catalog_digest with the digests of the two catalogs it mixes,
computed here from their headers (tests/kpmctest.py), not by kpmc-gen.

  test_catalog_digest.py PROGRAM HEADERS_INCLUDE LIBRARY_INCLUDE
  test_catalog_digest.py --readme README.md CATALOG

HEADERS_INCLUDE holds the kpmc/*.h the program was compiled against,
LIBRARY_INCLUDE those generated with the catalog of the library it links.
With --readme: the Python program of README's "Ids and the catalog digest",
run in CATALOG, prints the digest its include/kpmc/events.h defines.
"""
import os
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kpmctest  # noqa: E402


def readme(path, catalog):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    at = text.index("**Ids and the catalog digest.**")
    start = text.index("```python\n", at) + len("```python\n")
    code = text[start:text.index("```", start)]
    p = subprocess.run([sys.executable, "-c", code], cwd=catalog, capture_output=True, text=True)
    want = "0x%016x\n" % kpmctest.digest_define(os.path.join(catalog, "include"))
    if p.returncode != 0 or p.stdout != want:
        print("FAIL: README's program printed %r (%s), expected %r" % (p.stdout, p.stderr.strip(), want))
        return 1
    print("ok: README's program prints %s" % want.strip())
    return 0


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--readme":
        return readme(sys.argv[2], sys.argv[3])
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    program, headers, library = sys.argv[1:]
    digests = ["0x%016x" % kpmctest.catalog_digest(kpmctest.header_enumerators(inc)) for inc in (headers, library)]
    print("headers %s, library %s" % tuple(digests), flush=True)
    return subprocess.run([program] + digests).returncode


if __name__ == "__main__":
    sys.exit(main())
