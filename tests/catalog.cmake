# Catalog tests: the lookup API over the golden fixture catalog and over the
# built catalog, compile-time names, and `kpmc list`.

# Where the built catalog came from (KPMC_KPEP_DIR, else the kpep snapshot),
# and whether it is the snapshot's.
get_filename_component(_cat_snapshot_dir "${KPMC_KPEP_SNAPSHOT}" REALPATH)
set(_cat_snapshot "")
if(KPMC_KPEP_DIR)
  set(_cat_plists "${KPMC_KPEP_DIR}")
  get_filename_component(_cat_kpep "${KPMC_KPEP_DIR}" REALPATH)
  if(_cat_kpep STREQUAL _cat_snapshot_dir)
    set(_cat_snapshot --snapshot)
  endif()
else()
  set(_cat_plists "${KPMC_KPEP_SNAPSHOT}")
  set(_cat_snapshot --snapshot)
endif()

# 1. The golden fixture catalog (tests/data/golden) with runtime/catalog.c:
#    it compiles without a warning and answers what the fixture plists say.
set(_cat_golden "${KPMC_TEST_DATA}/golden")
# With plans (plan.c and what it uses), which answer from the same catalog.
set(_cat_rt "${CMAKE_SOURCE_DIR}/runtime")
add_library(kpmc_fixture_catalog STATIC "${_cat_rt}/catalog.c" "${_cat_rt}/suggest.c" "${_cat_rt}/version.c"
  "${_cat_rt}/plan.c" "${_cat_rt}/alloc.c" "${_cat_rt}/encode.c" "${_cat_rt}/detail.c" "${_cat_rt}/outstruct.c" "${_cat_golden}/catalog_data.c")
kpmc_target_flags(kpmc_fixture_catalog)
target_include_directories(kpmc_fixture_catalog
  PUBLIC "${CMAKE_SOURCE_DIR}/include" "${_cat_golden}/include"
  PRIVATE "${CMAKE_SOURCE_DIR}/runtime" "${CMAKE_SOURCE_DIR}/internal")
add_executable(test_catalog_fixture test_catalog_fixture.c check.c)
kpmc_target_flags(test_catalog_fixture)
target_link_libraries(test_catalog_fixture PRIVATE kpmc_fixture_catalog)
if(CMAKE_C_COMPILER_ID MATCHES "GNU|Clang")
  # generated code (and the test that includes its headers) must be warning-free
  set_source_files_properties("${_cat_golden}/catalog_data.c" test_catalog_fixture.c
    PROPERTIES COMPILE_OPTIONS "-Werror")
endif()
add_test(NAME catalog_fixture COMMAND test_catalog_fixture)
set_tests_properties(catalog_fixture PROPERTIES LABELS catalog)

# 2. Lookups in the built catalog, with every enumerator of its headers.
set(_cat_sources test_catalog_lookup.c)
if(Python3_Interpreter_FOUND)
  set(_cat_table "${CMAKE_CURRENT_BINARY_DIR}/catalog_enum_table.c")
  file(GLOB _cat_headers CONFIGURE_DEPENDS "${KPMC_CATALOG_DIR}/include/kpmc/*.h" "${KPMC_CATALOG_DIR}/include/kpmc/db/*.h")
  add_custom_command(OUTPUT "${_cat_table}"
    COMMAND "${Python3_EXECUTABLE}" "${CMAKE_CURRENT_SOURCE_DIR}/test_gen_enum_table.py"
            "${KPMC_CATALOG_DIR}/include" "${_cat_table}"
    DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/test_gen_enum_table.py" ${_cat_headers} "${KPMC_CATALOG_DIR}/catalog_data.c"
    COMMENT "Listing the enumerators of the catalog headers"
    VERBATIM)
  list(APPEND _cat_sources "${_cat_table}")
endif()
kpmc_test_program(test_catalog_lookup ${_cat_sources})
if(NOT Python3_Interpreter_FOUND)
  target_compile_definitions(test_catalog_lookup PRIVATE KPMC_TEST_NO_ENUM_TABLE=1)
endif()
if(TARGET kpmc-catalog-generated)
  add_dependencies(test_catalog_lookup kpmc-catalog-generated)
endif()
add_test(NAME catalog_lookup COMMAND test_catalog_lookup "${_cat_plists}" ${_cat_snapshot})
set_tests_properties(catalog_lookup PROPERTIES LABELS catalog)

# 3. Compile-time names: a misspelled event name does not compile (and the
#    same file spelled right does, warning-free).
if(CMAKE_C_COMPILER_ID MATCHES "GNU|Clang")
  set(_cat_flags ${CMAKE_C11_STANDARD_COMPILE_OPTION} -Wall -Werror
      "-I${CMAKE_SOURCE_DIR}/include" "-I${KPMC_CATALOG_DIR}/include")
  if(CMAKE_OSX_SYSROOT)
    list(APPEND _cat_flags -isysroot "${CMAKE_OSX_SYSROOT}")
  endif()
  string(REPLACE ";" "|" _cat_flags "${_cat_flags}")
  foreach(case misspelled control)
    set(_expect ok)
    if(case STREQUAL "misspelled")
      set(_expect fail)
    endif()
    add_test(NAME catalog_compile_${case}
      COMMAND "${CMAKE_COMMAND}" "-DCC=${CMAKE_C_COMPILER}" "-DFLAGS=${_cat_flags}"
              "-DSRC=${CMAKE_CURRENT_SOURCE_DIR}/compile_fail/${case}.c"
              "-DOBJ=${CMAKE_CURRENT_BINARY_DIR}/compile_fail_${case}.o" -DEXPECT=${_expect}
              "-DMENTIONS=KPMC_A14_INST_AL[^L]" -P "${CMAKE_CURRENT_SOURCE_DIR}/compile_fail/compile.cmake")
    set_tests_properties(catalog_compile_${case} PROPERTIES LABELS catalog)
  endforeach()
  # The catalog's layout assertions: its rows against a header with two
  # fields swapped do not compile.
  add_test(NAME catalog_compile_layout
    COMMAND "${CMAKE_COMMAND}" "-DCC=${CMAKE_C_COMPILER}" "-DFLAGS=${_cat_flags}"
            "-DFORMAT=${CMAKE_SOURCE_DIR}/internal/catalog_format.h" "-DDATA=${KPMC_CATALOG_DIR}/catalog_data.c"
            "-DWORK=${CMAKE_CURRENT_BINARY_DIR}/compile_fail_layout" -P "${CMAKE_CURRENT_SOURCE_DIR}/compile_fail/layout.cmake")
  set_tests_properties(catalog_compile_layout PROPERTIES LABELS catalog)
endif()

# 4. `kpmc list`: JSON field by field against plistlib, and the command line.
if(TARGET kpmc AND Python3_Interpreter_FOUND)
  add_test(NAME list_json
    COMMAND "${Python3_EXECUTABLE}" "${CMAKE_CURRENT_SOURCE_DIR}/test_list_json.py"
            --kpmc $<TARGET_FILE:kpmc> --plists "${_cat_plists}")
  add_test(NAME list_cli
    COMMAND "${Python3_EXECUTABLE}" "${CMAKE_CURRENT_SOURCE_DIR}/test_list_cli.py"
            --kpmc $<TARGET_FILE:kpmc> --plists "${_cat_plists}")
  add_test(NAME generic_cli
    COMMAND "${Python3_EXECUTABLE}" "${CMAKE_CURRENT_SOURCE_DIR}/test_generic.py"
            --kpmc $<TARGET_FILE:kpmc> --plists "${_cat_plists}"
            --generic "${KPMC_GENERIC_TABLE}" --chips "${KPMC_CHIP_TABLE}")
  set_tests_properties(list_json list_cli generic_cli PROPERTIES LABELS catalog)
endif()
