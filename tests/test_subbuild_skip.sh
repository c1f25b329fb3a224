#!/bin/sh
# cmake/kpmc-subbuild.sh where zig is not installed: each macOS kind exits 77
# with a message that names `npm ci` as text and never runs npm (an npm on
# PATH records every call).
#
#   test_subbuild_skip.sh SUBBUILD_SCRIPT WORK_DIR
set -u
script=$1 work=$2

rm -rf "$work"
mkdir -p "$work/bin" "$work/src" || exit 1
cat >"$work/bin/npm" <<STUB
#!/bin/sh
echo "npm \$*" >>"$work/npm.log"
STUB
chmod +x "$work/bin/npm"

status=0
for kind in macos-arm64 macos-x86_64; do
    # No zig on PATH (only the npm stub), none in SOURCE_DIR/node_modules.
    out=$(PATH="$work/bin" /bin/sh "$script" "$kind" "$work/src" "$work/build" "Unix Makefiles" "" "" 2>&1)
    rc=$?
    echo "$kind: exit $rc: $out"
    [ "$rc" -eq 77 ] || { echo "FAIL: $kind: exit status $rc, expected 77"; status=1; }
    case $out in
    *'zig not found (run `npm ci` at the top of the source tree'*) ;;
    *) echo "FAIL: $kind: the message does not say to run \`npm ci\`"; status=1 ;;
    esac
done
if [ -e "$work/npm.log" ]; then
    echo "FAIL: the script ran npm:"
    cat "$work/npm.log"
    status=1
fi
[ "$status" -eq 0 ] && echo "ok: skipped without running npm"
exit $status
