#!/bin/sh
# catalog_size: read-only bytes and relocations of the catalog.
#
#   bench/catalog_size.sh SOURCE_DIR [KPMC_GEN KPEP_DIR]
#
# Compiles the committed catalog (SOURCE_DIR/catalog/catalog_data.c) with
# runtime/catalog.c into a position-independent shared object and reports
# its sections (size -A) and relocation count (readelf -r).  With kpmc-gen
# and a kpep folder it also builds catalogs of 1, 3 and all databases from
# that folder, to show that the relocation count does not grow with the
# number of events.  Budget: <= 160 KB (163840 bytes) of read-only data.
set -eu
src=$1
cc=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

measure() { # label catalog_dir
    $cc -O2 -fPIC -c -I"$src/internal" "$2/catalog_data.c" -o "$tmp/data.o"
    $cc -O2 -fPIC -c -I"$src/include" -I"$2/include" -I"$src/internal" "$src/runtime/catalog.c" -o "$tmp/cat.o"
    $cc -shared -o "$tmp/cat.so" "$tmp/data.o" "$tmp/cat.o"
    ro=$(size -A "$tmp/data.o" | awk '$1 ~ /^\.rodata/ { s += $2 } END { print s + 0 }')
    rw=$(size -A "$tmp/data.o" | awk '$1 ~ /^\.(data|bss)/ { s += $2 } END { print s + 0 }')
    rel_o=$(readelf -rW "$tmp/data.o" | grep -c '^[0-9a-f]\{8,\}' || true)
    rel_so=$(readelf -rW "$tmp/cat.so" | grep -c '^[0-9a-f]\{8,\}' || true)
    events=$(sed -n 's|.* distinct event rows for \([0-9]*\) table entries.*|\1|p' "$2/catalog_data.c")
    printf '%-28s rodata %7d bytes (%6.1f KB)  data+bss %d  relocations: object %d, shared object %d  (%s events)\n' \
        "$1" "$ro" "$(echo "$ro" | awk '{print $1/1024}')" "$rw" "$rel_o" "$rel_so" "$events"
}

measure "committed catalog" "$src/catalog"
if [ $# -ge 3 ]; then
    gen=$2
    kpep=$3
    mkdir -p "$tmp/in1" "$tmp/in3"
    cp "$kpep/a7.plist" "$tmp/in1/"
    cp "$kpep/a7.plist" "$kpep/a14.plist" "$kpep/icelake.plist" "$tmp/in3/"
    "$gen" --quiet --out "$tmp/c1" "$tmp/in1"
    "$gen" --quiet --out "$tmp/c3" "$tmp/in3"
    "$gen" --quiet --out "$tmp/call" "$kpep"
    measure "1 database (a7)" "$tmp/c1"
    measure "3 databases" "$tmp/c3"
    measure "all databases" "$tmp/call"
fi
echo "budget: 163840 bytes of read-only data; relocations independent of the event count"
