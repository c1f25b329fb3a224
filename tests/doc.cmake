# Tests of the documentation outputs: kpmc list --format md|csv, kpmc diff,
# kpmc doc (HTML, in a real browser), kpmc info, and the manual page.
set(KPMC_DOC_TESTS "${CMAKE_CURRENT_SOURCE_DIR}/doc")
set(KPMC_DOC_WORK "${CMAKE_CURRENT_BINARY_DIR}/doc")
file(MAKE_DIRECTORY "${KPMC_DOC_WORK}")

# Golden outputs, written from the kpep plists by doc/reference.py (never
# from kpmc): list-DB.md|csv is `kpmc list --db DB --format md|csv`,
# diff-A-B.txt|md|json is `kpmc diff A B [--format md|json]`.  One test
# <prefix>_<file> per file of `folder`, run with the program `target`.
function(kpmc_doc_goldens prefix target folder)
  file(GLOB goldens CONFIGURE_DEPENDS "${folder}/*")
  foreach(golden IN LISTS goldens)
    get_filename_component(name "${golden}" NAME)
    if(name MATCHES "^list-([a-z0-9]+)\\.(md|csv)$")
      set(args "list|--db|${CMAKE_MATCH_1}|--format|${CMAKE_MATCH_2}")
    elseif(name MATCHES "^diff-([a-z0-9]+)-([a-z0-9]+)\\.txt$")
      set(args "diff|${CMAKE_MATCH_1}|${CMAKE_MATCH_2}")
    elseif(name MATCHES "^diff-([a-z0-9]+)-([a-z0-9]+)\\.(md|json)$")
      set(args "diff|${CMAKE_MATCH_1}|${CMAKE_MATCH_2}|--format|${CMAKE_MATCH_3}")
    else()
      message(FATAL_ERROR "${golden}: the name does not say which command it is the output of")
    endif()
    add_test(NAME ${prefix}_${name}
      COMMAND "${CMAKE_COMMAND}" "-DKPMC=$<TARGET_FILE:${target}>" "-DARGS=${args}" "-DGOLDEN=${golden}"
              -P "${KPMC_DOC_TESTS}/golden.cmake"
      WORKING_DIRECTORY "${KPMC_DOC_WORK}")
  endforeach()
endfunction()
kpmc_doc_goldens(doc_golden kpmc "${KPMC_DOC_TESTS}/golden")

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
  # the plists of the kpep snapshot with plistlib.
  add_test(NAME doc_reference
    COMMAND "${Python3_EXECUTABLE}" "${KPMC_DOC_TESTS}/reference.py" --chips "${KPMC_CHIP_TABLE}"
            "${KPMC_KPEP_SNAPSHOT}" "$<TARGET_FILE:kpmc>" "${KPMC_DOC_TESTS}/golden")
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

# The same commands over the golden fixture catalog (tests/catalog.cmake
# builds it from tests/data/gen/ok): goldens in doc/golden-fixture, the
# plistlib route over tests/data/gen/ok, and the HTML checks.
if(TARGET kpmc_fixture_catalog)
  set(_tools "${CMAKE_SOURCE_DIR}/tools")
  set(_assets "${CMAKE_BINARY_DIR}/tools/doc_assets.c")
  set_source_files_properties("${_assets}" PROPERTIES GENERATED TRUE)
  add_executable(kpmc_doc_fixture "${KPMC_DOC_TESTS}/fixture_main.c" "${_tools}/cli.c" "${_tools}/cmd_list.c"
    "${_tools}/list_md_csv.c" "${_tools}/cmd_diff.c" "${_tools}/cmd_doc.c" "${_tools}/doc_fmt.c"
    "${_tools}/doc_file.c" "${_tools}/doc_html.c" "${_tools}/doc_page_index.c"
    "${_tools}/doc_page_db.c" "${_tools}/doc_page_compare.c" "${_tools}/doc_page_generic.c" "${_assets}" "${CMAKE_SOURCE_DIR}/runtime/host.c")
  add_dependencies(kpmc_doc_fixture kpmc) # kpmc's build writes doc_assets.c
  kpmc_target_flags(kpmc_doc_fixture)
  target_include_directories(kpmc_doc_fixture PRIVATE "${_tools}" "${CMAKE_SOURCE_DIR}/internal")
  target_link_libraries(kpmc_doc_fixture PRIVATE kpmc_fixture_catalog)

  kpmc_doc_goldens(doc_fixture_golden kpmc_doc_fixture "${KPMC_DOC_TESTS}/golden-fixture")
  if(Python3_Interpreter_FOUND)
    add_test(NAME doc_fixture_reference
      COMMAND "${Python3_EXECUTABLE}" "${KPMC_DOC_TESTS}/reference.py" --chips "${KPMC_TEST_DATA}/gen/tables/chips.tsv"
              "${KPMC_TEST_DATA}/gen/ok"
              "$<TARGET_FILE:kpmc_doc_fixture>" "${KPMC_DOC_TESTS}/golden-fixture")
    file(MAKE_DIRECTORY "${KPMC_DOC_WORK}/fixture")
    add_test(NAME doc_fixture_html
      COMMAND "${Python3_EXECUTABLE}" "${KPMC_DOC_TESTS}/check_html.py" "$<TARGET_FILE:kpmc_doc_fixture>"
              "${KPMC_DOC_WORK}/fixture")
    set_tests_properties(doc_fixture_html PROPERTIES SKIP_RETURN_CODE 77)
  endif()
endif()
