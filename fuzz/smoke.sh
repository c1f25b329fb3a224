#!/bin/sh
# Build the libFuzzer targets of fuzz/ with clang in a sub-build of their own
# and run each for a few seconds on its seed corpus: kpmc-gen's fixtures and
# the kpep snapshot for fuzz_gen, seeds and a dictionary made from them by
# lookup_seeds.py for fuzz_lookup.  Exit 0 when both built and ran without a
# finding, 77 when clang or its libFuzzer is missing, 1 otherwise.
#
#   smoke.sh SOURCE_DIR BUILD_DIR CLANG SECONDS KPEP_DIR GENERATOR MAKE_PROGRAM [PYTHON]
set -u
src=$1 bin=$2 clang=$3 seconds=$4 kpep=$5 generator=$6 make_program=$7 python=${8:-python3}

say() { printf 'fuzz_smoke: %s\n' "$*"; }
skip() { say "skipped: $*"; exit 77; }
fail() { say "FAILED: $*"; exit 1; }

case $clang in ''|*-NOTFOUND) skip "clang not found" ;; esac
"$clang" --version 2>/dev/null | head -n 1 | grep -q clang || skip "$clang is not clang"
mkdir -p "$bin" || fail "cannot create $bin"
printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' \
    > "$bin/probe.c"
"$clang" -fsanitize=fuzzer "$bin/probe.c" -o "$bin/probe" > "$bin/probe.log" 2>&1 ||
    skip "$clang has no libFuzzer (Debian: apt-get install libclang-rt-dev): $(head -n 1 "$bin/probe.log")"

unset CC CFLAGS CPPFLAGS LDFLAGS
set -- -S "$src" -B "$bin/build" -G "$generator" -DCMAKE_C_COMPILER="$clang" -DKPMC_FUZZ=ON \
    -DKPMC_SANITIZE=address,undefined -DKPMC_WERROR=ON -DKPMC_BUILD_TESTS=OFF -DKPMC_BUILD_BENCH=OFF \
    -DKPMC_KPEP_DIR= -DCMAKE_BUILD_TYPE=RelWithDebInfo
[ -n "$make_program" ] && set -- "$@" "-DCMAKE_MAKE_PROGRAM=$make_program"
cmake "$@" > "$bin/configure.log" 2>&1 || { cat "$bin/configure.log"; fail "configure failed"; }
jobs=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
cmake --build "$bin/build" --parallel "$jobs" --target fuzz_lookup fuzz_gen || fail "build failed"

seeds_gen="$src/tests/data/gen"
[ -d "$kpep" ] && seeds_gen="$seeds_gen $kpep" || say "no kpep snapshot at $kpep; fuzz_gen seeds are the fixtures only"
rm -rf "$bin/corpus" && mkdir -p "$bin/corpus/gen" "$bin/corpus/lookup" "$bin/corpus/lookup-seeds"
dict=
if "$python" "$src/fuzz/lookup_seeds.py" "$bin/corpus/lookup-seeds" "$bin/corpus/lookup.dict" $seeds_gen; then
    dict="-dict=$bin/corpus/lookup.dict"
else
    say "no seeds for fuzz_lookup (python3 missing?)"
fi

status=0
run() { # name corpus...
    name=$1
    shift
    log="$bin/$name.log"
    # libFuzzer's own exit code for a finding is 77, which CTest reads as
    # "skipped": make it 1.
    (cd "$bin" && "$bin/build/fuzz/$name" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=4096 \
        -error_exitcode=1 -timeout_exitcode=1 -print_final_stats=1 "$@") > "$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    if [ "$rc" -ne 0 ]; then
        tail -n 60 "$log"
        say "$name: FINDING (exit $rc) after ${runs:-?} executions; log $log, reproducer in $bin"
        status=1
    else
        say "$name: ${runs:-?} executions in $seconds s, no finding"
    fi
}
run fuzz_gen "$bin/corpus/gen" $seeds_gen
run fuzz_lookup $dict "$bin/corpus/lookup" "$bin/corpus/lookup-seeds"
exit $status
