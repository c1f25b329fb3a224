#!/usr/bin/env python3
"""The shared library exports exactly the public API, under the right soname.

  test_abi_exports.py --lib LIBKPMC --nm NM --abi N HEADER_DIR...

Every function a public header declares (kpmc_*( at file scope) must carry
KPMC_API, every KPMC_API function must be exported by LIBKPMC, and LIBKPMC
must export nothing else.  On ELF its soname must end in .so.N, N being
KPMC_ABI_VERSION.

The functions that take ids are macros, kpmc_X(...) for
kpmc_X_v(KPMC_CATALOG_DIGEST, ...): each KPMC_API function whose first
parameter is `uint64_t catalog` must have that macro, and no function
kpmc_X may be declared or exported beside it (a way around the check).
"""
import os
import pathlib
import re
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kpmctest  # noqa: E402
from kpmctest import Checks, strip_comments  # noqa: E402

checks = Checks()
fail = checks.fail


def declared(header_dirs):
    """(api, unmarked, checked): KPMC_API function names, file:line of
    prototypes without it, and the functions taking `uint64_t catalog` first."""
    api, unmarked, checked = set(), [], set()
    for d in header_dirs:
        for h in sorted(pathlib.Path(d).rglob("*.h")):
            text = strip_comments(h.read_text())
            # Join each statement (up to ';' or '{') so multi-line prototypes are seen whole.
            for m in re.finditer(r"[^;{}]*[;{}]", text):
                stmt = m.group(0)
                line = text.count("\n", 0, m.start() + len(stmt) - len(stmt.lstrip())) + 1
                flat = " ".join(stmt.split())
                if "typedef" in flat:
                    continue
                fn = re.search(r"\b(kpmc_\w+)\s*\(", flat)
                if not fn or not flat.endswith(";"):
                    continue
                if "KPMC_API" in flat:
                    api.add(fn.group(1))
                else:
                    unmarked.append("%s:%d: %s" % (h, line, fn.group(1)))
                if re.search(r"\b%s\s*\(\s*uint64_t catalog\s*," % fn.group(1), flat):
                    checked.add(fn.group(1))
    return api, unmarked, checked


def digest_macros(header_dirs):
    """name -> expansion of every function-like macro kpmc_*(...)."""
    macros = {}
    for d in header_dirs:
        for h in sorted(pathlib.Path(d).rglob("*.h")):
            for m in re.finditer(r"^[ \t]*#[ \t]*define[ \t]+(kpmc_\w+)\(([^)]*)\)[ \t]*(.*)$", h.read_text(), re.M):
                macros[m.group(1)] = (m.group(2).strip(), m.group(3).strip())
    return macros


def exported(nm, lib):
    p = subprocess.run([nm, "-D", "--defined-only", lib], capture_output=True, text=True)
    if p.returncode != 0:
        fail("%s -D %s: %s" % (nm, lib, p.stderr.strip()))
        return set()
    syms = set()
    for line in p.stdout.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[1] not in ("U", "w", "v"):
            syms.add(parts[2].split("@")[0])
    return syms


def main():
    ap = kpmctest.parser("--lib", "--nm", "--abi")
    ap.add_argument("--readelf")
    ap.add_argument("headers", nargs="+")
    a = ap.parse_args()

    api, unmarked, checked = declared(a.headers)
    for u in unmarked:
        fail("public function without KPMC_API: " + u)
    if len(api) < 10:
        fail("only %d KPMC_API functions found in %s: the header scan is broken" % (len(api), a.headers))
    syms = exported(a.nm, a.lib)
    macros = digest_macros(a.headers)
    if len(checked) < 8:
        fail("only %d functions take `uint64_t catalog` first: the header scan is broken" % len(checked))
    for f in sorted(checked):
        name = f[:-2] if f.endswith("_v") else None
        want = ("...", "%s(KPMC_CATALOG_DIGEST, __VA_ARGS__)" % f)
        if not name or macros.get(name) != want:
            fail("%s takes the catalog digest, but %s is %s, not #define %s(...) %s" % (
                f, name, "#define %s(%s) %s" % ((name,) + macros[name]) if name in macros else "no macro", name,
                want[1]))
        elif name in api or name in syms:
            fail("%s is a function beside the macro that checks the catalog digest" % name)
    for name, (params, body) in sorted(macros.items()):
        if "KPMC_CATALOG_DIGEST" in body and name + "_v" not in checked:
            fail("macro %s passes the digest to something other than a function taking it" % name)
    for s in sorted(api - syms):
        fail("declared with KPMC_API but not exported: " + s)
    for s in sorted(syms - api):
        fail("exported but not part of the public API: " + s)
    if a.readelf:
        p = subprocess.run([a.readelf, "-d", a.lib], capture_output=True, text=True)
        m = re.search(r"\(SONAME\).*\[(.*)\]", p.stdout)
        want = "libkpmc.so." + a.abi
        if not m or m.group(1) != want:
            fail("soname %s, expected %s" % (m.group(1) if m else "(none)", want))
    return checks.finish("%d public functions (%d taking ids through a digest macro), %d exported symbols" % (
        len(api), len(checked), len(syms)))


if __name__ == "__main__":
    sys.exit(main())
