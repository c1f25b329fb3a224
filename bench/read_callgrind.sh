#!/bin/sh
# The read path's instruction count, measured with callgrind.
#
#   read_callgrind.sh BENCH_READ KPERF_LIBRARY [N ...]     (default N: 1 2 4 6 10)
#
# Runs bench_read for each set size N under valgrind's callgrind with
# KPMC_KPERF_PATH=KPERF_LIBRARY (the simulator), then reads the profile:
#  - kpmc's instructions per read: kpmc_set_read's inclusive cost minus what
#    its calls cost, divided by the number of reads (budget: 25);
#  - what kpmc_set_read calls: it must call kpc_get_thread_counters once a
#    read and nothing else, so the read path allocates nothing.
# Needs a build without sanitizers (valgrind cannot run ASan programs).
set -eu
if [ $# -lt 2 ]; then
    echo "usage: $0 BENCH_READ KPERF_LIBRARY [N ...]" >&2
    exit 2
fi
bench=$1
kperf=$2
shift 2
[ $# -gt 0 ] || set -- 1 2 4 6 10
reads=10000
command -v valgrind >/dev/null 2>&1 || { echo "$0: valgrind is not installed" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
echo "kpmc_set_read under callgrind: $reads reads per set, kperf $kperf"
for n in "$@"; do
    out="$tmp/callgrind.$n"
    # A simulated 14.4 kernel: its configurable counters count kernel mode,
    # so a KPMC_MODE_ALL set keeps its fixed events on the fixed counters and
    # a14 holds 10 events; the read path is the same on every kernel.
    if ! KPMC_KPERF_PATH="$kperf" KPMC_SIM_KERNEL=14.4 valgrind --tool=callgrind --callgrind-out-file="$out" \
        --compress-strings=no --compress-pos=no "$bench" --reads "$reads" "$n" >"$tmp/log" 2>&1; then
        cat "$tmp/log" >&2
        exit 1
    fi
    awk -v n="$n" -v want="$reads" '
        /^fn=/ { fn = substr($0, 4); next }
        /^cfn=/ { cfn = substr($0, 5); next }
        /^calls=/ { split(substr($0, 7), a, " "); ncalls = a[1]; incall = 1; next }
        /^[0-9]/ {
            if (incall) {
                incall = 0
                if (cfn == "kpmc_set_read") reads += ncalls
                if (fn == "kpmc_set_read") { calls[cfn] += ncalls; callcost += $2 }
                next
            }
            if (fn == "kpmc_set_read") self += $2
            next
        }
        END {
            if (reads != want) {
                printf "%2d events: expected %d calls of kpmc_set_read, the profile has %d\n", n, want, reads
                exit 1
            }
            other = ""
            for (c in calls)
                if (c != "kpc_get_thread_counters") other = other " " c " x" calls[c]
            kpc = calls["kpc_get_thread_counters"] + 0
            per = self / reads
            printf "%2d events: %.1f instructions per read in kpmc_set_read beyond the kpc call (budget 25%s); ",
                n, per, per <= 25 ? ", met" : ", over"
            printf "kpc_get_thread_counters calls per read: %g; ", kpc / reads
            if (other == "") printf "no other calls, so no allocation\n"
            else printf "other calls:%s\n", other
        }' "$out"
done
