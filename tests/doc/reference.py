#!/usr/bin/env python3
"""Second route to the documentation outputs of kpmc.

Reads the kpep plists themselves with plistlib (never the catalog), builds
the Markdown and CSV of `kpmc list` and the text, Markdown and JSON of
`kpmc diff` as the top-level README describes them, and checks:

  1. every committed golden file in GOLDEN_DIR equals what this script
     derives from the plists (so the goldens are not copies of kpmc's output);
  2. `kpmc list --db X --format md|csv` for every database, `--all` in both
     formats, and `kpmc diff A B` in all three formats for every ordered pair
     of databases of one architecture plus some pairs across, equal it too.

usage: reference.py [--chips TSV] KPEP_DIR KPMC GOLDEN_DIR [--no-diffs]
       reference.py [--chips TSV] --write KPEP_DIR GOLDEN_DIR NAME...   (writes
       golden files such as list-a14.md or diff-a16-as4.json from the plists)
TSV is the chip table the catalog was generated with (catalog/tables/chips.tsv),
read with tests/kpmctest.py: the chips of each family and the database labels.
--no-diffs leaves out check 2's diffs, which do not depend on the cpu_*
links (for the runs over each form of the links).
Exit status 0 pass, 1 fail.
"""
import json
import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import kpmctest  # noqa: E402
from kpmctest import Checks, KpepError, fold, read_kpep  # noqa: E402


# ---- reading the plists ---------------------------------------------------

def fold_key(s):
    return (fold(s), s)


def read_chips(tsv):
    """[(family, chips, text)] in the table's order, text as the docs show a
    family: "A14, M1, ... (Firestorm/Icestorm)"; [] without a table."""
    if not tsv:
        return []
    out = []
    for row in kpmctest.read_chips(tsv):
        text = ", ".join(row["chips"])
        out.append((row["family"], row["chips"], text + (" (%s)" % row["codename"] if row["codename"] else "")))
    return out


def family_chips(chips, fam):
    for f, _, text in chips:
        if f == fam:
            return text
    return None


def db_label(db, chips):
    """The marketing name, and the database's chips in parentheses when it
    names none of them."""
    fams = {f for f, _, _ in db.families}
    names = [c for f, cs, _ in chips if f in fams for c in cs]
    if not names or any(c.upper() in db.marketing_name.upper() for c in names):
        return db.marketing_name
    return "%s (%s)" % (db.marketing_name, ", ".join(names))


class Event:
    def __init__(self, name, raw):
        self.name = name
        self.description = raw.get("description")
        self.number = raw.get("number")
        self.umask = raw.get("umask")
        self.other = raw.get("other")
        self.counters_mask = raw.get("counters_mask")
        self.fixed_counter = raw.get("fixed_counter")
        self.fallback = raw.get("fallback")
        self.aliases = []
        self.flags = []


class Database:
    def __init__(self, database, families):
        p = database.plist
        cpu = p["system"]["cpu"]
        self.name = p["name"]
        self.marketing_name = cpu["marketing_name"]
        self.architecture = cpu["architecture"]
        self.version = p["version"]
        self.fixed = cpu["fixed_counters"]
        self.config = cpu["config_counters"]
        self.power = cpu.get("power_counters", 0)
        self.events = [Event(n, e) for n, e in cpu["events"].items()]
        self.events.sort(key=lambda e: fold_key(e.name))
        self.by_fold = {fold(e.name): e for e in self.events}
        self.aliases = sorted(cpu.get("aliases", {}).items(), key=lambda a: fold_key(a[0]))
        for alias, target in self.aliases:
            self.by_fold[fold(target)].aliases.append(alias)
        self.families = families
        self.mark_inconsistent()

    def x86(self):
        return self.architecture == "x86_64"

    def mark_inconsistent(self):
        """The KPMC_EVF_* markers.  An event already marked outside or mask
        is never counted on its fixed counter, so it claims none: "shared"
        looks only at the others."""
        fixed = [e for e in self.events if e.fixed_counter is not None]
        for e in fixed:
            if not self.fixed >> e.fixed_counter & 1:
                e.flags.append("outside")
            if e.counters_mask is not None and e.counters_mask != 1 << e.fixed_counter:
                e.flags.append("mask")
        claimants = [e for e in fixed if not e.flags]
        claimed = {e.fixed_counter for e in claimants}
        unclaimed = any(self.fixed >> c & 1 and c not in claimed for c in range(32))
        for e in claimants:
            if unclaimed and any(o is not e and o.fixed_counter == e.fixed_counter for o in claimants):
                e.flags.insert(0, "shared")
        for e in fixed:
            e.flags.sort(key=["outside", "shared", "mask"].index)

    def counters(self, e):
        if e.counters_mask is not None:
            return e.counters_mask
        if e.fixed_counter is not None:
            return 1 << e.fixed_counter
        return self.config


def load(kpep_dir):
    """The databases of a kpep folder in kpmc's order, each with the
    (family, cputype, cpusubtype) of the cpu_* links naming it."""
    kpep = read_kpep(kpep_dir)
    return [Database(d, kpep.families(d.file)) for d in kpep.ordered()]


# ---- formatting helpers ---------------------------------------------------

def counters_text(mask):
    nums = [c for c in range(32) if mask >> c & 1]
    if not nums:
        return "none"
    runs, start = [], nums[0]
    for a, b in zip(nums, nums[1:] + [None]):
        if b != a + 1:
            runs.append((start, a))
            start = b
    parts = []
    for lo, hi in runs:
        if hi - lo >= 2:
            parts.append("%d-%d" % (lo, hi))
        else:
            parts.extend(str(c) for c in range(lo, hi + 1))
    return ",".join(parts)


def md_escape(s):
    if s is None:
        return ""
    out = []
    for ch in s:
        if ch in "\n\r\t":
            out.append(" ")
        elif ch in "\\|*_`<>[]#":
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def md_cell(s):
    """A table cell after a '|': ' TEXT |', or ' |' when empty."""
    return (" " + md_escape(s) if s else "") + " |"


def csv_field(s):
    if s is None:
        return ""
    if any(ch in s for ch in ',"\r\n'):
        return '"' + s.replace('"', '""') + '"'
    return s


def modifiers(other):
    words = []
    cmask = other >> 8 & 0xFF
    usr, os_, edge, pc, any_, inv = (other & 1, other >> 1 & 1, other >> 2 & 1, other >> 3 & 1,
                                     other >> 5 & 1, other >> 7 & 1)
    if cmask:
        words.append("CMASK=%d" % cmask)
    for on, w in ((inv, "INV"), (edge, "EDGE"), (any_, "ANY"), (pc, "PC"), (usr and not os_, "USR only"),
                  (os_ and not usr, "OS only"), (not os_ and not usr, "neither USR nor OS")):
        if on:
            words.append(w)
    return " ".join(words)


def selector(db, e):
    if e.number is not None:
        if db.x86() and e.umask is not None:
            return "0x%02x/0x%02x" % (e.number, e.umask)
        return "0x%x" % e.number
    if e.fixed_counter is not None:
        return "fixed %d" % e.fixed_counter
    return "-"


def selector_full(db, e):
    s = selector(db, e)
    if e.number is not None and e.fixed_counter is not None:
        s += " fixed %d" % e.fixed_counter
    if e.other is not None:
        s += " other 0x%x" % e.other
    return s


FLAG_WORD = {"outside": "fixed-outside", "shared": "fixed-shared", "mask": "fixed-mask"}
FLAG_SENTENCE = {
    "outside": "its fixed_counter is not one of this database's fixed counters",
    "shared": "another event names the same fixed counter while one fixed counter is named by none",
    "mask": "its counters_mask is not the bit of its fixed_counter",
}


def version_text(db):
    return ".".join(str(v) for v in db.version)


# ---- kpmc list --format md / csv ------------------------------------------

def list_md(db, chips):
    out = ["## %s: %s\n\n" % (db.name, md_escape(db_label(db, chips)))]
    out.append("- Architecture: %s\n- kpep version: %s\n" % (db.architecture, version_text(db)))
    out.append("- Counters: fixed %s; configurable %s" % (counters_text(db.fixed), counters_text(db.config)))
    if db.power:
        out.append("; %s reserved by the power manager unless forced" % counters_text(db.power))
    out.append("\n- Events: %d\n" % len(db.events))
    if db.families:
        fams = []
        for fam, t, s in db.families:
            item = "0x%x (`cpu_%x_%x_%x`)" % (fam, t, s, fam)
            if family_chips(chips, fam):
                item += ": " + md_escape(family_chips(chips, fam))
            fams.append(item)
        out.append("- CPU families: " + ", ".join(fams) + "\n")
    if db.aliases:
        out.append("- Aliases: " + ", ".join("`%s` → `%s`" % (a, db.by_fold[fold(t)].name)
                                            for a, t in db.aliases) + "\n")
    cols = ["Event", "Aliases", "Number", "Decimal"] + (["Umask", "Modifiers"] if db.x86() else []) + \
        ["Counters", "Notes", "Description"]
    out.append("\n| " + " | ".join(cols) + " |\n|" + "---|" * len(cols) + "\n")
    for e in db.events:
        row = "| `%s` |" % e.name
        row += "".join((", " if k else " ") + "`%s`" % a for k, a in enumerate(e.aliases))
        row += " | 0x%x | %d |" % (e.number, e.number) if e.number is not None else " | | |"
        if db.x86():
            row += " 0x%02x |" % e.umask if e.umask is not None else " |"
            mods = modifiers(e.other) if e.other is not None else ""
            row += (" " + mods if mods else "") + " |"
        row += " %s |" % counters_text(db.counters(e))
        notes = []
        if e.fixed_counter is not None:
            notes.append("fixed counter %d" % e.fixed_counter)
        if e.fallback is not None:
            notes.append("fallback `%s`" % e.fallback)
        notes += ["inconsistent: " + FLAG_SENTENCE[f] for f in e.flags]
        row += (" " + "; ".join(notes) if notes else "") + " |" + md_cell(e.description) + "\n"
        out.append(row)
    return "".join(out)


CSV_HEADER = ("database,event,aliases,number,number_hex,umask,other,cmask,inv,edge,any,usr,os,"
              "fixed_counter,counters,counters_mask,fallback,flags,description\n")


def list_csv(db):
    lines = []
    for e in db.events:
        f = [db.name, e.name, ";".join(e.aliases)]
        f += [str(e.number), "0x%x" % e.number] if e.number is not None else ["", ""]
        f.append("0x%02x" % e.umask if e.umask is not None else "")
        if e.other is not None:
            o = e.other
            f += ["0x%x" % o, str(o >> 8 & 0xFF), str(o >> 7 & 1), str(o >> 2 & 1), str(o >> 5 & 1), str(o & 1),
                  str(o >> 1 & 1)]
        else:
            f += [""] * 7
        f.append(str(e.fixed_counter) if e.fixed_counter is not None else "")
        f.append(counters_text(db.counters(e)))
        f.append(str(e.counters_mask) if e.counters_mask is not None else "")
        f.append(e.fallback)
        f.append(" ".join(FLAG_WORD[x] for x in e.flags))
        f.append(e.description)
        lines.append(",".join(csv_field(x) for x in f) + "\n")
    return "".join(lines)


# ---- kpmc diff -----------------------------------------------------------

def same_programming(a, b):
    return (a.number, a.umask, a.other, a.fixed_counter) == (b.number, b.umask, b.other, b.fixed_counter)


class Diff:
    def __init__(self, a, b, chips):
        self.a, self.b = a, b
        self.la, self.lb = db_label(a, chips), db_label(b, chips)
        self.removed = [e for e in a.events if fold(e.name) not in b.by_fold]
        self.added = [e for e in b.events if fold(e.name) not in a.by_fold]
        common = [(e, b.by_fold[fold(e.name)]) for e in a.events if fold(e.name) in b.by_fold]
        self.renumbered = [(x, y) for x, y in common if not same_programming(x, y)]
        self.counters = [(x, y) for x, y in common if a.counters(x) != b.counters(y)]
        self.descriptions = [(x, y) for x, y in common if x.description != y.description]
        amap = {fold(al): a.by_fold[fold(t)].name for al, t in a.aliases}
        bmap = {fold(al): b.by_fold[fold(t)].name for al, t in b.aliases}
        self.aliases = []
        for al, _ in a.aliases:
            there = bmap.get(fold(al))
            if there is None or fold(there) != fold(amap[fold(al)]):
                self.aliases.append((al, amap[fold(al)], there))
        for al, _ in b.aliases:
            if fold(al) not in amap:
                self.aliases.append((al, None, bmap[fold(al)]))
        self.fields = []
        for label, x, y, mask in (("marketing name", a.marketing_name, b.marketing_name, False),
                                  ("architecture", a.architecture, b.architecture, False),
                                  ("fixed counters", a.fixed, b.fixed, True),
                                  ("configurable counters", a.config, b.config, True),
                                  ("power counters", a.power, b.power, True)):
            if x != y:
                self.fields.append((label, counters_text(x) if mask else x, counters_text(y) if mask else y))

    def summary(self):
        return ("%d added, %d removed, %d renumbered, %d on other counters, %d described differently, "
                "%d aliases changed" % (len(self.added), len(self.removed), len(self.renumbered),
                                        len(self.counters), len(self.descriptions), len(self.aliases)))

    def text(self):
        a, b = self.a, self.b
        out = ["%s (%s, %d events) -> %s (%s, %d events)\n" % (a.name, self.la, len(a.events), b.name, self.lb,
                                                              len(b.events))]
        out.append(self.summary() + "\n")
        out += ["%s: %s -> %s\n" % f for f in self.fields]
        if self.added:
            out.append("\nadded (%d):\n" % len(self.added))
            out += ["  %s  %s\n" % (e.name, selector_full(b, e)) for e in self.added]
        if self.removed:
            out.append("\nremoved (%d):\n" % len(self.removed))
            out += ["  %s  %s\n" % (e.name, selector_full(a, e)) for e in self.removed]
        if self.renumbered:
            out.append("\nrenumbered (%d):\n" % len(self.renumbered))
            out += ["  %s  %s -> %s\n" % (x.name, selector_full(a, x), selector_full(b, y))
                    for x, y in self.renumbered]
        if self.counters:
            out.append("\ncounters changed (%d):\n" % len(self.counters))
            out += ["  %s  %s -> %s\n" % (x.name, counters_text(a.counters(x)), counters_text(b.counters(y)))
                    for x, y in self.counters]
        if self.descriptions:
            out.append("\ndescription changed (%d):\n" % len(self.descriptions))
            out += ["  %s\n    - %s\n    + %s\n" % (x.name, x.description or "(none)", y.description or "(none)")
                    for x, y in self.descriptions]
        if self.aliases:
            out.append("\naliases changed (%d):\n" % len(self.aliases))
            out += ["  %s  %s -> %s\n" % (al, f or "(none)", t or "(none)") for al, f, t in self.aliases]
        return "".join(out)

    def md(self):
        a, b = self.a, self.b
        out = ["# %s → %s\n\n" % (a.name, b.name)]
        out.append("%s (%s, %d events) → %s (%s, %d events): %s.\n" % (
            a.name, md_escape(self.la), len(a.events), b.name, md_escape(self.lb),
            len(b.events), self.summary()))
        if self.fields:
            out.append("\n")
        out += ["- %s: %s → %s\n" % (l, md_escape(x), md_escape(y)) for l, x, y in self.fields]
        for title, events, db in (("Added", self.added, b), ("Removed", self.removed, a)):
            if events:
                out.append("\n## %s (%d)\n\n| Event | Selector | Description |\n|---|---|---|\n" % (title, len(events)))
                out += ["| `%s` | %s |%s\n" % (e.name, selector_full(db, e), md_cell(e.description))
                        for e in events]

        def head(title, n):
            return "\n## %s (%d)\n\n| Event | %s | %s |\n|---|---|---|\n" % (title, n, a.name, b.name)
        if self.renumbered:
            out.append(head("Renumbered", len(self.renumbered)))
            out += ["| `%s` | %s | %s |\n" % (x.name, selector_full(a, x), selector_full(b, y))
                    for x, y in self.renumbered]
        if self.counters:
            out.append(head("Counters changed", len(self.counters)))
            out += ["| `%s` | %s | %s |\n" % (x.name, counters_text(a.counters(x)), counters_text(b.counters(y)))
                    for x, y in self.counters]
        if self.descriptions:
            out.append(head("Description changed", len(self.descriptions)))
            out += ["| `%s` |%s%s\n" % (x.name, md_cell(x.description), md_cell(y.description))
                    for x, y in self.descriptions]
        if self.aliases:
            out.append("\n## Aliases changed (%d)\n\n| Alias | %s | %s |\n|---|---|---|\n"
                       % (len(self.aliases), a.name, b.name))
            out += ["| `%s` | %s | %s |\n" % (al, "`%s`" % f if f else "", "`%s`" % t if t else "")
                    for al, f, t in self.aliases]
        return "".join(out)

    def json(self):
        a, b = self.a, self.b
        database = {}
        if a.marketing_name != b.marketing_name:
            database["marketing_name"] = {"from": a.marketing_name, "to": b.marketing_name}
        if a.architecture != b.architecture:
            database["architecture"] = {"from": a.architecture, "to": b.architecture}
        for key, x, y in (("fixed_counters", a.fixed, b.fixed), ("config_counters", a.config, b.config),
                          ("power_counters", a.power, b.power)):
            if x != y:
                database[key] = {"from": x, "to": y}

        def prog(e):
            return {"number": e.number, "umask": e.umask, "other": e.other, "fixed_counter": e.fixed_counter}
        return {
            "from": a.name, "to": b.name, "database": database,
            "added": [e.name for e in self.added],
            "removed": [e.name for e in self.removed],
            "renumbered": [{"name": x.name, "from": prog(x), "to": prog(y)} for x, y in self.renumbered],
            "counters": [{"name": x.name, "from": a.counters(x), "to": b.counters(y)} for x, y in self.counters],
            "descriptions": [{"name": x.name, "from": x.description, "to": y.description}
                             for x, y in self.descriptions],
            "aliases": [{"alias": al, "from": f, "to": t} for al, f, t in self.aliases],
        }


# ---- checks ----------------------------------------------------------------

class Checker(Checks):
    def __init__(self, kpmc):
        super().__init__()
        self.kpmc = kpmc

    def run(self, *args):
        r = subprocess.run([self.kpmc] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if r.returncode != 0:
            raise RuntimeError("kpmc %s exited %d: %s" % (" ".join(args), r.returncode, r.stderr.decode()))
        return r.stdout.decode("utf-8")

    def same(self, what, got, want):
        self.count += 1
        if got == want:
            return
        gl, wl = got.splitlines(), want.splitlines()
        for i, (g, w) in enumerate(zip(gl, wl)):
            if g != w:
                self.fail("%s: line %d differs\n  got:  %r\n  want: %r" % (what, i + 1, g, w))
                return
        self.fail("%s: %d lines, expected %d" % (what, len(gl), len(wl)))


def golden_expected(name, dbs, chips):
    """What the golden file `name` must hold, from the plists."""
    by_name = {db.name: db for db in dbs}
    m = re.match(r"list-(\w+)\.(md|csv)$", name)
    if m:
        db = by_name[m.group(1)]
        return list_md(db, chips) if m.group(2) == "md" else CSV_HEADER + list_csv(db)
    m = re.match(r"diff-(\w+)-(\w+)\.(txt|md|json)$", name)
    if m:
        d = Diff(by_name[m.group(1)], by_name[m.group(2)], chips)
        if m.group(3) == "json":
            return d.json()
        return d.text() if m.group(3) == "txt" else d.md()
    raise ValueError("unknown golden file " + name)


def write_goldens(kpep_dir, golden_dir, names, chips_tsv):
    dbs = load(kpep_dir)
    chips = read_chips(chips_tsv)
    for name in names:
        want = golden_expected(name, dbs, chips)
        if isinstance(want, dict):
            want = json.dumps(want, indent=1, ensure_ascii=False) + "\n"
        with open(os.path.join(golden_dir, name), "w", encoding="utf-8", newline="\n") as f:
            f.write(want)
    return 0


def main():
    argv = sys.argv[1:]
    chips_tsv = None
    if len(argv) > 1 and argv[0] == "--chips":
        chips_tsv, argv = argv[1], argv[2:]
    if len(argv) > 2 and argv[0] == "--write":
        return write_goldens(argv[1], argv[2], argv[3:], chips_tsv)
    diffs = "--no-diffs" not in argv
    if not diffs:
        argv.remove("--no-diffs")
    if len(argv) != 3:
        print(__doc__)
        return 2
    kpep_dir, kpmc, golden_dir = argv
    c = Checker(kpmc)
    try:
        dbs = load(kpep_dir)
    except KpepError as e:
        return c.fail(str(e)) or c.finish(kpep_dir)
    chips = read_chips(chips_tsv)

    goldens = sorted(os.listdir(golden_dir))
    for name in goldens:
        with open(os.path.join(golden_dir, name), encoding="utf-8") as f:
            text = f.read()
        want = golden_expected(name, dbs, chips)
        if isinstance(want, dict):
            c.expect(json.loads(text) == want, "golden %s differs from the plists" % name)
        else:
            c.same("golden " + name, text, want)

    for db in dbs:
        c.same("list --db %s --format md" % db.name, c.run("list", "--db", db.name, "--format", "md"),
               list_md(db, chips))
        c.same("list --db %s --format csv" % db.name, c.run("list", "--db", db.name, "--format", "csv"),
               CSV_HEADER + list_csv(db))
    c.same("list --all --format md", c.run("list", "--all", "--format", "md"),
           "\n".join(list_md(db, chips) for db in dbs))
    c.same("list --all --format csv", c.run("list", "--all", "--format", "csv"),
           CSV_HEADER + "".join(list_csv(db) for db in dbs))

    pairs = [(x, y) for x in dbs for y in dbs if x is not y and x.architecture == y.architecture]
    pairs += [(dbs[0], dbs[-1]), (dbs[-1], dbs[0])]
    if not diffs:
        pairs = []
    for x, y in pairs:
        d = Diff(x, y, chips)
        c.same("diff %s %s" % (x.name, y.name), c.run("diff", x.name, y.name), d.text())
        c.same("diff %s %s --format md" % (x.name, y.name), c.run("diff", x.name, y.name, "--format", "md"), d.md())
        c.expect(json.loads(c.run("diff", x.name, y.name, "--format", "json")) == d.json(),
                 "diff %s %s --format json" % (x.name, y.name))

    return c.finish("%d golden files, %d databases, %d diff pairs" % (len(goldens), len(dbs), len(pairs)))


if __name__ == "__main__":
    sys.exit(main())
