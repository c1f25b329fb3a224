#!/bin/sh
# The unprivileged read path's instruction count: read_callgrind.sh --noroot.
#
#   selfcounts_callgrind.sh BENCH_READ KPERF_LIBRARY [N ...]   (default N: 1 2)
exec sh "$(dirname "$0")/read_callgrind.sh" --noroot "$@"
