#!/usr/bin/env python3
"""`kpmc stat` end to end against the simulated kernel.

    test_stat.py CASE KPMC SIM WORKLOAD STATIC STATE

KPMC is the kpmc program, SIM the simulator built without sanitizers (the
command loads it too), WORKLOAD tests/stat_workload.c, STATIC a statically
linked program (no library can be injected into it) and STATE
tests/stat_simstate.c, which prints the shared simulated kernel's state.

Every expected count is worked out here from the units of work the workload
is told to do and the simulator's documented model (tests/sim/kpmc_sim.h):
one unit counts, on fixed counter k of the database, (k + 1) * 1000 in user
mode and twice that in kernel mode (KPMC_SIM_KERNEL_FACTOR), and on a
configurable counter its selector in user mode and twice it in kernel mode,
each in the modes the counter counts; the process's resource usage gains
the cycles and instructions of the unit.  Which counter and which modes
follow the README's "Kernel versions": the kernel is $KPMC_SIM_KERNEL
(default cpc), whose configurable counters count user mode only on 15 and
cpc, where a KPMC_MODE_ALL set mixing fixed and configurable events is
counted wholly in user mode on configurable counters.  The selectors come
from `kpmc list --format json`, checked against the plists by the catalog
tests.
"""
import csv
import io
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kpmctest import Checks  # noqa: E402

CASE, KPMC, SIM, WORKLOAD, STATIC, STATE = sys.argv[1:7]
checks = Checks()
check = checks.expect


def base_env(extra=None):
    e = {k: v for k, v in os.environ.items() if not k.startswith("KPMC_") or k == "KPMC_SIM_KERNEL"}
    e["KPMC_KPERF_PATH"] = SIM
    if extra:
        e.update(extra)
    return e


def stat(args, env=None, **kw):
    p = subprocess.run([KPMC, "stat", *args], capture_output=True, text=True, env=base_env(env), **kw)
    return p.returncode, p.stdout, p.stderr


def expect_error(args, code, words, env=None):
    rc, out, err = stat(args, env=env)
    check(rc == code, f"{args}: exit {rc}, want {code}; stderr {err!r}")
    for w in words:
        check(w in err, f"{args}: stderr lacks {w!r}: {err!r}")
    check(out == "", f"{args}: stdout {out!r}")
    return err


def case_errors():
    expect_error([], 2, ["no command to count"])
    expect_error(["-e", "Cycles"], 2, ["no command to count"])
    expect_error(["--bogus", "--", "true"], 2, ["unknown option '--bogus'", "--event"])
    expect_error(["-r", "0", "--", "true"], 2, ["-r takes a number of runs from 1"])
    expect_error(["-r", "x", "--", "true"], 2, ["-r takes a number of runs"])
    expect_error(["--format", "xml", "--", "true"], 2, ["unknown format 'xml'", "json", "csv"])
    expect_error(["-e", "Cycles,,Instructions", "--", "true"], 2, ["empty event name"])
    expect_error(["-e", "Cycles,cycles", "--", "true"], 2, ["named twice"])
    # The command cannot be started: a sentence, and the shell's statuses.
    expect_error(["-e", "Cycles", "--", "/nonexistent/program"], 127,
                 ["kpmc stat: cannot run '/nonexistent/program': No such file or directory"])
    expect_error(["-e", "Cycles", "--", "no-such-program-kpmc"], 127, ["cannot run 'no-such-program-kpmc'"])
    with tempfile.NamedTemporaryFile(suffix=".txt") as f:
        expect_error(["-e", "Cycles", "--", f.name], 126, ["cannot run '%s': Permission denied" % f.name])
    # Unknown events, with and without root.
    expect_error(["-e", "NO_SUCH_EVENT", "--", "true"], 1, ["unknown event", "NO_SUCH_EVENT"])
    expect_error(["-e", "NO_SUCH_EVENT", "--", "true"], 1, ["unknown event", "NO_SUCH_EVENT"],
                 env={"KPMC_SIM_NOROOT": "1"})
    # Not root: an event that needs it, -a, --user.
    expect_error(["-e", "INST_ALL", "--", "true"], 1, ["INST_ALL needs root (run with sudo)",
                                                        "cycles and instructions only"],
                 env={"KPMC_SIM_NOROOT": "1"})
    expect_error(["-a", "-e", "Cycles", "--", "true"], 1, ["-a counts every CPU and needs root"],
                 env={"KPMC_SIM_NOROOT": "1"})
    expect_error(["--user", "-e", "Cycles", "--", "true"], 1, ["--user needs root"], env={"KPMC_SIM_NOROOT": "1"})
    # The counters are held by another client.
    expect_error(["-e", "Cycles", "--", "true"], 1, ["in use by another client"], env={"KPMC_SIM_BUSY": "1"})
    expect_error(["-e", "Cycles", "--", "true"], 1, ["in use by another client"],
                 env={"KPMC_SIM_FORCE_HELD": "1", "KPMC_SIM_KERNEL": "15"})
    # -o into a folder that does not exist: refused before the command runs.
    with tempfile.TemporaryDirectory() as d:
        marker = os.path.join(d, "ran")
        expect_error(["-e", "Cycles", "-o", os.path.join(d, "missing", "out.json"), "--", "touch", marker], 1,
                     ["-o", "cannot create a file next to it"])
        check(not os.path.exists(marker), "-o into a missing folder: the command ran")
        check(os.listdir(d) == [], f"-o into a missing folder left {os.listdir(d)}")


# ---- the simulated machine ----

# The workload of most cases and the units of work it does where.
WORK = ["--main", "10", "--threads", "3:5", "--short", "4:2", "--running", "7", "--fork", "11", "--exec", "13",
        "--say", "hello from the command"]
UNITS_ALL = 10 + 3 * 5 + 4 * 2 + 7 + 11 + 13  # every thread of every process
UNITS_PROCESS = 10 + 3 * 5 + 4 * 2 + 7        # the command's own process
# Threads that report: main, 3, 4 short, the running one, the forked child,
# the exec'ing child before its exec and the program it execs.
THREADS = 1 + 3 + 4 + 1 + 1 + 1 + 1
IMAGES = 4  # the command, the forked child, the exec'ing child, the exec'd program

_catalog = {}


def events_of(db):
    if db not in _catalog:
        p = subprocess.run([KPMC, "list", "--db", db, "--format", "json"], capture_output=True, text=True, check=True)
        d = json.loads(p.stdout)["databases"][0]
        names = {e["name"].lower(): e for e in d["events"]}
        for alias, target in d["aliases"].items():
            names[alias.lower()] = names[target.lower()]
        _catalog[db] = (d, names)
    return _catalog[db]


KERNEL = os.environ.get("KPMC_SIM_KERNEL") or "cpc"
FACTOR = 2  # KPMC_SIM_KERNEL_FACTOR


_generic = {}


def generic(db, name, mode):
    """The event a generic name counts in db and mode (`kpmc list --generic`,
    checked against catalog/tables/generic.tsv by the catalog tests), or None
    when name is not generic."""
    if not _generic:
        p = subprocess.run([KPMC, "list", "--generic", "--format", "json"], capture_output=True, text=True,
                           check=True)
        for g in json.loads(p.stdout)["generic"]:
            _generic[g["name"].lower()] = g["databases"]
    g = _generic.get(name.lower())
    return g[db][mode] if g else None


def plan(db, names, mode="all", kernel=KERNEL):
    """For each event of a set: (event counted, units counted per unit of
    work, "user" or "all"), by the rules above, independently of kpmc."""
    d, table = events_of(db)
    evs = [table[(generic(db, n, mode) or n).lower()] for n in names]
    fixed = [e["fixed_counter"] is not None for e in evs]
    user_only_kernel = kernel in ("15", "cpc")
    # Every event on a configurable counter in user mode: --user, or a
    # mixed set on a kernel that counts configurable events in user mode.
    all_user = mode == "user" or (user_only_kernel and any(fixed) and not all(fixed))
    out = []
    for e, f in zip(evs, fixed):
        if f and not all_user:
            out.append((e["name"], (e["fixed_counter"] + 1) * 1000 * (1 + FACTOR), "all"))
            continue
        if f:  # its fallback, or CORE_ACTIVE_CYCLE for FIXED_CYCLES
            e = table[(e["fallback"] or "CORE_ACTIVE_CYCLE").lower()]
        if mode == "all" and all_user:  # a generic name means its user-mode event
            n = names[len(out)]
            e = table[(generic(db, n, "user") or e["name"]).lower()]
        counts_kernel = not all_user and not user_only_kernel
        out.append((e["name"], e["number"] * (1 + (FACTOR if counts_kernel else 0)),
                    "all" if counts_kernel else "user"))
    return out


METRICS_DEF = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "runtime", "metrics.def")


def resolve(db, name, mode):
    """The event a name counts in db and mode: a generic name's mapping,
    else the event or alias itself."""
    d, table = events_of(db)
    e = table.get((generic(db, name, mode) or name).lower())
    return e["name"] if e else None


def expected_metrics(db, mode, counted):
    """The derived metrics of runtime/metrics.def (read here as data) whose
    inputs bind to counted {event counted: mean}: each input's first name
    that counts one of them; value = scale * numerator / denominator."""
    with open(METRICS_DEF) as f:
        text = f.read()
    out = []
    for m in re.finditer(r'KPMC_METRIC\("([^"]+)",\s*"[^"]*",\s*"([^"]+)",\s*"([^"]+)",\s*([0-9.]+)\)', text):
        name, num, den, scale = m.group(1), m.group(2), m.group(3), float(m.group(4))
        bound = []
        for alts in (num, den):
            hit = [resolve(db, a, mode) for a in alts.split("|") if resolve(db, a, mode) in counted]
            bound.append(hit[0] if hit else None)
        if None not in bound and counted[bound[1]] > 0:
            out.append({"name": name, "value": scale * counted[bound[0]] / counted[bound[1]]})
    return out


def check_metrics(rep, db, what):
    counted = {e["resolved"]: e["mean"] for e in rep["events"] if e["mean"] is not None}
    want = expected_metrics(db, rep["mode"], counted)
    got = rep["metrics"]
    check([x["name"] for x in got] == [x["name"] for x in want], "%s: metrics %s, want %s" % (what, got, want))
    for g, w in zip(got, want):
        check(abs(g["value"] - w["value"]) <= 1e-9 * abs(w["value"]), "%s: %s = %s, want %s"
              % (what, g["name"], g["value"], w["value"]))
    return want


def per_unit(db, name, mode="all"):
    """A fixed event alone (as the rusage fields): what a unit counts."""
    return plan(db, [name], mode)[0][1]


class Machine:
    """A shared simulated kernel for one case, removed afterwards."""

    def __init__(self, tag, **env):
        self.name = "/kpmc-stat-%d-%s" % (os.getpid(), tag)
        self.env = {"KPMC_SIM_SHARED": self.name, "KPMC_SIM_READ_STEP": "0"}
        self.env.update({k: str(v) for k, v in env.items()})

    def __enter__(self):
        self.unlink()
        self.before = self.state()
        return self

    def __exit__(self, *exc):
        self.unlink()

    def unlink(self):
        try:
            os.unlink("/dev/shm" + self.name)
        except FileNotFoundError:
            pass

    def state(self):
        p = subprocess.run([STATE], capture_output=True, text=True, env=base_env(self.env))
        check(p.returncode == 0, "stat_simstate: %s" % p.stderr)
        return json.loads(p.stdout) if p.returncode == 0 else None

    def stat(self, args, env=None, **kw):
        e = dict(self.env)
        if env:
            e.update(env)
        return stat(args, env=e, **kw)

    def check_restored(self, what):
        """Counting, thread counting and force_all_ctrs as found.  The
        configuration words stay as the last set programmed them, inert with
        counting off: kpmc sessions never restore them (README, Sessions)."""
        keys = ("db", "counting", "thread_counting", "force_all")
        after = self.state()
        got = after and {k: after[k] for k in keys}
        want = self.before and {k: self.before[k] for k in keys}
        check(got == want, "%s: the simulated kernel was left as %s, found as %s" % (what, got, want))


def report_json(m, args, want_rc=0, env=None):
    """Run with --format json -o FILE; the parsed report (and stdout)."""
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "report.json")
        rc, stdout, err = m.stat(["--format", "json", "-o", out, *args], env=env)
        check(rc == want_rc, "%s: exit %d, want %d; stderr %r" % (args, rc, want_rc, err))
        check(os.listdir(d) == ["report.json"] or rc != want_rc, "%s: -o left %s" % (args, os.listdir(d)))
        try:
            with open(out) as f:
                return json.load(f), stdout, err
        except (OSError, ValueError) as e:
            check(False, "%s: no JSON report (%s); stderr %r" % (args, e, err))
            return None, stdout, err


def check_event(rep, name, resolved, values, what):
    ev = [e for e in rep["events"] if e["name"] == name]
    if not check(len(ev) == 1, "%s: event %s missing from %s" % (what, name, rep["events"])):
        return None
    e = ev[0]
    check(e["resolved"] == resolved, "%s: %s resolved %s, want %s" % (what, name, e["resolved"], resolved))
    check(e["values"] == values, "%s: %s values %s, want %s" % (what, name, e["values"], values))
    if values:
        mean = sum(values) / len(values)
        sd = (sum((v - mean) ** 2 for v in values) / (len(values) - 1)) ** 0.5 if len(values) > 1 else 0
        check(abs(e["mean"] - mean) < 1e-6 * max(1, mean), "%s: %s mean %s, want %s" % (what, name, e["mean"], mean))
        check(abs(e["stddev"] - sd) < 1e-6 * max(1, sd), "%s: %s stddev %s, want %s" % (what, name, e["stddev"], sd))
    return e


TOP_KEYS = ["command", "runs", "mode", "scope", "wall_ns", "events", "metrics", "exit_status"]


def check_shape(rep, what):
    keys = list(rep)
    check(keys[:len(TOP_KEYS)] == TOP_KEYS, "%s: keys %s, want %s first" % (what, keys, TOP_KEYS))
    check(set(rep["wall_ns"]) == {"mean", "stddev"} and rep["wall_ns"]["mean"] > 0,
          "%s: wall_ns %s" % (what, rep["wall_ns"]))
    for e in rep["events"]:
        check(list(e)[:6] == ["name", "resolved", "group", "values", "mean", "stddev"],
              "%s: event keys %s" % (what, list(e)))
    for x in rep["metrics"]:
        check(list(x) == ["name", "value"], "%s: metric keys %s" % (what, list(x)))


# ---- threads scope (root) ----

def case_threads():
    db = "a14"
    names = ["Cycles", "Instructions", "INST_BRANCH", "BRANCH_MISPRED_NONSPEC"]
    planned = plan(db, names)
    resolved = [p[0] for p in planned]
    want = {n: UNITS_ALL * p[1] for n, p in zip(names, planned)}
    counts = {n: p[2] for n, p in zip(names, planned)}
    with Machine("threads") as m:
        # JSON, three runs.
        rep, out, err = report_json(m, ["-r", "3", "-e", ",".join(names), "--", WORKLOAD, *WORK])
        check(out == "hello from the command\n" * 3, "threads: the command's stdout was %r" % out)
        check(err == "", "threads: stderr %r" % err)
        if rep:
            check_shape(rep, "threads json")
            check(rep["command"] == [WORKLOAD, *WORK], "threads: command %s" % rep["command"])
            check(rep["runs"] == 3 and rep["mode"] == "all" and rep["scope"] == "threads", "threads: %s" % rep)
            check(rep["exit_status"] == 0, "threads: exit_status %s" % rep["exit_status"])
            for n, r in zip(names, resolved):
                e = check_event(rep, n, r, [want[n]] * 3, "threads json")
                check(e is None or (e["group"] == 0 and e.get("counts") == counts[n]),
                      "threads: %s group %s counts %s, want 0 and %s" % (n, e and e["group"], e and e.get("counts"),
                                                                         counts[n]))
            metrics = check_metrics(rep, db, "threads")
            check(any(x["name"] == "ipc" for x in metrics), "threads: no ipc in %s" % metrics)
            check(rep.get("threads") == THREADS and rep.get("images") == IMAGES,
                  "threads: %s threads in %s images, want %d in %d" % (rep.get("threads"), rep.get("images"),
                                                                       THREADS, IMAGES))
            check(rep.get("notes") == [], "threads: notes %s" % rep.get("notes"))
        m.check_restored("threads json")
        # Text, on stderr like perf stat.
        rc, out, err = m.stat(["-e", ",".join(names), "--", WORKLOAD, *WORK])
        check(rc == 0 and out == "hello from the command\n", "threads text: exit %d, stdout %r" % (rc, out))
        check("Performance counter stats for '%s %s'" % (WORKLOAD, " ".join(WORK)) in err, "threads text: %r" % err)
        for n in names:
            line = "{:,}      {}{}".format(want[n], n, ":u" if counts[n] == "user" else "")
            check(line in err, "threads text: no line %r in %r" % (line, err))
        check("# %8.3f  instructions per cycle" % (want["Instructions"] / want["Cycles"]) in err,
              "threads text IPC: %r" % err)
        check("Counted: every thread of the command and of its children (%d threads in %d process images)"
              % (THREADS, IMAGES) in err, "threads text scope: %r" % err)
        check("seconds time elapsed" in err, "threads text: no wall time in %r" % err)
        m.check_restored("threads text")
        # CSV to a file.
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "r.csv")
            rc, out, err = m.stat(["-r", "2", "--format", "csv", "-o", path, "-e", ",".join(names), "--",
                                   WORKLOAD, *WORK])
            check(rc == 0 and err == "", "threads csv: exit %d, stderr %r" % (rc, err))
            with open(path) as f:
                rows = list(csv.DictReader(f))
            check([r["event"] for r in rows] == names, "threads csv: events %s" % [r["event"] for r in rows])
            for r, n, res in zip(rows, names, resolved):
                check(r["resolved"] == res and r["group"] == "0" and r["runs"] == "2", "threads csv row %s" % r)
                check(r["values"] == "%d;%d" % (want[n], want[n]) and float(r["mean"]) == want[n]
                      and float(r["stddev"]) == 0 and r["scope"] == "threads" and r["mode"] == "all",
                      "threads csv row %s, want %d" % (r, want[n]))
        m.check_restored("threads csv")


def case_user():
    db = "a14"
    names = ["Instructions", "BRANCH_MISPRED_NONSPEC"]
    with Machine("user") as m:
        rep, _, _ = report_json(m, ["--user", "-e", ",".join(names), "--", WORKLOAD, *WORK])
        if rep:
            check(rep["mode"] == "user", "user: mode %s" % rep["mode"])
            for n, (r, unit, counts) in zip(names, plan(db, names, "user")):
                e = check_event(rep, n, r, [UNITS_ALL * unit], "user")
                check(e is None or e.get("counts") == "user", "user: %s counts %s" % (n, e and e.get("counts")))
        rc, _, err = m.stat(["--user", "-e", ",".join(names), "--", WORKLOAD, *WORK])
        check(rc == 0 and "Instructions:u" in err and "user mode only" in err, "user text: %r" % err)
        m.check_restored("user")


def case_defaults():
    """No -e: cycles, instructions, branches, branch-misses, and their
    metrics; without root the first two from the resource usage."""
    db = "a14"
    names = ["cycles", "instructions", "branches", "branch-misses"]
    planned = plan(db, names)
    with Machine("defaults") as m:
        rep, _, _ = report_json(m, ["--", WORKLOAD, *WORK])
        if rep:
            check([e["name"] for e in rep["events"]] == names, "defaults: events %s" % rep["events"])
            for n, (r, unit, counts) in zip(names, planned):
                check_event(rep, n, r, [UNITS_ALL * unit], "defaults")
            metrics = check_metrics(rep, db, "defaults")
            check([x["name"] for x in metrics] == ["ipc", "branch-miss-ratio", "branch-mpki"],
                  "defaults: metrics %s" % metrics)
        m.check_restored("defaults")
    with Machine("defaults-noroot", KPMC_SIM_NOROOT=1) as m:
        rep, _, _ = report_json(m, ["--", WORKLOAD, *WORK])
        if rep:
            check_event(rep, "cycles", "ri_cycles", [UNITS_PROCESS * per_unit(db, "Cycles")], "defaults no root")
            check_event(rep, "instructions", "ri_instructions", [UNITS_PROCESS * per_unit(db, "Instructions")],
                        "defaults no root")
            for n in ("branches", "branch-misses"):
                e = check_event(rep, n, None, [], "defaults no root")
                check(e is None or "needs root" in e.get("not_counted", ""), "defaults no root: %s" % e)
        m.check_restored("defaults no root")


def case_suggest():
    """An unknown event gets the closest names, and another architecture's
    event its counterpart."""
    expect_error(["-e", "cycles,brnches", "--", "true"], 1,
                 ["unknown event", "'brnches'", "did you mean branches (INST_BRANCH)?"])
    expect_error(["-e", "INST_RETIRED.ANY", "--", "true"], 1,
                 ["INST_RETIRED.ANY is an Intel event; on a14: instructions"], env={"KPMC_SIM_NOROOT": "1"})


def case_groups():
    """More events than fit: the fewest groups, the command run once per
    group in each run, every event its own values."""
    db = "a14"
    # INST_ALL and INST_INT_ALU can only use counter 7: two groups at least.
    names = ["INST_ALL", "INST_INT_ALU", "BRANCH_MISPRED_NONSPEC", "INST_BRANCH"]
    with Machine("groups") as m:
        rep, out, _ = report_json(m, ["-r", "2", "-e", ",".join(names), "--", WORKLOAD, *WORK])
        check(out == "hello from the command\n" * 4, "groups: the command ran %d times" % out.count("hello"))
        if rep:
            groups = {e["name"]: e["group"] for e in rep["events"]}
            check(sorted(set(groups.values())) == [0, 1], "groups: %s" % groups)
            check(groups["INST_ALL"] != groups["INST_INT_ALU"], "groups: INST_ALL and INST_INT_ALU together")
            check(rep["runs"] == 2, "groups: runs %s" % rep["runs"])
            for n in names:
                members = [x for x in names if groups[x] == groups[n]]
                unit = dict((x, p[1]) for x, p in zip(members, plan(db, members)))[n]
                check_event(rep, n, n, [UNITS_ALL * unit] * 2, "groups")
        rc, _, err = m.stat(["-e", ",".join(names), "--", WORKLOAD, *WORK])
        check(rc == 0 and "counted in 2 groups, the command running once per group" in err, "groups text: %r" % err)
        m.check_restored("groups")


# ---- process scope (no root) ----

def case_process():
    db = "a14"
    cyc, ins = UNITS_PROCESS * per_unit(db, "Cycles"), UNITS_PROCESS * per_unit(db, "Instructions")
    # CPUs 0-1 efficiency, 2-5 performance: the main thread and its 3 threads
    # on performance CPUs, the rest of the process on an efficiency one.
    with Machine("process", KPMC_SIM_CPUS="4,2", KPMC_SIM_NOROOT=1) as m:
        work = ["--cpu", "0", "--main", "10", "--threads", "3:5:3", "--short", "4:2", "--running", "7:4",
                "--fork", "11", "--exec", "13"]
        p_units = 3 * 5 + 7
        rep, _, _ = report_json(m, ["-r", "2", "-e", "cycles,instructions,INST_ALL", "--", WORKLOAD, *work])
        if rep:
            check(rep["scope"] == "process" and rep["mode"] == "all", "process: %s %s" % (rep["scope"], rep["mode"]))
            c = check_event(rep, "cycles", "ri_cycles", [cyc, cyc], "process")
            i = check_event(rep, "instructions", "ri_instructions", [ins, ins], "process")
            n = check_event(rep, "INST_ALL", None, [], "process")
            check(n is None or (n["mean"] is None and "needs root" in n.get("not_counted", "")), "process: %s" % n)
            pc, pi = p_units * per_unit(db, "Cycles"), p_units * per_unit(db, "Instructions")
            check(c is None or c.get("levels") == {"Performance": pc, "Efficiency": cyc - pc},
                  "process: cycles levels %s" % (c and c.get("levels")))
            check(i is None or i.get("levels") == {"Performance": pi, "Efficiency": ins - pi},
                  "process: instructions levels %s" % (i and i.get("levels")))
            check(rep["metrics"] == [{"name": "ipc", "value": ins / cyc}], "process: metrics %s" % rep["metrics"])
        rc, _, err = m.stat(["-e", "cycles,instructions,INST_ALL", "--", WORKLOAD, *work])
        check(rc == 0, "process text: exit %d" % rc)
        for line in ["{:,}      cycles".format(cyc), "{:,}        on Performance cores".format(pc),
                     "<not counted>      INST_ALL", "needs root (run with sudo)",
                     "Counted: the command's own process (not its children)"]:
            check(line in err, "process text: no %r in %r" % (line, err))
        m.check_restored("process")


# ---- system scope (-a) ----

def case_system():
    db = "a14"
    names = ["Cycles", "INST_ALL"]
    # Two dies of 2 efficiency + 4 performance CPUs: 0-1 E, 2-5 P, 6-7 E, 8-11 P.
    with Machine("system", KPMC_SIM_CPUS="8,4,2") as m:
        work = ["--cpu", "6", "--main", "10", "--threads", "3:5:9", "--short", "4:2", "--running", "7:1",
                "--fork", "11", "--exec", "13"]
        p_units = 3 * 5
        rep, _, _ = report_json(m, ["-a", "-e", ",".join(names), "--", WORKLOAD, *work])
        if rep:
            check(rep["scope"] == "system", "system: scope %s" % rep["scope"])
            for n, (r, unit, counts) in zip(names, plan(db, names)):
                e = check_event(rep, n, r, [UNITS_ALL * unit], "system")
                want = {"Performance": p_units * unit, "Efficiency": (UNITS_ALL - p_units) * unit}
                check(e is None or e.get("levels") == want, "system: %s levels %s, want %s"
                      % (n, e and e.get("levels"), want))
        rc, _, err = m.stat(["-a", "-e", ",".join(names), "--", WORKLOAD, *work])
        check("Counted: the whole system on every CPU (12 CPUs: 8 Performance, 4 Efficiency)" in err,
              "system text: %r" % err)
        m.check_restored("system")


# ---- runs that fail, commands that cannot be counted, signals ----

def case_failing():
    with Machine("failing") as m:
        rep, _, _ = report_json(m, ["-r", "3", "-e", "Cycles", "--", WORKLOAD, "--main", "5", "--exit", "3"],
                                want_rc=3)
        if rep:
            check(rep["exit_status"] == 3 and rep["runs"] == 1,
                  "failing: %s runs, exit %s" % (rep["runs"], rep["exit_status"]))
            check_event(rep, "Cycles", "FIXED_CYCLES", [5 * per_unit("a14", "Cycles")], "failing")
            check(any("Run 1 of 3 ended with exit status 3: no further run." in n for n in rep["notes"]),
                  "failing: notes %s" % rep["notes"])
        rc, _, err = m.stat(["-e", "Cycles", "--", WORKLOAD, "--main", "5", "--exit", "3"])
        check(rc == 3 and "The command exited with status 3." in err, "failing text: exit %d, %r" % (rc, err))
        # A command that cannot be started again after its first run: kpmc
        # stat fails with the shell's status, and still reports that run.
        with tempfile.TemporaryDirectory() as d:
            once = os.path.join(d, "once")
            with open(once, "w") as f:
                f.write('#!/bin/sh\nrm -f "$0"\nexec "%s" --main 5\n' % WORKLOAD)
            os.chmod(once, 0o755)
            rep, _, err = report_json(m, ["-r", "3", "-e", "Cycles", "--", once], want_rc=127)
            check("cannot run '%s'" % once in err, "gone after one run: stderr %r" % err)
            if rep:
                check(rep["runs"] == 1 and rep["exit_status"] == 0,
                      "gone after one run: %s runs, exit %s" % (rep["runs"], rep["exit_status"]))
                check_event(rep, "Cycles", "FIXED_CYCLES", [5 * per_unit("a14", "Cycles")], "gone after one run")
                check(any("Stopped after 1 run of the command: kpmc stat could not go on (exit status 127)." in n
                          for n in rep["notes"]), "gone after one run: notes %s" % rep["notes"])
        m.check_restored("failing")


def case_not_injected():
    with Machine("static") as m:
        rep, _, _ = report_json(m, ["-e", "Cycles", "--", STATIC])
        if rep:
            e = check_event(rep, "Cycles", None, [], "static")
            check(e is None or e["mean"] is None, "static: %s" % e)
            check(any("no process of the command loaded kpmc's counting library" in n and "-a" in n
                      for n in rep["notes"]), "static: notes %s" % rep["notes"])
        rc, _, err = m.stat(["-e", "Cycles", "--", STATIC])
        check(rc == 0 and "<not counted>" in err and "with -a" in err, "static text: %r" % err)
        m.check_restored("static")


def wait_for(path, proc, what):
    for _ in range(500):
        if os.path.exists(path) or proc.poll() is not None:
            return True
        time.sleep(0.01)
    return check(False, "%s: the workload never got ready" % what)


def finish(p, what):
    """p's output; on a hang, p and its children are killed and it fails."""
    try:
        return p.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        kids = subprocess.run(["pgrep", "-P", str(p.pid)], capture_output=True, text=True).stdout.split()
        for pid in kids:
            os.kill(int(pid), signal.SIGKILL)
        p.kill()
        check(False, "%s: kpmc stat did not end within 30 s" % what)
        return p.communicate()


def case_signals():
    # Counting of the fixed class already on when kpmc stat starts: it must
    # be on again afterwards, with force_all_ctrs off.
    with Machine("signals", KPMC_SIM_INIT="1:1:0") as m, tempfile.TemporaryDirectory() as d:
        check(m.before and m.before["counting"] == 1 and m.before["thread_counting"] == 1,
              "signals: initial state %s" % m.before)
        # SIGINT to kpmc stat: passed on to the command, counts reported.
        ready = os.path.join(d, "ready")
        p = subprocess.Popen([KPMC, "stat", "--format", "json", "-e", "Cycles", "--", WORKLOAD, "--main", "10",
                              "--threads", "3:5", "--running", "7", "--fork", "11", "--exec", "13", "--ready", ready],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=base_env(m.env))
        wait_for(ready, p, "SIGINT")
        p.send_signal(signal.SIGINT)
        out, err = finish(p, "SIGINT")
        check(p.returncode == 128 + signal.SIGINT, "SIGINT: exit %d, stderr %r" % (p.returncode, err))
        try:
            rep = json.loads(err)
        except ValueError:
            rep = None
            check(False, "SIGINT: no JSON report: %r" % err)
        if rep:
            check(rep["exit_status"] == 128 + signal.SIGINT, "SIGINT: exit_status %s" % rep["exit_status"])
            # The main thread and the blocked one died with the process:
            # the three joined threads and both children reported.
            check_event(rep, "Cycles", "FIXED_CYCLES", [(3 * 5 + 11 + 13) * per_unit("a14", "Cycles")], "SIGINT")
            check(any("never reported" in n for n in rep["notes"]), "SIGINT: notes %s" % rep["notes"])
        m.check_restored("SIGINT")
        # SIGKILL of the command.
        os.unlink(ready)
        p = subprocess.Popen([KPMC, "stat", "-e", "Cycles", "--", WORKLOAD, "--main", "10", "--ready", ready],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=base_env(m.env))
        wait_for(ready, p, "SIGKILL")
        pids = subprocess.run(["pgrep", "-P", str(p.pid)], capture_output=True, text=True).stdout.split()
        check(len(pids) == 1, "SIGKILL: children of kpmc stat: %s" % pids)
        for pid in pids:
            os.kill(int(pid), signal.SIGKILL)
        out, err = finish(p, "SIGKILL")
        check(p.returncode == 128 + signal.SIGKILL, "SIGKILL: exit %d, stderr %r" % (p.returncode, err))
        check("The command was killed by signal 9." in err, "SIGKILL: %r" % err)
        m.check_restored("SIGKILL")


CASES = {"errors": case_errors, "defaults": case_defaults, "suggest": case_suggest, "groups": case_groups,
         "threads": case_threads, "user": case_user, "process": case_process,
         "system": case_system, "failing": case_failing, "not_injected": case_not_injected,
         "signals": case_signals}


if __name__ == "__main__":
    if CASE not in CASES:
        print("unknown case %s; cases: %s" % (CASE, " ".join(sorted(CASES))), file=sys.stderr)
        sys.exit(2)
    CASES[CASE]()
    sys.exit(checks.finish("kpmc stat, " + CASE))
