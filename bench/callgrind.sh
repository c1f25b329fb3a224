# What the callgrind scripts of bench/ share (measure_callgrind.sh,
# read_callgrind.sh); they source it with ". FILE".  Valgrind cannot run
# ASan programs: the benchmarks must come from a build without sanitizers.

# callgrind_start USAGE ARG...: the script's arguments ARG... are BENCH
# KPERF_LIBRARY [N ...]; bench and kperf are set to the first two (without
# them: "usage: SCRIPT USAGE" and exit status 2), valgrind must be installed,
# and tmp is a scratch folder removed at exit.  The script then shifts the
# two away, leaving the set sizes N.
callgrind_start() {
    callgrind_usage=$1
    shift
    if [ $# -lt 2 ]; then
        echo "usage: $0 $callgrind_usage" >&2
        exit 2
    fi
    bench=$1
    kperf=$2
    command -v valgrind >/dev/null 2>&1 || { echo "$0: valgrind is not installed" >&2; exit 1; }
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT INT TERM
}

# callgrind OUT SETTING ARG...: runs "$bench" ARG... under callgrind, the
# profile into OUT, with KPMC_KPERF_PATH="$kperf" (the simulator) and SETTING
# (VAR=VALUE) in its environment; when it fails, shows its output and exits.
callgrind() {
    callgrind_out=$1
    callgrind_setting=$2
    shift 2
    if ! env KPMC_KPERF_PATH="$kperf" "$callgrind_setting" valgrind --tool=callgrind \
        --callgrind-out-file="$callgrind_out" --compress-strings=no --compress-pos=no "$bench" "$@" \
        >"$tmp/log" 2>&1; then
        cat "$tmp/log" >&2
        exit 1
    fi
}

# callgrind_stats OUT: the profile OUT as lines "self NAME COST" (a
# function's own instructions), "calls CALLER CALLEE N" and "incl CALLER
# CALLEE COST" (the instructions of those calls); a recursion level (NAME
# followed by a quote and a number) counts as the function itself.
callgrind_stats() {
    awk -v q="'" '
        /^fn=/ { fn = substr($0, 4); sub(q "[0-9]+$", "", fn); next }
        /^cfn=/ { cfn = substr($0, 5); sub(q "[0-9]+$", "", cfn); next }
        /^calls=/ { split(substr($0, 7), a, " "); ncalls = a[1]; incall = 1; next }
        /^[0-9+-]/ {
            if (incall) {
                incall = 0
                calls[fn SUBSEP cfn] += ncalls
                if (fn != cfn) incl[fn SUBSEP cfn] += $2
                next
            }
            self[fn] += $2
            next
        }
        END {
            for (f in self) print "self", f, self[f]
            for (k in calls) { split(k, p, SUBSEP); print "calls", p[1], p[2], calls[k]; print "incl", p[1], p[2], incl[k] }
        }' "$1"
}
