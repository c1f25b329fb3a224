# fuzz_smoke: the libFuzzer targets of fuzz/ built with clang (ASan, UBSan)
# in <build>/subbuild/fuzz and run for a few seconds each on their seed
# corpus (fuzz/smoke.sh); skipped (77) without clang or its libFuzzer.
# Longer runs: README "Fuzzing".
if(CMAKE_CROSSCOMPILING)
  return()
endif()
find_program(KPMC_FUZZ_CLANG NAMES clang DOC "clang with libFuzzer for the fuzz_smoke test")
set(KPMC_FUZZ_SECONDS 5 CACHE STRING "Seconds each fuzz target runs in the fuzz_smoke test")
add_test(NAME fuzz_smoke
  COMMAND sh "${CMAKE_SOURCE_DIR}/fuzz/smoke.sh" "${CMAKE_SOURCE_DIR}" "${CMAKE_BINARY_DIR}/subbuild/fuzz"
          "${KPMC_FUZZ_CLANG}" "${KPMC_FUZZ_SECONDS}" "${KPMC_KPEP_SNAPSHOT}" "${CMAKE_GENERATOR}"
          "${CMAKE_MAKE_PROGRAM}" "${Python3_EXECUTABLE}")
set_tests_properties(fuzz_smoke PROPERTIES SKIP_RETURN_CODE 77 LABELS fuzz TIMEOUT 1800 PROCESSORS 2)
