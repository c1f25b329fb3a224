#!/usr/bin/env python3
"""The kpep snapshot against its README.

  test_kpep_snapshot.py KPEP_DIR [--form symlink|name|copy|any]

KPEP_DIR/README.md lists the SHA-256 of every database (a `sha256sum` list)
and the cpu_* links (a table: link, database, chips).  Checked: every
database has the SHA-256 listed, none is missing or extra; each database's
`name` is its file name; the cpu_* links are exactly those of the table,
each naming the database the table gives.  With --form every link must be in
that form (for the copies of the folder made for each form; "any": every
form may occur); without it a link may be a symbolic link, as git checks it
out, or a file holding the database's name, as a checkout without symbolic
links writes it, but not a copy.
"""
import argparse
import hashlib
import os
import re
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kpmctest import LINK_FORMS, Checks, KpepError, read_kpep  # noqa: E402

SHA_LINE = re.compile(r"^([0-9a-f]{64})  (\S+\.plist)$")
LINK_ROW = re.compile(r"^\| `(cpu_[0-9a-f]+_[0-9a-f]+_[0-9a-f]+\.plist)` \| ([\w.-]+) \| .* \|$")


def read_readme(path):
    sums, links = {}, {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            m = SHA_LINE.match(line)
            if m:
                sums[m.group(2)] = m.group(1)
            m = LINK_ROW.match(line)
            if m:
                links[m.group(1)] = m.group(2) + ".plist"
    return sums, links


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("kpep")
    ap.add_argument("--form", choices=LINK_FORMS + ("any",))
    a = ap.parse_args()
    c = Checks()
    try:
        kpep = read_kpep(a.kpep)
        sums, table = read_readme(os.path.join(a.kpep, "README.md"))
    except (KpepError, OSError) as e:
        return c.fail(str(e)) or c.finish(a.kpep)
    c.expect(sums, "README.md lists no SHA-256")
    c.expect(table, "README.md has no link table")

    c.eq("databases", sorted(kpep.databases), sorted(sums))
    for f, want in sorted(sums.items()):
        d = kpep.databases.get(f)
        if d:
            c.eq("SHA-256 of " + f, hashlib.sha256(d.raw).hexdigest(), want)
            c.eq("name in " + f, d.name, f[:-len(".plist")])

    c.eq("cpu_* links", sorted(l.file for l in kpep.links), sorted(table))
    forms = {None: ("symlink", "name"), "any": LINK_FORMS}.get(a.form, (a.form,))
    for l in kpep.links:
        c.eq("database of " + l.file, l.target, table.get(l.file))
        c.expect(l.form in forms, "%s is a %s, expected %s" % (l.file, l.form, " or ".join(forms)))
    return c.finish("%s: %d databases, %d links as README.md lists them" % (a.kpep, len(kpep.databases),
                                                                          len(kpep.links)))


if __name__ == "__main__":
    sys.exit(main())
