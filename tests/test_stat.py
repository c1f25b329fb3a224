#!/usr/bin/env python3
"""`kpmc stat` end to end against the simulated kernel.

    test_stat.py CASE KPMC SIM WORKLOAD STATIC STATE

KPMC is the kpmc program, SIM the simulator built without sanitizers (the
command loads it too), WORKLOAD tests/stat_workload.c, STATIC a statically
linked program (no library can be injected into it) and STATE
tests/stat_simstate.c, which prints the shared simulated kernel's state.

Every expected count is worked out here from the units of work the workload
is told to do and the simulator's documented model (tests/sim/kpmc_sim.h):
one unit advances fixed counter k of the database by (k + 1) * 1000 per mode
counted and a configurable counter by its selector per mode counted, a
kernel-mode share KPMC_SIM_KERNEL_FACTOR times the user-mode one; the
process's resource usage gains the cycles and instructions of the unit.
The selectors come from `kpmc list --format json`, checked against the
plists by the catalog tests.
"""
import csv
import io
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

CASE, KPMC, SIM, WORKLOAD, STATIC, STATE = sys.argv[1:7]
failures = 0


def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print("FAIL:", what, file=sys.stderr)
    return cond


def base_env(extra=None):
    e = {k: v for k, v in os.environ.items() if not k.startswith("KPMC_")}
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
    expect_error(["-e", "Cycles", "--", "true"], 1, ["in use by another client"], env={"KPMC_SIM_FORCE_HELD": "1"})
    # -o into a folder that does not exist: refused before the command runs.
    with tempfile.TemporaryDirectory() as d:
        marker = os.path.join(d, "ran")
        expect_error(["-e", "Cycles", "-o", os.path.join(d, "missing", "out.json"), "--", "touch", marker], 1,
                     ["-o", "cannot create a file next to it"])
        check(not os.path.exists(marker), "-o into a missing folder: the command ran")
        check(os.listdir(d) == [], f"-o into a missing folder left {os.listdir(d)}")


CASES = {"errors": case_errors}

if __name__ == "__main__":
    if CASE not in CASES:
        print("unknown case %s; cases: %s" % (CASE, " ".join(sorted(CASES))), file=sys.stderr)
        sys.exit(2)
    CASES[CASE]()
    print("%s: %s" % (CASE, "FAILED (%d)" % failures if failures else "passed"))
    sys.exit(1 if failures else 0)
