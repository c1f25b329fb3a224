#!/bin/sh
# kpmc-gen on the kpep snapshot (catalog/kpep) must give the committed
# catalog/ byte for byte, and the same bytes however it is run.
#
#   test_gen_snapshot.sh KPMC_GEN KPEP_DIR CATALOG_DIR WORK_DIR
#
# The tables of CATALOG_DIR/tables go with every run.
set -u
gen=$1 kpep=$2 catalog=$3 work=$4

if [ ! -d "$kpep" ]; then
    echo "FAIL: $kpep is not a folder"
    exit 1
fi
rm -rf "$work"
mkdir -p "$work"
# kpmc-gen with the tables of the committed catalog.
gen_t() { "$gen" --generic "$catalog/tables/generic.tsv" --chips "$catalog/tables/chips.tsv" "$@"; }
status=0
fail() {
    echo "FAIL: $*"
    status=1
}

# 1. --check against the committed catalog.
gen_t --quiet --check --out "$catalog" "$kpep" || fail "kpmc-gen --check: $catalog differs from what $kpep gives"

# 2. A regeneration into a fresh folder, compared file by file (both ways;
#    the snapshot catalog/kpep and the tables catalog/tables are the folders
#    of catalog/ that are not generated).
gen_t --out "$work/a" "$kpep" 2>"$work/a.stderr" || fail "kpmc-gen on $kpep failed: $(cat "$work/a.stderr")"
diff -r -x kpep -x tables "$catalog" "$work/a" >"$work/a.diff" || fail "regenerated catalog differs from $catalog:
$(head -40 "$work/a.diff")"

# 3. The only complaints are the inconsistencies of Apple's files, as
#    warnings at the lines that hold those events; the tables cover every
#    database and family of the snapshot, so the only notes name the chip
#    table's families that are newer than it.
grep -q ': error: ' "$work/a.stderr" && fail "errors on $kpep: $(cat "$work/a.stderr")"
grep ': note: ' "$work/a.stderr" | grep -v 'chips.tsv:[0-9]*: note: CPU family 0x[0-9a-f]* (.*) has no cpu_\* link among the inputs$' |
    grep . && fail "notes beyond the newer families of the chip table: $(grep ': note: ' "$work/a.stderr")"
n=$(grep -c ': warning: ' "$work/a.stderr")
[ "$n" -eq 3 ] || fail "$n warnings, expected 3: $(cat "$work/a.stderr")"
line_of() { grep -n "<key>$2</key>" "$kpep/$1" | head -1 | cut -d: -f1; }
for want in \
    "cometlake.plist:$(line_of cometlake.plist TOPDOWN.SLOTS): warning: event TOPDOWN.SLOTS: fixed_counter 3" \
    "skylake.plist:$(line_of skylake.plist CPU_CLK_UNHALTED.REF_TSC): warning: CPU_CLK_UNHALTED.REF_TSC" \
    "kabylake.plist:$(line_of kabylake.plist CPU_CLK_UNHALTED.REF_TSC): warning: CPU_CLK_UNHALTED.REF_TSC"; do
    grep -qF "$kpep/$want" "$work/a.stderr" || fail "no warning '$kpep/$want'"
done

# 4. Determinism: a second run, and the files named one by one in other
#    orders, give the same bytes.
gen_t --quiet --out "$work/b" "$kpep" || fail "second run failed"
diff -r "$work/a" "$work/b" >/dev/null || fail "two runs differ"
list() {
    case $1 in
    reversed) ls "$kpep" | grep '\.plist$' | sort -r ;;
    links-first) ls "$kpep" | grep '^cpu_.*\.plist$' | sort -r; ls "$kpep" | grep -v '^cpu_' | grep '\.plist$' ;;
    by-size) ls -S "$kpep" | grep '\.plist$' ;;
    esac
}
for order in reversed links-first by-size; do
    # shellcheck disable=SC2046
    gen_t --quiet --out "$work/$order" $(for f in $(list $order); do echo "$kpep/$f"; done) ||
        fail "run with the files listed $order failed"
    diff -r "$work/a" "$work/$order" >/dev/null || fail "the files listed $order give other bytes"
done

[ $status -eq 0 ] && echo "ok: $kpep regenerates $catalog byte for byte, in any order"
exit $status
