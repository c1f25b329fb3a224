#!/usr/bin/env python3
"""A second route to the generated catalog: read the kpep plists with plistlib,
read the generated C (catalog_data.c and the headers) with a small C lexer,
and check that every table row, string, mask, number, flag, family, portable
id, hash slot and enumerator is what the plists say.

  test_gen_golden_check.py --plists DIR --catalog DIR --format HEADER
                           [--generic TSV] [--chips TSV]

DIR (--plists) is a folder of kpep plists and cpu_* links; DIR (--catalog)
holds catalog_data.c and include/kpmc/...; HEADER is internal/catalog_format.h,
whose struct definitions give the order of the fields in each table row;
TSV are the tables the catalog was generated with (none: its generic-event
and chip tables must be empty), read by tests/kpmctest.py.

Nothing here comes from kpmc-gen: names are folded, sorted and mangled, the
inconsistency flags and the perfect hash are computed again from the rules
stated in include/kpmc/catalog.h and internal/catalog_format.h.
"""
import hashlib
import os
import re
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kpmctest as tables  # noqa: E402
from kpmctest import Checks, KpepError, enumerators, fold, mangle, read_kpep  # noqa: E402

NONE = 0xFFFF
NO_STRING = 0xFFFFFFFF
HAS = {"number": 1, "description": 2, "umask": 4, "other": 8, "counters_mask": 16, "fixed_counter": 32,
       "fallback": 64}
EVF_FIXED_OUTSIDE, EVF_FIXED_SHARED, EVF_FIXED_MASK = 1, 2, 4
DB_HAS_INTERNAL, DB_HAS_POWER = 1, 2
ARCH = {"arm64": 1, "x86_64": 2}


# ---------------------------------------------------------------- plists

def in_comment(s):
    """s as kpmc-gen writes it inside a comment: a control character becomes
    a space, a '*' before '/' becomes "* ", a '/' before '*' becomes "/ "."""
    out = []
    for i, c in enumerate(s):
        nxt = s[i + 1] if i + 1 < len(s) else ""
        if ord(c) < 0x20 or ord(c) == 0x7f:
            out.append(" ")
        elif (c == "*" and nxt == "/") or (c == "/" and nxt == "*"):
            out.append(c + " ")
        else:
            out.append(c)
    return "".join(out)


def expected_model(folder):
    kpep = read_kpep(folder)
    dbs = []
    for database in kpep.ordered():
        d, cpu = database.plist, database.cpu
        ev = cpu["events"]
        names = database.event_names()
        byfold = {fold(n): i for i, n in enumerate(names)}
        events = []
        for n in names:
            e = ev[n]
            events.append({"name": n, "has": sum(bit for k, bit in HAS.items() if k in e),
                           "description": e.get("description"), "number": e.get("number", 0),
                           "umask": e.get("umask", 0), "other": e.get("other", 0),
                           "counters_mask": e.get("counters_mask", 0), "fixed_counter": e.get("fixed_counter", 0),
                           "fallback": byfold[fold(e["fallback"])] if "fallback" in e else None, "flags": 0})
        fixed = cpu["fixed_counters"]
        for e in events:
            if e["has"] & HAS["fixed_counter"]:
                bit = 1 << e["fixed_counter"]
                if not fixed & bit:
                    e["flags"] |= EVF_FIXED_OUTSIDE
                if e["has"] & HAS["counters_mask"] and e["counters_mask"] != bit:
                    e["flags"] |= EVF_FIXED_MASK
        claims = {}
        for e in events:
            if e["has"] & HAS["fixed_counter"] and not e["flags"]:
                claims.setdefault(e["fixed_counter"], []).append(e)
        if any(fixed >> c & 1 and c not in claims for c in range(16)):
            for c, es in claims.items():
                if len(es) > 1:
                    for e in es:
                        e["flags"] |= EVF_FIXED_SHARED
        aliases = database.aliases()
        dbs.append({
            "file": database.file, "name": d["name"], "marketing_name": cpu["marketing_name"],
            "architecture": cpu["architecture"], "arch": ARCH[cpu["architecture"]],
            "has": (DB_HAS_INTERNAL if "internal" in d else 0) | (DB_HAS_POWER if "power_counters" in cpu else 0),
            "internal": int(bool(d.get("internal", False))), "version": list(d["version"]),
            "fixed_counters": fixed, "config_counters": cpu["config_counters"],
            "power_counters": cpu.get("power_counters", 0), "events": events,
            "aliases": [(a, byfold[fold(t)]) for a, t in aliases],
            "sha256": bytes.fromhex(database.sha256),
            "families": [f for f, _, _ in kpep.families(database.file)]})
    spellings = {}
    for db in dbs:
        for n in [e["name"] for e in db["events"]] + [a for a, _ in db["aliases"]]:
            spellings.setdefault(fold(n), []).append(n)
    pid_folds = sorted(spellings, key=lambda f: f.encode())
    pids = {f: i for i, f in enumerate(pid_folds)}
    pid_names = [min(spellings[f], key=lambda s: s.encode()) for f in pid_folds]
    dbindex = {db["file"]: i for i, db in enumerate(dbs)}
    families = sorted(({"family": l.family, "cputype": l.type, "cpusubtype": l.subtype,
                        "db": dbindex[l.target], "file": l.file, "target": l.target} for l in kpep.links),
                      key=lambda l: (l["family"], l["cputype"], l["cpusubtype"], l["file"]))
    return {"dbs": dbs, "pids": pids, "pid_names": pid_names, "families": families}


# ---------------------------------------------------------------- C

TOKEN_RE = re.compile(r"""
    (?P<ws>\s+) | (?P<line>//[^\n]*) | (?P<block>/\*.*?\*/) | (?P<pp>\#[^\n]*) |
    (?P<str>"(?:[^"\\\n]|\\.)*") | (?P<num>0[xX][0-9a-fA-F]+[uUlL]*|[0-9]+[uUlL]*) |
    (?P<id>[A-Za-z_][A-Za-z_0-9]*) | (?P<punct>[{}\[\]();,=*])
""", re.S | re.X)


def lex(text):
    pos, out = 0, []
    while pos < len(text):
        m = TOKEN_RE.match(text, pos)
        if not m:
            raise ValueError("cannot read the C at offset %d: %r" % (pos, text[pos:pos + 40]))
        pos = m.end()
        kind = m.lastgroup
        if kind in ("ws", "line", "block", "pp"):
            continue
        out.append((kind, m.group()))
    return out


def c_string(lit):
    """Bytes of a C string literal (with its quotes)."""
    s, out, i = lit[1:-1], bytearray(), 0
    simple = {"n": 10, "t": 9, "r": 13, "a": 7, "b": 8, "f": 12, "v": 11, "\\": 92, '"': 34, "'": 39, "?": 63}
    while i < len(s):
        c = s[i]
        if c != "\\":
            out += c.encode("latin-1")
            i += 1
            continue
        c = s[i + 1]
        if c in simple:
            out.append(simple[c])
            i += 2
        elif c in "01234567":
            j = i + 1
            while j < len(s) and j < i + 4 and s[j] in "01234567":
                j += 1
            out.append(int(s[i + 1:j], 8))
            i = j
        elif c == "x":
            j = i + 2
            while j < len(s) and s[j] in "0123456789abcdefABCDEF":
                j += 1
            out.append(int(s[i + 2:j], 16) & 0xFF)
            i = j
        else:
            raise ValueError("unknown escape \\%s" % c)
    return bytes(out)


def c_number(tok):
    t = tok.rstrip("uUlL")
    return int(t, 16) if t[:2] in ("0x", "0X") else int(t, 10)


def parse_initializer(toks, i):
    kind, v = toks[i]
    if v == "{":
        items, i = [], i + 1
        while toks[i][1] != "}":
            item, i = parse_initializer(toks, i)
            items.append(item)
            if toks[i][1] == ",":
                i += 1
        return items, i + 1
    if kind == "str":
        data = b""
        while toks[i][0] == "str":
            data += c_string(toks[i][1])
            i += 1
        return data, i
    if kind == "num":
        return c_number(v), i + 1
    if v in ("KPMC_CAT_NONE", "KPMC_CAT_NO_STRING"):
        return (NONE if v == "KPMC_CAT_NONE" else NO_STRING), i + 1
    raise ValueError("unexpected %r in an initializer" % v)


def parse_definitions(text):
    """name -> value of every `const ... NAME[] = INIT;` or `const ... NAME = INIT;`."""
    toks, defs, i = lex(text), {}, 0
    while i < len(toks):
        if toks[i][1] != "const":
            i += 1
            continue
        j = i
        while toks[j][1] not in ("=", ";"):
            j += 1
        if toks[j][1] == ";":
            i = j + 1
            continue
        k = j - 1
        if toks[k][1] == "]":
            k -= 2 if toks[k - 1][1] == "[" else 3
        name = toks[k][1]
        value, i = parse_initializer(toks, j + 1)
        defs[name] = value
    return defs


def parse_structs(text):
    """struct name -> [(field, array length or None)] from catalog_format.h."""
    structs = {}
    for m in re.finditer(r"struct\s+(\w+)\s*\{(.*?)\};", re.sub(r"/\*.*?\*/", "", text, flags=re.S), re.S):
        fields = []
        for decl in m.group(2).split(";"):
            f = re.match(r"\s*\w+\s+(\w+)(?:\[(\d+)\])?\s*$", decl)
            if f:
                fields.append((f.group(1), int(f.group(2)) if f.group(2) else None))
        structs[m.group(1)] = fields
    return structs


def records(values, fields):
    out = []
    for v in values:
        if len(v) != len(fields):
            raise ValueError("a row of %d values for %d fields" % (len(v), len(fields)))
        out.append({name: val for (name, _), val in zip(fields, v)})
    return out


def name_hash(name, seed):
    """catalog_format.h's kpmc_name_hash: the upper-cased name in 8-byte
    little-endian words, each mixed in with a multiply and a shift."""
    m = (1 << 64) - 1
    b = fold(name).encode()
    h = (seed ^ (len(b) * 0x9E3779B97F4A7C15)) & m
    for i in range(0, len(b), 8):
        h = ((h ^ int.from_bytes(b[i:i + 8], "little")) * 0xff51afd7ed558ccd) & m
        h ^= h >> 29
    h = (h * 0xc4ceb9fe1a85ec53) & m
    h ^= h >> 32
    return h


# ---------------------------------------------------------------- checks

def check_tables(model, defs, structs, s, catalog, generic, chips, F, generic_path=None, chips_path=None):
    """The generic-event and chip tables of the catalog against the TSV
    files and the plists; returns the enumerators generic.h must have."""
    dbs = model["dbs"]
    F.eq("kpmc_cat_n_generic", defs["kpmc_cat_n_generic"], len(generic))
    grows = records(defs["kpmc_cat_generic"], structs["kpmc_cat_generic"])
    gmap = records(defs["kpmc_cat_generic_map"], structs["kpmc_cat_generic_map"])
    for g, x in enumerate(generic):
        if g >= len(grows):
            break
        F.eq("generic %d name" % g, s(grows[g]["name"]), x["name"])
        F.eq("generic %d description" % g, s(grows[g]["description"]), x["description"])
        for d, db in enumerate(dbs):
            row = x["rows"].get(db["name"])
            names = [e["name"] for e in db["events"]]
            m = gmap[g * len(dbs) + d]
            w = "generic %s in %s" % (x["name"], db["name"])
            for mode in ("all", "user"):
                want = NONE if not row or not row[mode] else names.index(row[mode])
                F.eq("%s %s" % (w, mode), m[mode], want)
            note = row["note"] if row else None
            F.eq(w + " note", None if m["note"] == NO_STRING else s(m["note"]), note)
    # provenance: the tables' base names and SHA-256 (absent: "no ... table")
    def source(path, what):
        if not path:
            return "no %s table" % what
        with open(path, "rb") as f:
            return "%s sha256 %s" % (os.path.basename(path), hashlib.sha256(f.read()).hexdigest())
    with open(os.path.join(catalog, "catalog_data.c"), encoding="latin-1") as f:
        F.expect("/* kpmc's own tables: %s, %s. */" % (
            source(generic_path, "generic-event"), source(chips_path, "chip")) in f.read(), "catalog_data.c names its tables")
    with open(os.path.join(catalog, "include", "kpmc", "generic.h")) as f:
        F.expect("/* From %s. */" % source(generic_path, "generic-event") in f.read(), "generic.h names its table")

    seed, nb, ns = defs["kpmc_cat_generic_hash"]
    disp, slots = defs["kpmc_cat_generic_hash_disp"], defs["kpmc_cat_generic_hash_slots"]
    F.eq("generic hash buckets", len(disp), nb)
    F.eq("generic hash slots", len(slots), ns)
    for g, x in enumerate(generic):
        h = name_hash(x["name"], seed)
        d = disp[((h >> 32) * nb) >> 32]
        slot = ((((h & 0xFFFFFFFF) ^ ((d * 0x9E3779B1) & 0xFFFFFFFF)) * ns) >> 32)
        F.eq("generic hash slot of %s" % x["name"], slots[slot], g)
    F.eq("filled generic hash slots", sum(1 for x in slots if x != NONE), len(generic))
    with open(os.path.join(catalog, "include", "kpmc", "generic.h")) as f:
        want = [("KPMC_GEN_" + mangle(x["name"]), g) for g, x in enumerate(generic)]
        want.append(("KPMC_GEN_COUNT", len(generic)))
        F.eq("generic.h enumerators", enumerators(f.read()), want)

    fam_db = {l["family"]: l["db"] for l in model["families"]}
    want_chips = []
    for rank, row in enumerate(chips):
        if row["family"] in fam_db:
            want_chips += [(c, row["family"], fam_db[row["family"]], rank) for c in row["chips"]]
    crows = records(defs["kpmc_cat_chips"], structs["kpmc_cat_chip"])[:defs["kpmc_cat_n_chips"]]
    F.eq("chips", [(s(c["name"]), c["family"], c["db"], c["rank"]) for c in crows], want_chips)
    byfam = {row["family"]: row for row in chips}
    fchips = records(defs["kpmc_cat_family_chips"], structs["kpmc_cat_family_chips"])
    for k, l in enumerate(model["families"]):
        row = byfam.get(l["family"])
        got = fchips[k] if k < len(fchips) else {"chips": None, "codename": None}
        F.eq("chips of family 0x%x" % l["family"], None if got["chips"] == NO_STRING else s(got["chips"]),
             ", ".join(row["chips"]) if row else None)
        F.eq("code name of family 0x%x" % l["family"], None if got["codename"] == NO_STRING else s(got["codename"]),
             row["codename"] if row else None)
    for d, db in enumerate(dbs):
        parts = [", ".join(row["chips"]) for row in chips if fam_db.get(row["family"]) == d]
        off = defs["kpmc_cat_db_chips"][d]
        F.eq("chips of database %s" % db["name"], None if off == NO_STRING else s(off),
             ", ".join(parts) if parts else None)
    return want


def check(model, plists, catalog, format_h, F, generic=(), chips=(), generic_path=None, chips_path=None):
    with open(format_h) as f:
        structs = parse_structs(f.read())
    with open(os.path.join(catalog, "catalog_data.c"), encoding="latin-1") as f:
        data_c = f.read()
    defs = parse_definitions(data_c)
    # The layout assertions cover every row type, field by field in the
    # header's order (the compiler checks the offsets they state).
    asserted = {}
    for t, f in re.findall(r"^KPMC_CAT_AT\((\w+), (\w+), \d+\);$", data_c, re.M):
        asserted.setdefault(t, []).append(f)
    F.eq("layout assertions", asserted, {t: [f for f, _ in fields] for t, fields in structs.items()})
    F.eq("size assertions", sorted(re.findall(r"^KPMC_CAT_SIZE\((\w+), \d+\);$", data_c, re.M)), sorted(structs))
    pool = defs["kpmc_cat_pool"]

    def s(off):
        end = pool.index(b"\0", off)
        return pool[off:end].decode("utf-8")

    dbs, pids = model["dbs"], model["pids"]
    F.expect(defs["kpmc_cat_generator"].startswith(b"kpmc-gen "), "generator string")
    F.eq("kpmc_cat_n_dbs", defs["kpmc_cat_n_dbs"], len(dbs))
    rows = records(defs["kpmc_cat_events"], structs["kpmc_cat_event"])
    table = defs["kpmc_cat_db_events"]
    aliases = records(defs["kpmc_cat_aliases"], structs["kpmc_cat_alias"])
    cdbs = records(defs["kpmc_cat_dbs"], structs["kpmc_cat_db"])
    F.eq("number of database rows", len(cdbs), len(dbs))
    used = set()
    for i, (db, c) in enumerate(zip(dbs, cdbs)):
        w = "database %d (%s)" % (i, db["name"])
        for key in ("name", "marketing_name", "architecture"):
            F.eq("%s %s" % (w, key), s(c[key]), db[key])
        F.eq(w + " source", s(c["source"]), db["file"])
        for key in ("arch", "has", "internal", "fixed_counters", "config_counters", "power_counters"):
            F.eq("%s %s" % (w, key), c[key], db[key])
        F.eq(w + " n_version", c["n_version"], len(db["version"]))
        F.eq(w + " version", c["version"], (db["version"] + [0])[:2])
        F.eq(w + " n_events", c["n_events"], len(db["events"]))
        F.eq(w + " n_aliases", c["n_aliases"], len(db["aliases"]))
        F.eq(w + " n_families", c["n_families"], len(db["families"]))
        F.eq(w + " reserved", c["reserved"], 0)
        F.eq(w + " sha256", bytes(c["sha256"]), db["sha256"])
        for j, e in enumerate(db["events"]):
            we = "%s event %d (%s)" % (w, j, e["name"])
            r = rows[table[c["events"] + j]]
            used.add(table[c["events"] + j])
            F.eq(we + " name", s(r["name"]), e["name"])
            F.eq(we + " pid", r["pid"], pids[fold(e["name"])])
            F.eq(we + " has", r["has"], e["has"])
            F.eq(we + " flags", r["flags"], e["flags"])
            if e["description"] is not None:
                F.eq(we + " description", s(r["description"]), e["description"])
            for key in ("number", "umask", "other", "counters_mask", "fixed_counter"):
                F.eq("%s %s" % (we, key), r[key], e[key])
            fb = NONE if e["fallback"] is None else pids[fold(db["events"][e["fallback"]]["name"])]
            F.eq(we + " fallback", r["fallback"], fb)
        for k, (a, target) in enumerate(db["aliases"]):
            ca = aliases[c["aliases"] + k]
            wa = "%s alias %s" % (w, a)
            F.eq(wa + " name", s(ca["name"]), a)
            F.eq(wa + " pid", ca["pid"], pids[fold(a)])
            F.eq(wa + " event", ca["event"], target)
    F.eq("every row is used", used, set(range(len(rows))))
    F.eq("rows are distinct", len({tuple(sorted(r.items())) for r in rows}), len(rows))

    fams = records(defs["kpmc_cat_families"], structs["kpmc_cat_family"])
    F.eq("kpmc_cat_n_families", defs["kpmc_cat_n_families"], len(model["families"]))
    for k, l in enumerate(model["families"]):
        if k >= len(fams):
            break
        for key in ("family", "cputype", "cpusubtype", "db"):
            F.eq("family row %d (%s) %s" % (k, l["file"], key), fams[k][key], l[key])

    F.eq("kpmc_cat_n_pids", defs["kpmc_cat_n_pids"], len(model["pid_names"]))
    lengths = defs["kpmc_cat_pid_lengths"]
    for p, n in enumerate(model["pid_names"]):
        F.eq("length of portable name %s" % n, lengths[p], len(n.encode()))
    first = defs["kpmc_cat_pid_rows"]
    F.eq("kpmc_cat_pid_rows entries", len(first), len(model["pid_names"]) + 1)
    F.eq("kpmc_cat_pid_rows end", first[-1], len(rows))
    for p in range(len(model["pid_names"])):
        span = [r["pid"] for r in rows[first[p]:first[p + 1]]]
        F.expect(all(x == p for x in span), "rows %d..%d all have portable id %d" % (first[p], first[p + 1], p))
    names = defs["kpmc_cat_pid_names"]
    for p, n in enumerate(model["pid_names"]):
        F.eq("portable id %d" % p, s(names[p]) if p < len(names) else None, n)
    seed, nb, ns = defs["kpmc_cat_hash"]
    disp, slots = defs["kpmc_cat_hash_disp"], defs["kpmc_cat_hash_slots"]
    F.eq("hash buckets", len(disp), nb)
    F.eq("hash slots", len(slots), ns)
    for p, n in enumerate(model["pid_names"]):
        h = name_hash(n, seed)
        d = disp[((h >> 32) * nb) >> 32]
        slot = ((((h & 0xFFFFFFFF) ^ ((d * 0x9E3779B1) & 0xFFFFFFFF)) * ns) >> 32)
        F.eq("hash slot of %s" % n, slots[slot], p)
    F.eq("filled hash slots", sum(1 for x in slots if x != NONE), len(model["pid_names"]))

    every = check_tables(model, defs, structs, s, catalog, generic, chips, F, generic_path, chips_path)

    # headers
    with open(os.path.join(catalog, "include", "kpmc", "events.h")) as f:
        ev_h = f.read()
    want = [("KPMC_DB_" + mangle(db["name"]), i) for i, db in enumerate(dbs)] + [("KPMC_DB_COUNT", len(dbs))]
    want += [("KPMC_EV_" + mangle(n), p) for p, n in enumerate(model["pid_names"])]
    want += [("KPMC_EV_COUNT", len(model["pid_names"]))]
    F.eq("events.h enumerators", enumerators(ev_h), want)
    every += want
    for db in dbs:
        with open(os.path.join(catalog, "include", "kpmc", "db", db["name"] + ".h")) as f:
            text = f.read()
        p = "KPMC_%s_" % mangle(db["name"])
        want = [(p + mangle(e["name"]), j) for j, e in enumerate(db["events"])]
        want += [(p + mangle(a), t) for a, t in db["aliases"]] + [(p + "EVENT_COUNT", len(db["events"]))]
        F.eq("db/%s.h enumerators" % db["name"], enumerators(text), want)
        F.expect("\n#include <kpmc/events.h>" in text, "db/%s.h includes <kpmc/events.h>" % db["name"])
        every += want
    with open(os.path.join(catalog, "include", "kpmc", "generic.h")) as f:
        F.expect("\n#include <kpmc/events.h>" in f.read(), "generic.h includes <kpmc/events.h>")
    # the catalog digest of those enumerators, in the header and in the data
    digest = tables.catalog_digest(every)
    F.eq("KPMC_CATALOG_DIGEST", tables.digest_define(os.path.join(catalog, "include")), digest)
    F.eq("kpmc_cat_digest", defs.get("kpmc_cat_digest"), digest)
    with open(os.path.join(catalog, "include", "kpmc", "db", "all.h")) as f:
        F.eq("all.h", re.findall(r'#include <kpmc/db/([^>]+)\.h>', f.read()), [db["name"] for db in dbs])

    # the generated files (the tables' own folder, if the catalog holds it, is input)
    files = sorted(os.path.relpath(os.path.join(dp, f), catalog) for dp, _, fs in os.walk(catalog) for f in fs
                   if not os.path.relpath(dp, catalog).split(os.sep)[0] in ("tables", "kpep"))
    want_files = sorted(["catalog_data.c", "include/kpmc/events.h", "include/kpmc/db/all.h",
                         "include/kpmc/generic.h"] +
                        ["include/kpmc/db/%s.h" % db["name"] for db in dbs])
    F.eq("generated files", files, want_files)
    # Every file names the inputs it is made from: a database's header its
    # own plist only, every other file all of them.
    def input_line(db):
        return in_comment("%-32s sha256 %s" % (db["file"], db["sha256"].hex()))
    banner = sorted([input_line(db) for db in dbs] +
                    [in_comment("%-32s -> %s" % (l["file"], l["target"])) for l in model["families"]])
    own = {"include/kpmc/db/%s.h" % db["name"]: [input_line(db)] for db in dbs}
    for rel in want_files:
        with open(os.path.join(catalog, rel), encoding="latin-1") as f:
            text = f.read()
        head = text[:text.find("*/")]
        F.expect("DO NOT EDIT" in head and "kpmc-gen" in head, rel + ": no DO-NOT-EDIT banner")
        F.eq(rel + ": inputs in the banner", [l[3:] for l in head.splitlines() if l.startswith(" * ") and
                                              (" sha256 " in l or " -> " in l)], own.get(rel, banner))
        F.expect("UNKNOWN-SENTINEL" not in text, rel + ": holds an unknown key's value")
        F.expect(os.path.abspath(plists) not in text and os.path.abspath(catalog) not in text,
                 rel + ": holds an absolute path")


def main():
    ap = tables.parser("--plists", "--catalog", "--format")
    ap.add_argument("--generic")
    ap.add_argument("--chips")
    a = ap.parse_args()
    F = Checks()
    try:
        model = expected_model(a.plists)
    except KpepError as e:
        return F.fail(str(e)) or F.finish(a.plists)
    check(model, a.plists, a.catalog, a.format, F,
          tables.read_generic(a.generic) if a.generic else [], tables.read_chips(a.chips) if a.chips else [],
          a.generic, a.chips)
    return F.finish("%s against %s" % (a.catalog, a.plists))


if __name__ == "__main__":
    sys.exit(main())
