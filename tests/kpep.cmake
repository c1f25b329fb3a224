# The kpep snapshot (catalog/kpep): its files against the SHA-256 list and
# link table of its README, and every check that reads a kpep folder run
# again over copies of the snapshot with the cpu_* links in each form
# kpmc-gen and the tests accept: symbolic links (as macOS ships them), small
# files holding the target's name (a checkout without symbolic links) and
# full copies of the database.
if(NOT Python3_Interpreter_FOUND)
  return()
endif()

add_test(NAME kpep_snapshot
  COMMAND "${Python3_EXECUTABLE}" "${CMAKE_CURRENT_SOURCE_DIR}/test_kpep_snapshot.py" "${KPMC_KPEP_SNAPSHOT}")

set(_kpep_forms "${CMAKE_CURRENT_BINARY_DIR}/kpep_forms")
add_test(NAME kpep_forms_setup
  COMMAND "${Python3_EXECUTABLE}" "${CMAKE_CURRENT_SOURCE_DIR}/kpmctest.py" forms "${KPMC_KPEP_SNAPSHOT}" "${_kpep_forms}")
set_tests_properties(kpep_forms_setup PROPERTIES FIXTURES_SETUP kpep_forms)
set(_kpep_tests kpep_snapshot kpep_forms_setup)

# The tests that compare the kpmc built here with the folder need the built
# catalog to be the snapshot's (tests/catalog.cmake: not so on a Mac that
# generates it from /usr/share/kpep).
set(_kpep_built_is_snapshot OFF)
if(_cat_snapshot)
  set(_kpep_built_is_snapshot ON)
endif()

foreach(form symlink name copy)
  set(dir "${_kpep_forms}/${form}")
  add_test(NAME kpep_snapshot_${form}
    COMMAND "${Python3_EXECUTABLE}" "${CMAKE_CURRENT_SOURCE_DIR}/test_kpep_snapshot.py" "${dir}" --form ${form})
  add_test(NAME catalog_check_kpep_${form}
    COMMAND "${Python3_EXECUTABLE}" "${CMAKE_CURRENT_SOURCE_DIR}/test_gen_golden_check.py"
            --plists "${dir}" --catalog "${CMAKE_SOURCE_DIR}/catalog" --format "${CMAKE_SOURCE_DIR}/internal/catalog_format.h"
            --generic "${KPMC_GENERIC_TABLE}" --chips "${KPMC_CHIP_TABLE}")
  list(APPEND _kpep_tests kpep_snapshot_${form} catalog_check_kpep_${form})
  if(TARGET kpmc-gen)
    add_test(NAME gen_kpep_${form} COMMAND kpmc-gen --quiet ${KPMC_GEN_TABLE_ARGS} --check --out "${CMAKE_SOURCE_DIR}/catalog" "${dir}")
    list(APPEND _kpep_tests gen_kpep_${form})
  endif()
  if(TARGET kpmc AND _kpep_built_is_snapshot)
    add_test(NAME list_json_kpep_${form}
      COMMAND "${Python3_EXECUTABLE}" "${CMAKE_CURRENT_SOURCE_DIR}/test_list_json.py" --kpmc $<TARGET_FILE:kpmc> --plists "${dir}")
    add_test(NAME list_cli_kpep_${form}
      COMMAND "${Python3_EXECUTABLE}" "${CMAKE_CURRENT_SOURCE_DIR}/test_list_cli.py" --kpmc $<TARGET_FILE:kpmc> --plists "${dir}")
    # The goldens and every database's md/csv (the families come from the
    # links); the diffs do not depend on them.
    add_test(NAME doc_reference_kpep_${form}
      COMMAND "${Python3_EXECUTABLE}" "${CMAKE_CURRENT_SOURCE_DIR}/doc/reference.py" --chips "${KPMC_CHIP_TABLE}" "${dir}" $<TARGET_FILE:kpmc>
              "${CMAKE_CURRENT_SOURCE_DIR}/doc/golden" --no-diffs)
    list(APPEND _kpep_tests list_json_kpep_${form} list_cli_kpep_${form} doc_reference_kpep_${form})
  endif()
  # test_catalog_lookup reads links and name files (not copies) itself.
  if(TARGET test_catalog_lookup AND _kpep_built_is_snapshot AND NOT form STREQUAL "copy")
    add_test(NAME catalog_lookup_kpep_${form} COMMAND test_catalog_lookup "${dir}" --snapshot)
    list(APPEND _kpep_tests catalog_lookup_kpep_${form})
  endif()
endforeach()
set_tests_properties(${_kpep_tests} PROPERTIES LABELS kpep)
list(REMOVE_ITEM _kpep_tests kpep_snapshot kpep_forms_setup)
set_tests_properties(${_kpep_tests} PROPERTIES FIXTURES_REQUIRED kpep_forms)
