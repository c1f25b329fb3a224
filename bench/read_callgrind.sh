#!/bin/sh
# The read path's instruction count, measured with callgrind.
#
#   read_callgrind.sh [--noroot] BENCH_READ KPERF_LIBRARY [N ...]
#
# Runs bench_read for each set size N (default 1 2 4 6 10; with --noroot
# 1 2) under valgrind's callgrind with KPMC_KPERF_PATH=KPERF_LIBRARY (the
# simulator), then reads the profile:
#  - kpmc's instructions per read: those of kpmc_set_read (and with --noroot
#    of the read function it calls, runtime/selfcounts.c) beyond the kernel
#    call, divided by the number of reads (budget for the kpc read: 19
#    and 3 an event, the least a permutation costs);
#  - what they call: the kernel call (kpc_get_thread_counters; with
#    --noroot thread_selfcounts, docs/kpc.md §13) once a read and nothing
#    else, so the read path allocates nothing.
# --noroot reads an unprivileged session's set (KPMC_SIM_NOROOT=1: at most
# cycles and instructions).  Needs a build without sanitizers (valgrind
# cannot run ASan programs).
set -eu
# shellcheck source-path=SCRIPTDIR source=callgrind.sh
. "$(dirname "$0")/callgrind.sh"
noroot=0
if [ "${1:-}" = --noroot ]; then
    noroot=1
    shift
fi
callgrind_start "[--noroot] BENCH_READ KPERF_LIBRARY [N ...]" "$@"
shift 2
if [ $noroot = 1 ]; then
    [ $# -gt 0 ] || set -- 1 2
    # the simulator refuses kpc to this process: kpmc_open falls back to
    # thread_selfcounts
    sim=KPMC_SIM_NOROOT=1 call=thread_selfcounts ours="kpmc_set_read read_selfcounts" budget=0
    echo "kpmc_set_read without root (thread_selfcounts) under callgrind: 10000 reads per set, kperf $kperf"
else
    [ $# -gt 0 ] || set -- 1 2 4 6 10
    # A simulated 14.4 kernel: its configurable counters count kernel mode,
    # so a KPMC_MODE_ALL set keeps its fixed events on the fixed counters and
    # a14 holds 10 events; the read path is the same on every kernel.
    sim=KPMC_SIM_KERNEL=14.4 call=kpc_get_thread_counters ours=kpmc_set_read budget=19
    echo "kpmc_set_read under callgrind: 10000 reads per set, kperf $kperf"
fi
reads=10000
for n in "$@"; do
    out="$tmp/callgrind.$n"
    callgrind "$out" "$sim" --reads "$reads" "$n"
    callgrind_stats "$out" | awk -v n="$n" -v want="$reads" -v call="$call" -v ourlist="$ours" -v budget="$budget" '
        BEGIN { k = split(ourlist, o, " "); for (i = 1; i <= k; i++) our[o[i]] = 1 }
        $1 == "self" && ($2 in our) { self += $3 }
        $1 == "calls" && $3 == "kpmc_set_read" { reads += $4 }
        $1 == "calls" && ($2 in our) && !($3 in our) { calls[$3] += $4 }
        END {
            if (reads != want) {
                printf "%2d events: expected %d calls of kpmc_set_read, the profile has %d\n", n, want, reads
                exit 1
            }
            other = ""
            for (c in calls)
                if (c != call) other = other " " c " x" calls[c]
            per = self / reads
            printf "%2d events: %.1f instructions per read in %s beyond %s", n, per,
                ourlist == "kpmc_set_read" ? "kpmc_set_read" : "kpmc_set_read and its read function", call
            if (budget) {
                b = budget + 3 * n
                printf " (budget %d + 3 x %d = %d, %s)", budget, n, b, per <= b ? "met" : "over"
            }
            printf "; %s calls per read: %g; ", call, (calls[call] + 0) / reads
            if (other == "") printf "no other calls, so no allocation\n"
            else printf "other calls:%s\n", other
        }'
done
