"""What every Python test of kpmc shares: the kpep folder reader (databases
and cpu_* links in each of their forms), ASCII case folding, the natural
order of database names and the catalog's order of event names, the
collection of failures, the command line of a test, and running the
programs under test.

A test imports it with

    sys.dont_write_bytecode = True  # no __pycache__ in the source tree
    sys.path.insert(0, TESTS_FOLDER)
    import kpmctest

Run as a program it builds a copy of a kpep folder with its cpu_* links in
one form, for the tests that run every check on every form:

    kpmctest.py forms SRC DST   (DST/symlink, DST/name, DST/copy)
"""
import argparse
import hashlib
import os
import plistlib
import re
import shutil
import subprocess
import sys

SKIP = 77  # the exit status CTest reports as skipped (SKIP_RETURN_CODE)

LINK_RE = re.compile(r"^cpu_([0-9a-fA-F]{1,8})_([0-9a-fA-F]{1,8})_([0-9a-fA-F]{1,8})\.plist$")
LINK_FORMS = ("symlink", "name", "copy")


# ---------------------------------------------------------------- names

def fold(s):
    """ASCII upper case, the case folding of kpmc's names (other characters
    are left alone, as in the library and the generator)."""
    return "".join(chr(ord(c) - 32) if "a" <= c <= "z" else c for c in s)


def natural_key(name):
    """Sort key of kpmc's natural order of database names: runs of ASCII
    digits compare as numbers ("a7" < "a10"), other characters by code; names
    equal that way ("a07", "a7") by their characters."""
    tokens = []
    for digits, other in re.findall(r"([0-9]+)|([^0-9])", name):
        # A digit run sits where its first digit would ('0' = 0x30), so it
        # compares with other characters as that digit does.
        tokens.append((0x30, int(digits)) if digits else (ord(other), 0))
    return tokens, name


def name_key(name):
    """Sort key of a database's event and alias names in the catalog's
    order: by folded name, then as written (code points, which order as the
    UTF-8 bytes the C code compares)."""
    return fold(name), name


# ---------------------------------------------------------------- kpep folders

class KpepError(Exception):
    """A kpep folder that cannot be read; the message names the file."""


class Database:
    def __init__(self, folder, file):
        self.file = file
        self.path = os.path.join(folder, file)
        with open(self.path, "rb") as f:
            self.raw = f.read()
        try:
            self.plist = plistlib.loads(self.raw)
        except Exception as e:  # plistlib raises several types
            raise KpepError("%s: not a property list plistlib can read (%s)" % (self.path, e))
        self.sha256 = hashlib.sha256(self.raw).hexdigest()
        self.name = self.plist.get("name")
        self.cpu = self.plist.get("system", {}).get("cpu", {})

    def event_names(self):
        """The names of the events, in the catalog's order (name_key)."""
        return sorted(self.cpu["events"], key=name_key)

    def aliases(self):
        """(alias, event name) of every alias, in the catalog's order of the
        aliases (name_key)."""
        return sorted(self.cpu.get("aliases", {}).items(), key=lambda a: name_key(a[0]))


class Link:
    def __init__(self, file, m, target, form):
        self.file = file
        self.type, self.subtype, self.family = (int(x, 16) for x in m.groups())
        self.target = target  # file name of the database it names
        self.form = form      # "symlink", "name" or "copy"


def looks_like_plist(data):
    """A copy of a database rather than a name: XML or binary plist."""
    head = data.lstrip(b" \t\r\n\xef\xbb\xbf")
    return head.startswith(b"<") or head.startswith(b"bplist00")


class Kpep:
    """The databases (every *.plist that is not a cpu_* link, by file name)
    and the cpu_* links of a folder, each link as macOS ships it (a symbolic
    link), as a small file holding the target's name, or as a full copy of
    its database."""

    def __init__(self, folder):
        self.folder = folder
        try:
            files = sorted(f for f in os.listdir(folder) if f.endswith(".plist") and not f.startswith("."))
        except OSError as e:
            raise KpepError("%s: cannot read the folder (%s)" % (folder, e.strerror))
        self.databases = {f: Database(folder, f) for f in files if not LINK_RE.match(f)}
        self.links = []
        for f in files:
            m = LINK_RE.match(f)
            if m:
                target, form = self._target(os.path.join(folder, f))
                if target not in self.databases:
                    raise KpepError("%s links to %s, which is not a database of %s" % (f, target, folder))
                self.links.append(Link(f, m, target, form))

    def _target(self, path):
        if os.path.islink(path):
            return os.path.basename(os.readlink(path)), "symlink"
        with open(path, "rb") as f:
            data = f.read()
        if looks_like_plist(data):
            same = [d.file for d in self.databases.values() if d.raw == data]
            if not same:
                raise KpepError("%s is a copy of no database" % path)
            return same[0], "copy"
        name = data.decode("utf-8", "replace").rstrip(" \t\r\n")
        if not name.endswith(".plist") or "\n" in name:
            raise KpepError("%s is neither a link, the name of a database, nor a copy of one" % path)
        return os.path.basename(name), "name"

    def ordered(self):
        """The databases in kpmc's order: natural order of their names (the
        same name: by file name)."""
        return sorted(self.databases.values(), key=lambda d: natural_key(d.name))

    def families(self, file):
        """(family, cputype, cpusubtype) of every link naming database `file`."""
        return sorted((l.family, l.type, l.subtype) for l in self.links if l.target == file)


def read_kpep(folder):
    return Kpep(folder)


def write_form(src, dst, form):
    """Copy the kpep folder src to dst (replaced) with every cpu_* link in
    `form`; the databases and any other file are copied as they are."""
    kpep = Kpep(src)
    shutil.rmtree(dst, ignore_errors=True)
    os.makedirs(dst)
    for f in sorted(os.listdir(src)):
        if LINK_RE.match(f) or not os.path.isfile(os.path.join(src, f)):
            continue
        shutil.copyfile(os.path.join(src, f), os.path.join(dst, f))
    for l in kpep.links:
        path = os.path.join(dst, l.file)
        if form == "symlink":
            os.symlink(l.target, path)
        elif form == "name":
            with open(path, "w") as f:
                f.write(l.target)
        else:
            shutil.copyfile(os.path.join(src, l.target), path)
    return kpep


# ---------------------------------------------------------------- failures

class Checks:
    """Counts checks and collects failures.  Each failure is printed as
    "FAIL: ..." when it is found (the first `limit` of them); finish() prints
    the outcome and gives the exit status."""

    def __init__(self, limit=200):
        self.limit = limit
        self.count = 0
        self.failures = []

    def fail(self, message):
        self.failures.append(message)
        if len(self.failures) <= self.limit:
            print("FAIL:", message, flush=True)
        return False

    def expect(self, ok, message):
        self.count += 1
        return True if ok else self.fail(message)

    def eq(self, what, got, want, same_type=False):
        self.count += 1
        if got == want and (not same_type or type(got) is type(want)):
            return True
        return self.fail("%s: got %r, expected %r" % (what, got, want))

    def finish(self, summary):
        """0 and "ok: summary" when nothing failed, else 1."""
        if self.failures:
            if len(self.failures) > self.limit:
                print("(%d more failures not shown)" % (len(self.failures) - self.limit))
            print("%d of %d checks failed (%s)" % (len(self.failures), max(self.count, len(self.failures)), summary))
            return 1
        print("ok: %s%s" % (summary, " (%d checks)" % self.count if self.count else ""))
        return 0


# ---------------------------------------------------------------- running

def parser(*required):
    """The command line of a test: an argparse parser with the options
    `required` ("--NAME", each taking a string) required; the test adds any
    others before parse_args()."""
    ap = argparse.ArgumentParser()
    for option in required:
        ap.add_argument(option, required=True)
    return ap


def run(cmd, checks, rc=0, env=None, cwd=None, timeout=60, preexec=None):
    """Run cmd (a list) and give the finished process (text, undecodable
    bytes replaced), or None when it ran past `timeout` seconds; a failure
    in checks when the exit status is not rc (None: any) and when stderr
    holds a sanitizer report."""
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, errors="replace", timeout=timeout, env=env,
                           cwd=cwd, preexec_fn=preexec)
    except subprocess.TimeoutExpired:
        checks.fail("ran for more than %d s: %s" % (timeout, " ".join(cmd)))
        return None
    if rc is not None and p.returncode != rc:
        checks.fail("%s: exit status %d, expected %d\n%s" % (" ".join(cmd), p.returncode, rc, p.stderr))
    for bad in ("Sanitizer", "runtime error:"):
        if bad in p.stderr:
            checks.fail("%s: sanitizer report\n%s" % (" ".join(cmd), p.stderr))
    return p


def fresh(path):
    """path as an empty folder."""
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def golden_copy(a):
    """For a kpmc-gen test with --data, --golden and --work (a): the fixture
    plists (a.data/ok), a fresh a.work and in it `out`, a copy of the golden
    catalog.  Returns (ok, work, out)."""
    work = fresh(a.work)
    out = os.path.join(work, "out")
    shutil.copytree(a.golden, out)
    return os.path.join(a.data, "ok"), work, out


def command(kpmc, checks, name):
    """run(*args, env=None) -> (exit status, stdout, stderr) of `kpmc NAME
    args...`, with KPMC_DB unset (plus env) so that the default database is
    the machine's."""
    def run_command(*args, env=None):
        e = dict(os.environ)
        e.pop("KPMC_DB", None)
        e.update(env or {})
        p = run([kpmc, name, *args], checks, rc=None, env=e)
        return p.returncode, p.stdout, p.stderr
    return run_command


def command_test(name):
    """What a test of one kpmc command, run as `test.py PATH-TO-kpmc`, starts
    from: (kpmc, checks, run), the program, a Checks, and command(kpmc,
    checks, name)."""
    kpmc = sys.argv[1]
    checks = Checks()
    return kpmc, checks, command(kpmc, checks, name)


def skip(reason):
    print("skipped:", reason)
    return SKIP


# ---- kpmc's own tables (catalog/tables/generic.tsv and chips.tsv), read a
# second way: a reading of the format their header comments describe, written
# apart from kpmc-gen's reader (gen/tables.c).


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
    """name as the tail of a C identifier: ASCII upper case (fold), every
    character but A-Z, 0-9 and '_' made '_'."""
    return "".join(c if ("A" <= c <= "Z" or "0" <= c <= "9" or c == "_") else "_" for c in fold(name))


def strip_comments(text):
    """C text without its comments and preprocessor lines, each turned into
    as many blank lines as it held (so line numbers stay)."""
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    return re.sub(r"^[ \t]*#(?:[^\n]*\\\n)*[^\n]*", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.M)


# ---- the catalog digest (README "Versions and ABI"), from the generated
# headers' text, written apart from kpmc-gen's (gen/digest.c).


def enumerators(text):
    """(name, value) of every enumerator of a C header given a value, in order."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return [(m.group(1), int(m.group(2))) for m in re.finditer(r"\b(KPMC_\w+)\s*=\s*(\d+)", text)]


def header_enumerators(include):
    """Every enumerator of the catalog headers under include/kpmc: events.h,
    generic.h and db/*.h."""
    kpmc = os.path.join(include, "kpmc")
    paths = [os.path.join(kpmc, "events.h"), os.path.join(kpmc, "generic.h")]
    paths += sorted(os.path.join(kpmc, "db", f) for f in os.listdir(os.path.join(kpmc, "db")) if f.endswith(".h"))
    out = []
    for path in paths:
        with open(path, encoding="latin-1") as f:
            out += enumerators(f.read())
    return out


def catalog_digest(enums):
    """The digest of a catalog whose headers define the (name, value) pairs
    enums: the first 8 bytes, big-endian, of the SHA-256 of the lines
    "NAME VALUE\n", sorted."""
    text = "".join(sorted("%s %d\n" % (n, v) for n, v in enums))
    return int.from_bytes(hashlib.sha256(text.encode("ascii")).digest()[:8], "big")


def digest_define(include):
    """KPMC_CATALOG_DIGEST as include/kpmc/events.h defines it, or None."""
    with open(os.path.join(include, "kpmc", "events.h"), encoding="latin-1") as f:
        m = re.search(r"^#define KPMC_CATALOG_DIGEST (0x[0-9a-f]{16})ULL$", f.read(), re.M)
    return int(m.group(1), 16) if m else None


def main(argv):
    if len(argv) == 4 and argv[1] == "forms":
        for form in LINK_FORMS:
            kpep = write_form(argv[2], os.path.join(argv[3], form), form)
            print("%s: %d databases, %d cpu_* links as %s" % (os.path.join(argv[3], form), len(kpep.databases),
                                                               len(kpep.links), form))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.dont_write_bytecode = True
    sys.exit(main(sys.argv))
