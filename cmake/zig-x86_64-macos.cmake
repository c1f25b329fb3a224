# Toolchain file: cross-compile for macOS on Intel (x86_64) with zig cc.
# See cmake/zig-macos.cmake.
set(KPMC_ZIG_ARCH x86_64)
include("${CMAKE_CURRENT_LIST_DIR}/zig-macos.cmake")
