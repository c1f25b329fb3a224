#!/bin/sh
# The unprivileged read path's instruction count, measured with callgrind.
#
#   selfcounts_callgrind.sh BENCH_READ KPERF_LIBRARY [N ...]   (default N: 1 2)
#
# Runs bench_read for each set size N (an unprivileged set holds at most the
# two events cycles and instructions) under valgrind's callgrind with
# KPMC_KPERF_PATH=KPERF_LIBRARY (the simulator) and KPMC_SIM_NOROOT=1, so
# that kpmc_open opens an unprivileged session and kpmc_set_read reads
# through thread_selfcounts (docs/kpc.md §13), then reads the profile:
#  - kpmc's instructions per read: those of kpmc_set_read and of the read
#    function it calls (runtime/selfcounts.c), thread_selfcounts excluded;
#  - what they call: thread_selfcounts once a read and nothing else, so the
#    read path allocates nothing.
# Needs a build without sanitizers (valgrind cannot run ASan programs).
set -eu
if [ $# -lt 2 ]; then
    echo "usage: $0 BENCH_READ KPERF_LIBRARY [N ...]" >&2
    exit 2
fi
bench=$1
kperf=$2
shift 2
[ $# -gt 0 ] || set -- 1 2
reads=10000
command -v valgrind >/dev/null 2>&1 || { echo "$0: valgrind is not installed" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
echo "kpmc_set_read without root (thread_selfcounts) under callgrind: $reads reads per set, kperf $kperf"
for n in "$@"; do
    out="$tmp/callgrind.$n"
    if ! KPMC_KPERF_PATH="$kperf" KPMC_SIM_NOROOT=1 valgrind --tool=callgrind --callgrind-out-file="$out" \
        --compress-strings=no --compress-pos=no "$bench" --reads "$reads" "$n" >"$tmp/log" 2>&1; then
        cat "$tmp/log" >&2
        exit 1
    fi
    awk -v n="$n" -v want="$reads" '
        function ours(f) { return f == "kpmc_set_read" || f == "read_selfcounts" }
        /^fn=/ { fn = substr($0, 4); next }
        /^cfn=/ { cfn = substr($0, 5); next }
        /^calls=/ { split(substr($0, 7), a, " "); ncalls = a[1]; incall = 1; next }
        /^[0-9]/ {
            if (incall) {
                incall = 0
                if (cfn == "kpmc_set_read") reads += ncalls
                if (ours(fn) && !ours(cfn)) calls[cfn] += ncalls
                next
            }
            if (ours(fn)) self += $2
            next
        }
        END {
            if (reads != want) {
                printf "%d events: expected %d calls of kpmc_set_read, the profile has %d\n", n, want, reads
                exit 1
            }
            other = ""
            for (c in calls)
                if (c != "thread_selfcounts") other = other " " c " x" calls[c]
            per = self / reads
            printf "%d event%s: %.1f instructions per read in kpmc_set_read and its read function beyond thread_selfcounts; ",
                n, (n > 1 ? "s" : ""), per
            printf "thread_selfcounts calls per read: %g; ", calls["thread_selfcounts"] / reads
            if (other == "") printf "no other calls, so no allocation\n"
            else printf "other calls:%s\n", other
        }' "$out"
done
