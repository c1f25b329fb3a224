# Toolchain file: cross-compile for macOS on Apple silicon (arm64) with zig cc.
# See cmake/zig-macos.cmake.
set(KPMC_ZIG_ARCH aarch64)
include("${CMAKE_CURRENT_LIST_DIR}/zig-macos.cmake")
