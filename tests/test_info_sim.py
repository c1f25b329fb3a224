#!/usr/bin/env python3
"""`kpmc info` through the simulated kperf ($KPMC_KPERF_PATH) on each kernel:
what it says of the allowlist, of the modes configurable counters count, of
the counters' holders, and its exit status.

    test_info_sim.py PATH-TO-kpmc PATH-TO-libkpmc_sim
"""
import os
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kpmctest  # noqa: E402

KPMC, SIM = sys.argv[1], sys.argv[2]
checks = kpmctest.Checks()
check = checks.expect


def info(**env):
    e = {k: v for k, v in os.environ.items() if not k.startswith("KPMC_")}
    e["KPMC_KPERF_PATH"] = SIM
    e.update({"KPMC_SIM_" + k: v for k, v in env.items()})
    p = subprocess.run([KPMC, "info"], capture_output=True, text=True, env=e)
    return p.returncode, p.stdout + p.stderr


# a14 has 59 configurable events with a selector (61 events, 2 fixed).
rc, out = info(KERNEL="cpc")
check(rc == 0 and "CPU:            cpu_100000c_2_1b588bb3" in out and "Database:       a14" in out and
      "selector allowlist: on" in out and "all 59 configurable events of a14 are accepted" in out and
      "configurable counters count: user mode only" in out and "(nobody else)" in out and
      "Counting:       possible" in out, f"cpc:\n{out}")
rc, out = info(KERNEL="14.4")
check(rc == 0 and "selector allowlist: on" in out and "count: user and kernel mode" in out, f"14.4:\n{out}")
rc, out = info(KERNEL="pre14.4")
check(rc == 0 and "selector allowlist: off" in out and "count: user and kernel mode" in out, f"pre14.4:\n{out}")
rc, out = info(KERNEL="15", KERNEL_COUNTING="1")
check(rc == 0 and "count: user and kernel mode" in out, f"15, kernel counting:\n{out}")
# A list of two selectors: 57 refused, the first eight named.
rc, out = info(KERNEL="14.4", ALLOWLIST="0x2,0x8c")
check(rc == 0 and "57 of the 59 configurable events of a14 are refused alone: ATOMIC_OR_EXCLUSIVE_FAIL," in out
      and "and 49 more" in out and "CORE_ACTIVE_CYCLE" not in out.split("refused alone")[1].split("\n")[0],
      f"two selectors:\n{out}")
# Found counting, and the force held.
rc, out = info(KERNEL="15", INIT="3:3:1")
check(rc == 0 and "force_all_ctrs 1, counting 0x3, thread counting 0x3" in out and
      "another client held all counters" in out and "another client was counting" in out, f"found:\n{out}")
rc, out = info(KERNEL="cpc", FORCE_HELD="1")
check(rc == 0 and "force_all_ctrs 1" in out, f"cpc, force held:\n{out}")
rc, out = info(KERNEL="15", FORCE_HELD="1")
check(rc == 5 and "EACCES" in out, f"15, force held:\n{out}")
# x86_64 on cpc: no list, half the general-purpose counters.
rc, out = info(KERNEL="cpc", DB="skylake")
check(rc == 0 and "selector allowlist: none" in out and "configurable counters given: 2 of 4 (3,4)" in out,
      f"skylake cpc:\n{out}")
# Not possible.
rc, out = info(BUSY="1")
check(rc == 5 and "EBUSY" in out and "another client" in out, f"busy:\n{out}")
# Not root: each thread's cycles and instructions only (thread_selfcounts),
# and no probe (it would program kpc); without thread_selfcounts, nothing.
rc, out = info(NOROOT="1")
check(rc == 5 and "Counting:       cycles and instructions only" in out and "thread_selfcounts" in out and
      "EPERM" in out and "sudo" in out and "Kernel:" not in out, f"not root:\n{out}")
rc, out = info(NOROOT="1", SELFCOUNTS_FAIL="ENOTSUP")
check(rc == 5 and "Counting:       not possible now" in out and "EPERM" in out and
      "thread_selfcounts(THSC_CPI) failed with ENOTSUP" in out, f"not root, no thread_selfcounts:\n{out}")
rc, out = info(CPU="cpu_100000c_2_deadbeef")
check(rc == 4 and "no database for CPU cpu_100000c_2_deadbeef" in out, f"unknown CPU:\n{out}")

sys.exit(checks.finish("kpmc info on every simulated kernel"))
