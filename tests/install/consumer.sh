#!/bin/sh
# install_consumer test: install the build into a scratch prefix, then build
# and run tests/install/consumer.c against it twice: with CMake
# (find_package(kpmc CONFIG), kpmc::kpmc and kpmc::kpmc_static) and with
# pkg-config (skipped when pkg-config is absent).
#
#   consumer.sh BUILD_DIR SOURCE_DIR WORK_DIR C_COMPILER [FLAGS]
#
# FLAGS (e.g. -fsanitize=address,undefined) go to every compile and link,
# for builds whose installed libraries need them.
set -eu
build=$1 src=$2 work=$3 cc=$4 flags=${5:-}
rm -rf "$work"
mkdir -p "$work"
prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" > "$work/install.log"
for f in bin/kpmc include/kpmc/kpmc.h include/kpmc/events.h include/kpmc/db/a14.h \
         include/kpmc/measure.h include/kpmc/kpmc.hpp include/kpmc/benchmark.hpp \
         share/man/man1/kpmc.1; do
    [ -e "$prefix/$f" ] || { echo "not installed: $f"; exit 1; }
done
# Use the installed headers only: no flags of the build tree may leak in.
unset CFLAGS CPPFLAGS LDFLAGS
cmake -S "$src/tests/install" -B "$work/cmake" -DCMAKE_C_COMPILER="$cc" -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_C_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$flags" \
    > "$work/configure.log" || { cat "$work/configure.log"; exit 1; }
cmake --build "$work/cmake"
"$work/cmake/consumer_static"
"$work/cmake/consumer_shared"
if command -v pkg-config >/dev/null 2>&1; then
    pc=$(find "$prefix" -name kpmc.pc | head -n 1)
    pc_flags=$(PKG_CONFIG_PATH=$(dirname "$pc") pkg-config --cflags --libs kpmc)
    libdir=$(PKG_CONFIG_PATH=$(dirname "$pc") pkg-config --variable=libdir kpmc)
    # shellcheck disable=SC2086
    "$cc" $flags -o "$work/consumer_pc" "$src/tests/install/consumer.c" $pc_flags "-Wl,-rpath,$libdir"
    "$work/consumer_pc"
else
    echo "pkg-config not found: its part is skipped"
fi
echo ok
