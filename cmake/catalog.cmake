# Which catalog the library is built from (see KPMC_KPEP_DIR), and the `catalog`
# target that rewrites the committed catalog/ from KPMC_KPEP_DIR, or from the
# kpep snapshot catalog/kpep when KPMC_KPEP_DIR is empty.
#
# Sets KPMC_CATALOG_DIR (the folder holding catalog_data.c and include/).
set(KPMC_COMMITTED_CATALOG "${CMAKE_SOURCE_DIR}/catalog")
# kpmc's own tables, read by kpmc-gen with every catalog it writes.
set(KPMC_GENERIC_TABLE "${KPMC_COMMITTED_CATALOG}/tables/generic.tsv")
set(KPMC_CHIP_TABLE "${KPMC_COMMITTED_CATALOG}/tables/chips.tsv")
set(KPMC_GEN_TABLE_ARGS --generic "${KPMC_GENERIC_TABLE}" --chips "${KPMC_CHIP_TABLE}")

if(KPMC_KPEP_DIR)
  if(NOT TARGET kpmc-gen)
    message(FATAL_ERROR "kpmc: KPMC_KPEP_DIR is set (${KPMC_KPEP_DIR}) but kpmc-gen cannot be built: "
                        "install libxml2 (Debian: libxml2-dev) or configure with -DKPMC_KPEP_DIR= to use the committed catalog")
  endif()
  if(NOT IS_DIRECTORY "${KPMC_KPEP_DIR}")
    message(FATAL_ERROR "kpmc: KPMC_KPEP_DIR=${KPMC_KPEP_DIR} is not a folder")
  endif()
  set(KPMC_CATALOG_DIR "${CMAKE_BINARY_DIR}/catalog")
  file(GLOB _kpmc_plists CONFIGURE_DEPENDS "${KPMC_KPEP_DIR}/*.plist")
  # The plists are staged first: binary ones (if macOS ships any) become XML.
  set(_kpmc_staged "${CMAKE_BINARY_DIR}/kpep")
  add_custom_command(
    OUTPUT "${KPMC_CATALOG_DIR}/catalog_data.c"
    COMMAND "${CMAKE_COMMAND}" "-DSRC=${KPMC_KPEP_DIR}" "-DDST=${_kpmc_staged}"
            -P "${CMAKE_SOURCE_DIR}/cmake/kpep-stage.cmake"
    COMMAND kpmc-gen --quiet ${KPMC_GEN_TABLE_ARGS} --out "${KPMC_CATALOG_DIR}" "${_kpmc_staged}"
    DEPENDS kpmc-gen ${_kpmc_plists} "${CMAKE_SOURCE_DIR}/cmake/kpep-stage.cmake" "${KPMC_GENERIC_TABLE}"
            "${KPMC_CHIP_TABLE}"
    COMMENT "Generating the kpmc catalog from ${KPMC_KPEP_DIR}"
    VERBATIM)
  add_custom_target(kpmc-catalog-generated DEPENDS "${KPMC_CATALOG_DIR}/catalog_data.c")
  # The include folder must exist at configure time for the interface below.
  file(MAKE_DIRECTORY "${KPMC_CATALOG_DIR}/include")
  set(_kpmc_catalog_source "${KPMC_KPEP_DIR}")
else()
  set(KPMC_CATALOG_DIR "${KPMC_COMMITTED_CATALOG}")
  set(_kpmc_catalog_source "${KPMC_KPEP_SNAPSHOT}")
endif()

if(TARGET kpmc-gen)
  add_custom_target(catalog
    COMMAND "${CMAKE_COMMAND}" "-DSRC=${_kpmc_catalog_source}" "-DDST=${CMAKE_BINARY_DIR}/kpep-catalog"
            -P "${CMAKE_SOURCE_DIR}/cmake/kpep-stage.cmake"
    COMMAND kpmc-gen ${KPMC_GEN_TABLE_ARGS} --out "${KPMC_COMMITTED_CATALOG}" "${CMAKE_BINARY_DIR}/kpep-catalog"
    DEPENDS kpmc-gen
    COMMENT "Rewriting ${KPMC_COMMITTED_CATALOG} from ${_kpmc_catalog_source}"
    VERBATIM)
else()
  add_custom_target(catalog
    COMMAND ${CMAKE_COMMAND} -E echo "kpmc: kpmc-gen, which rewrites catalog/, needs libxml2 (Debian: libxml2-dev)"
    COMMAND ${CMAKE_COMMAND} -E false
    VERBATIM)
endif()
