"""kpmc's own tables (catalog/tables/generic.tsv and chips.tsv) read a second
way, for the tests: a reading of the format their header comments describe,
written apart from kpmc-gen's reader (gen/tables.c)."""


def _lines(path):
    with open(path, encoding="ascii") as f:
        for no, line in enumerate(f.read().split("\n"), 1):
            line = line.rstrip("\r")
            if line and not line.startswith("#"):
                yield no, line.split("\t")


def read_generic(path):
    """[{"name", "description", "line", "rows": {db: {"all", "user", "note", "line"}}}]
    in the file's order; "all"/"user" are event names or None for '-'."""
    out = []
    for no, f in _lines(path):
        if f[0] == "event":
            assert len(f) == 3, "%s:%d: an event line has 3 fields" % (path, no)
            out.append({"name": f[1], "description": f[2], "line": no, "rows": {}})
            continue
        assert out and len(f) in (3, 4), "%s:%d: a row needs an event line before it and 3 or 4 fields" % (path, no)
        for db in (d.strip() for d in f[0].split(",")):
            assert db not in out[-1]["rows"], "%s:%d: %s twice" % (path, no, db)
            out[-1]["rows"][db] = {"all": None if f[1] == "-" else f[1], "user": None if f[2] == "-" else f[2],
                                   "note": f[3] if len(f) == 4 else None, "line": no}
    return out


def read_chips(path):
    """[{"family", "chips": [...], "codename", "line"}] in the file's order."""
    out = []
    for no, f in _lines(path):
        assert len(f) == 3, "%s:%d: a chip row has 3 fields" % (path, no)
        out.append({"family": int(f[0], 16), "chips": [c.strip() for c in f[1].split(",")],
                    "codename": None if f[2] == "-" else f[2], "line": no})
    return out


def chip_key(name):
    """Chip names compare without regard to case, spaces, '-' and '_'."""
    return "".join(c for c in name.upper() if c not in " -_")


def mangle(name):
    return "".join(c if c.isalnum() or c == "_" else "_" for c in name.upper())
