#!/usr/bin/env python3
"""Write a C table of every enumerator the generated catalog headers declare,
for test_catalog_lookup to check against the lookup API.

  test_gen_enum_table.py INCLUDE_DIR OUT.c

INCLUDE_DIR holds kpmc/events.h, kpmc/generic.h and kpmc/db/*.h.  Only the enumerators'
names are read here; their values come from the compiler.
"""
import os
import re
import sys


def enumerators(path):
    with open(path, encoding="latin-1") as f:
        text = re.sub(r"/\*.*?\*/", "", f.read(), flags=re.S)
    return text, re.findall(r"\b(KPMC_\w+)\s*=", text)


def main():
    inc, out = sys.argv[1], sys.argv[2]
    rows = []
    _, names = enumerators(os.path.join(inc, "kpmc", "events.h"))
    for n in names:
        if n.startswith("KPMC_DB_") and n != "KPMC_DB_COUNT":
            rows.append('    {-1, "DB", "%s", %s},' % (n[len("KPMC_DB_"):], n))
        elif n.startswith("KPMC_EV_") and n != "KPMC_EV_COUNT":
            rows.append('    {-2, "EV", "%s", %s},' % (n[len("KPMC_EV_"):], n))
    _, names = enumerators(os.path.join(inc, "kpmc", "generic.h"))
    for n in names:
        if n.startswith("KPMC_GEN_") and n != "KPMC_GEN_COUNT":
            rows.append('    {-3, "GEN", "%s", %s},' % (n[len("KPMC_GEN_"):], n))
    db_dir = os.path.join(inc, "kpmc", "db")
    headers = sorted(f for f in os.listdir(db_dir) if f.endswith(".h") and f != "all.h")
    for h in headers:
        text, names = enumerators(os.path.join(db_dir, h))
        ident = re.search(r"enum\s+kpmc_(\w+)_event\b", text).group(1)
        prefix = "KPMC_%s_" % ident
        for n in names:
            if not n.startswith(prefix):
                sys.exit("%s: enumerator %s does not start with %s" % (h, n, prefix))
            rows.append('    {KPMC_DB_%s, "%s", "%s", %s},' % (ident, ident, n[len(prefix):], n))
    with open(out + ".tmp", "w") as f:
        f.write("/* Every enumerator of the catalog headers (written by tests/test_gen_enum_table.py). */\n")
        f.write("#include <kpmc/db/all.h>\n#include <kpmc/events.h>\n#include <kpmc/generic.h>\n\n")
        f.write("#include <stddef.h>\n\n")
        f.write("/* as declared in test_catalog_lookup.c; db is -1 for KPMC_DB_*, -2 for KPMC_EV_*, -3 for KPMC_GEN_* */\n")
        f.write("struct enum_entry {\n    int db;\n    const char *ident, *suffix;\n    long value;\n};\n")
        f.write("extern const struct enum_entry enum_table[];\nextern const size_t enum_table_len, enum_table_headers;\n\n")
        f.write("const struct enum_entry enum_table[] = {\n%s\n};\n" % "\n".join(rows))
        f.write("const size_t enum_table_len = sizeof enum_table / sizeof enum_table[0];\n")
        f.write("const size_t enum_table_headers = %d;\n" % len(headers))
    os.replace(out + ".tmp", out)


if __name__ == "__main__":
    main()
