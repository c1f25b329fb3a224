# bench_catalog_size: prints the catalog's read-only bytes and relocations.
#   cmake --build build --target bench_catalog_size
set(_kpmc_size_args "${CMAKE_SOURCE_DIR}")
if(TARGET kpmc-gen)
  list(APPEND _kpmc_size_args "$<TARGET_FILE:kpmc-gen>" "${KPMC_KPEP_SNAPSHOT}")
endif()
add_custom_target(bench_catalog_size
  COMMAND "${CMAKE_COMMAND}" -E env "CC=${CMAKE_C_COMPILER}" sh "${CMAKE_CURRENT_SOURCE_DIR}/catalog_size.sh" ${_kpmc_size_args}
  USES_TERMINAL VERBATIM)
