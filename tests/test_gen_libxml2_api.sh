#!/bin/sh
# gen/plist.c must build against the libxml2 API before and after 2.12.  The
# build itself covers the installed libxml2 (Debian 12: 2.9); this compiles
# plist.c, without linking, against newer headers with warnings as errors,
# with each C compiler given.
#
#   test_gen_libxml2_api.sh SOURCE_DIR HEADERS CC...
#
# HEADERS is a folder holding libxml/xmlversion.h of libxml2 2.12 or later:
# the npm package @img/sharp-libvips-dev (package.json, `npm ci`) ships one.
# Exit 77 when it is absent.
set -u
src=$1 headers=$2
shift 2
if [ ! -f "$headers/libxml/xmlversion.h" ]; then
    echo "skipped: no libxml2 headers in $headers (run npm ci at the top of the source tree)"
    exit 77
fi
version=$(sed -n 's/^#define LIBXML_DOTTED_VERSION "\(.*\)"$/\1/p' "$headers/libxml/xmlversion.h")
status=0 compiled=0 seen=
for cc in "$@"; do
    case $cc in ''|*-NOTFOUND) continue ;; esac
    path=$(command -v "$cc" 2>/dev/null) || continue
    path=$(readlink -f "$path")
    case " $seen " in *" $path "*) continue ;; esac
    seen="$seen $path"
    if "$cc" -std=c11 -fsyntax-only -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wformat=2 -Wundef -Wcast-align -Wwrite-strings -Werror \
        -I"$headers" -I"$src/gen" -I"$src/include" -I"$src/internal" "$src/tests/gen_libxml2_new_api.c"; then
        echo "ok: gen/plist.c compiles against libxml2 $version with $cc"
        compiled=$((compiled + 1))
    else
        echo "FAIL: gen/plist.c does not compile against libxml2 $version with $cc"
        status=1
    fi
done
if [ "$compiled" -eq 0 ] && [ "$status" -eq 0 ]; then
    echo "FAIL: no C compiler to try"
    status=1
fi
exit $status
