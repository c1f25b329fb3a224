#!/usr/bin/env python3
"""What the catalog digest covers: kpmc-gen on edited copies of the golden
fixtures (tests/data/gen/ok and its tables).  An edit that changes an id
(an event added, removed or renamed, an alias pointed elsewhere, a database
added, generic events reordered) must change KPMC_CATALOG_DIGEST; one that
changes no id (descriptions, selectors, marketing names, chips, a cpu_* link,
the plists' layout) must keep it.  For every output the digest of the header
and of catalog_data.c must be the one tests/kpmctest.py computes from the
headers' enumerators, and equal digests must go with equal enumerators.

  test_gen_digest.py --gen KPMC_GEN --plists DIR --generic TSV --chips TSV --work DIR
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


def plist_edit(file, edit):
    """An edit of one database of the copy, through plistlib (which also
    rewrites the file's layout)."""
    def apply(folder, tables):
        path = os.path.join(folder, file)
        with open(path, "rb") as f:
            d = plistlib.load(f)
        edit(d, d["system"]["cpu"])
        with open(path, "wb") as f:
            plistlib.dump(d, f, fmt=plistlib.FMT_XML)
    return apply


def text_edit(table, old, new):
    """An edit of one table of the copy: old must occur in it once."""
    def apply(folder, tables):
        path = tables[table]
        with open(path, encoding="ascii") as f:
            text = f.read()
        assert text.count(old) == 1, "%s: %r occurs %d times" % (path, old, text.count(old))
        with open(path, "w", encoding="ascii") as f:
            f.write(text.replace(old, new))
    return apply


def add_database(folder, tables):
    """fixture1, a copy of fixture2: sorts between fixture and fixture2."""
    with open(os.path.join(folder, "fixture2.plist"), "rb") as f:
        d = plistlib.load(f)
    d["name"] = "fixture1"
    with open(os.path.join(folder, "fixture1.plist"), "wb") as f:
        plistlib.dump(d, f, fmt=plistlib.FMT_XML)


def remove_link(folder, tables):
    os.remove(os.path.join(folder, "cpu_100000c_2_ABCDEF01.plist"))


def swap_generic(folder, tables):
    """The first two generic events (cycles, instructions) change places."""
    with open(tables["generic"], encoding="ascii") as f:
        text = f.read()
    blocks = re.split(r"(?m)^(?=event\t)", text)
    blocks[1], blocks[2] = blocks[2], blocks[1]
    with open(tables["generic"], "w", encoding="ascii") as f:
        f.write("".join(blocks))


def describe(d, cpu):
    for name, e in cpu["events"].items():
        e["description"] = "another description of " + name


def renumber(d, cpu):
    for e in cpu["events"].values():
        if "number" in e:
            e["number"] ^= 1


def add_event(name):
    def edit(d, cpu):
        cpu["events"][name] = dict(cpu["events"]["LD_UNIT_UOP"])
    return edit


def rename_event(d, cpu):
    cpu["events"]["WIDE_MAXIMUM"] = cpu["events"].pop("WIDE_MAX")


def remove_event(d, cpu):
    del cpu["events"]["NO_DESC_EVENT"]


def retarget_alias(d, cpu):
    cpu["aliases"]["ReferenceCycles"] = "UMASK_MAX"


def marketing(d, cpu):
    cpu["marketing_name"] = "Another Name"


def rewrite(d, cpu):
    pass


# (name, edit, the ids change)
VARIANTS = [
    ("plists rewritten by plistlib", plist_edit("fixture.plist", rewrite), False),
    ("every description changed", plist_edit("fixture.plist", describe), False),
    ("every selector changed", plist_edit("fixture.plist", renumber), False),
    ("marketing name changed", plist_edit("fixture2.plist", marketing), False),
    ("a chip renamed", text_edit("chips", "Test One Max", "Test One Ultra"), False),
    ("a generic description changed", text_edit("generic", "Retired instructions", "Instructions retired"), False),
    ("a cpu_* link removed", remove_link, False),
    ("an event added last", plist_edit("fixture.plist", add_event("ZZ_ADDED")), True),
    ("an event added first", plist_edit("fixture.plist", add_event("AA_ADDED")), True),
    ("an event renamed in place", plist_edit("fixture.plist", rename_event), True),
    ("an event removed", plist_edit("fixture.plist", remove_event), True),
    ("an alias pointed at another event", plist_edit("fixturex.plist", retarget_alias), True),
    ("a database added between others", add_database, True),
    ("two generic events swapped", swap_generic, True),
]


def generate(a, work, name, edit):
    """Copy the fixtures and tables into work/name, apply edit, run kpmc-gen;
    the output folder, or None after reporting the failure."""
    src = os.path.join(work, name, "plists")
    out = os.path.join(work, name, "out")
    shutil.rmtree(os.path.join(work, name), ignore_errors=True)
    shutil.copytree(a.plists, src, symlinks=True)
    tables = {"generic": os.path.join(work, name, "generic.tsv"), "chips": os.path.join(work, name, "chips.tsv")}
    shutil.copyfile(a.generic, tables["generic"])
    shutil.copyfile(a.chips, tables["chips"])
    if edit:
        edit(src, tables)
    p = subprocess.run([a.gen, "--quiet", "--out", out, "--generic", tables["generic"], "--chips", tables["chips"],
                        src], capture_output=True, text=True)
    if p.returncode != 0:
        print(p.stderr)
        return None
    return out


def digests(F, what, out):
    """(enumerators, digest) of a generated catalog, after checking that its
    header and catalog_data.c carry the digest of its enumerators."""
    inc = os.path.join(out, "include")
    enums = kpmctest.header_enumerators(inc)
    digest = kpmctest.catalog_digest(enums)
    F.eq(what + ": KPMC_CATALOG_DIGEST", kpmctest.digest_define(inc), digest)
    with open(os.path.join(out, "catalog_data.c"), encoding="latin-1") as f:
        m = re.search(r"^const uint64_t kpmc_cat_digest = (0x[0-9a-f]{16})u;$", f.read(), re.M)
    F.eq(what + ": kpmc_cat_digest", int(m.group(1), 16) if m else None, digest)
    return sorted(enums), digest


def main():
    a = kpmctest.parser("--gen", "--plists", "--generic", "--chips", "--work").parse_args()
    F = kpmctest.Checks()
    base_out = generate(a, a.work, "base", None)
    if not F.expect(base_out is not None, "kpmc-gen on the fixtures failed"):
        return F.finish("catalog digest")
    base_enums, base = digests(F, "fixtures", base_out)
    for n, (what, edit, changes) in enumerate(VARIANTS):
        out = generate(a, a.work, "variant%d" % n, edit)
        if not F.expect(out is not None, "%s: kpmc-gen failed" % what):
            continue
        enums, digest = digests(F, what, out)
        F.eq("%s: the ids change" % what, enums != base_enums, changes)
        F.eq("%s: the digest changes" % what, digest != base, changes)
        print("%-36s 0x%016x %s" % (what, digest, "changed" if digest != base else "same"))
    return F.finish("catalog digest of the fixtures (0x%016x) and %d variants" % (base, len(VARIANTS)))


if __name__ == "__main__":
    sys.exit(main())
