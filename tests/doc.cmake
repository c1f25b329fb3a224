# Tests of the documentation outputs: kpmc list --format md|csv, kpmc diff,
# kpmc doc (HTML, in a real browser), kpmc info, and the manual page.
set(KPMC_DOC_TESTS "${CMAKE_CURRENT_SOURCE_DIR}/doc")
set(KPMC_DOC_WORK "${CMAKE_CURRENT_BINARY_DIR}/doc")
file(MAKE_DIRECTORY "${KPMC_DOC_WORK}")

# Golden outputs, written from the kpep plists by doc/reference.py (never
# from kpmc): list-DB.md|csv is `kpmc list --db DB --format md|csv`,
# diff-A-B.txt|md|json is `kpmc diff A B [--format md|json]`.
file(GLOB _kpmc_goldens CONFIGURE_DEPENDS "${KPMC_DOC_TESTS}/golden/*")
foreach(golden IN LISTS _kpmc_goldens)
  get_filename_component(_name "${golden}" NAME)
  if(_name MATCHES "^list-([a-z0-9]+)\\.(md|csv)$")
    set(_args "list|--db|${CMAKE_MATCH_1}|--format|${CMAKE_MATCH_2}")
  elseif(_name MATCHES "^diff-([a-z0-9]+)-([a-z0-9]+)\\.txt$")
    set(_args "diff|${CMAKE_MATCH_1}|${CMAKE_MATCH_2}")
  elseif(_name MATCHES "^diff-([a-z0-9]+)-([a-z0-9]+)\\.(md|json)$")
    set(_args "diff|${CMAKE_MATCH_1}|${CMAKE_MATCH_2}|--format|${CMAKE_MATCH_3}")
  else()
    message(FATAL_ERROR "tests/doc/golden/${_name}: name does not say which command it is the output of")
  endif()
  add_test(NAME doc_golden_${_name}
    COMMAND "${CMAKE_COMMAND}" "-DKPMC=$<TARGET_FILE:kpmc>" "-DARGS=${_args}" "-DGOLDEN=${golden}"
            -P "${KPMC_DOC_TESTS}/golden.cmake"
    WORKING_DIRECTORY "${KPMC_DOC_WORK}")
endforeach()

# Bad input: exit statuses, messages naming the file, no half-written file.
set(_not_mac 1)
if(APPLE)
  set(_not_mac 0)
endif()
add_test(NAME doc_errors
  COMMAND "${CMAKE_COMMAND}" "-DKPMC=$<TARGET_FILE:kpmc>" "-DWORK=${KPMC_DOC_WORK}" "-DNOT_MAC=${_not_mac}"
          -P "${KPMC_DOC_TESTS}/errors.cmake")

if(Python3_Interpreter_FOUND)
  # The goldens and every database's md/csv and every diff, re-derived from
  # the plists with plistlib (skipped without ../shared/kpep).
  add_test(NAME doc_reference
    COMMAND "${Python3_EXECUTABLE}" "${KPMC_DOC_TESTS}/reference.py" "${KPMC_SHARED_KPEP}"
            "$<TARGET_FILE:kpmc>" "${KPMC_DOC_TESTS}/golden")
  set_tests_properties(doc_reference PROPERTIES SKIP_RETURN_CODE 77)
  # The site: well-formed pages, self-contained, every event, table markup,
  # contrast (skipped without xmllint).
  add_test(NAME doc_html
    COMMAND "${Python3_EXECUTABLE}" "${KPMC_DOC_TESTS}/check_html.py" "$<TARGET_FILE:kpmc>" "${KPMC_DOC_WORK}")
  set_tests_properties(doc_html PROPERTIES SKIP_RETURN_CODE 77)
  # docs/kpmc.1 against every command's --help.
  add_test(NAME doc_man
    COMMAND "${Python3_EXECUTABLE}" "${KPMC_DOC_TESTS}/check_man.py" "$<TARGET_FILE:kpmc>"
            "${CMAKE_SOURCE_DIR}/docs/kpmc.1")
endif()

# Headless Chromium through playwright-core (npm ci at the repository root);
# skipped without node, Chromium or the package.  Screenshots land in
# ${KPMC_DOC_WORK}.
find_program(KPMC_NODE node)
if(KPMC_NODE)
  add_test(NAME doc_browser
    COMMAND "${KPMC_NODE}" "${KPMC_DOC_TESTS}/browser.mjs" "$<TARGET_FILE:kpmc>" "${KPMC_DOC_WORK}")
else()
  add_test(NAME doc_browser COMMAND sh -c "echo 'skipped: node not found'; exit 77")
endif()
set_tests_properties(doc_browser PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600)
