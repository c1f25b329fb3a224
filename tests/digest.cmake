# Headers and library of different catalogs (README "Versions and ABI"):
# every function that takes ids refuses the program's ids with both digests
# named.  The digests are computed from the headers by tests/kpmctest.py.
if(NOT Python3_Interpreter_FOUND)
  return()
endif()
set(_digest_golden "${KPMC_TEST_DATA}/golden/include")
set(_digest_built "${KPMC_CATALOG_DIR}/include")

# The fixture catalog's headers with the whole library of the build's catalog,
# on the simulated kperf.
add_executable(test_catalog_digest_full test_catalog_digest.c check.c)
kpmc_target_flags(test_catalog_digest_full)
target_include_directories(test_catalog_digest_full BEFORE PRIVATE "${_digest_golden}")
target_include_directories(test_catalog_digest_full PRIVATE "${CMAKE_CURRENT_SOURCE_DIR}")
target_compile_definitions(test_catalog_digest_full PRIVATE KPMC_TEST_FULL=1)
target_link_libraries(test_catalog_digest_full PRIVATE kpmc::kpmc_static)
add_dependencies(test_catalog_digest_full kpmc_sim)
add_test(NAME catalog_digest_mismatch
  COMMAND "${Python3_EXECUTABLE}" "${CMAKE_CURRENT_SOURCE_DIR}/test_catalog_digest.py"
          $<TARGET_FILE:test_catalog_digest_full> "${_digest_golden}" "${_digest_built}")
set_tests_properties(catalog_digest_mismatch PROPERTIES LABELS catalog
  ENVIRONMENT "KPMC_KPERF_PATH=$<TARGET_FILE:kpmc_sim>")

# The reverse: the build's headers with the fixture catalog's library.
add_executable(test_catalog_digest_fixture test_catalog_digest.c check.c)
kpmc_target_flags(test_catalog_digest_fixture)
target_include_directories(test_catalog_digest_fixture BEFORE PRIVATE "${_digest_built}")
target_include_directories(test_catalog_digest_fixture PRIVATE "${CMAKE_CURRENT_SOURCE_DIR}")
target_link_libraries(test_catalog_digest_fixture PRIVATE kpmc_fixture_catalog)
if(TARGET kpmc-catalog-generated)
  add_dependencies(test_catalog_digest_fixture kpmc-catalog-generated)
endif()
add_test(NAME catalog_digest_mismatch_reverse
  COMMAND "${Python3_EXECUTABLE}" "${CMAKE_CURRENT_SOURCE_DIR}/test_catalog_digest.py"
          $<TARGET_FILE:test_catalog_digest_fixture> "${_digest_built}" "${_digest_golden}")
set_tests_properties(catalog_digest_mismatch_reverse PROPERTIES LABELS catalog)

# What the digest covers: kpmc-gen on edited copies of the golden fixtures.
if(TARGET kpmc-gen)
  add_test(NAME gen_digest
    COMMAND "${Python3_EXECUTABLE}" "${CMAKE_CURRENT_SOURCE_DIR}/test_gen_digest.py" --gen $<TARGET_FILE:kpmc-gen>
            --plists "${KPMC_TEST_DATA}/gen/ok" --generic "${KPMC_TEST_DATA}/gen/tables/generic.tsv"
            --chips "${KPMC_TEST_DATA}/gen/tables/chips.tsv" --work "${CMAKE_CURRENT_BINARY_DIR}/gen_work/digest")
  set_tests_properties(gen_digest PROPERTIES LABELS gen)
endif()

# README's program that computes the digest prints the catalog's.
add_test(NAME readme_digest
  COMMAND "${Python3_EXECUTABLE}" "${CMAKE_CURRENT_SOURCE_DIR}/test_catalog_digest.py" --readme
          "${CMAKE_SOURCE_DIR}/README.md" "${KPMC_CATALOG_DIR}")

# The macros from C++, with this build's headers and library.
include("${PROJECT_SOURCE_DIR}/cmake/cxx.cmake")
if(CMAKE_CXX_COMPILER)
  kpmc_test_program(test_catalog_digest_cxx test_catalog_digest_cxx.cpp)
  set_target_properties(test_catalog_digest_cxx PROPERTIES CXX_STANDARD 11 CXX_STANDARD_REQUIRED ON
                                                           CXX_EXTENSIONS OFF)
  add_test(NAME catalog_digest_cxx COMMAND test_catalog_digest_cxx)
  set_tests_properties(catalog_digest_cxx PROPERTIES LABELS catalog)
endif()
