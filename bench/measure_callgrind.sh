#!/bin/sh
# The measurement loop's and the raw read's instruction counts, measured
# with callgrind.
#
#   measure_callgrind.sh BENCH_MEASURE KPERF_LIBRARY [N ...]   (default N: 1 2 4 6 10)
#
# For each set size N, runs bench_measure under valgrind's callgrind with
# KPMC_KPERF_PATH=KPERF_LIBRARY (the simulator) and reads the profile:
#  - the raw read: kpmc_set_read_raw's own instructions per call (the kpc
#    call excluded), and what it calls;
#  - the measurement loop: per sample, kpmc_measure_next's own instructions
#    and those of the loop that calls it (region_loop, and kpmc's loop of the
#    empty region), the kpc calls excluded; what kpmc_measure_next calls
#    (besides kpc_get_thread_counters only the segment switch, once per
#    segment); and everything a run costs besides the kpc calls (sets
#    started and stopped, statistics), per sample.
# The simulator runs a 14.4 kernel, where a KPMC_MODE_ALL set keeps its
# fixed events and a14 holds 10 events (on 15 and cpc a set of 10 that
# mixes fixed and configurable events does not fit the 8 configurable
# counters it is moved to); the loop and the read are the same on every
# kernel.
# Budget (README "Benchmarks"): the loop's own cost per sample at most
# twice the raw read's beyond the kpc calls, zero allocations per sample.
# Needs a build without sanitizers (valgrind cannot run ASan programs).
# kpmc_measure_next appears in the profile at two recursion levels (the
# empty region's loop runs inside its first call); callgrind_stats counts
# them as one.
set -eu
# shellcheck source-path=SCRIPTDIR source=callgrind.sh
. "$(dirname "$0")/callgrind.sh"
callgrind_start "BENCH_MEASURE KPERF_LIBRARY [N ...]" "$@"
shift 2
[ $# -gt 0 ] || set -- 1 2 4 6 10
samples=10000

echo "kpmc measurement loop and raw read under callgrind: $samples samples or reads, kperf $kperf"
for n in "$@"; do
    for what in raw region; do
        callgrind "$tmp/$what.$n" KPMC_SIM_KERNEL=14.4 --samples "$samples" "$what" "$n"
        callgrind_stats "$tmp/$what.$n" > "$tmp/$what.$n.txt"
    done
    awk -v n="$n" -v samples="$samples" -v raw="$tmp/raw.$n.txt" '
        BEGIN {
            while ((getline line < raw) > 0) {
                split(line, f, " ")
                if (f[1] == "self" && f[2] == "kpmc_set_read_raw") rawself = f[3]
                if (f[1] == "calls" && f[3] == "kpmc_set_read_raw") rawcalls += f[4]
                if (f[1] == "calls" && f[2] == "kpmc_set_read_raw" && f[3] != "kpc_get_thread_counters")
                    rawother = rawother " " f[3]
                if (f[1] == "incl" && f[2] == "raw_loop" && f[3] == "kpmc_set_read_raw") rawincl = f[4]
                if (f[1] == "incl" && f[2] == "kpmc_set_read_raw" && f[3] == "kpc_get_thread_counters") rawkpc = f[4]
                if (f[1] == "self" && f[2] == "raw_loop") rawloop = f[3]
            }
        }
        $1 == "self" && $2 == "kpmc_measure_next" { nextself = $3 }
        $1 == "self" && $2 == "region_loop" { loopself = $3 }
        $1 == "self" && $2 == "drive" { driveself = $3 }
        $1 == "calls" && $3 == "kpmc_measure_next" { nextcalls += $4 }
        $1 == "calls" && $2 == "kpmc_measure_next" && $3 == "advance" { switches += $4 }
        $1 == "calls" && $2 == "kpmc_measure_next" && $3 == "read_nothing" { idle += $4 }
        $1 == "calls" && $2 == "kpmc_measure_next" && $3 != "kpc_get_thread_counters" && $3 != "advance" && $3 != "read_nothing" { other = other " " $3 }
        $1 == "incl" && $3 == "kpc_get_thread_counters" { kpcall += $4 }
        $1 == "calls" && $3 == "kpc_get_thread_counters" { kpccalls += $4 }
        $1 == "incl" && $2 == "main" && $3 == "region_loop" { runincl = $4 }
        END {
            if (rawcalls != samples) { printf "%2d events: %d raw reads in the profile, expected %d\n", n, rawcalls, samples; exit 1 }
            s = 2 * samples + 1   # a call ends each sample; the first call starts the run
            if (nextcalls != s) { printf "%2d events: %d calls of kpmc_measure_next, expected %d\n", n, nextcalls, s; exit 1 }
            rawper = rawself / rawcalls
            rawloop = rawloop / rawcalls
            nextper = nextself / nextcalls
            loopper = (loopself + driveself) / nextcalls
            printf "%2d events: raw read %.1f instructions beyond the kpc call (the calling loop %.1f more; %s); ",
                n, rawper, rawloop, rawother == "" ? "no other call" : "other calls:" rawother
            printf "measurement loop per sample: kpmc_measure_next %.1f = %.2fx the raw read (budget 2x%s), ",
                nextper, nextper / rawper, nextper <= 2 * rawper ? ", met" : ", over"
            printf "with the loop calling it %.1f = %.2fx the raw read with its loop; ", nextper + loopper,
                (nextper + loopper) / (rawper + rawloop)
            printf "kpmc_measure_next calls kpc_get_thread_counters, %d times the segment switch and %d time the idle stub%s; ",
                switches, idle, other == "" ? ", nothing else" : " (and:" other ")"
            printf "the rest of a run (sets started and stopped, statistics) %.1f instructions per sample\n",
                (runincl - kpcall - nextself - loopself - driveself) / (2 * samples)
        }' "$tmp/region.$n.txt"
done
